import Foundation
import Testing
import TutorAgent
import TutorCatalogue
import TutorModel
import TutorPrompts
import TutorStore
import TutorTesting
import TutorToolAdapters
import TutorTools
import TutorWire

@testable import TutorApp

@Suite("Tutoring state: check questions, hints, answers, misconceptions, model-written questions")
struct TutoringTests {
    @Test("a model's question is stored only when grounded in the skill's roadmap text and new")
    func modelWrittenQuestions() async throws {
        try await TemporaryLearner.with(.studyingRAG) { service, clock in
            #expect(throws: AppError.self) {
                _ = try service.addQuizItem(
                    skillId: "rag-basics", question: "Which GPU kernel does FlashAttention-3 use on Hopper?",
                    answer: "Warp-specialised asynchronous TMA kernels with FP8.", why: "NVIDIA's blog says so.", source: "m")
            }
            do {
                _ = try service.addQuizItem(
                    skillId: "rag-basics", question: "What are the steps of RAG, in order?",
                    answer: "Retrieve, add to the prompt, generate.",
                    why: "", source: "m")
                Issue.record("a rephrasing of an existing question was accepted")
            } catch let error as AppError {
                #expect(error.message.contains("already has this question"))
            }
            let item = try service.addQuizItem(
                skillId: "rag-basics", question: "Why does RAG make a model's answers checkable?",
                answer: "Because answers cite the retrieved passages they were built from.",
                why: "The roadmap says RAG makes answers checkable through citations.", source: "scripted")
            #expect(item.cardId == "rag-basics#m1")
            let stored = try #require(try service.context.store.quizItem(id: "rag-basics#m1"))
            #expect(stored.source == "scripted")
            #expect(try service.context.store.reviewCards().contains { $0.id == "rag-basics#m1" }, "it is reviewed like the roadmap's own")
            // It comes up in the quiz, and survives export and import.
            clock.advance(60)
            var seen = Set<String>()
            for _ in 0..<8 {
                guard let question = try service.askQuestion(session: "q") else { break }
                seen.insert(question.cardId)
                _ = try await service.checkAnswer(session: "q", answer: nil, reveal: true)
                _ = try service.gradeReview(ReviewGradeParams(cardId: question.cardId, rating: 4), session: "q")
            }
            #expect(seen.contains("rag-basics#m1"))
            let snapshot = try service.context.store.snapshot()
            #expect(snapshot.quizItems?.map(\.id) == ["rag-basics#m1"])
            let encoded = try snapshot.encoded()
            #expect(try StoreSnapshot.decode(encoded).encoded() == encoded)
        }
    }

    @Test("a model in the loop writes a question: refused with the reason when ungrounded, stored when it fixes it")
    func modelWritesAQuestionThroughTheTool() async throws {
        try await TemporaryLearner.with(.studyingRAG) { service, _ in
            let bad =
                #"{"skill_id": "rag-basics", "question": "What does ColBERT late interaction compute?", "answer": "MaxSim over token embeddings.", "why": "From the ColBERT paper."}"#
            let good =
                #"{"skill_id": "rag-basics", "question": "Why does RAG make answers checkable?", "answer": "Answers cite the retrieved passages.", "why": "RAG makes answers checkable through citations."}"#
            let model = ScriptedModel([
                ChatCompletion(
                    message: .assistant(nil, toolCalls: [ToolCall(id: "1", name: ToolName.addQuizItem.rawValue, arguments: bad)]),
                    finishReason: .toolCalls,
                    usage: nil),
                ChatCompletion(
                    message: .assistant(nil, toolCalls: [ToolCall(id: "2", name: ToolName.addQuizItem.rawValue, arguments: good)]),
                    finishReason: .toolCalls,
                    usage: nil),
                ChatCompletion(message: .assistant("Added a new question on RAG."), finishReason: .stop, usage: nil),
            ])
            let session = AgentSession(
                name: "w", model: model, tools: LearnerTools.registry(service, quizWriter: "scripted"),
                transcript: StoreTranscript(store: service.context.store), notices: .bundled
            ) { "system" }
            let turn = try await session.send("write me a new question on RAG") { _ in }
            #expect(turn.toolCalls == 2)
            let refusal = try #require(model.requests[1].messages.last?.content)
            #expect(refusal.contains("not grounded") && refusal.contains("colbert"), "\(refusal)")
            #expect(try service.context.store.quizItems().map(\.question) == ["Why does RAG make answers checkable?"])
        }
    }
}

@Suite("First-run setup in a chat")
struct PlacementChatTests {
    @Test("placement.check reads each answer as the chat's setup does, and says what is wrong with a bad one")
    func checkOneAnswer() async throws {
        try await TemporaryLearner.with { service, _ in
            let background = try Self.check(service, "background", "I'm a data scientist")
            let hours = try Self.check(service, "hours", "about 7.5 hours")
            let windows = try Self.check(service, "availability", "mon-fri 19:00-21:00 and sat 10:00-12:00")
            let zone = try Self.check(service, "timeZone", "Europe/Paris")
            let goal = try Self.check(service, "goal", "become an AI engineer", background: "beginner")
            #expect(background == "data-scientist" && hours == "7.5" && zone == "Europe/Paris" && goal == "become an AI engineer")
            #expect(windows == "mon-fri 19:00-21:00; sat 10:00-12:00")
            #expect(Self.problem(service, "background", "wizard")?.contains("say programmer, data scientist") == true)
            #expect(Self.problem(service, "hours", "lots")?.contains("a number of hours") == true)
            #expect(Self.problem(service, "hours", "200")?.contains("from 0.5 to 80") == true)
            #expect(Self.problem(service, "availability", "whenever")?.contains("no day with a time") == true)
            #expect(try Self.check(service, "availability", "weeknights after 8pm, sat 9-11") == "mon-fri 20:00-22:00; sat 09:00-11:00")
            #expect(Self.problem(service, "timeZone", "Mars/Olympus")?.contains("IANA name") == true)
            #expect(Self.problem(service, "goal", "mon-fri 19:00-21:00")?.contains("nothing in the roadmap matches") == true)
            #expect(Self.problem(service, "colour", "blue")?.contains("unknown field") == true)
            let profile = try service.context.store.profile()
            #expect(profile == nil, "checking saves nothing")
        }
    }

    private static func check(_ service: LearnerService, _ field: String, _ text: String, background: String? = nil) throws -> String {
        try service.placementCheck(PlacementCheckParams(field: field, text: text, background: background)).value
    }

    /// The message of the error `placement.check` gives, or nil when it takes the answer.
    private static func problem(_ service: LearnerService, _ field: String, _ text: String) -> String? {
        do {
            _ = try check(service, field, text)
            return nil
        } catch let error as AppError {
            return error.message
        } catch {
            return "\(error)"
        }
    }
}
