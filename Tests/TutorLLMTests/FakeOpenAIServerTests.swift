import Foundation
import Testing
import TutorModel
import TutorTesting

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("FakeOpenAIServer")
struct FakeOpenAIServerTests {
    // MARK: Streams

    @Test func streamsOpenAIShapedChunksThenDone() async throws {
        try await withServer { server in
            server.enqueue(
                .stream([
                    .text("Hel"),
                    .text("lo"),
                    .toolCall(index: 0, id: "call_1", name: "weekly_plan", arguments: "{\"we"),
                    .toolCall(index: 0, id: nil, name: nil, arguments: "ek\":1}"),
                    .finish("tool_calls"),
                    .usage(prompt: 12, completion: 7, emptyChoices: true),
                ])
            )
            let response = try await send(server, "POST", "/v1/chat/completions", body: chatBody(model: "qwen"))
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/event-stream")
            #expect(response.ending == .complete)
            let events = response.events
            try #require(events.count == 7)
            #expect(events.last == "[DONE]")
            let chunks = events.dropLast().map(object)
            for chunk in chunks {
                #expect(chunk["id"] as? String == "chatcmpl-fake-1")
                #expect(chunk["object"] as? String == "chat.completion.chunk")
                #expect(chunk["model"] as? String == "qwen")
                #expect(chunk["created"] as? Int != nil)
            }
            let first = delta(chunks[0])
            #expect(first["role"] as? String == "assistant")
            #expect(first["content"] as? String == "Hel")
            #expect(dict(list(chunks[0]["choices"]).first)["finish_reason"] is NSNull)
            #expect(delta(chunks[1])["content"] as? String == "lo")
            #expect(delta(chunks[1])["role"] == nil)

            let call = dict(list(delta(chunks[2])["tool_calls"]).first)
            #expect(call["index"] as? Int == 0)
            #expect(call["id"] as? String == "call_1")
            #expect(call["type"] as? String == "function")
            #expect(dict(call["function"])["name"] as? String == "weekly_plan")
            #expect(dict(call["function"])["arguments"] as? String == "{\"we")
            let continuation = dict(list(delta(chunks[3])["tool_calls"]).first)
            #expect(Set(continuation.keys) == ["index", "function"])
            #expect(Set(dict(continuation["function"]).keys) == ["arguments"])

            #expect(dict(list(chunks[4]["choices"]).first)["finish_reason"] as? String == "tool_calls")
            #expect(delta(chunks[4]).isEmpty)
            #expect(list(chunks[5]["choices"]).isEmpty)
            let usage = dict(chunks[5]["usage"])
            #expect(usage["prompt_tokens"] as? Int == 12)
            #expect(usage["completion_tokens"] as? Int == 7)
            #expect(usage["total_tokens"] as? Int == 19)
        }
    }

    /// The benchmark subtracts this time from a client's round trip: it must hold the endpoint's
    /// own delays and never more than the client waited.
    @Test func countsItsOwnTimeOnChatCompletions() async throws {
        try await withServer { server in
            #expect(server.chatServiceTime == .zero)
            server.enqueue(.stream([.text("slow"), .finish("stop")], headDelay: .milliseconds(80)))
            let clock = ContinuousClock()
            let started = clock.now
            let response = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            let waited = clock.now - started
            #expect(response.ending == .complete)
            let served = server.chatServiceTime
            #expect(served >= .milliseconds(80))
            #expect(served <= waited)
            // Other routes are not chat completions and add nothing.
            _ = try await send(server, "GET", "/v1/models")
            #expect(server.chatServiceTime == served)
        }
    }

    @Test func crlfAndSplitWritesArriveIntact() async throws {
        try await withServer { server in
            let chunks: [FakeChunk] = [.text("Héllo, "), .text("wörld"), .finish("stop")]
            server.enqueue(.stream(chunks, crlf: true, splitWrites: true), .stream(chunks))
            let split = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            let plain = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            #expect(split.body.contains("\r\n\r\n"))
            #expect(!plain.body.contains("\r"))
            #expect(split.events.count == 4)
            #expect(contents(split.events) == "Héllo, wörld")
            #expect(contents(split.events) == contents(plain.events))
            // One HTTP chunk per event normally; many small ones when split.
            #expect(plain.bodyChunks == plain.events.count)
            #expect(split.bodyChunks > split.events.count * 5)
        }
    }

