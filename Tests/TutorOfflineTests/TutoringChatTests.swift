import Foundation
import Testing
import TutorAgent
import TutorCatalogue
import TutorChatSession
import TutorOffline
import TutorPrompts
import TutorStore
import TutorTesting
import TutorToolAdapters
import TutorTools
import TutorWire

@testable import TutorApp

/// A chat session as the daemon makes it (offline model, planner, tools, transcript).
private func offlineSession(_ service: LearnerService, name: String = "s") -> AgentSession {
    ChatSessionFactory(model: OfflineModel(catalogue: service.context.catalogue), context: service.context, notes: nil, prompts: .bundled)
        .session(named: name)
}

@Suite("Tutoring in an offline chat: check questions, hints, answers, misconceptions")
struct TutoringChatTests {
    @Test("explain, check, hints, a wrong answer kept as a misconception, revisited later and settled by a right answer")
    func checkHintsAndMisconceptions() async throws {
        try await TemporaryLearner.with(.studyingRAG) { service, clock in
            let session = offlineSession(service)
            let answer = "Retrieve relevant content, add it to the prompt, generate the answer."

            let explained = try await session.send("what is RAG?") { _ in }.reply
            #expect(explained.contains("Check before moving on: What are the three steps of RAG?"), "\(explained)")
            #expect(!explained.contains(answer))
            var open = try #require(try service.context.store.exercise(session: "s"))
            #expect(open.kind == "check" && open.phase == "asked" && open.cardId == "rag-basics#0")

            // Three hints, each a little more, never the answer; then no more.
            var hints: [String] = []
            for _ in 1...3 { hints.append(try await session.send("hint") { _ in }.reply) }
            #expect(hints[0].contains("Hint 1 of 3") && hints[1].contains("Hint 2 of 3") && hints[2].contains("Hint 3 of 3"))
            #expect(hints.allSatisfy { !$0.contains(answer) && !$0.contains("The answer:") })
            #expect(try await session.send("I'm stuck") { _ in }.reply.contains("last hint"))
            #expect(try service.context.store.exercise(session: "s")?.hintsGiven == 3)

            // Another topic is explained; the open question waits (it is not graded).
            let movedOn = try await session.send("what is an embedding?") { _ in }.reply
            #expect(movedOn.contains("From the Tutor roadmap") && !movedOn.contains("Not quite"), "\(movedOn)")
            #expect(try service.context.store.exercise(session: "s")?.cardId == "rag-basics#0")

            // A wrong answer: the model answer, a suggested grade, and once confirmed a misconception.
            let checked = try await session.send("it is a list comprehension") { _ in }.reply
            #expect(checked.contains("Not quite") && checked.contains(answer) && checked.contains("again"), "\(checked)")
            open = try #require(try service.context.store.exercise(session: "s"))
            #expect(open.phase == "answered" && open.verdict == "incorrect" && open.suggestedRating == 1)
            let recorded = try await session.send("ok") { _ in }.reply
            #expect(recorded.contains("noted your answer"), "\(recorded)")
            #expect(try service.context.store.exercise(session: "s") == nil, "the question is closed with its grade")
            let misconceptions = try service.context.store.openMisconceptions(skillId: "rag-basics")
            #expect(misconceptions.count == 1)
            #expect(misconceptions.first?.learnerAnswer == "it is a list comprehension" && misconceptions.first?.expected == answer)
            #expect(try service.context.store.reviewLogs(skillId: "rag-basics").map(\.rating) == [1])
            // The learner sees it in their progress; a model sees it in its instructions every turn.
            #expect(try service.progress().misconceptions.map(\.said) == ["it is a list comprehension"])
            #expect(try await session.send("how am I doing?") { _ in }.reply.contains("1 earlier wrong answer(s) to revisit"))
            let state = ModelPrompts.tutoringState(service: service, session: "s", library: .bundled)
            #expect(state.contains("list comprehension") && state.contains("rag-basics"))

            // Later, the quiz brings that question back first and names the earlier answer.
            clock.advance(15 * 60)
            let revisit = try await session.send("quiz me") { _ in }.reply
            #expect(revisit.contains("What are the three steps of RAG?") && revisit.contains("list comprehension"), "\(revisit)")
            let right = try await session.send("you retrieve relevant passages, add them to the prompt, then generate the answer") { _ in }
            #expect(right.reply.contains("Right.") && right.reply.contains("good"), "\(right.reply)")
            let settled = try await session.send("good") { _ in }.reply
            #expect(settled.contains("settles the earlier mix-up"), "\(settled)")
            #expect(try service.context.store.openMisconceptions().isEmpty)
            #expect(try service.context.store.misconceptions().first?.resolvedAt != nil, "kept, marked resolved")
        }
    }

