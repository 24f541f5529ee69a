import Foundation
import Synchronization
import Testing
import TutorAgent
import TutorCatalogue
import TutorChatSession
import TutorOffline
import TutorPrompts
import TutorStore
import TutorToolAdapters
import TutorWire

@testable import TutorApp

/// Three everyday requests served from the learner's data: a test-out on a skill they know,
/// undoing finished tasks, and pausing, resuming or dropping a goal.
@Suite("Everyday requests: test-outs, undone tasks, paused goals")
struct EverydayRequestsTests {
    final class Clock: Sendable {
        private let date = Mutex(Date(timeIntervalSince1970: 1_796_630_400))
        var now: Date { date.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { date.withLock { $0 += seconds } }
    }

    /// A programmer on a fresh store with the goal of building a RAG chatbot (Python fundamentals among its tasks).
    private func withLearner(_ body: (LearnerService, Clock, String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-everyday-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        let clock = Clock()
        let service = LearnerService(store: store, catalogue: try Catalogue.bundled(), now: { clock.now })
        _ = try service.setProfile(
            ProfileSetParams(background: "programmer", hoursPerWeek: 40, availability: ["mon-sun 08:00-20:00"], timeZone: "UTC"))
        _ = try service.addGoal(GoalAddParams(text: "build chatbots with RAG"))
        try await body(service, clock, folder)
        try store.close()
    }

    private func openTasks(_ service: LearnerService, skill: String) throws -> [TaskView] {
        try service.tasks(TaskListParams(status: ["pending", "learning"], limit: 500)).tasks.filter { $0.skillId == skill }
    }

    private func plannedSkills(_ service: LearnerService) throws -> Set<String> {
        let plan = try service.weeklyPlan(PlanParams(week: nil, regenerate: nil))
        return Set(plan.sessions.flatMap(\.items).compactMap(\.skillId))
    }

    @Test("two right answers pass: the skill's tasks are skipped (no time logged), it counts as mastered, the plan drops them")
    func testOutPasses() async throws {
        try await withLearner { service, _, _ in
            #expect(try plannedSkills(service).contains("python-fundamentals"))
            let before = try openTasks(service, skill: "python-fundamentals")
            #expect(before.count == 3)

            let started = try await service.testOut(session: "s", skill: "python", answer: nil, stop: false)
            #expect(started.outcome == "asking" && started.skillId == "python-fundamentals" && started.number == 1 && started.of == 3)
            let first = try await service.testOut(session: "s", skill: nil, answer: "a set", stop: false)
            #expect(first.outcome == "asking" && first.checked?.verdict == "correct" && first.number == 2)
            // One right answer is never a pass.
            #expect(try openTasks(service, skill: "python-fundamentals").count == 3)
            let passed = try await service.testOut(session: "s", skill: nil, answer: "[0, 2, 4]", stop: false)
            #expect(passed.outcome == "passed" && passed.correct == 2 && passed.tasksTakenOff == 3)
            #expect(passed.minutesTakenOff == before.map(\.estimateMinutes).reduce(0, +))

            #expect(try openTasks(service, skill: "python-fundamentals").isEmpty)
            let skipped = try service.tasks(TaskListParams(status: ["skipped"], limit: 50)).tasks
            #expect(skipped.count == 3 && skipped.allSatisfy { $0.actualMinutes == 0 && $0.evidence?.hasPrefix("tested out") == true })
            #expect(try service.context.store.studyLog().isEmpty, "a test-out is not study time")
            #expect(try service.context.store.skillStates().first { $0.skillId == "python-fundamentals" }?.status == "mastered")
            #expect(!(try plannedSkills(service).contains("python-fundamentals")), "the stored plan was made afresh")
            // Later evidence does not undo it: re-evaluating keeps the skill mastered.
            try service.reviewService.updateMastery("python-fundamentals")
            #expect(try service.context.store.skillStates().first { $0.skillId == "python-fundamentals" }?.status == "mastered")
        }
    }

    @Test("one right answer out of three fails, early once a pass is out of reach; the tasks stay and the checklist is suggested")
    func testOutFails() async throws {
        try await withLearner { service, _, _ in
            _ = try await service.testOut(session: "s", skill: "python", answer: nil, stop: false)
            _ = try await service.testOut(session: "s", skill: nil, answer: "a set", stop: false)
            let second = try await service.testOut(session: "s", skill: nil, answer: "no idea", stop: false)
            #expect(second.outcome == "asking" && second.checked?.verdict == "incorrect" && second.number == 3)
            let failed = try await service.testOut(session: "s", skill: nil, answer: "a for loop", stop: false)
            #expect(failed.outcome == "failed" && failed.correct == 1 && failed.tasksKept == 3 && !failed.review.isEmpty)
            #expect(try openTasks(service, skill: "python-fundamentals").count == 3)
            #expect(try service.context.store.openTestOut(session: "s") == nil)

            // Two wrong answers first: failed at once, without a third question.
            _ = try await service.testOut(session: "s", skill: "python", answer: nil, stop: false)
            _ = try await service.testOut(session: "s", skill: nil, answer: "a list", stop: false)
            let early = try await service.testOut(session: "s", skill: nil, answer: "[2, 4, 6]", stop: false)
            #expect(early.outcome == "failed" && early.answered == 2)
        }
    }

    @Test("a test-out survives a restart, can be stopped, and answers clearly for unknown skills and skills with nothing to skip")
    func testOutStateAndEdges() async throws {
        try await withLearner { service, clock, folder in
            _ = try await service.testOut(session: "s", skill: "python", answer: nil, stop: false)
            // A daemon restart: a new store on the same file still knows the open test-out.
            let reopened = try Store(path: folder + "/tutor.sqlite")
            let again = LearnerService(store: reopened, catalogue: try Catalogue.bundled(), now: { clock.now })
            let current = try await again.testOut(session: "s", skill: nil, answer: nil, stop: false)
            #expect(current.outcome == "asking" && current.repeated && current.number == 1)
            #expect(ChatState.read(reopened, session: "s")?.testOut?.skillId == "python-fundamentals")
            try reopened.close()

            let stopped = try await service.testOut(session: "s", skill: nil, answer: nil, stop: true)
            #expect(stopped.outcome == "stopped" && stopped.tasksKept == 3)
            #expect(try service.context.store.openTestOut(session: "s") == nil)
            #expect(try await service.testOut(session: "s", skill: "cobol", answer: nil, stop: false).outcome == "unknown-skill")
            #expect(try await service.testOut(session: "s", skill: "pytorch-basics", answer: nil, stop: false).outcome == "not-on-list")
            #expect(
                try await service.testOut(session: "s", skill: "command-line-basics", answer: nil, stop: false).outcome == "no-questions")
            await #expect(throws: AppError.self) { try await service.testOut(session: "s", skill: nil, answer: "a set", stop: false) }
        }
    }

