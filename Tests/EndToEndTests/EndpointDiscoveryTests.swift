import Foundation
import Testing
import TutorTesting

/// Servers without a model list and addresses that are wrong, through a real daemon and `tutor
/// chat`: the turn answers or fails with what to fix within a few seconds, the endpoint is asked a
/// bounded number of times, and `tutor stop` stops the daemon promptly afterwards. The table in
/// Docs/endpoint-faults.md lists the same cases.
@Suite("Endpoint discovery and wrong addresses", .serialized)
struct EndpointDiscoveryTests {
    static let ok = FakeReply.stream([.text("All good."), .finish("stop")])

    private func start(baseURL: String, environment: [String: String] = [:]) async throws -> TemporaryDaemon {
        try await TemporaryDaemon.start(
            extraEnvironment: [
                "TUTOR_LLM_BASE_URL": baseURL, "TUTOR_LLM_MODEL": "fake-model", "TUTOR_NOTIFY_DESKTOP": "false", "TUTOR_LOG_LEVEL": "debug",
            ].merging(environment) { $1 })
    }

    private func modelRequests(_ server: FakeOpenAIServer) -> Int {
        server.recordedRequests().filter { $0.path.hasSuffix("/models") }.count
    }

    /// `tutor stop`, which must succeed and leave no daemon behind within `bound`.
    private func stopPromptly(_ daemon: TemporaryDaemon, within bound: Duration = .seconds(10)) async throws {
        let started = ContinuousClock.now
        let stop = try await daemon.runCLI(["stop"], timeout: .seconds(20))
        #expect(stop.status == 0, "\(stop)")
        let (status, _) = try await daemon.stop(signal: 0, timeout: .seconds(10))
        #expect(status == 0, "\(daemon.log)")
        #expect(ContinuousClock.now - started < bound, "tutor stop took \(ContinuousClock.now - started)")
        #expect(!daemon.log.contains("Cancellation took longer than allowed"), "\(daemon.log)")
    }

    @Test("a gateway whose /v1/models answers 404: the chat answers, /models is asked once, the log says what to set")
    func modelListMissing() async throws {
        let server = try await FakeOpenAIServer.start()
        server.modelsStatus = 404
        let daemon = try await start(baseURL: server.baseURL)
        defer { daemon.removeFiles() }
        server.enqueue(Self.ok, Self.ok)
        for session in ["first", "second"] {
            let started = ContinuousClock.now
            let chat = try await daemon.runCLI(["chat", "--session", session, "-m", "hmm"], timeout: .seconds(30))
            #expect(chat.status == 0, "\(chat)")
            #expect(chat.stdout.contains("All good."), "\(chat)")
            #expect(ContinuousClock.now - started < .seconds(5), "the turn took \(ContinuousClock.now - started)")
        }
        // Two sessions, one lookup: the failure is cached per endpoint, not retried per turn.
        #expect(modelRequests(server) == 1, "\(server.recordedRequests().map(\.path))")
        let warnings = daemon.log.components(separatedBy: "\n").filter { $0.contains("Set TUTOR_LLM_CONTEXT_WINDOW") }
        #expect(warnings.count == 1, "\(daemon.log)")
        try await stopPromptly(daemon)
        try await server.shutdown()
    }

    @Test("a base URL ending in /api (the Ollama mistake) fails within seconds saying the base URL looks wrong; tutor stop is prompt")
    func ollamaNativeBaseURL() async throws {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await start(baseURL: "http://127.0.0.1:\(server.port)/api")
        defer { daemon.removeFiles() }
        let started = ContinuousClock.now
        let chat = try await daemon.runCLI(["chat", "-m", "hmm"], timeout: .seconds(30))
        #expect(ContinuousClock.now - started < .seconds(5), "the turn took \(ContinuousClock.now - started)")
        #expect(chat.status == 1, "\(chat)")
        #expect(chat.stderr.contains("base URL looks wrong") && chat.stderr.contains("/v1"), "\(chat)")
        // One lookup for the window and one to explain the chat's 404; no lookup explains a lookup.
        #expect(modelRequests(server) <= 2, "\(server.recordedRequests().map(\.path))")
        #expect(try await daemon.runCLI(["status"]).status == 0)
        try await stopPromptly(daemon)
        try await server.shutdown()
    }

