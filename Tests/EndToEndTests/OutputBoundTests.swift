import Foundation
import Testing
import TutorStore
import TutorTesting

/// Every chat request the daemon sends bounds its answer (`max_tokens`), by purpose: a reply by the
/// room the context budget keeps for it (or `llm.max_output_tokens`), a summary by its word budget;
/// and a summary that comes back longer than its budget is not stored whole.
@Suite("Output bounds", .serialized)
struct OutputBoundTests {
    private func start(_ server: FakeOpenAIServer, _ environment: [String: String] = [:]) async throws -> TemporaryDaemon {
        try await TemporaryDaemon.start(
            extraEnvironment: ["TUTOR_LLM_BASE_URL": server.baseURL, "TUTOR_LLM_MODEL": "fake-model", "TUTOR_NOTIFY_DESKTOP": "false"]
                .merging(environment) { $1 })
    }

    private func chatRequests(_ server: FakeOpenAIServer) -> [[String: Any]] {
        server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }.compactMap(\.json)
    }

    private func isSummary(_ request: [String: Any]) -> Bool {
        let messages = request["messages"] as? [[String: Any]] ?? []
        return request["tools"] == nil && (messages.first?["content"] as? String)?.hasPrefix("Summarise this conversation") == true
    }

    @Test(
        "a reply's max_tokens is the room the window keeps for the answer, or the configured bound within half the window",
        arguments: [(nil, 1024), ("300", 300), ("100000", 4096)] as [(String?, Int)])
    func replyBound(configured: String?, expected: Int) async throws {
        // The fake endpoint reports an 8,192-token window: an eighth of it is 1,024.
        let server = try await FakeOpenAIServer.start()
        let daemon = try await start(server, configured.map { ["TUTOR_LLM_MAX_OUTPUT_TOKENS": $0] } ?? [:])
        defer { daemon.removeFiles() }
        server.enqueue(.stream([.text("Hello."), .finish("stop")]))
        let chat = try await daemon.runCLI(["chat", "-m", "hmm"])
        #expect(chat.status == 0, "\(chat.stderr)")
        let requests = chatRequests(server)
        #expect(requests.count == 1)
        #expect(requests.allSatisfy { ($0["max_tokens"] as? Int) == expected }, "\(requests.map { $0["max_tokens"] ?? "none" })")
        try await daemon.stop()
        try await server.shutdown()
    }

    @Test("a compaction's summary request is bounded to its word budget, and an over-long summary is cut before it is stored")
    func summaryBound() async throws {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await start(server, ["TUTOR_LLM_CONTEXT_WINDOW": "4096"])
        defer { daemon.removeFiles() }
        // A long first answer fills the window, so the second turn summarises it first.
        let long = String(repeating: "Retrieval-augmented generation grounds answers in retrieved passages. ", count: 120)
        let rambling = (1...1500).map { "w\($0)" }.joined(separator: " ")
        server.enqueue(
            .stream([.text(long), .finish("stop")]),
            .stream([.text(rambling), .finish("stop")]),
            .stream([.text("Embeddings map text to vectors."), .finish("stop")]))
        // Messages the tutor does not recognise: the model answers them alone.
        let first = try await daemon.runCLI(["chat", "-m", "tell me everything"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try await daemon.runCLI(["chat", "--tools", "-m", "and more?"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("[summarised "), "the second turn compacts the first: \(second.stderr)")
        let requests = chatRequests(server)
        let summaries = requests.filter(isSummary)
        let replies = requests.filter { !isSummary($0) }
        #expect(summaries.count == 1)
        #expect(summaries.allSatisfy { ($0["max_tokens"] as? Int) == 300 }, "\(summaries.map { $0["max_tokens"] ?? "none" })")
        // 4,096 / 8: the room the budget keeps for a reply.
        #expect(replies.count == 2)
        #expect(replies.allSatisfy { ($0["max_tokens"] as? Int) == 512 }, "\(replies.map { $0["max_tokens"] ?? "none" })")
        try await daemon.stop()
        let store = try Store(path: daemon.dataDirectory + "/tutor.sqlite")
        defer { try? store.close() }
        // Stored as {"text": …, "covers": …}.
        let stored = try #require(try store.conversationSummary("default"))
        let object = try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: Any]
        let summary = try #require(object?["text"] as? String)
        let words = summary.split(whereSeparator: \.isWhitespace)
        #expect(words.count <= 201, "the stored summary has \(words.count) words")
        #expect(summary.hasPrefix("w1 w2 ") && summary.hasSuffix(" w200 …"), "\(summary.prefix(80)) … \(summary.suffix(40))")
        try await server.shutdown()
    }
}
