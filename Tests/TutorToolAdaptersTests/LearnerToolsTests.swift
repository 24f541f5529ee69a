import Foundation
import Synchronization
import Testing
import TutorAgent
import TutorApp
import TutorCatalogue
import TutorJSON
import TutorStore
import TutorToolAdapters
import TutorTools
import TutorWire

@testable import TutorApp

@Suite("Learner tools")
struct LearnerToolsTests {
    /// A service over a fresh store, with a clock fixed on Monday 2026-12-07 08:00 UTC.
    private func withService(_ body: (LearnerService, ToolRegistry) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-tools-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        let monday = Date(timeIntervalSince1970: 1_796_630_400)
        let service = LearnerService(store: store, catalogue: try Catalogue.bundled(), now: { monday })
        try await body(service, LearnerTools.registry(service))
        try store.close()
    }

    private func json(_ result: ToolResult) throws -> [String: Any] {
        guard case .success(let text) = result else {
            Issue.record("expected success, got \(result)")
            return [:]
        }
        return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    @Test("quiz me with nothing due brings in the questions of the skill being worked on, studied skills first")
    func quizWithNothingDue() async throws {
        try await withService { service, _ in
            #expect(try service.nextReview().item == nil, "no goal, no study: nothing to ask")
            _ = try service.addGoal(GoalAddParams(text: "first-apps"))
            let first = try #require(try service.nextReview().item)
            let openSkills = try service.context.store.tasks(statuses: ["pending"]).compactMap(\.skillId)
            let expected = openSkills.first { !(service.context.catalogue.skill($0)?.quiz.isEmpty ?? true) }
            #expect(first.skillId == expected, "the first open task's skill with questions")
            // A skill the learner studied comes before the plan's order.
            let studied = try #require(service.context.catalogue.skills.first { !$0.quiz.isEmpty && $0.id != expected })
            for card in try service.context.store.reviewCards() {
                _ = try service.gradeReview(ReviewGradeParams(cardId: card.id, rating: 4))
            }
            _ = try service.logStudy(StudyLogParams(minutes: 30, skill: studied.id))
            #expect(try service.nextReview().item?.skillId == studied.id)
        }
    }

    @Test("on a Sunday evening with nothing left to fit, the plan is next week's and says so; a week asked for is that week")
    func sundayEveningPlansNextWeek() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-sunday-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        // Sunday 2026-12-06 20:00 UTC: the last evening of 2026-W49.
        let sunday = Date(timeIntervalSince1970: 1_796_630_400 - 12 * 3600)
        let service = LearnerService(store: store, catalogue: try Catalogue.bundled(), now: { sunday })
        _ = try service.setProfile(
            ProfileSetParams(background: "programmer", hoursPerWeek: 6, availability: ["mon-fri 19:00-21:00"], timeZone: "UTC"))
        _ = try service.addGoal(GoalAddParams(text: "first-apps"))
        let plan = try service.weeklyPlan(PlanParams())
        #expect(plan.week == "2026-W50" && !plan.sessions.isEmpty)
        #expect(plan.notes.first == "Nothing fits in what is left of 2026-W49: this is next week's plan.")
        let asked = try service.weeklyPlan(PlanParams(week: "2026-W49"))
        #expect(asked.week == "2026-W49" && asked.sessions.isEmpty)
        try store.close()
    }