    @Test("\"oops, I meant tasks 1 and 3\" reopens task 2 with its estimate; \"undo task 3\" reopens it; an open task is said so")
    func reopenTasks() async throws {
        try await withLearner { service, clock, _ in
            for id: Int64 in [1, 2, 3] { _ = try service.completeTask(TaskDoneParams(id: id, minutes: nil, evidence: nil)) }
            clock.advance(600)
            let meant = try service.correctFinishedTasks(meant: [1, 3])
            #expect(meant.reopened.map(\.id) == [2] && meant.finished.isEmpty)
            #expect(try service.context.store.task(id: 2)?.status == "pending")
            #expect(try service.context.store.task(id: 1)?.status == "done" && service.context.store.task(id: 3)?.status == "done")
            let open = try service.tasks(TaskListParams(status: ["pending", "learning"], limit: 1)).tasks
            #expect(open.first?.id == 2 && open.first?.estimateMinutes == meant.reopened.first?.estimateMinutes)

            let undone = try service.reopenTasks(ids: [3, 5])
            #expect(undone.reopened.map(\.id) == [3] && undone.alreadyOpen == [5])
            #expect(throws: AppError.self) { try service.reopenTasks(ids: [9999]) }
            // "I meant" counts only the last day's finished tasks.
            clock.advance(2 * 86_400)
            #expect(throws: AppError.self) { try service.correctFinishedTasks(meant: [1]) }
        }
    }

