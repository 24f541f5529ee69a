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

/// A chat model that replays scripted completions, one per call, and records what it was sent.
final class ScriptedModel: ChatModel, @unchecked Sendable {
    let name = "scripted"
    private let lock = NSLock()
    private var script: [ChatCompletion]
    private(set) var requests: [ChatRequest] = []
    /// When the script runs out, repeat the last completion.
    init(_ script: [ChatCompletion]) { self.script = script }

    func contextWindow() async -> Int? { 8192 }

    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, any Error> {
        let completion: ChatCompletion = lock.withLock {
            requests.append(request)
            return script.count > 1 ? script.removeFirst() : script[0]
        }
        return AsyncThrowingStream { continuation in
            if let text = completion.message.content { continuation.yield(.text(text)) }
            continuation.yield(.completed(completion))
            continuation.finish()
        }
    }
}

/// An in-memory transcript.
actor MemoryTranscript: TranscriptStore {
    var stored: [String: [ChatMessage]] = [:]
    var summaries: [String: (text: String, covers: Int)] = [:]
    func summary(session: String) async throws -> (text: String, covers: Int)? { summaries[session] }
    func saveSummary(_ text: String, covers: Int, session: String) async throws { summaries[session] = (text, covers) }
    func messages(session: String) async throws -> [ChatMessage] { stored[session] ?? [] }
    func append(_ messages: [ChatMessage], session: String) async throws { stored[session, default: []] += messages }
}

actor EventLog {
    var events: [AgentEvent] = []
    func add(_ event: AgentEvent) { events.append(event) }
}

@Suite("Agent loop")
struct AgentLoopTests {
    private func toolCall(_ name: String, _ arguments: String, id: String = "call_1") -> ChatCompletion {
        ChatCompletion(
            message: .assistant(nil, toolCalls: [ToolCall(id: id, name: name, arguments: arguments)]), finishReason: .toolCalls, usage: nil)
    }

    @Test("a model that calls tools forever is stopped at the step limit, and the reply says so")
    func stepLimit() async throws {
        try await TemporaryLearner.with { service, _ in
            let model = ScriptedModel([toolCall(ToolName.forecast.rawValue, "{}")])
            let transcript = MemoryTranscript()
            let session = AgentSession(
                name: "s", model: model, tools: LearnerTools.registry(service), transcript: transcript, notices: .bundled
            ) { "system" }
            let events = EventLog()
            let turn = try await session.send("how long?") { await events.add($0) }
            #expect(turn.stoppedAtStepLimit)
            #expect(turn.steps == AgentLimits().maximumSteps)
            #expect(turn.reply.contains("stopped after 8 steps"))
            #expect(await events.events.contains { if case .notice = $0 { true } else { false } })
            #expect(model.requests.count == 8)
        }
    }

    @Test("tool errors go back to the model as tool messages, and the model's next answer ends the turn")
    func toolErrorsReachTheModel() async throws {
        try await TemporaryLearner.with { service, _ in
            let model = ScriptedModel([
                ChatCompletion(
                    message: .assistant(
                        nil,
                        toolCalls: [
                            ToolCall(id: "a", name: ToolName.logStudy.rawValue, arguments: #"{"minutes": -3}"#),
                            ToolCall(id: "b", name: "no_such_tool", arguments: "{}"),
                            ToolCall(id: "c", name: ToolName.forecast.rawValue, arguments: "{}"),
                        ]), finishReason: .toolCalls, usage: nil),
                ChatCompletion(
                    message: .assistant("Sorry, fixed."), finishReason: .stop, usage: Usage(promptTokens: 100, completionTokens: 5)),
            ])
            let transcript = MemoryTranscript()
            let session = AgentSession(
                name: "s", model: model, tools: LearnerTools.registry(service), transcript: transcript, notices: .bundled
            ) { "system" }
            let turn = try await session.send("log it") { _ in }
            #expect(turn.reply == "Sorry, fixed.")
            #expect(turn.toolCalls == 3)
            #expect(turn.usage == Usage(promptTokens: 100, completionTokens: 5))
            // The second request carried the three tool results, in call order, errors included.
            let second = try #require(model.requests.last)
            let toolMessages = second.messages.filter { $0.role == .tool }
            #expect(toolMessages.map(\.toolCallID) == ["a", "b", "c"])
            #expect(toolMessages[0].content?.contains("'minutes' must be at least 1") == true)
            #expect(toolMessages[1].content?.contains("there is no tool 'no_such_tool'") == true)
            #expect(toolMessages[2].content?.contains("milestones") == true)
            #expect(second.messages.first?.role == .system)
            // The transcript holds user, assistant (calls), three tool results and the answer.
            let stored = await transcript.stored["s"] ?? []
            #expect(stored.map(\.role) == [.user, .assistant, .tool, .tool, .tool, .assistant])
            #expect(try service.context.store.studyLog().isEmpty)
        }
    }
}

/// A model whose every stream fails before any text.
struct FailingModel: ChatModel {
    let name = "failing"
    func contextWindow() async -> Int? { 8192 }
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, any Error> {
        AsyncThrowingStream { $0.finish(throwing: LLMError(.connectionFailed, hint: "down")) }
    }
}

@Suite("Agent transcript writes and the prompt cache")
struct AgentTranscriptWriteTests {
    private func withService(_ body: (LearnerService) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-writes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        try await body(LearnerService(store: store, catalogue: try Catalogue.bundled()))
        try store.close()
    }

    @Test("a turn that fails before any step still keeps the learner's message")
    func failedTurnKeepsTheMessage() async throws {
        let transcript = MemoryTranscript()
        let session = AgentSession(name: "s", model: FailingModel(), tools: ToolRegistry(), transcript: transcript, notices: .bundled) {
            "system"
        }
        await #expect(throws: LLMError.self) { _ = try await session.send("are you there?") { _ in } }
        #expect(await transcript.stored["s"] == [.user("are you there?")])
    }

    @Test("the system prompt is rendered again once the learner's data changes")
    func promptFollowsTheData() async throws {
        try await withService { service in
            let cache = SystemPromptCache(service: service, library: .bundled)
            let before = cache.prompt(session: "s")
            #expect(cache.prompt(session: "s") == before)
            _ = try service.addGoal(GoalAddParams(text: "first-apps"))
            let after = cache.prompt(session: "s")
            #expect(after.state != before.state && after.instructions == before.instructions)
            #expect(after == ModelPrompts.system(service: service, session: "s"))
        }
    }
}