    @Test("the answer outright when asked, no misconception for it; skip closes the question without a grade")
    func answerOutrightAndSkip() async throws {
        try await TemporaryLearner.with(.studyingRAG) { service, _ in
            let session = offlineSession(service)
            _ = try await session.send("quiz me") { _ in }
            let revealed = try await session.send("just tell me the answer") { _ in }.reply
            #expect(revealed.contains("The answer:") && revealed.contains("record it as again"), "\(revealed)")
            _ = try await session.send("ok") { _ in }
            #expect(try service.context.store.openMisconceptions().isEmpty, "asking for the answer is not a wrong belief")
            #expect(try service.context.store.reviewLogs(skillId: "rag-basics").map(\.rating) == [1])

            _ = try await session.send("quiz me") { _ in }
            #expect(try service.context.store.exercise(session: "s") != nil)
            let skipped = try await session.send("skip") { _ in }.reply
            #expect(skipped.contains("Skipped"))
            #expect(try service.context.store.exercise(session: "s") == nil)
            #expect(try service.context.store.reviewLogs(skillId: "rag-basics").count == 1, "no grade for a skipped question")
        }
    }

    @Test("another request while a question is open is served, never graded; the question waits, said once, and can be resumed")
    func requestWhileAQuestionIsOpen() async throws {
        try await TemporaryLearner.with(.studyingRAG) { service, _ in
            let session = offlineSession(service)
            _ = try await session.send("what is RAG?") { _ in }
            let asked = try #require(try service.context.store.exercise(session: "s"))
            let events = Events()
            let served = try await session.send("what is an embedding?") { await events.add($0) }.reply
            #expect(served.contains("From the Tutor roadmap") && !served.contains("Not quite") && !served.contains("Partly"), "\(served)")
            #expect(await events.setAside.count == 1, "the learner is told once that the question waits")
            let hello = try await session.send("hi") { await events.add($0) }.reply
            #expect(!hello.contains("Not quite") && !hello.contains("The answer:"), "a greeting is not an answer: \(hello)")
            #expect(await events.setAside.count == 1, "said once")
            let open = try #require(try service.context.store.exercise(session: "s"))
            #expect(open.cardId == asked.cardId && open.phase == "asked" && open.reminded, "the first question is still the open one")
            #expect(try service.context.store.reviewLogs(skillId: "rag-basics").isEmpty, "nothing was graded")
            let resumed = try await session.send("back to the question") { _ in }.reply
            #expect(resumed.contains(try #require(service.reviewService.item(forCard: asked.cardId)?.1.question)), "\(resumed)")
        }
    }

    /// The events of a turn, as the daemon would pass them on.
    actor Events {
        var all: [AgentEvent] = []
        func add(_ event: AgentEvent) { all.append(event) }
        var setAside: [String] { all.compactMap { if case .setAside(let text) = $0 { text } else { nil } } }
    }

    @Test("each chat has its own open question")
    func questionsPerSession() async throws {
        try await TemporaryLearner.with(.studyingRAG) { service, _ in
            _ = try await offlineSession(service, name: "a").send("quiz me") { _ in }
            #expect(try service.context.store.exercise(session: "a") != nil)
            #expect(try service.context.store.exercise(session: "b") == nil)
            let other = try await offlineSession(service, name: "b").send("show my progress") { _ in }
            #expect(other.toolCalls == 1 && !other.reply.contains("still open"))
        }
    }
}

@Suite("First-run setup in an offline chat")
struct PlacementChatTests {
    private func withNewLearner(_ body: (LearnerService, AgentSession) async throws -> Void) async throws {
        try await TemporaryLearner.with { service, _ in try await body(service, offlineSession(service)) }
    }