    @Test("once this week's sessions are all past, the plan shown is next week's; while one is to come, this week's")
    func pastSessionsMoveOn() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-past-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        // Monday 2026-12-07 08:00 UTC, then Friday 19:30 (the last session is under way), then Saturday.
        let clock = Mutex(Date(timeIntervalSince1970: 1_796_630_400))
        let service = LearnerService(store: store, catalogue: try Catalogue.bundled(), now: { clock.withLock { $0 } })
        _ = try service.setProfile(
            ProfileSetParams(background: "programmer", hoursPerWeek: 6, availability: ["mon-fri 19:00-21:00"], timeZone: "UTC"))
        _ = try service.addGoal(GoalAddParams(text: "first-apps"))
        #expect(try service.weeklyPlan(PlanParams()).week == "2026-W50")
        clock.withLock { $0 += 4 * 86_400 + 11.5 * 3600 }
        let friday = try service.weeklyPlan(PlanParams())
        #expect(friday.week == "2026-W50" && friday.stored, "the stored plan, with Friday's session still running")
        clock.withLock { $0 += 86_400 }
        let saturday = try service.weeklyPlan(PlanParams())
        #expect(saturday.week == "2026-W51" && !saturday.sessions.isEmpty)
        #expect(saturday.notes.first?.hasPrefix("This week's sessions are behind you") == true, "\(saturday.notes)")
        try store.close()
    }

    @Test("every tool the issue names is registered with a one-line purpose and an object schema")
    func registered() async throws {
        try await withService { _, registry in
            #expect(
                registry.names == ToolName.allCases.filter { ![.searchNotes, .addQuizItem].contains($0) }.map(\.rawValue),
                "every tool but the two that need retrieval or a model, in the order they are declared")
            for name in registry.names {
                let (purpose, schema) = try #require(registry.describe(name))
                #expect(!purpose.isEmpty && !purpose.contains("\n"))
                #expect(schema.jsonValue["type"]?.string == "object")
            }
        }
    }

    @Test("bad arguments come back as errors that say what to fix, and change nothing")
    func badArguments() async throws {
        try await withService { service, registry in
            let cases: [(String, String, String)] = [
                (ToolName.logStudy.rawValue, #"{"minutes": -5}"#, "'minutes' must be at least 1"),
                (ToolName.logStudy.rawValue, #"{"minutes": "lots"}"#, "'minutes' must be a whole number"),
                (ToolName.logStudy.rawValue, #"{}"#, "'minutes' is required"),
                (ToolName.logStudy.rawValue, #"{"minutes": 30, "mood": "great"}"#, "'mood' is not an argument"),
                (ToolName.logStudy.rawValue, #"{"minutes": 30, "skill": "no-such-skill"}"#, "unknown skill 'no-such-skill'"),
                (ToolName.recordReview.rawValue, #"{"card_id": "x#0", "rating": 9}"#, "'rating' must be at most 4"),
                (ToolName.listTasks.rawValue, #"{"status": ["finished"]}"#, "must be one of pending, learning, done, skipped"),
                (ToolName.catalogueShow.rawValue, #"{"id": "nothing-like-this"}"#, "nothing-like-this"),
                (ToolName.weeklyPlan.rawValue, #"{"week": "2026-W60"}"#, "2026-W60"),
                (ToolName.completeTask.rawValue, #"{"id": 42}"#, "no task 42"),
                (ToolName.logStudy.rawValue, "not json", "not valid JSON"),
                (
                    ToolName.logStudy.rawValue, String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
                    "nest too deeply"
                ),
                ("teleport", "{}", "there is no tool 'teleport'"),
            ]
            for (tool, arguments, expected) in cases {
                let result = await registry.call(tool, arguments: arguments)
                guard case .failure(let message) = result else {
                    Issue.record("\(tool) \(arguments) succeeded")
                    continue
                }
                #expect(message.contains(expected), "\(tool) \(arguments): \(message)")
                #expect(!message.contains("JSON-RPC error"), "the model reads the message, not protocol codes: \(message)")
                #expect(result.content.hasPrefix("{\"error\":"))
            }
            let log = try service.context.store.studyLog()
            let counts = try service.context.store.counts()
            #expect(log.isEmpty)
            #expect(counts == (goals: 0, tasks: 0))
        }
    }

    @Test("a model can set up, plan, log, complete, forecast and review through the tools")
    func happyPath() async throws {
        try await withService { service, registry in
            _ = try service.setProfile(
                ProfileSetParams(
                    background: "programmer", hoursPerWeek: 10, availability: ["mon-fri 19:00-21:00", "sat 09:00-12:00"],
                    timeZone: "Europe/Paris"))
            let goal = try json(await registry.call(ToolName.addGoal.rawValue, arguments: #"{"text": "become an AI engineer"}"#))
            #expect(goal["newTasks"] as? Int ?? 0 > 300)
            #expect((goal["firstTasks"] as? [Any])?.count == 8, "a whole-roadmap goal stays small for the model")
            let plan = try json(await registry.call(ToolName.weeklyPlan.rawValue, arguments: "{}"))
            #expect(plan["week"] as? String == "2026-W50")
            #expect(!((plan["sessions"] as? [Any]) ?? []).isEmpty)
            let tasks = try json(await registry.call(ToolName.listTasks.rawValue, arguments: #"{"limit": 3}"#))
            let first = try #require((tasks["tasks"] as? [[String: Any]])?.first)
            let id = try #require(first["id"] as? Int)
            let skill = try #require(first["skillId"] as? String)
            let done = try json(
                await registry.call(ToolName.completeTask.rawValue, arguments: #"{"id": \#(id), "minutes": 40, "evidence": "notes.md"}"#))
            #expect(done["status"] as? String == "done")
            _ = try json(await registry.call(ToolName.logStudy.rawValue, arguments: #"{"minutes": 30, "skill": "\#(skill)"}"#))
            let progress = try json(await registry.call(ToolName.progressSummary.rawValue, arguments: "{}"))
            #expect(progress["minutesLogged"] as? Int == 70)
            let forecast = try json(await registry.call(ToolName.forecast.rawValue, arguments: #"{"hours_per_week": 20}"#))
            #expect(forecast["hoursPerWeek"] as? Double == 20)
            let due = try json(await registry.call(ToolName.dueReviews.rawValue, arguments: "{}"))
            #expect((due["dueCount"] as? Int ?? 0) > 0)
            #expect((due["item"] as? [String: Any])?["answer"] == nil, "the answer stays with the tutor")
            let asked = try json(await registry.call(ToolName.askQuestion.rawValue, arguments: "{}"))
            let question = try #require(asked["question"] as? [String: Any], "studying a skill brings its questions")
            let card = try #require(question["cardId"] as? String)
            #expect(question["answer"] == nil, "the model answer stays with the tutor until the learner answers")
            let checked = try json(await registry.call(ToolName.checkAnswer.rawValue, arguments: #"{"answer": "I am not sure"}"#))
            #expect(checked["cardId"] as? String == card)
            #expect(checked["answer"] is String)
            let graded = try json(await registry.call(ToolName.recordReview.rawValue, arguments: #"{"card_id": "\#(card)", "rating": 3}"#))
            #expect(graded["cardId"] as? String == card)
            let search = try json(await registry.call(ToolName.catalogueSearch.rawValue, arguments: #"{"query": "prompt injection"}"#))
            #expect(!((search["hits"] as? [Any]) ?? []).isEmpty)
        }
    }

    @Test("a model's proposal for a free-text goal is checked against the roadmap, fixed, or replaced after two misses")
    func proposals() async throws {
        try await withService { service, registry in
            _ = try service.setProfile(ProfileSetParams(background: "programmer", hoursPerWeek: 10))
            let rag = try #require(service.context.catalogue.skill("rag-basics"))
            // Invalid: an unknown skill, a skill before its prerequisites, too many minutes.
            let bad =
                #"{"goal": "ship a RAG app over my team's docs", "tasks": [{"skill_id": "rag-wizardry", "kind": "learn", "minutes": 60}, {"skill_id": "rag-basics", "kind": "learn", "minutes": 5000}]}"#
            let first = try json(await registry.call(ToolName.proposePlan.rawValue, arguments: bad))
            #expect(first["valid"] as? Bool == false)
            let problems = (first["problems"] as? [String]) ?? []
            #expect(problems.contains { $0.contains("'rag-wizardry' is not a skill") })
            #expect(problems.contains { $0.contains("needs \(rag.prerequisites.first!)") || $0.contains("needs ") })
            #expect(problems.contains { $0.contains("more than the roadmap's") })
            #expect(try service.context.store.counts().goals == 0)

            // A valid proposal: the closure of rag-basics in order, one learn task each.
            let closure = service.context.catalogue.prerequisiteClosure(of: ["rag-basics"])
            let tasks = closure.map { #"{"skill_id": "\#($0)", "kind": "learn", "minutes": 30}"# }.joined(separator: ",")
            let good = try json(
                await registry.call(ToolName.proposePlan.rawValue, arguments: #"{"goal": "ship a RAG app", "tasks": [\#(tasks)]}"#))
            #expect(good["valid"] as? Bool == true, "\(good)")
            let id = try #require(good["proposalId"] as? String)
            let accepted = try json(await registry.call(ToolName.acceptPlan.rawValue, arguments: #"{"proposal_id": "\#(id)"}"#))
            #expect(accepted["newTasks"] as? Int == closure.count)
            #expect(try service.context.store.counts().goals == 1)
            // A proposal is accepted once.
            guard case .failure = await registry.call(ToolName.acceptPlan.rawValue, arguments: #"{"proposal_id": "\#(id)"}"#) else {
                Issue.record("a proposal was accepted twice")
                return
            }

            // Three misses for another goal: the third answer is the tutor's own decomposition.
            let miss = #"{"goal": "learn about vector databases", "tasks": [{"skill_id": "nope", "kind": "learn", "minutes": 30}]}"#
            _ = try json(await registry.call(ToolName.proposePlan.rawValue, arguments: miss))
            _ = try json(await registry.call(ToolName.proposePlan.rawValue, arguments: miss))
            let fallback = try json(await registry.call(ToolName.proposePlan.rawValue, arguments: miss))
            #expect(fallback["fellBack"] as? Bool == true)
            #expect(fallback["valid"] as? Bool == true)
            #expect(((fallback["tasks"] as? [Any]) ?? []).count > 0)
        }
    }

    @Test("record_evidence marks a hands-on item with what the learner built, and refuses an item a quiz shows")
    func recordEvidence() async throws {
        try await withService { service, registry in
            let marked = try json(
                await registry.call(
                    ToolName.recordEvidence.rawValue,
                    arguments: #"{"skill": "mcp-basics", "item": 3, "evidence": "https://example.org/my-mcp-server"}"#))
            #expect(marked["handsOnDone"] as? Int == 1 && marked["handsOnTotal"] as? Int == 2, "\(marked)")
            #expect(try service.context.store.checklistEvidence(skillId: "mcp-basics").map(\.kind) == ["link"])
            let refused = await registry.call(
                ToolName.recordEvidence.rawValue, arguments: #"{"skill": "mcp-basics", "item": 1, "evidence": "I know it"}"#)
            guard case .failure(let error) = refused else {
                Issue.record("an item a quiz shows takes no evidence: \(refused)")
                return
            }
            #expect("\(error)".contains("shown by quiz answers"), "\(error)")
        }
    }
}