    @Test func multiLineDataJoinsIntoOneEvent() async throws {
        try await withServer { server in
            server.enqueue(.stream([.text("a\nb")], multilineData: true))
            let response = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            #expect(response.body.contains("data: {\"id\":\"chatcmpl-fake-1\",\n"))
            #expect(response.body.contains("\ndata: \"object\":\"chat.completion.chunk\",\n"))
            #expect(response.events.count == 2)
            #expect(delta(object(response.events[0]))["content"] as? String == "a\nb")
        }
    }

    @Test func commentsRawDataAndInStreamErrorsThenNoDone() async throws {
        try await withServer { server in
            server.enqueue(
                .stream(
                    [.comment("keep-alive"), .text("x"), .raw("{not json"), .error(message: "boom", type: "server_error", code: nil)],
                    end: .noDone
                )
            )
            let port = server.port
            let (response, after) = try await blocking {
                let client = try TestHTTPClient(port: port)
                try client.write(TestHTTPClient.request("POST", "/v1/chat/completions", body: chatBody()))
                return (client.readResponse(), client.waitForEnd(timeout: .seconds(10)))
            }
            #expect(response.ending == .complete)
            #expect(response.body.hasPrefix(": keep-alive\n\n"))
            #expect(response.events.count == 3)
            #expect(response.events[1] == "{not json")
            let error = dict(object(response.events[2])["error"])
            #expect(error["message"] as? String == "boom")
            #expect(error["type"] as? String == "server_error")
            #expect(error["code"] is NSNull)
            #expect(!response.events.contains("[DONE]"))
            #expect(after == .closed)
        }
    }

    // MARK: Faults

    @Test func headAndChunkDelays() async throws {
        try await withServer { server in
            server.enqueue(.stream([.text("a"), .text("b")], headDelay: .milliseconds(300), chunkDelay: .milliseconds(200)))
            let start = ContinuousClock.now
            let response = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            let total = ContinuousClock.now - start
            let head = try #require(response.headAt) - start
            #expect(head >= .milliseconds(250))
            #expect(total >= .milliseconds(450))
            #expect(contents(response.events) == "ab")
        }
    }

    @Test func stallKeepsTheConnectionOpenThenCloses() async throws {
        try await withServer { server in
            // Stalls for 6 s; the client reads for 4 s (a full parallel test run once kept the first
            // event from arriving within 2 s).
            server.enqueue(.stream([.text("partial")], end: .stall(.milliseconds(6000))))
            let port = server.port
            let start = ContinuousClock.now
            let (response, after) = try await blocking {
                let client = try TestHTTPClient(port: port)
                try client.write(TestHTTPClient.request("POST", "/v1/chat/completions", body: chatBody()))
                return (client.readResponse(timeout: .seconds(4)), client.waitForEnd(timeout: .seconds(15)))
            }
            #expect(response.ending == .timeout)
            #expect(contents(response.events) == "partial")
            #expect(after == .closed)
            #expect(ContinuousClock.now - start >= .milliseconds(5900))
        }
    }

    @Test func dropResetsTheConnectionMidStream() async throws {
        try await withServer { server in
            server.enqueue(.stream([.text("partial")], end: .drop))
            let response = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            #expect(response.status == 200)
            #expect(response.ending == .reset)
            #expect(!response.events.contains("[DONE]"))
        }
    }

    @Test func dropConnectionClosesWithoutAReply() async throws {
        try await withServer { server in
            server.enqueue(.dropConnection)
            let response = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            #expect(response.status == 0)
            #expect(response.ending == .closed)
            #expect(response.bodyBytes.isEmpty)
        }
    }

    // MARK: Plain replies

