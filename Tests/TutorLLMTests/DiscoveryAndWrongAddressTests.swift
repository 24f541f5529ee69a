import AsyncHTTPClient
import Testing
import TutorLLM
import TutorModel
import TutorTesting

/// A server without a model list, and addresses that are simply wrong: each is asked a bounded
/// number of times and ends in an error that says what to fix, within a few seconds.
@Suite("Context-window discovery and wrong addresses", .timeLimit(.minutes(1)))
struct DiscoveryAndWrongAddressTests {
    private let hello = ChatRequest(messages: [.user("hello")])

    private func modelRequests(_ server: FakeOpenAIServer) -> Int {
        server.recordedRequests().filter { $0.path.hasSuffix("/models") }.count
    }

    private func retries(_ logs: CapturedLogs) -> Int {
        logs.all.filter { $0.contains("LLM request will be retried") }.count
    }

    @Test("a /models that answers 404 is asked once, the failure is cached and logged once with what to set")
    func modelListMissing() async throws {
        try await withFakeEndpoint { server, client in
            server.modelsStatus = 404
            let logs = CapturedLogs()
            let model = OpenAICompatibleModel(
                configuration: testConfiguration(baseURL: server.baseURL), httpClient: client, logger: logs.logger())
            let start = ContinuousClock.now
            for _ in 0..<5 { #expect(await model.contextWindow() == nil) }
            // No retry of a 404: one request, whatever the load (a generous bound, not a speed test).
            #expect(ContinuousClock.now - start < .seconds(10))
            #expect(modelRequests(server) == 1)
            let warnings = logs.all.filter { $0.hasPrefix("warning") && $0.contains("TUTOR_LLM_CONTEXT_WINDOW") }
            #expect(warnings.count == 1, "\(logs.all)")
            #expect(warnings.first?.contains("has no model list") == true, "\(warnings)")
        }
    }

    @Test("a failed discovery is tried again once its interval has passed, and then finds the window")
    func discoveryRetriedAfterInterval() async throws {
        try await withFakeEndpoint { server, client in
            server.modelsStatus = 404
            let model = OpenAICompatibleModel(
                configuration: testConfiguration(baseURL: server.baseURL), httpClient: client, logger: CapturedLogs().logger(),
                discoveryRetryInterval: .milliseconds(200))
            #expect(await model.contextWindow() == nil)
            server.modelsStatus = 200
            #expect(await model.contextWindow() == nil)
            #expect(modelRequests(server) == 1)
            try await Task.sleep(for: .milliseconds(300))
            #expect(await model.contextWindow() == 8192)
            #expect(modelRequests(server) == 2)
        }
    }

    @Test("a model the endpoint does not list is discovered with the names it does list, and logged once; a listed one is not")
    func unlistedModel() async throws {
        try await withFakeEndpoint(models: [.init(id: "qwen2.5:7b", contextLength: 4096), .init(id: "mistral")]) { server, client in
            let logs = CapturedLogs()
            let model = OpenAICompatibleModel(
                configuration: testConfiguration(baseURL: server.baseURL, model: "llama3"), httpClient: client, logger: logs.logger())
            for _ in 0..<3 {
                let found = await model.discover()
                #expect(found.otherModels == ["qwen2.5:7b", "mistral"])
                #expect(found.reached)
            }
            let warnings = logs.all.filter { $0.hasPrefix("warning") && $0.contains("does not list the configured model") }
            #expect(warnings.count == 1, "\(logs.all)")
            #expect(warnings.first?.contains("qwen2.5:7b, mistral") == true, "\(warnings)")

            let listed = OpenAICompatibleModel(
                configuration: testConfiguration(baseURL: server.baseURL, model: "mistral"), httpClient: client, logger: logs.logger())
            #expect(await listed.discover().otherModels.isEmpty)
        }
    }

    @Test("a lookup that failed because nothing was listening is tried again once a chat request succeeds: the window is found")
    func discoveryAfterTheEndpointComesBack() async throws {
        let placeholder = try await FakeOpenAIServer.start()
        let port = placeholder.port
        try await placeholder.shutdown()
        try await withFakeEndpoint { _, client in
            let model = OpenAICompatibleModel(
                configuration: testConfiguration(baseURL: "http://127.0.0.1:\(port)/v1"), httpClient: client,
                logger: CapturedLogs().logger())
            let away = await model.discover()
            #expect(!away.reached && away.contextWindow == nil)
            let server = try await FakeOpenAIServer.start(models: [.init(id: "fake-model", contextLength: 1024)], port: port)
            server.enqueue(.stream([.text("back"), .finish("stop")]))
            #expect(await collect(model.stream(hello)).error == nil)
            // Well inside the few seconds a failed lookup is otherwise remembered.
            let back = await model.discover()
            #expect(back.reached)
            #expect(back.contextWindow == 1024)
            try await server.shutdown()
        }
    }

    @Test("a base URL ending in /api (Ollama's native API) fails fast, saying the base URL looks wrong")
    func ollamaNativeBaseURL() async throws {
        try await withFakeEndpoint { server, client in
            let base = "http://127.0.0.1:\(server.port)/api"
            let model = OpenAICompatibleModel(
                configuration: testConfiguration(baseURL: base), httpClient: client, logger: CapturedLogs().logger())
            let start = ContinuousClock.now
            #expect(await model.contextWindow() == nil)
            let (_, error) = await collect(model.stream(hello))
            #expect(ContinuousClock.now - start < .seconds(10))
            let llmError = try #require(error as? LLMError)
            #expect(llmError.hint.contains("base URL looks wrong"), "\(llmError)")
            #expect(llmError.hint.contains("/v1"), "\(llmError)")
            // One lookup for the window, one to explain the chat's 404: never a lookup to explain a lookup.
            #expect(modelRequests(server) == 2)
        }
    }

    /// An address that is wrong in a way no retry fixes, and what the error must say about it.
    enum WrongAddress: String, CaseIterable, Sendable {
        case refused = "nothing listening"
        case unknownHost = "unknown host"
        case tlsAgainstPlainHTTP = "https against a plain HTTP server"

        /// The base URL; `port` is the fake server's, which speaks plain HTTP.
        func baseURL(port: Int) -> String {
            switch self {
            case .refused: "http://127.0.0.1:9"  // port 9 (discard) is not served on loopback here
            case .unknownHost: "http://tutor-no-such-host.invalid:9/v1"
            case .tlsAgainstPlainHTTP: "https://127.0.0.1:\(port)/v1"
            }
        }

        var hint: String {
            switch self {
            case .refused: "Nothing is listening at http://127.0.0.1:9/v1 (connection refused)"
            case .unknownHost: "The host of http://tutor-no-such-host.invalid:9/v1 was not found (DNS)"
            case .tlsAgainstPlainHTTP: "must start with http://, not https://"
            }
        }
    }

    @Test("a wrong address fails at once, is not retried, and says what to check", arguments: WrongAddress.allCases)
    func wrongAddress(_ address: WrongAddress) async throws {
        // A long connect timeout: a client that retried connecting (as the pool did) would spend all of it.
        try await withFakeEndpoint(connectTimeout: .seconds(10)) { server, client in
            let logs = CapturedLogs()
            let model = OpenAICompatibleModel(
                configuration: testConfiguration(baseURL: address.baseURL(port: server.port), connect: .seconds(10)), httpClient: client,
                logger: logs.logger())
            let start = ContinuousClock.now
            let (_, error) = await collect(model.stream(hello))
            #expect(
                ContinuousClock.now - start < .seconds(10),
                "\(address): fails at once, not after retries (it took 41 s before); 10 s leaves a loaded machine room")
            let llmError = try #require(error as? LLMError)
            #expect(llmError.code == .connectionFailed)
            #expect(llmError.hint.contains(address.hint), "\(llmError)")
            #expect(retries(logs) == 0, "\(logs.all)")
        }
    }
}
