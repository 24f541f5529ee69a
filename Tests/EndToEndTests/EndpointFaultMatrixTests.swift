import Foundation
import Testing
import TutorTesting
import TutorToolAdapters
import TutorWire

/// Every endpoint fault the fake server can play, through a real daemon and `tutor chat`: each ends
/// in a successful retry, a clear error, or an answer marked as cut short — never a hang, a crash
/// or half an answer passed off as whole. The table in Docs/endpoint-faults.md lists the same cases.
@Suite("Endpoint fault matrix", .serialized)
struct EndpointFaultMatrixTests {
    enum Outcome: Sendable, CustomStringConvertible {
        /// Exit 0 and stdout holds this text.
        case answer(String)
        /// Exit 0, the partial text is shown, and stderr/stdout says it was cut short.
        case marked(String)
        /// Exit 1 and stderr holds this text.
        case error(String)

        var description: String {
            switch self {
            case .answer(let text): "answer \"\(text)\""
            case .marked(let text): "partial \"\(text)\", marked"
            case .error(let text): "error naming \"\(text)\""
            }
        }
    }

    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let replies: [FakeReply]
        let outcome: Outcome
        var description: String { name }
    }

    static let ok = FakeReply.stream([.text("All good."), .finish("stop")])
    static let cases: [Case] =
        [
            Case(
                name: "slow first byte within the deadline",
                replies: [.stream([.text("All good."), .finish("stop")], headDelay: .milliseconds(400))], outcome: .answer("All good.")),
            Case(
                name: "no response head before the deadline", replies: [.stream([.text("late")], headDelay: .seconds(15))],
                outcome: .error("No response from")),
            Case(
                name: "stall mid-stream", replies: [.stream([.text("Half an ans")], end: .stall(.seconds(5)))],
                outcome: .marked("Half an ans")),
            Case(
                name: "connection reset mid-stream", replies: [.stream([.text("Half an ans")], end: .drop)], outcome: .marked("Half an ans")
            ),
            Case(
                name: "stream ends without finish reason or [DONE]", replies: [.stream([.text("Half an ans")], end: .noDone)],
                outcome: .marked("Half an ans")),
            Case(name: "dropped before the first byte, then retried", replies: [.dropConnection, ok], outcome: .answer("All good.")),
            Case(
                name: "error object inside the stream",
                replies: [.stream([.error(message: "the GPU caught fire", type: "server_error", code: nil)])],
                outcome: .error("the GPU caught fire")),
            Case(name: "malformed chunk", replies: [.stream([.raw("data: {\"choices\": [oops")])], outcome: .error("malformed")),
            Case(
                name: "429 with Retry-After, then success", replies: [.rateLimited(retryAfterSeconds: 1), ok], outcome: .answer("All good.")
            ),
            Case(
                name: "429 without Retry-After, then success", replies: [.rateLimited(retryAfterSeconds: nil), ok],
                outcome: .answer("All good.")),
            Case(name: "500, then success", replies: [.serverError(status: 500), ok], outcome: .answer("All good.")),
            Case(name: "503, then success", replies: [.serverError(status: 503), ok], outcome: .answer("All good.")),
            Case(
                name: "503 on every attempt", replies: [.serverError(status: 503), .serverError(status: 503), .serverError(status: 503)],
                outcome: .error("503")),
            Case(name: "401 bad key", replies: [.unauthorized()], outcome: .error("TUTOR_LLM_API_KEY")),
            Case(name: "unknown model", replies: [.unknownModel("fake-model")], outcome: .error("fake-model")),
            Case(
                name: "invalid tool arguments go back to the model",
                replies: [
                    .stream([
                        .toolCall(index: 0, id: "c1", name: ToolName.forecast.rawValue, arguments: "{not json"), .finish("tool_calls"),
                    ]), ok,
                ],
                outcome: .answer("All good.")),
            Case(
                name: "an unknown tool goes back to the model",
                replies: [
                    .stream([.toolCall(index: 0, id: "c1", name: "delete_everything", arguments: "{}"), .finish("tool_calls")]), ok,
                ],
                outcome: .answer("All good.")),
            Case(
                name: "a model that calls tools forever",
                replies: Array(
                    repeating: .stream([
                        .toolCall(index: 0, id: "c", name: ToolName.progressSummary.rawValue, arguments: "{}"), .finish("tool_calls"),
                    ]),
                    count: 12),
                outcome: .answer("step")),
            Case(name: "content filter", replies: [.stream([.text("I can"), .finish("content_filter")])], outcome: .marked("I can")),
            Case(name: "length limit", replies: [.stream([.text("A long ans"), .finish("length")])], outcome: .marked("A long ans")),
        ]
        + [FakeDialect.openAI, .llamaCpp, .vLLM, .ollama].map { dialect in
            // A first message with nothing to shorten or summarise: the same request is not sent again.
            Case(
                name: "context overflow (\(dialect)) with nothing to shorten", replies: [.contextLengthExceeded(dialect: dialect), ok],
                outcome: .error("does not fit the model's context window"))
        }

    @Test("each fault ends in a retry that works, a clear error, or a marked partial answer", arguments: cases)
    func fault(_ testCase: Case) async throws {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await TemporaryDaemon.start(extraEnvironment: [
            "TUTOR_LLM_BASE_URL": server.baseURL, "TUTOR_LLM_MODEL": "fake-model", "TUTOR_LLM_RESPONSE_TIMEOUT": "3",
            "TUTOR_LLM_STALL_TIMEOUT": "1", "TUTOR_NOTIFY_DESKTOP": "false",
        ])
        defer { daemon.removeFiles() }
        server.enqueue(testCase.replies)
        let started = ContinuousClock.now
        let chat = try await daemon.runCLI(["chat", "-m", "hmm"], timeout: .seconds(60))
        let elapsed = ContinuousClock.now - started
        let output = chat.stdout + chat.stderr
        switch testCase.outcome {
        case .answer(let text):
            #expect(chat.status == 0, "\(testCase.name): \(output)")
            #expect(output.contains(text), "\(testCase.name): \(output)")
        case .marked(let text):
            #expect(chat.status == 0, "\(testCase.name): \(output)")
            #expect(chat.stdout.contains(text), "\(testCase.name): \(output)")
            #expect(
                output.lowercased().contains("cut short") || output.lowercased().contains("incomplete"),
                "\(testCase.name) is marked: [\(chat.stdout)] [\(chat.stderr)]")
        case .error(let text):
            #expect(chat.status == 1, "\(testCase.name): \(output)")
            #expect(chat.stderr.contains(text), "\(testCase.name): \(output)")
        }
        #expect(elapsed < .seconds(30), "\(testCase.name) took \(elapsed)")
        if testCase.name.contains("nothing to shorten") {
            #expect(chat.stdout.contains("there was nothing the tutor could shorten"), "\(output)")
            #expect(server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }.count == 1, "never the same request twice")
        }
        if testCase.name.contains("tool") && !testCase.name.contains("forever") {
            // The tool's error went back to the model as a tool message, saying what to fix.
            let last = server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }.last?.json
            let tool = ((last?["messages"] as? [[String: Any]]) ?? []).last { $0["role"] as? String == "tool" }
            let content = tool?["content"] as? String ?? ""
            #expect(content.contains("error") && (content.contains("not valid JSON") || content.contains("there is no tool")), "\(content)")
        }
        // The daemon keeps serving.
        #expect(try await daemon.runCLI(["status"]).status == 0)
        try await daemon.stop()
        try await server.shutdown()
    }

    @Test("a refused connection is a clear error and the daemon keeps serving")
    func refused() async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: [
            "TUTOR_LLM_BASE_URL": "http://127.0.0.1:9/v1", "TUTOR_LLM_MODEL": "fake-model", "TUTOR_LLM_MAX_ATTEMPTS": "2",
        ])
        defer { daemon.removeFiles() }
        let chat = try await daemon.runCLI(["chat", "-m", "hmm"], timeout: .seconds(60))
        #expect(chat.status == 1)
        #expect(chat.stderr.contains("127.0.0.1:9"), "\(chat.stderr)")
        #expect(try await daemon.runCLI(["status"]).status == 0)
        try await daemon.stop()
    }
}
