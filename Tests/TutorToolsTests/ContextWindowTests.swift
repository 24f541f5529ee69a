import Foundation
import Testing
import TutorAgent
import TutorCatalogue
import TutorModel
import TutorStore
import TutorToolAdapters
import TutorTools

@testable import TutorApp

/// A model that answers every request with a fixed reply, and records the requests.
final class EchoModel: ChatModel, @unchecked Sendable {
    let name = "echo"
    private let lock = NSLock()
    private(set) var requests: [ChatRequest] = []
    var failFirstWithOverflow = false
    /// The prompt tokens the endpoint reports for each request, if any.
    var reportedPromptTokens: Int?

    /// What `discover()` answers, in turn (the last one repeats); none reads `contextWindow()`.
    var discoveries: [ModelDiscovery] = []

    func contextWindow() async -> Int? { nil }

    func discover() async -> ModelDiscovery {
        lock.withLock { discoveries.count > 1 ? discoveries.removeFirst() : discoveries.first } ?? ModelDiscovery(contextWindow: nil)
    }

    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, any Error> {
        let fail: Bool = lock.withLock {
            requests.append(request)
            defer { failFirstWithOverflow = false }
            return failFirstWithOverflow
        }
        return AsyncThrowingStream { continuation in
            if fail {
                continuation.finish(throwing: LLMError(.contextLengthExceeded, status: 400, hint: "shorten it"))
                return
            }
            let isSummary = request.purpose == .summary
            let text = isSummary ? "The learner talked about many things." : "Noted: " + String(repeating: "word ", count: 40)
            let usage = self.reportedPromptTokens.map { Usage(promptTokens: $0, completionTokens: 50) }
            continuation.yield(.completed(ChatCompletion(message: .assistant(text), finishReason: .stop, usage: usage)))
            continuation.finish()
        }
    }
}

@Suite("Context window")
struct ContextWindowTests {
    @Test("token estimates err on the safe side and calibrate towards what the endpoint reports")
    func estimator() {
        var estimator = TokenEstimator()
        let text = String(repeating: "abcd", count: 100)
        #expect(estimator.tokens(text) == 110)
        estimator.calibrate(characters: 400, reportedTokens: 200)
        #expect(estimator.charactersPerToken < 4)
        #expect(estimator.tokens(text) > 110)
        estimator.calibrate(characters: 400, reportedTokens: 0)
        let steady = estimator.charactersPerToken
        estimator.calibrate(characters: 10, reportedTokens: 10_000)
        #expect(estimator.charactersPerToken >= steady * 0.7, "one absurd report cannot derail the ratio")
    }