    @Test("hi starts the setup; each answer is checked, a bad one asked again; the end saves profile, known skills and goal")
    func wholeSetup() async throws {
        try await withNewLearner { service, session in
            let welcome = try await session.send("hi") { _ in }.reply
            #expect(welcome.contains("Welcome") && welcome.contains("background"), "\(welcome)")
            #expect(try await session.send("I'm a backend developer") { _ in }.reply.contains("hours a week"))
            let bad = try await session.send("lots") { _ in }.reply
            #expect(bad.contains("could not use that") && bad.contains("hours a week"), "\(bad)")
            let kept = try #require(try service.context.store.placementDraft(session: "s"))
            #expect(kept.step == "hours" && kept.background == "programmer", "a bad answer loses nothing")
            #expect(try await session.send("8") { _ in }.reply.contains("free"))
            #expect(try await session.send("whenever I can") { _ in }.reply.contains("could not use that"))
            _ = try await session.send("mon-fri 19:00-21:00; sat 09:00-12:00") { _ in }
            let first = try await session.send("become an AI engineer") { _ in }.reply
            #expect(first.contains("Foundations check 1 of 3"), "\(first)")
            #expect(try service.profile().isSet == false, "nothing is saved before the end")
            let draft = try #require(try service.context.store.placementDraft(session: "s"))
            let known = try #require(service.context.catalogue.skill(draft.questions[0])?.quiz.first?.answer)
            #expect(try await session.send(known) { _ in }.reply.contains("Right"))
            _ = try await session.send("no idea") { _ in }
            let done = try await session.send("no idea") { _ in }.reply
            #expect(done.contains("Saved: programmer, 8 h a week") && done.contains("months"), "\(done)")
            let profile = try service.profile()
            #expect(profile.isSet && profile.hoursPerWeek == 8 && profile.availability.count == 6)
            #expect(try service.goals().goals.map(\.title) == ["become an AI engineer"])
            #expect(try service.context.store.skillStates().first { $0.skillId == draft.questions[0] }?.status == "mastered")
            #expect(try service.context.store.placementDraft(session: "s") == nil)
            // Set up now: a greeting is a greeting.
            #expect(try await session.send("hi") { _ in }.toolCalls == 0)
        }
    }

    @Test("a greeting that says who the learner is starts the setup with that background; one that only sounds like one does not")
    func greetingWithBackground() async throws {
        try await withNewLearner { service, session in
            let reply = try await session.send("hello, I am a data scientist") { _ in }.reply
            #expect(reply.contains("your background is data scientist") && reply.contains("hours a week"), "\(reply)")
            #expect(!reply.contains("What is your background"), "\(reply)")
            let draft = try #require(try service.context.store.placementDraft(session: "s"))
            #expect(draft.step == "hours" && draft.background == "data-scientist")
        }
        try await withNewLearner { service, session in
            let reply = try await session.send("I am never going to give up") { _ in }.reply
            #expect(reply.contains("What is your background"), "\(reply)")
            #expect(try service.context.store.placementDraft(session: "s")?.background == nil)
        }
    }

    @Test("a question asked during the setup waits: the setup's own question again, nothing lost, nothing taken as an answer")
    func asideDuringSetup() async throws {
        try await withNewLearner { service, session in
            _ = try await session.send("hi") { _ in }
            _ = try await session.send("programmer") { _ in }
            let aside = try await session.send("explain embeddings") { _ in }.reply
            #expect(aside.contains("has to wait") && aside.contains("later") && aside.contains("hours a week"), "\(aside)")
            #expect(!aside.contains("could not use that"))
            let kept = try #require(try service.context.store.placementDraft(session: "s"))
            #expect(kept.step == "hours" && kept.background == "programmer")
            _ = try await session.send("8") { _ in }
            _ = try await session.send("mon-fri 19:00-21:00") { _ in }
            _ = try await session.send("become an AI engineer") { _ in }
            // During the foundation questions the same question comes back, with its number.
            let draft = try #require(try service.context.store.placementDraft(session: "s"))
            let question = try #require(service.context.catalogue.skill(draft.questions[0])?.quiz.first?.question)
            let again = try await session.send("what is RAG?") { _ in }.reply
            #expect(again.contains("Foundations check 1 of 3") && again.contains(question), "\(again)")
            #expect(try service.context.store.placementDraft(session: "s")?.answers.isEmpty == true)
        }
    }

    @Test("later stops the setup and saves nothing; a first message that states a goal keeps it")
    func cancelAndGoalUpFront() async throws {
        try await withNewLearner { service, session in
            _ = try await session.send("hi") { _ in }
            let stopped = try await session.send("later") { _ in }.reply
            #expect(stopped.contains("nothing was saved"))
            #expect(try service.context.store.placementDraft(session: "s") == nil && !(try service.profile().isSet))
            _ = try await session.send("I want to become an AI engineer") { _ in }
            #expect(try service.context.store.placementDraft(session: "s")?.goal == "become an AI engineer")
            _ = try await session.send("data scientist") { _ in }
            _ = try await session.send("6") { _ in }
            let next = try await session.send("sat 09:00-12:00") { _ in }.reply
            #expect(next.contains("Foundations check 1 of 3"), "the goal was given already: \(next)")
        }
    }
}
