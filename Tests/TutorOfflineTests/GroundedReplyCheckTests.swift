import Foundation
import Testing
import TutorAgent
import TutorCatalogue
import TutorModel
import TutorOffline
import TutorTesting
import TutorToolAdapters

/// The reply check of a grounded turn, on real tool results: what a small model said that does not
/// say what the tools returned gives way to the tutor's own words.
@Suite("Grounded reply check")
struct GroundedReplyCheckTests {
    /// A turn the tutor grounded with `calls` (run through the real tools), as the check sees it.
    private func turn(_ calls: [(ToolName, String)], registry: ToolRegistry) async -> [ChatMessage] {
        var messages: [ChatMessage] = [.user("go")]
        for (index, (tool, arguments)) in calls.enumerated() {
            let id = "t\(index)"
            messages.append(.assistant(nil, toolCalls: [ToolCall(id: id, name: tool.rawValue, arguments: arguments)]))
            messages.append(.tool(callID: id, content: await registry.call(tool.rawValue, arguments: arguments).content))
        }
        return messages
    }

    @Test("a hint or a verdict that says something else is replaced; one that says what the tutor found stands")
    func wordedResults() async throws {
        try await TemporaryLearner.with(.studyingRAG) { service, _ in
            let registry = LearnerTools.registry(service)
            let check = GroundedReplyCheck(offline: OfflineModel(catalogue: try Catalogue.bundled()))
            _ = await registry.call(ToolName.askQuestion.rawValue, arguments: #"{"skill_id": "rag-basics"}"#)
            let hint = await turn([(.giveHint, "{}")], registry: registry)
            let own = check.ownAnswer(turn: hint)
            // SmolLM2's "hint", word for word.
            let nonsense =
                "This question is about a question of order. If you answer it incorrectly, you are not allowed to provide a second answer."
            #expect(check.review(nonsense, turn: hint) == own)
            #expect(check.review(own, turn: hint) == nil, "the tutor's own hint passes")

            let verdict = await turn([(.checkAnswer, #"{"answer": "no idea", "reveal": true}"#)], registry: registry)
            #expect(check.review("You may choose to record the answer and your review is excellent.", turn: verdict) != nil)
            let said = check.ownAnswer(turn: verdict)
            #expect(check.review(said, turn: verdict) == nil)
        }
    }

    @Test("a log recorded is said in the tutor's words: a reply about something else that happens to hold the figure is replaced")
    func logSaidAsLogged() async throws {
        try await TemporaryLearner.with(.studyingRAG) { service, _ in
            let registry = LearnerTools.registry(service)
            let check = GroundedReplyCheck(offline: OfflineModel(catalogue: try Catalogue.bundled()))
            let logged = await turn([(.logStudy, #"{"minutes": 120, "skill": "python-fundamentals"}"#)], registry: registry)
            let own = check.ownAnswer(turn: logged)
            // SmolLM2's reply to "log 2 hours on python", with the week's 120 minutes in it.
            let lesson =
                "You've just added a new item to the dictionary using the add_dict() function. So, we have a list of dictionaries, where each dictionary has a weekMinutes key and a value of 120."
            #expect(check.review(lesson, turn: logged) == own)
            #expect(check.review(own, turn: logged) == nil, "the tutor's own words pass")
        }
    }

    @Test("a duration is held to its unit: the forecast's '10 months' does not let '10 weeks' through")
    func durationsKeepTheirUnit() async throws {
        try await TemporaryLearner.with(.studyingRAG) { service, _ in
            let registry = LearnerTools.registry(service)
            let check = GroundedReplyCheck(offline: OfflineModel(catalogue: try Catalogue.bundled()))
            let forecast = await turn([(.forecast, "{}")], registry: registry)
            let own = check.ownAnswer(turn: forecast)
            let months = try #require(own.firstMatch(of: /(\d+) months/).map { String($0.output.1) })
            // SmolLM2's reply in a CI run, with the forecast's own number in it.
            #expect(check.review("You can build RAG apps in \(months) weeks with a 7-day workweek.", turn: forecast) == own)
            #expect(check.review("Expect about \(months) months at your pace.", turn: forecast) == nil)
            // SmolLM2's whole answer to "what if I did 15 hours?": a figure echoed, no range.
            let hours = await turn([(.forecast, "{\"hours_per_week\": 15}")], registry: registry)
            #expect(check.review("The user provided a list of 15 hours.", turn: hours) == check.ownAnswer(turn: hours))
        }
    }
}