    @Test("a turn in flight against a server without a model list does not hold up tutor stop beyond the grace period")
    func stopWithTurnInFlight() async throws {
        let server = try await FakeOpenAIServer.start()
        server.modelsStatus = 404
        let daemon = try await start(
            baseURL: server.baseURL, environment: ["TUTOR_SHUTDOWN_TIMEOUT": "1", "TUTOR_LLM_RESPONSE_TIMEOUT": "60"])
        defer { daemon.removeFiles() }
        server.enqueue(.stream([.text("late")], headDelay: .seconds(30)))
        let chat = Task { try await daemon.runCLI(["chat", "-m", "hmm"], timeout: .seconds(40)) }
        // Wait until the turn is past discovery and waiting on the model.
        let deadline = ContinuousClock.now + .seconds(10)
        while !server.recordedRequests().contains(where: { $0.path.hasSuffix("/chat/completions") }) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(modelRequests(server) == 1)
        // A 1 s grace period, then the turn is cancelled: well under the 30 s the model would take.
        try await stopPromptly(daemon, within: .seconds(5))
        #expect(try await chat.value.status != 0)
        try await server.shutdown()
    }

    @Test("a model name the server does not list: the log warns once, the chat says so once a session, on a line of its own")
    func unlistedModel() async throws {
        let server = try await FakeOpenAIServer.start(models: [.init(id: "qwen2.5:7b", contextLength: 8192)])
        let daemon = try await start(baseURL: server.baseURL)
        defer { daemon.removeFiles() }
        server.enqueue(Self.ok, Self.ok)
        let first = try await daemon.runCLI(["chat", "-m", "hmm"], timeout: .seconds(30))
        let second = try await daemon.runCLI(["chat", "-m", "hmm"], timeout: .seconds(30))
        #expect(first.status == 0 && second.status == 0, "\(first) \(second)")
        let notice = #"The server does not list the model "fake-model" (it lists qwen2.5:7b)"#
        let lines = first.stdout.components(separatedBy: "\n")
        #expect(lines.contains { $0.hasPrefix(notice) }, "a line of its own: \(first.stdout)")
        #expect(first.stdout.contains("All good."))
        #expect(!second.stdout.contains("does not list"), "once a session: \(second.stdout)")
        let warnings = daemon.log.components(separatedBy: "\n").filter { $0.contains("does not list the configured model") }
        #expect(warnings.count == 1, "\(daemon.log)")
        try await stopPromptly(daemon)
        try await server.shutdown()
    }

    @Test("a session first used while the server was down takes the server's window once it is back, not the 8,192 fallback")
    func windowRediscoveredWhenTheServerComesBack() async throws {
        let placeholder = try await FakeOpenAIServer.start()
        let port = placeholder.port
        try await placeholder.shutdown()
        let daemon = try await start(baseURL: "http://127.0.0.1:\(port)/v1")
        defer { daemon.removeFiles() }
        let down = try await daemon.runCLI(["chat", "-m", "hmm"], timeout: .seconds(30))
        #expect(down.status == 1, "\(down)")
        let server = try await FakeOpenAIServer.start(models: [.init(id: "fake-model", contextLength: 1024)], port: port)
        server.loopWhenExhausted([Self.ok])
        for _ in 0..<2 {
            let chat = try await daemon.runCLI(["chat", "-m", "hmm"], timeout: .seconds(30))
            #expect(chat.status == 0 && chat.stdout.contains("All good."), "\(chat)")
        }
        let limits = server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }.map { $0.json?["max_tokens"] as? Int }
        // The first answer came within seconds of the failed lookup, sized for the fallback (1,024 of
        // 8,192); its success sent the next turn to ask again: sized for the server's 1,024 tokens
        // (a reply's bound 256, a summary's no more).
        #expect(limits.count >= 2 && limits.dropFirst().allSatisfy { ($0 ?? .max) <= 256 }, "\(limits)")
        #expect(limits.last == 256, "\(limits)")
        try await stopPromptly(daemon)
        try await server.shutdown()
    }

    @Test(
        "a refused port or an unknown host fails within seconds, is not retried, and says what to check",
        arguments: [
            ("http://127.0.0.1:9/v1", "Nothing is listening at http://127.0.0.1:9/v1"),
            ("http://tutor-no-such-host.invalid:9/v1", "The host of http://tutor-no-such-host.invalid:9/v1 was not found (DNS)"),
        ])
    func wrongAddress(_ baseURL: String, hint: String) async throws {
        let daemon = try await start(baseURL: baseURL)
        defer { daemon.removeFiles() }
        let started = ContinuousClock.now
        let chat = try await daemon.runCLI(["chat", "-m", "hmm"], timeout: .seconds(60))
        #expect(ContinuousClock.now - started < .seconds(5), "the turn took \(ContinuousClock.now - started)")
        #expect(chat.status == 1, "\(chat)")
        #expect(chat.stderr.contains(hint), "\(chat)")
        #expect(daemon.log.contains("LLM request"), "the debug log shows the attempts: \(daemon.log)")
        #expect(!daemon.log.contains("will be retried"), "\(daemon.log)")
        try await stopPromptly(daemon)
    }
}