    @Test func jsonAndTextRepliesCarryStatusAndHeaders() async throws {
        try await withServer { server in
            server.enqueue(
                .rateLimited(retryAfterSeconds: 2),
                .json(status: 503, body: "{}", headers: [("X-Custom", "yes")]),
                .text(status: 500, body: "upstream exploded"),
                .unknownModel("nope"),
                .unauthorized(),
                .serverError(status: 503),
                .completion(text: "Hi", toolCalls: [(id: "call_9", name: "f", arguments: "{}")], finish: "tool_calls")
            )
            let limited = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == "2")
            #expect(dict(object(limited.body)["error"])["code"] as? String == "rate_limit_exceeded")

            let custom = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            #expect(custom.status == 503)
            #expect(custom.header("x-custom") == "yes")
            #expect(custom.header("Content-Type") == "application/json")
            #expect(custom.body == "{}")

            let text = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            #expect(text.status == 500)
            #expect(text.header("Content-Type")?.hasPrefix("text/plain") == true)
            #expect(text.body == "upstream exploded")

            let unknown = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            #expect(unknown.status == 404)
            let unknownError = dict(object(unknown.body)["error"])
            #expect(unknownError["code"] as? String == "model_not_found")
            #expect((unknownError["message"] as? String)?.contains("`nope`") == true)

            let unauthorized = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            #expect(unauthorized.status == 401)
            #expect(dict(object(unauthorized.body)["error"])["code"] as? String == "invalid_api_key")

            let overloaded = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            #expect(overloaded.status == 503)
            #expect(dict(object(overloaded.body)["error"])["type"] as? String == "server_error")

            let completion = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            #expect(completion.status == 200)
            let body = object(completion.body)
            #expect(body["object"] as? String == "chat.completion")
            let choice = dict(list(body["choices"]).first)
            #expect(choice["finish_reason"] as? String == "tool_calls")
            let message = dict(choice["message"])
            #expect(message["content"] as? String == "Hi")
            #expect(dict(dict(list(message["tool_calls"]).first)["function"])["name"] as? String == "f")
            #expect(dict(body["usage"])["total_tokens"] as? Int == 15)
        }
    }

    @Test(arguments: [FakeDialect.openAI, .llamaCpp, .vLLM, .ollama])
    func contextLengthErrorsInEachDialect(dialect: FakeDialect) async throws {
        try await withServer { server in
            server.enqueue(.contextLengthExceeded(dialect: dialect))
            let response = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            #expect(response.status == 400)
            let error = dict(object(response.body)["error"])
            let message = try #require(error["message"] as? String)
            switch dialect {
            case .openAI:
                #expect(error["code"] as? String == "context_length_exceeded")
                #expect(message.contains("maximum context length is 8192"))
            case .llamaCpp:
                #expect(error["type"] as? String == "exceed_context_size_error")
                #expect(error["n_ctx"] as? Int == 8192)
                #expect(error["n_prompt_tokens"] as? Int == 9000)
            case .vLLM:
                #expect(error["type"] as? String == "BadRequestError")
                #expect(message.contains("maximum context length is 8192"))
            case .ollama:
                #expect(message.contains("context length"))
            }
        }
    }

    @Test func exhaustedScriptRepliesWithServerError() async throws {
        try await withServer { server in
            let response = try await send(server, "POST", "/v1/chat/completions", body: chatBody())
            #expect(response.status == 500)
            let error = dict(object(response.body)["error"])
            #expect(error["code"] as? String == "fake_script_exhausted")
            #expect((error["message"] as? String)?.contains("ran out") == true)
        }
    }

    @Test func loopsWhenAskedInsteadOfRunningOut() async throws {
        try await withServer { server in
            server.loopWhenExhausted([.text(status: 200, body: "one"), .text(status: 200, body: "two")])
            server.enqueue(.text(status: 200, body: "queued"))
            var bodies: [String] = []
            for _ in 0..<4 { bodies.append(try await send(server, "POST", "/v1/chat/completions", body: chatBody()).body) }
            #expect(bodies == ["queued", "one", "two", "one"])
        }
    }

    // MARK: Other endpoints

    @Test func listsModelsWithContextMetadataWithOrWithoutV1() async throws {
        let models = [FakeModel(id: "fake-model", contextLength: 8192), FakeModel(id: "bare")]
        try await withServer(models: models) { server in
            for path in ["/v1/models", "/models"] {
                let response = try await send(server, "GET", path)
                #expect(response.status == 200)
                let body = object(response.body)
                #expect(body["object"] as? String == "list")
                let data = list(body["data"]).map(dict)
                try #require(data.count == 2)
                #expect(data[0]["id"] as? String == "fake-model")
                #expect(data[0]["object"] as? String == "model")
                #expect(data[0]["context_length"] as? Int == 8192)
                #expect(data[0]["max_model_len"] as? Int == 8192)
                #expect(data[1]["id"] as? String == "bare")
                #expect(data[1]["context_length"] == nil)
            }
            server.enqueue(.text(status: 200, body: "no prefix"))
            #expect(try await send(server, "POST", "/chat/completions", body: chatBody()).body == "no prefix")
        }
    }

    @Test func embeddingsAreDeterministicNormalisedAndSimilarForSharedWords() async throws {
        try await withServer { server in
            let body = #"{"model":"embed-x","input":["the cat sat on the mat","a cat sat on the mat","quarterly tax filing deadlines"]}"#
            let first = object(try await send(server, "POST", "/v1/embeddings", body: body).body)
            let second = object(try await send(server, "POST", "/embeddings", body: body).body)
            #expect(first["object"] as? String == "list")
            #expect(first["model"] as? String == "embed-x")
            #expect((dict(first["usage"])["prompt_tokens"] as? Int ?? 0) > 0)
            let vectors = list(first["data"]).map { item in list(dict(item)["embedding"]).compactMap { $0 as? Double } }
            let again = list(second["data"]).map { item in list(dict(item)["embedding"]).compactMap { $0 as? Double } }
            try #require(vectors.count == 3)
            #expect(vectors == again)
            #expect(list(first["data"]).map { dict($0)["index"] as? Int } == [0, 1, 2])
            for vector in vectors {
                #expect(vector.count == 256)
                #expect(abs(dot(vector, vector) - 1) < 1e-9)
            }
            #expect(dot(vectors[0], vectors[1]) > 0.7)
            #expect(dot(vectors[0], vectors[1]) > dot(vectors[0], vectors[2]) + 0.3)

            let single = object(
                try await send(server, "POST", "/v1/embeddings", body: #"{"model":"m","input":"the cat sat on the mat"}"#).body)
            let singleVector = list(dict(list(single["data"]).first)["embedding"]).compactMap { $0 as? Double }
            #expect(singleVector == vectors[0])
        }
    }

    @Test func unknownPathsGetAnOpenAIStyle404() async throws {
        try await withServer { server in
            let response = try await send(server, "GET", "/v1/nope")
            #expect(response.status == 404)
            #expect((dict(object(response.body)["error"])["message"] as? String)?.contains("/v1/nope") == true)
        }
    }

    // MARK: Connections and recording

    @Test func recordsRequestsWithAuthorization() async throws {
        try await withServer { server in
            server.enqueue(.completion(text: "ok"))
            let body = chatBody(model: "qwen")
            _ = try await send(server, "POST", "/v1/chat/completions", body: body, headers: [("Authorization", "Bearer sk-test")])
            _ = try await send(server, "GET", "/v1/models?limit=1")
            let requests = server.recordedRequests()
            try #require(requests.count == 2)
            #expect(requests[0].method == "POST")
            #expect(requests[0].path == "/v1/chat/completions")
            #expect(requests[0].header("authorization") == "Bearer sk-test")
            #expect(requests[0].body == body)
            #expect(requests[0].json?["model"] as? String == "qwen")
            #expect(requests[1].method == "GET")
            #expect(requests[1].path == "/v1/models?limit=1")
            #expect(requests[1].header("Authorization") == nil)
        }
    }

    @Test func keepAliveServesSeveralRequestsAndReassemblesSplitBodies() async throws {
        try await withServer { server in
            server.enqueue(.stream([.text("one")]), .text(status: 200, body: "two"))
            let port = server.port
            let body = chatBody()
            let responses = try await blocking {
                let client = try TestHTTPClient(port: port)
                let request = TestHTTPClient.request("POST", "/v1/chat/completions", body: body)
                let cut = request.utf8.count - body.utf8.count / 2
                try client.write(String(request.utf8.prefix(cut))!)
                Thread.sleep(forTimeInterval: 0.05)
                try client.write(String(request.utf8.dropFirst(cut))!)
                let first = client.readResponse()
                // Two requests in one write (pipelined).
                try client.write(
                    TestHTTPClient.request("POST", "/v1/chat/completions", body: body) + TestHTTPClient.request("GET", "/v1/models")
                )
                return [first, client.readResponse(), client.readResponse()]
            }
            #expect(responses.map(\.status) == [200, 200, 200])
            #expect(responses.map(\.ending) == [.complete, .complete, .complete])
            #expect(contents(responses[0].events) == "one")
            #expect(responses[1].body == "two")
            #expect(object(responses[2].body)["object"] as? String == "list")
            #expect(server.recordedRequests().first?.body == body)
        }
    }

    @Test func shutdownDuringAStalledStreamReturnsPromptly() async throws {
        let server = try await FakeOpenAIServer.start()
        server.enqueue(.stream([.text("x")], end: .stall(.seconds(60))))
        let client = try TestHTTPClient(port: server.port)
        let idle = try TestHTTPClient(port: server.port)
        let response = try await blocking {
            try client.write(TestHTTPClient.request("POST", "/v1/chat/completions", body: chatBody()))
            // Long enough for the first event on a loaded machine; far short of the 60 s stall.
            return client.readResponse(timeout: .seconds(5))
        }
        #expect(response.ending == .timeout)
        #expect(contents(response.events) == "x")
        let start = ContinuousClock.now
        try await server.shutdown()
        #expect(ContinuousClock.now - start < .seconds(10), "not after the 60 s stall")
        let ends = try await blocking { [client.waitForEnd(timeout: .seconds(2)), idle.waitForEnd(timeout: .seconds(2))] }
        #expect(ends.allSatisfy { $0 == .closed || $0 == .reset })
    }
}

// MARK: - Helpers

private func withServer(
    models: [FakeModel] = [.init(id: "fake-model", contextLength: 8192)],
    _ body: (FakeOpenAIServer) async throws -> Void
) async throws {
    let server = try await FakeOpenAIServer.start(models: models)
    do {
        try await body(server)
    } catch {
        try? await server.shutdown()
        throw error
    }
    try await server.shutdown()
}

private func chatBody(model: String = "fake-model") -> String {
    #"{"model":"\#(model)","stream":true,"messages":[{"role":"user","content":"hi"}]}"#
}

/// Opens a connection, sends one request, reads one response.
private func send(
    _ server: FakeOpenAIServer,
    _ method: String,
    _ path: String,
    body: String? = nil,
    headers: [(String, String)] = []
) async throws -> TestHTTPClient.Response {
    let port = server.port
    let request = TestHTTPClient.request(method, path, body: body, headers: headers)
    return try await blocking {
        let client = try TestHTTPClient(port: port)
        try client.write(request)
        // Generous: a split stream is a hundred small writes, slow on a loaded CI machine.
        return client.readResponse(timeout: .seconds(30))
    }
}

/// Runs blocking socket work on its own thread, off the cooperative pool.
private func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

private func object(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}

private func dict(_ value: Any?) -> [String: Any] { value as? [String: Any] ?? [:] }

private func list(_ value: Any?) -> [Any] { value as? [Any] ?? [] }

private func delta(_ chunk: [String: Any]) -> [String: Any] { dict(dict(list(chunk["choices"]).first)["delta"]) }

/// The concatenated `content` deltas of SSE events.
private func contents(_ events: [String]) -> String {
    events.filter { $0 != "[DONE]" }.compactMap { delta(object($0))["content"] as? String }.joined()
}

private func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

private struct TestClientError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

#if os(Linux)
private let streamSocketType = Int32(SOCK_STREAM.rawValue)
private let sendFlags = Int32(MSG_NOSIGNAL)
#else
private let streamSocketType = SOCK_STREAM
private let sendFlags: Int32 = 0
#endif

/// A minimal blocking HTTP/1.1 client over a POSIX TCP socket, so tests see exactly what the server sends.
private final class TestHTTPClient: @unchecked Sendable {
    enum Ending: Sendable, Equatable {
        case complete
        case closed
        case reset
        case timeout
    }

    struct Response: Sendable {
        var status = 0
        var headers: [(String, String)] = []
        var bodyBytes: [UInt8] = []
        /// HTTP chunks in a chunked body.
        var bodyChunks = 0
        var ending = Ending.complete
        var headAt: ContinuousClock.Instant?

        var body: String { String(decoding: bodyBytes, as: UTF8.self) }

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        /// The data of each SSE event (multi-line data joined with "\n"); comments skipped.
        var events: [String] {
            body.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").compactMap { block in
                let data = block.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.hasPrefix("data:") }.map { line in
                    let value = line.dropFirst(5)
                    return String(value.first == " " ? value.dropFirst() : value)
                }
                return data.isEmpty ? nil : data.joined(separator: "\n")
            }
        }
    }

    private let fd: Int32
    private var pending: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, streamSocketType, 0)
        guard fd >= 0 else { throw TestClientError("socket() failed: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw TestClientError("connect to port \(port) failed: \(errno)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    static func request(_ method: String, _ path: String, body: String? = nil, headers: [(String, String)] = []) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body {
            text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        } else {
            text += "\r\n"
        }
        return text
    }

    func write(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, sendFlags) }
            guard sent > 0 else { throw TestClientError("send failed: \(errno)") }
            offset += sent
        }
    }

    /// Reads until the peer closes (`.closed` / `.reset`) or `timeout` passes; any data is discarded.
    func waitForEnd(timeout: Duration) -> Ending {
        let deadline = ContinuousClock.now + timeout
        while true {
            pending.removeAll()
            if let ending = fill(deadline: deadline) { return ending }
        }
    }

    /// Reads one response; `ending` says how it stopped if it did not complete within `timeout`.
    func readResponse(timeout: Duration = .seconds(20)) -> Response {
        let deadline = ContinuousClock.now + timeout
        var response = Response()
        while true {
            guard let headEnd = find([13, 10, 13, 10]) else {
                if let ending = fill(deadline: deadline) {
                    response.ending = ending
                    return response
                }
                continue
            }
            let lines = String(decoding: take(headEnd + 4), as: UTF8.self).components(separatedBy: "\r\n")
            response.status = Int(lines[0].split(separator: " ")[1]) ?? -1
            response.headers = lines.dropFirst().compactMap { line in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            if response.status != 100 { break }
        }
        response.headAt = .now
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while true {
                guard let lineEnd = findFilling([13, 10], deadline: deadline, into: &response) else { return response }
                let sizeLine = String(decoding: take(lineEnd + 2).dropLast(2), as: UTF8.self)
                let size = Int(sizeLine.split(separator: ";")[0], radix: 16) ?? 0
                guard need(size + 2, deadline: deadline, into: &response) else { return response }
                let data = take(size + 2).dropLast(2)
                if size == 0 {
                    response.ending = .complete
                    return response
                }
                response.bodyBytes += data
                response.bodyChunks += 1
            }
        } else if let length = response.header("Content-Length").flatMap({ Int($0) }) {
            guard need(length, deadline: deadline, into: &response) else { return response }
            response.bodyBytes = take(length)
            response.ending = .complete
        } else {
            while true {
                guard let ending = fill(deadline: deadline) else { continue }
                response.bodyBytes = take(pending.count)
                response.ending = ending == .timeout ? .timeout : .complete
                return response
            }
        }
        return response
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard pending.count >= needle.count else { return nil }
        return (0...(pending.count - needle.count)).first { pending[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    private func take(_ count: Int) -> [UInt8] {
        let bytes = Array(pending.prefix(count))
        pending.removeFirst(min(count, pending.count))
        return bytes
    }

    private func findFilling(_ needle: [UInt8], deadline: ContinuousClock.Instant, into response: inout Response) -> Int? {
        while true {
            if let index = find(needle) { return index }
            if let ending = fill(deadline: deadline) {
                response.ending = ending
                return nil
            }
        }
    }

    private func need(_ count: Int, deadline: ContinuousClock.Instant, into response: inout Response) -> Bool {
        while pending.count < count {
            if let ending = fill(deadline: deadline) {
                response.ending = ending
                return false
            }
        }
        return true
    }

    /// Reads what is available; nil when bytes arrived, else why none will.
    private func fill(deadline: ContinuousClock.Instant) -> Ending? {
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return .timeout }
            let milliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(max(1, milliseconds)))
            if ready == 0 { return .timeout }
            if ready < 0 { continue }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 {
                pending += buffer[0..<count]
                return nil
            }
            if count == 0 { return .closed }
            return errno == ECONNRESET ? .reset : .closed
        }
    }
}
