import AsyncHTTPClient
import Logging
import Testing
import TutorLLM
import TutorModel
import TutorTesting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("OpenAICompatibleModel against FakeOpenAIServer")
struct OpenAICompatibleModelTests {
    private let hello = ChatRequest(messages: [.user("hello")])

    private func model(
        _ server: FakeOpenAIServer, _ client: HTTPClient, _ configuration: OpenAICompatibleConfiguration? = nil,
        logs: CapturedLogs = CapturedLogs()
    ) -> OpenAICompatibleModel {
        OpenAICompatibleModel(
            configuration: configuration ?? testConfiguration(baseURL: server.baseURL), httpClient: client, logger: logs.logger())
    }

    private func chatRequests(_ server: FakeOpenAIServer) -> [FakeRecordedRequest] {
        server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }
    }

    @Test func textStreamWithUsage() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([.text("Hel"), .text("lo"), .finish("stop"), .usage(prompt: 7, completion: 2, emptyChoices: true)]))
            let (events, error) = await collect(model(server, client).stream(hello))
            #expect(error == nil)
            #expect(
                events == [
                    .text("Hel"), .text("lo"),
                    .completed(
                        ChatCompletion(
                            message: .assistant("Hello"), finishReason: .stop, usage: Usage(promptTokens: 7, completionTokens: 2))),
                ])
            let request = try #require(chatRequests(server).first)
            #expect(request.method == "POST")
            #expect(request.path == "/v1/chat/completions")
            #expect(request.header("Accept") == "text/event-stream")
            #expect(request.json?["stream"] as? Bool == true)
            #expect((request.json?["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
            #expect(request.json?["model"] as? String == "fake-model")
        }
    }

    @Test func usageWithNonEmptyChoices() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([.text("x"), .finish("length"), .usage(prompt: 1, completion: 1, emptyChoices: false)]))
            let (events, _) = await collect(model(server, client).stream(hello))
            guard case .completed(let completion) = events.last else {
                Issue.record("no completion")
                return
            }
            #expect(completion.finishReason == .length)
            #expect(completion.usage == Usage(promptTokens: 1, completionTokens: 1))
        }
    }

    @Test("CRLF, split writes and multi-line data decode the same")
    func awkwardFraming() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(
                .stream(
                    [.comment("keep-alive"), .text("a\u{E9}\u{1F600}"), .text("b"), .finish("stop")], crlf: true, splitWrites: true,
                    multilineData: true)
            )
            let (events, error) = await collect(model(server, client).stream(hello))
            #expect(error == nil)
            #expect(events.prefix(2) == [.text("a\u{E9}\u{1F600}"), .text("b")])
            #expect(events.count == 3)
        }
    }

    @Test func toolCallsSplitAcrossChunks() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(
                .stream(
                    [
                        .toolCall(index: 0, id: "call_a", name: "lookup", arguments: ""),
                        .toolCall(index: 0, id: nil, name: nil, arguments: "{\"term\":"),
                        .toolCall(index: 1, id: "call_b", name: "schedule", arguments: "{}"),
                        .toolCall(index: 0, id: nil, name: nil, arguments: "\"actor\"}"),
                        .finish("tool_calls"),
                    ],
                    splitWrites: true
                )
            )
            let (events, error) = await collect(model(server, client).stream(hello))
            #expect(error == nil)
            #expect(events.prefix(2) == [.toolCallStarted(id: "call_a", name: "lookup"), .toolCallStarted(id: "call_b", name: "schedule")])
            guard case .completed(let completion) = events.last else {
                Issue.record("no completion")
                return
            }
            #expect(completion.finishReason == .toolCalls)
            #expect(completion.message.role == .assistant)
            #expect(completion.message.content == nil)
            #expect(
                completion.message.toolCalls == [
                    ToolCall(id: "call_a", name: "lookup", arguments: #"{"term":"actor"}"#),
                    ToolCall(id: "call_b", name: "schedule", arguments: "{}"),
                ])
        }
    }

    /// The agent benchmark subtracts these times: each chat completion on a kept-alive connection
    /// gets its own, in order, with a request to another route in between.
    @Test func endpointTimesPairEachRequestWithItsOwnArrival() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(
                .stream([.text("slow"), .finish("stop")], headDelay: .milliseconds(80)), .stream([.text("fast"), .finish("stop")]))
            let model = model(server, client)
            #expect(await collect(model.stream(hello)).error == nil)
            _ = try await model.listModels()
            #expect(await collect(model.stream(hello)).error == nil)
            // The endpoint records a request just after its last byte is out: give it a moment (5 s on a loaded machine).
            for _ in 0..<500 where server.chatServiceTimes.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
            let times = server.chatServiceTimes
            #expect(times.count == 2)
            // The slow reply kept its own arrival (a later one would make it shorter than its delay).
            #expect(times.first.map { $0 >= .milliseconds(80) } == true, "\(times)")
        }
    }

    @Test func slowFirstByteWithinTheDeadline() async throws {
        try await withFakeEndpoint { server, client in
            // The stall timeout is shorter than the wait for the head, which it must not count; it
            // still leaves a loaded machine three seconds to deliver the body once the head is in (one
            // second was not always enough while CI builds ran beside the tests).
            server.enqueue(.stream([.text("late"), .finish("stop")], headDelay: .milliseconds(4000)))
            let configuration = testConfiguration(baseURL: server.baseURL, responseHead: .seconds(10), stall: .seconds(3))
            let (events, error) = await collect(model(server, client, configuration).stream(hello))
            #expect(error == nil)
            #expect(events.first == .text("late"))
        }
    }

    @Test func responseHeadDeadline() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([.text("too late")], headDelay: .seconds(12)))
            let configuration = testConfiguration(baseURL: server.baseURL, responseHead: .milliseconds(300), retry: .none)
            let start = ContinuousClock.now
            let (_, error) = await collect(model(server, client, configuration).stream(hello))
            #expect((error as? LLMError)?.code == .timedOut)
            // The 0.3 s deadline, not the 12 s head delay, ended it (with room for a loaded CI machine).
            #expect(ContinuousClock.now - start < .seconds(9), "before the 12 s head delay")
        }
    }

    @Test func stallEndsInTimedOut() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([.text("partial")], end: .stall(.seconds(10))))
            let configuration = testConfiguration(baseURL: server.baseURL, stall: .milliseconds(400))
            let start = ContinuousClock.now
            let (events, error) = await collect(model(server, client, configuration).stream(hello))
            let llmError = try #require(error as? LLMError)
            #expect(llmError.code == .timedOut)
            #expect(llmError.hint.contains("stalled"))
            #expect(events == [.text("partial")])
            #expect(ContinuousClock.now - start < .seconds(8), "the stall timer, not the 10 s stall, ended it")
            #expect(chatRequests(server).count == 1)  // never retried after text
        }
    }

    /// llama.cpp sends its head at once, then reads the prompt, sending an SSE comment every 30 s
    /// (as long as the default stall timeout): the wait for the first token is the first-token
    /// timeout's, not the stall timer's. Scaled down: comments 1.2 s apart against a 0.8 s stall.
    @Test func firstTokenAfterHeartbeatsSlowerThanTheStallIsWaitedFor() async throws {
        try await withFakeEndpoint { server, client in
            let answer = #"{"choices":[{"index":0,"delta":{"role":"assistant","content":"Ready."},"finish_reason":"stop"}]}"#
            server.enqueue(
                .stream(
                    [.comment("keep-alive"), .comment("keep-alive"), .comment("keep-alive"), .raw(answer)],
                    chunkDelay: .milliseconds(1200)))
            let configuration = testConfiguration(
                baseURL: server.baseURL, firstToken: .seconds(20), stall: .milliseconds(800), retry: .none)
            let (events, error) = await collect(model(server, client, configuration).stream(hello))
            #expect(error == nil, "\(String(describing: error))")
            #expect(events.first == .text("Ready."))
        }
    }

    @Test func aStreamThatSendsNothingTimesOutAtTheFirstTokenDeadline() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([], end: .stall(.seconds(20))))
            let configuration = testConfiguration(
                baseURL: server.baseURL, firstToken: .milliseconds(1500), stall: .milliseconds(300), retry: .none)
            let start = ContinuousClock.now
            let (events, error) = await collect(model(server, client, configuration).stream(hello))
            let llmError = try #require(error as? LLMError)
            #expect(llmError.code == .timedOut)
            #expect(llmError.hint.contains("TUTOR_LLM_FIRST_TOKEN_TIMEOUT"), "\(llmError.hint)")
            #expect(events.isEmpty)
            let waited = ContinuousClock.now - start
            #expect(waited >= .milliseconds(1400), "the 1.5 s first-token deadline, not the 0.3 s stall: \(waited)")
            #expect(waited < .seconds(15), "before the 20 s stall ends")
        }
    }

    @Test func heartbeatsDoNotExtendTheFirstTokenDeadline() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(
                .stream(Array(repeating: .comment("keep-alive"), count: 40) + [.text("late")], chunkDelay: .milliseconds(300)))
            let configuration = testConfiguration(
                baseURL: server.baseURL, firstToken: .milliseconds(1500), stall: .seconds(1), retry: .none)
            let start = ContinuousClock.now
            let (_, error) = await collect(model(server, client, configuration).stream(hello))
            #expect((error as? LLMError)?.hint.contains("TUTOR_LLM_FIRST_TOKEN_TIMEOUT") == true, "\(String(describing: error))")
            #expect(ContinuousClock.now - start < .seconds(9), "not after the 12 s of heartbeats")
        }
    }

    @Test func rateLimitedHonoursRetryAfter() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.rateLimited(retryAfterSeconds: 1), .stream([.text("ok"), .finish("stop")]))
            let start = ContinuousClock.now
            let (events, error) = await collect(model(server, client).stream(hello))
            let elapsed = ContinuousClock.now - start
            #expect(error == nil)
            #expect(events.first == .text("ok"))
            #expect(elapsed >= .milliseconds(950))
            #expect(elapsed < .seconds(10))
            #expect(chatRequests(server).count == 2)
        }
    }

    @Test func rateLimitedOutOfRetries() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.rateLimited(retryAfterSeconds: nil), .rateLimited(retryAfterSeconds: nil))
            let configuration = testConfiguration(
                baseURL: server.baseURL, retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10), maxDelay: .milliseconds(20)))
            let (_, error) = await collect(model(server, client, configuration).stream(hello))
            let llmError = try #require(error as? LLMError)
            #expect(llmError.code == .rateLimited)
            #expect(llmError.status == 429)
            #expect(chatRequests(server).count == 2)
        }
    }

    @Test func retryAfterBeyondTheTotalBudgetIsNotAwaited() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.rateLimited(retryAfterSeconds: 30))
            let configuration = testConfiguration(
                baseURL: server.baseURL, retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxTotalTime: .seconds(2)))
            let start = ContinuousClock.now
            let (_, error) = await collect(model(server, client, configuration).stream(hello))
            #expect((error as? LLMError)?.code == .rateLimited)
            #expect((error as? LLMError)?.hint.contains("30 s") == true)
            // Failing at once, not after the 30 s the server asked for (generous: CI machines are busy).
            #expect(ContinuousClock.now - start < .seconds(10))
        }
    }

    @Test func serverErrorsRetriedThenSuccess() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.serverError(status: 500), .serverError(status: 503), .stream([.text("fine"), .finish("stop")]))
            let (events, error) = await collect(model(server, client).stream(hello))
            #expect(error == nil)
            #expect(events.first == .text("fine"))
            #expect(chatRequests(server).count == 3)
        }
    }

    @Test func serverErrorOutOfRetriesKeepsTheMessage() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.serverError(status: 503), .serverError(status: 503), .serverError(status: 503))
            let (_, error) = await collect(model(server, client).stream(hello))
            let llmError = try #require(error as? LLMError)
            #expect(llmError.code == .httpError)
            #expect(llmError.status == 503)
            #expect(llmError.serverMessage?.contains("overloaded") == true)
        }
    }

    @Test func droppedConnectionBeforeFirstByteIsRetried() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.dropConnection, .stream([.text("second try"), .finish("stop")]))
            let (events, error) = await collect(model(server, client).stream(hello))
            #expect(error == nil)
            #expect(events.first == .text("second try"))
            #expect(chatRequests(server).count == 2)
        }
    }

    @Test func connectionRefusedIsConnectionFailed() async throws {
        try await withFakeEndpoint(connectTimeout: .milliseconds(500)) { _, client in
            // Port 9 (discard) on loopback is not served here.
            let configuration = testConfiguration(
                baseURL: "http://127.0.0.1:9", connect: .milliseconds(500),
                retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10), maxDelay: .milliseconds(10)))
            let model = OpenAICompatibleModel(configuration: configuration, httpClient: client, logger: CapturedLogs().logger())
            let start = ContinuousClock.now
            let (_, error) = await collect(model.stream(hello))
            let llmError = try #require(error as? LLMError)
            #expect(llmError.code == .connectionFailed)
            // The pool already retried connecting for the connect timeout; no second full window.
            #expect(ContinuousClock.now - start < .seconds(5))
            #expect(llmError.hint.contains("127.0.0.1:9"))
        }
    }

    @Test func truncatedStreamWithTextIsMarkedTruncated() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([.text("half an")], end: .noDone))
            let (events, error) = await collect(model(server, client).stream(hello))
            #expect(error == nil)
            guard case .completed(let completion) = events.last else {
                Issue.record("no completion")
                return
            }
            #expect(completion.finishReason == .truncated)
            #expect(completion.message.content == "half an")
        }
    }

    @Test func resetAfterTextIsMarkedTruncated() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([.text("cut")], end: .drop))
            let (events, error) = await collect(model(server, client).stream(hello))
            #expect(error == nil)
            guard case .completed(let completion) = events.last else {
                Issue.record("no completion")
                return
            }
            #expect(completion.finishReason == .truncated)
            #expect(chatRequests(server).count == 1)
        }
    }

    @Test func emptyTruncatedStreamThrowsTruncated() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([], end: .noDone))
            let configuration = testConfiguration(baseURL: server.baseURL, retry: .none)
            let (events, error) = await collect(model(server, client, configuration).stream(hello))
            #expect(events.isEmpty)
            #expect((error as? LLMError)?.code == .truncated)
        }
    }

    @Test func errorInsideTheStream() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([.text("a"), .error(message: "engine crashed", type: "server_error", code: nil)]))
            let (events, error) = await collect(model(server, client).stream(hello))
            #expect(events == [.text("a")])
            let llmError = try #require(error as? LLMError)
            #expect(llmError.code == .streamError)
            #expect(llmError.serverMessage == "engine crashed")
        }
    }

    @Test func malformedChunk() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([.text("a"), .raw("{\"choices\": [oops")]))
            let (_, error) = await collect(model(server, client).stream(hello))
            let llmError = try #require(error as? LLMError)
            #expect(llmError.code == .malformedResponse)
            #expect(llmError.serverMessage == "{\"choices\": [oops")
        }
    }

    @Test("Context-length errors per dialect", arguments: [FakeDialect.openAI, .llamaCpp, .vLLM, .ollama])
    func contextLength(_ dialect: FakeDialect) async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.contextLengthExceeded(dialect: dialect))
            let (_, error) = await collect(model(server, client).stream(hello))
            let llmError = try #require(error as? LLMError)
            #expect(llmError.code == .contextLengthExceeded)
            #expect(llmError.status == 400)
            #expect(chatRequests(server).count == 1)
        }
    }

    @Test("a redirect to another origin is not followed: the key, extra headers and messages stay with the configured endpoint")
    func redirectNotFollowed() async throws {
        let elsewhere = try await FakeOpenAIServer.start()
        try await withFakeEndpoint { server, client in
            server.enqueue(.json(status: 307, body: "{}", headers: [("Location", elsewhere.baseURL + "/chat/completions")]))
            var configuration = testConfiguration(baseURL: server.baseURL, apiKey: "sk-redirect-key")
            configuration.extraHeaders = ["X-Proxy-Token": "proxy-secret-1"]
            let (_, error) = await collect(model(server, client, configuration).stream(hello))
            let llmError = try #require(error as? LLMError)
            #expect(llmError.status == 307)
            #expect(llmError.hint.contains("redirected to \(elsewhere.baseURL)/chat/completions"), "\(llmError.hint)")
            #expect(llmError.hint.contains("set llm.base_url"), "\(llmError.hint)")
            #expect(chatRequests(server).first?.header("X-Proxy-Token") == "proxy-secret-1")
        }
        #expect(elsewhere.recordedRequests().isEmpty, "the other origin received \(elsewhere.recordedRequests().map(\.path))")
        try await elsewhere.shutdown()
    }

    @Test func unauthorized() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.unauthorized())
            let (_, error) = await collect(model(server, client).stream(hello))
            let llmError = try #require(error as? LLMError)
            #expect(llmError.code == .unauthorized)
            #expect(llmError.hint.contains("TUTOR_LLM_API_KEY"))
        }
    }

    @Test func unknownModelListsServedModels() async throws {
        try await withFakeEndpoint(models: [.init(id: "llama3.1:8b"), .init(id: "qwen2.5:7b")]) { server, client in
            server.enqueue(.unknownModel("nope"))
            let configuration = testConfiguration(baseURL: server.baseURL, model: "nope")
            let (_, error) = await collect(model(server, client, configuration).stream(hello))
            let llmError = try #require(error as? LLMError)
            #expect(llmError.code == .unknownModel)
            #expect(llmError.hint.contains("llama3.1:8b, qwen2.5:7b"))
        }
    }

    @Test func plainTextErrorBody() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.text(status: 400, body: "bad request: temperature out of range"))
            let (_, error) = await collect(model(server, client).stream(hello))
            let llmError = try #require(error as? LLMError)
            #expect(llmError.code == .httpError)
            #expect(llmError.serverMessage == "bad request: temperature out of range")
        }
    }

    @Test("Base URL with and without /v1", arguments: ["", "/", "/v1", "/v1/"])
    func baseURLForms(_ suffix: String) async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([.text("x"), .finish("stop")]))
            let configuration = testConfiguration(baseURL: "http://127.0.0.1:\(server.port)" + suffix)
            let (_, error) = await collect(model(server, client, configuration).stream(hello))
            #expect(error == nil)
            #expect(chatRequests(server).first?.path == "/v1/chat/completions")
        }
    }

    @Test func authorizationOnlyWhenAKeyIsSet() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([.text("x"), .finish("stop")]), .stream([.text("y"), .finish("stop")]))
            _ = await collect(model(server, client).stream(hello))
            let keyed = testConfiguration(baseURL: server.baseURL, apiKey: "sk-test-123")
            _ = await collect(model(server, client, keyed).stream(hello))
            let requests = chatRequests(server)
            #expect(requests.count == 2)
            #expect(requests[0].header("Authorization") == nil)
            #expect(requests[1].header("Authorization") == "Bearer sk-test-123")
        }
    }

    @Test func extraHeadersAreSent() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([.text("x"), .finish("stop")]))
            var configuration = testConfiguration(baseURL: server.baseURL)
            configuration.extraHeaders = ["X-Title": "tutor"]
            _ = await collect(model(server, client, configuration).stream(hello))
            #expect(chatRequests(server).first?.header("X-Title") == "tutor")
        }
    }

    @Test func apiKeyNeverLogged() async throws {
        let secret = "sk-live-SECRET-0123456789"
        let logs = CapturedLogs()
        try await withFakeEndpoint { server, client in
            server.enqueue(
                .serverError(status: 500), .stream([.text("x"), .finish("stop")]), .unauthorized(),
                .stream([.text("y")], end: .stall(.seconds(5))))
            let configuration = testConfiguration(baseURL: server.baseURL, apiKey: secret, stall: .milliseconds(300))
            let model = model(server, client, configuration, logs: logs)
            let results = [await collect(model.stream(hello)), await collect(model.stream(hello)), await collect(model.stream(hello))]
            _ = await model.contextWindow()
            _ = try? await model.listModels()
            for result in results {
                if let error = result.error { #expect(!String(describing: error).contains(secret)) }
            }
            #expect(results[1].error != nil)
        }
        #expect(!logs.all.isEmpty)
        #expect(logs.all.contains { $0.contains("api_key_set") && $0.contains("true") })
        for line in logs.all { #expect(!line.contains(secret)) }
        #expect(!logs.all.contains { $0.contains("SECRET") })
    }

    @Test func cancellationStopsTheRequestPromptly() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([.text("first")], end: .stall(.seconds(30))))
            let model = model(server, client)
            let request = hello
            let task = Task {
                var received: [ChatEvent] = []
                for try await event in model.stream(request) { received.append(event) }
                return received
            }
            // Wait for the stream to be under way.
            let clock = ContinuousClock()
            let waitStart = clock.now
            while chatRequests(server).isEmpty && clock.now - waitStart < .seconds(5) { try await Task.sleep(for: .milliseconds(20)) }
            try await Task.sleep(for: .milliseconds(200))
            let start = clock.now
            task.cancel()
            _ = await task.result
            // Promptly, not when the 30 s stall ends (generous: CI machines are busy).
            #expect(clock.now - start < .seconds(10))
        }
    }

    @Test func breakingOutOfTheLoopCancelsTheRequest() async throws {
        try await withFakeEndpoint { server, client in
            server.enqueue(.stream([.text("first")], end: .stall(.seconds(30))), .stream([.text("next"), .finish("stop")]))
            let model = model(server, client)
            let start = ContinuousClock.now
            for try await event in model.stream(hello) {
                #expect(event == .text("first"))
                break
            }
            #expect(ContinuousClock.now - start < .seconds(10), "not after the 30 s stall")
            // The client is still usable afterwards.
            let (events, error) = await collect(model.stream(hello))
            #expect(error == nil)
            #expect(events.first == .text("next"))
        }
    }

    @Test func contextWindowAndListModels() async throws {
        try await withFakeEndpoint(models: [.init(id: "fake-model", contextLength: 8192), .init(id: "other")]) { server, client in
            let model = model(server, client)
            let names = try await model.listModels()
            #expect(names == ["fake-model", "other"])
            #expect(await model.contextWindow() == 8192)
            #expect(await model.contextWindow() == 8192)
            let modelRequests = server.recordedRequests().filter { $0.path.hasSuffix("/models") }
            #expect(modelRequests.count == 2)  // listModels once, contextWindow once (then cached)
            #expect(modelRequests.allSatisfy { $0.method == "GET" && $0.path == "/v1/models" })

            let unlisted = OpenAICompatibleModel(
                configuration: testConfiguration(baseURL: server.baseURL, model: "missing"), httpClient: client, logger: Logger(label: "t"))
            #expect(await unlisted.contextWindow() == nil)
        }
    }
}