    @Test("a paused goal is not planned and resumes; a dropped one keeps its data; several goals and no name ask which")
    func goalStatus() async throws {
        try await withLearner { service, _, _ in
            #expect(!(try plannedSkills(service).isEmpty))
            let paused = try service.changeGoal(action: "pause", goal: nil)
            #expect(paused.outcome == "paused" && paused.goal?.status == "paused" && paused.openTasks > 0)
            #expect(try plannedSkills(service).isEmpty, "a paused goal's tasks are not planned")
            #expect(try service.forecast(ForecastParams(hoursPerWeek: nil)).notes.contains { $0.contains("is paused") })
            #expect(try service.changeGoal(action: "pause", goal: nil).outcome == "none")
            #expect(try service.changeGoal(action: "resume", goal: nil).outcome == "resumed")
            #expect(!(try plannedSkills(service).isEmpty))

            _ = try service.addGoal(GoalAddParams(text: "become an AI engineer"))
            let which = try service.changeGoal(action: "pause", goal: nil)
            #expect(which.outcome == "which" && which.goals.count == 2)
            #expect(try service.context.store.goals().allSatisfy { $0.isPursued }, "nothing changes until the learner says which")
            let dropped = try service.changeGoal(action: "drop", goal: "ai engineer")
            #expect(dropped.outcome == "dropped" && dropped.goal?.title == "become an AI engineer")
            let tasks = try service.context.store.tasks().filter { $0.goalId == dropped.goal?.id }
            #expect(!tasks.isEmpty, "dropping keeps the goal's tasks")
            #expect(try service.changeGoal(action: "pause", goal: "RAG").goal?.title == "build chatbots with RAG")
            #expect(try plannedSkills(service).isEmpty)
            let resumed = try service.changeGoal(action: "resume", goal: "the AI engineer goal")
            #expect(resumed.outcome == "resumed" && resumed.goal?.status == "active")
            #expect(try service.changeGoal(action: "drop", goal: "cooking").outcome == "which")
        }
    }

    @Test("in a chat, a request during a test-out is served and the test-out waits, said once; then the answer counts")
    func testOutInChat() async throws {
        try await withLearner { service, _, _ in
            let session = ChatSessionFactory(
                model: OfflineModel(catalogue: service.context.catalogue), context: service.context, notes: nil, prompts: .bundled
            ).session(named: "chat")
            let started = try await session.send("I already know python") { _ in }.reply
            #expect(started.contains("Question 1 of 3"), "\(started)")
            _ = try await session.send("a set") { _ in }
            let events = Events()
            let detour = try await session.send("what's next?") { await events.add($0) }.reply
            #expect(detour.contains("Next up") && !detour.contains("Not quite"), "\(detour)")
            let aside = await events.setAside
            #expect(aside.count == 1 && aside[0].contains("test-out on Python fundamentals waits"), "\(aside)")
            _ = try await session.send("why this order?") { await events.add($0) }
            #expect(await events.setAside.count == 1, "said once")
            let passed = try await session.send("[0, 2, 4]") { _ in }.reply
            #expect(passed.contains("3 tasks") && passed.contains("you know Python fundamentals"), "\(passed)")
        }
    }

    /// The events of a turn, as the daemon would pass them on.
    actor Events {
        var all: [AgentEvent] = []
        func add(_ event: AgentEvent) { all.append(event) }
        var setAside: [String] { all.compactMap { if case .setAside(let text) = $0 { text } else { nil } } }
    }
}