    @Test("the compaction boundary is always the start of a user turn, never inside a tool exchange")
    func boundary() {
        let history: [ChatMessage] = [
            .user("one"), .assistant(nil, toolCalls: [ToolCall(id: "a", name: ToolName.forecast.rawValue, arguments: "{}")]),
            .tool(callID: "a", content: String(repeating: "x", count: 400)), .assistant("answer one"),
            .user("two"), .assistant("answer two"),
            .user("three"), .assistant(nil, toolCalls: [ToolCall(id: "b", name: ToolName.forecast.rawValue, arguments: "{}")]),
            .tool(callID: "b", content: "{}"), .assistant("answer three"),
        ]
        let estimator = TokenEstimator()
        // The last two turns take about 43 tokens, the last one alone about 31.
        let two = ContextWindow.compactionBoundary(history, keepTokens: 60, estimator: estimator)
        #expect(two == 4, "keeps the two last turns: \(String(describing: two))")
        let one = ContextWindow.compactionBoundary(history, keepTokens: 35, estimator: estimator)
        #expect(one == 6, "keeps only the last turn: \(String(describing: one))")
        for boundary in [two, one].compactMap({ $0 }) { #expect(history[boundary].role == .user) }
        #expect(ContextWindow.compactionBoundary([.user("only")], keepTokens: 1, estimator: estimator) == nil)
    }

    @Test("a conversation far longer than the window keeps working: compactions are recorded and requests fit")
    func longConversation() async throws {
        let model = EchoModel()
        let transcript = MemoryTranscript()
        let session = AgentSession(
            name: "long", model: model, tools: ToolRegistry(), transcript: transcript, contextLimit: 1024, notices: .bundled
        ) {
            "You are a tutor."
        }
        let estimator = TokenEstimator()
        var compactions = 0
        for turn in 0..<40 {
            let events = EventLog()
            _ = try await session.send("Question \(turn): " + String(repeating: "tell me more ", count: 15)) { await events.add($0) }
            compactions += await events.events.filter { if case .compacted = $0 { true } else { false } }.count
        }
        #expect(compactions >= 3)
        // Every request that was not a summary fit inside the window less the answer reserve.
        let window = ContextWindow(limit: 1024)
        for request in model.requests where request.purpose != .summary {
            #expect(estimator.tokens(request.messages) <= window.limit - window.reservedForAnswer)
        }
        // The full transcript is kept, and the summary is stored with what it covers.
        let stored = await transcript.stored["long"] ?? []
        #expect(stored.count == 80)
        let summary = await transcript.summaries["long"]
        #expect(summary?.covers ?? 0 > 0)
        // The summary was asked for by the request's purpose; its instruction carries no marker.
        #expect(summary?.text == "The learner talked about many things.")
        let summaryRequests = model.requests.filter { $0.purpose == .summary }
        #expect(summaryRequests.count == compactions)
        #expect(summaryRequests.allSatisfy { $0.messages.first?.content?.hasPrefix("Summarise this conversation") == true })
        let report = try #require(await session.contextReport())
        #expect(report.compactions == compactions)
        #expect(report.limit == 1024)
        #expect(report.sections.map(\.name).contains("conversation"))
    }

    @Test("when the endpoint still reports an overflow, long tool results are shortened and the step retried once")
    func overflowRetry() async throws {
        let model = EchoModel()
        let transcript = MemoryTranscript()
        try await transcript.append([.user("x"), .tool(callID: "a", content: String(repeating: "y", count: 5000))], session: "o")
        let session = AgentSession(
            name: "o", model: model, tools: ToolRegistry(), transcript: transcript, contextLimit: 32_000, notices: .bundled
        ) { "s" }
        model.failFirstWithOverflow = true
        let events = EventLog()
        let turn = try await session.send("again") { await events.add($0) }
        #expect(turn.reply.hasPrefix("Noted"))
        #expect(model.requests.count == 2)
        let retried = try #require(model.requests.last?.messages.first { $0.role == .tool })
        #expect(retried.content?.contains("characters cut to fit the context window") == true)
        #expect(await notices(events) == [AgentNotices.bundled.overflowRetried])
    }

    @Test(
        "a window too small for the instructions and tool descriptions is said once, plainly, once the endpoint's count shows the schemas are in the prompt"
    )
    func smallWindowNotice() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-small-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        let service = LearnerService(store: store, catalogue: try Catalogue.bundled())
        let model = EchoModel()
        model.reportedPromptTokens = 2600
        let session = AgentSession(
            name: "small", model: model, tools: LearnerTools.registry(service), transcript: MemoryTranscript(), contextLimit: 1024,
            notices: .bundled
        ) { "system" }
        var notices: [[String]] = []
        for message in ["hello", "again", "and again"] {
            let log = EventLog()
            _ = try await session.send(message) { await log.add($0) }
            notices.append(await log.events.compactMap { if case .notice(let text) = $0 { text } else { nil } })
        }
        // Not before the first request: the schemas may not be in the prompt at all (SmolLM2's template).
        #expect(notices[0].isEmpty)
        #expect(notices[1].count == 1 && notices[1].first?.contains("1024 tokens") == true, "\(notices)")
        #expect(notices[2].isEmpty)
        try store.close()
    }

