import Foundation
import Testing
import TutorAgent
import TutorCatalogue
import TutorModel
import TutorOffline
import TutorStore
import TutorTesting
import TutorToolAdapters
import TutorTools
import TutorWire

@testable import TutorApp

@Suite("Offline model")
struct OfflineModelTests {
    @Test("the offline model turns phrases into the right tool calls")
    func offlineIntents() async throws {
        let model = OfflineModel(catalogue: try Catalogue.bundled())
        func firstCall(_ text: String) async throws -> ToolCall? {
            var result: ToolCall?
            for try await event in model.stream(ChatRequest(messages: [.system("s"), .user(text)])) {
                if case .completed(let completion) = event { result = completion.message.toolCalls?.first }
            }
            return result
        }
        #expect(try await firstCall("what should I study this week?")?.name == ToolName.weeklyPlan.rawValue)
        #expect(try await firstCall("how am I doing?")?.name == ToolName.progressSummary.rawValue)
        #expect(try await firstCall("how long until I'm an AI engineer at 15 hours a week?")?.arguments.contains("15") == true)
        #expect(try await firstCall("I want to become an AI engineer")?.name == ToolName.addGoal.rawValue)
        #expect(try await firstCall("done with task 12")?.arguments.contains("12") == true)
        #expect(try await firstCall("what is retrieval augmented generation?")?.name == ToolName.catalogueShow.rawValue)
        #expect(try await firstCall("quiz me")?.name == ToolName.askQuestion.rawValue)
        let log = try #require(try await firstCall("log 1.5 hours on python"))
        #expect(log.name == ToolName.logStudy.rawValue)
        #expect(log.arguments.contains("\"minutes\":90"))
        #expect(log.arguments.contains("python"))
        #expect(try await firstCall("xyzzy plugh") == nil)
        // Bare words are explained when they name a topic, not when they are small talk or only
        // share a word with some entry's description.
        #expect(try await firstCall("cosine similarity")?.name == ToolName.catalogueShow.rawValue)
        // What kind of help is wanted is left out of the search: the topic named is what is found.
        let hint = try #require(try await firstCall("give me a hint for the chunking exercise"))
        #expect(hint.name == ToolName.catalogueShow.rawValue && hint.arguments.contains("chunking"), "\(hint.arguments)")
        #expect(try await firstCall("ok, what now?")?.name == ToolName.listTasks.rawValue)
        for reply in ["no idea", "sounds good", "ok", "thanks!"] { #expect(try await firstCall(reply) == nil, "\(reply)") }
    }

    @Test("the offline model summarises when the request's purpose says so, whatever the system prompt holds")
    func offlineSummaryByPurpose() async throws {
        let model = OfflineModel(catalogue: try Catalogue.bundled())
        let transcript = "user: how do I chunk my notes?\nassistant: by headings"
        let messages: [ChatMessage] = [.system("Summarise this conversation."), .user(transcript)]
        let summary = try await model.completeText(ChatRequest(messages: messages, purpose: .summary))
        #expect(summary == "Earlier the learner asked: \"how do I chunk my notes?\".")
        // The same words as a chat step are a message to answer, not a transcript to summarise.
        let reply = try await model.completeText(ChatRequest(messages: messages))
        #expect(!reply.contains("Earlier the learner asked"))
        #expect(!model.writesFreeText)
    }

    @Test("a whole offline conversation runs through the real agent loop and tools")
    func offlineConversation() async throws {
        try await TemporaryLearner.with { service, _ in
            _ = try service.setProfile(
                ProfileSetParams(
                    background: "programmer", hoursPerWeek: 10, availability: ["mon-fri 19:00-21:00"], timeZone: "Europe/Paris"))
            let session = AgentSession(
                name: "s", model: OfflineModel(catalogue: service.context.catalogue), tools: LearnerTools.registry(service),
                transcript: StoreTranscript(store: service.context.store), notices: .bundled
            ) { ModelPrompts.system(service: service, session: "s") }
            let goal = try await session.send("I want to become an AI engineer") { _ in }
            #expect(goal.reply.contains("new tasks"))
            let plan = try await session.send("what should I study this week?") { _ in }
            #expect(plan.reply.contains("sessions"), "\(plan.reply)")
            let explain = try await session.send("explain vector databases") { _ in }
            #expect(explain.steps == 3, "the entry found and shown, a check question, the answer")
            #expect(explain.reply.contains("skill"))
            #expect(explain.reply.contains("Check before moving on"), "\(explain.reply)")
            let stored = try service.context.store.messages(conversation: "s")
            #expect(stored.count >= 9)
        }
    }
}
