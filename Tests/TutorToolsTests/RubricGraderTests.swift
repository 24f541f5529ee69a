import Foundation
import Testing
import TutorApp
import TutorCatalogue
import TutorLearning
import TutorModel
import TutorPrompts
import TutorStore

@Suite("Rubric grading with a model")
struct RubricGraderTests {
    static func reply(_ text: String) -> ChatCompletion {
        ChatCompletion(message: .assistant(text), finishReason: .stop, usage: nil)
    }

    @Test("the grade is read from the model's JSON, fenced or not; anything else does not parse")
    func parsing() {
        #expect(RubricGrader.parse(#"{"grade": "partly", "missing": ["bias"]}"#) == .init(verdict: .partly, missing: ["bias"]))
        #expect(RubricGrader.parse("```json\n{\"grade\": \"Incorrect\"}\n```")?.verdict == .incorrect)
        #expect(RubricGrader.parse(#"{"grade": "partial", "missing": []}"#)?.verdict == .partly)
        #expect(RubricGrader.parse("The answer is correct.") == nil)
        #expect(RubricGrader.parse(#"{"grade": "excellent"}"#) == nil)
        #expect(RubricGrader.parse(#"{"grade": "correct", "missing": [}"#) == nil)
    }

    @Test("the model may lower the offline grade, never raise it (or, by choice, raise incorrect to partly)")
    func bounds() {
        let right = AnswerCheck(verdict: .correct, coverage: 1, missing: [])
        let wrong = AnswerCheck(verdict: .incorrect, coverage: 0, missing: ["bias"])
        let lowered = RubricGrader.combine(offline: right, model: .init(verdict: .partly, missing: ["the bias"]))
        #expect(lowered.verdict == .partly && lowered.missing == ["the bias"])
        #expect(RubricGrader.combine(offline: wrong, model: .init(verdict: .correct, missing: [])) == wrong)
        #expect(
            RubricGrader.combine(offline: wrong, model: .init(verdict: .correct, missing: []), policy: .raiseToPartly).verdict == .partly)
        #expect(
            RubricGrader.combine(
                offline: AnswerCheck(verdict: .partly, coverage: 0.5, missing: []), model: .init(verdict: .correct, missing: [])
            )
            .verdict == .partly)
    }

    @Test("check_answer asks the model with the rubric and a schema, and falls back offline when its output does not parse")
    func checkAnswerThroughTheModel() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-rubric-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        let model = ScriptedModel([Self.reply(#"{"grade": "partly", "missing": ["add it to the prompt"]}"#), Self.reply("Great answer!")])
        let context = AppContext(store: store, catalogue: try Catalogue.bundled())
        let service = LearnerService(context: context, grader: RubricGrader(model: model, prompts: .bundled))
        let answer = "Retrieve relevant content, add it to the prompt, generate the answer."

        _ = try service.askQuestion(session: "s", skillId: "rag-basics")
        let lowered = try await service.checkAnswer(session: "s", answer: answer, reveal: false)
        #expect(lowered.verdict == "partly" && lowered.missingKeyTerms == ["add it to the prompt"])
        let request = try #require(model.requests.first)
        #expect(request.purpose == .grade && request.responseSchema?.contains("incorrect") == true && request.temperature == 0)
        let system = request.messages.first?.content ?? ""
        #expect(system.contains("What are the three steps of RAG?") && system.contains("Reference answer: " + answer))
        #expect(system.contains("- retrieve or search or fetch or find"), "\(system)")
        #expect(request.messages.last?.content == answer)

        // The same question again (a skip would move on to another one).
        _ = try store.clearExercise(session: "s")
        _ = try service.askQuestion(session: "s", skillId: "rag-basics")
        let offline = try await service.checkAnswer(session: "s", answer: answer, reveal: false)
        #expect(offline.verdict == "correct", "an answer that does not parse leaves the offline grade")
        #expect(model.requests.count == 2)
        try store.close()
    }
}