    @Test(
        "tool schemas a template leaves out of the prompt (SmolLM2's) stop counting against the window once the endpoint's token count shows it; rendered ones keep counting"
    )
    func schemasTheTemplateLeavesOut() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-rendered-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        defer { try? store.close() }
        let service = LearnerService(store: store, catalogue: try Catalogue.bundled())
        func schemaTokens(reported: Int) async throws -> (first: Int?, second: Int?) {
            let model = EchoModel()
            model.reportedPromptTokens = reported
            let session = AgentSession(
                name: "r\(reported)", model: model, tools: LearnerTools.registry(service), transcript: MemoryTranscript(),
                contextLimit: 8192, notices: .bundled
            ) { "system" }
            _ = try await session.send("hello") { _ in }
            let first = await session.contextReport()?.sections.first { $0.name == "tool schemas" }?.tokens
            _ = try await session.send("again") { _ in }
            return (first, await session.contextReport()?.sections.first { $0.name == "tool schemas" }?.tokens)
        }
        // The endpoint counted about the text alone: the schemas were not in the prompt.
        let leftOut = try await schemaTokens(reported: 30)
        #expect((leftOut.first ?? 0) > 1000, "counted until the endpoint says otherwise")
        #expect(leftOut.second == 0)
        // It counted text and schemas: they stay counted.
        let rendered = try await schemaTokens(reported: 2600)
        #expect((rendered.second ?? 0) > 1000)
    }

    func notices(_ log: EventLog) async -> [String] {
        await log.events.compactMap { if case .notice(let text) = $0 { text } else { nil } }
    }

    @Test("a window that came from the fallback while the endpoint was away is replaced by the endpoint's own once it is back")
    func windowRediscovered() async throws {
        let model = EchoModel()
        model.discoveries = [ModelDiscovery(contextWindow: nil, reached: false), ModelDiscovery(contextWindow: 1024)]
        let session = AgentSession(name: "w", model: model, tools: ToolRegistry(), transcript: MemoryTranscript(), notices: .bundled) {
            "s"
        }
        _ = try await session.send("hello") { _ in }
        #expect(await session.contextReport()?.limit == ContextWindow.defaultLimit)
        #expect(model.requests.last?.maxTokens == 1024)
        _ = try await session.send("again") { _ in }
        #expect(await session.contextReport()?.limit == 1024)
        #expect(model.requests.last?.maxTokens == 256, "a reply sized for the 1,024-token window")
    }

    @Test("an endpoint that does not list the configured model: the learner hears it once a session, a configured window or not")
    func unlistedModelNotice() async throws {
        let model = EchoModel()
        model.discoveries = [ModelDiscovery(contextWindow: nil, otherModels: ["qwen2.5:7b", "mistral"])]
        let session = AgentSession(
            name: "u", model: model, tools: ToolRegistry(), transcript: MemoryTranscript(), contextLimit: 8192, notices: .bundled
        ) { "s" }
        let first = EventLog(), second = EventLog()
        _ = try await session.send("hello") { await first.add($0) }
        _ = try await session.send("again") { await second.add($0) }
        let said = await notices(first)
        #expect(said.count == 1, "\(said)")
        #expect(said.first?.contains(#"does not list the model "echo" (it lists qwen2.5:7b, mistral)"#) == true, "\(said)")
        #expect(await notices(second).isEmpty)
    }

    @Test("a template that leaves the tools out: the learner hears once a session that the model cannot call them; rendered ones, never")
    func toolsNotRenderedNotice() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-no-tools-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        defer { try? store.close() }
        let service = LearnerService(store: store, catalogue: try Catalogue.bundled())
        func said(reported: Int) async throws -> (first: [String], second: [String]) {
            let model = EchoModel()
            model.reportedPromptTokens = reported
            let session = AgentSession(
                name: "t\(reported)", model: model, tools: LearnerTools.registry(service), transcript: MemoryTranscript(),
                contextLimit: 8192, notices: .bundled
            ) { "system" }
            let first = EventLog(), second = EventLog()
            _ = try await session.send("hello") { await first.add($0) }
            _ = try await session.send("again") { await second.add($0) }
            return (await notices(first), await notices(second))
        }
        let leftOut = try await said(reported: 30)
        #expect(leftOut.first == [AgentNotices.bundled.toolsNotRendered], "\(leftOut.first)")
        #expect(leftOut.first.first?.contains("cannot call the tutor's tools") == true)
        #expect(leftOut.second.isEmpty)
        let rendered = try await said(reported: 2600)
        #expect(rendered.first.isEmpty && rendered.second.isEmpty, "\(rendered)")
    }
}
