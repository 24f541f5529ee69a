// tutor-fake-llm: runs FakeOpenAIServer as a standalone OpenAI-compatible endpoint for manual testing.
//
//     tutor-fake-llm --port 8080 --script replies.json
//
// The script is a JSON array of replies served to POST /v1/chat/completions in order, starting over when
// exhausted. Without --script every chat request gets a short streamed greeting. Each reply is an object with
// a "type":
//
//     {"type": "stream", "chunks": [CHUNK, ...], "end": "done" | "noDone" | "drop" | "stall", "stallMs": 30000,
//      "headDelayMs": 0, "chunkDelayMs": 0, "crlf": false, "splitWrites": false, "multilineData": false}
//     {"type": "completion", "text": "Hi", "toolCalls": [{"id": "call_1", "name": "f", "arguments": "{}"}],
//      "finish": "stop", "prompt": 10, "completion": 5}
//     {"type": "json", "status": 200, "body": {...} or "raw text", "headers": {"Retry-After": "2"}}
//     {"type": "text", "status": 500, "body": "upstream exploded"}
//     {"type": "rateLimited", "retryAfterSeconds": 2}
//     {"type": "serverError", "status": 503}
//     {"type": "unauthorized"}
//     {"type": "unknownModel", "model": "gpt-9"}
//     {"type": "contextLengthExceeded", "dialect": "openAI" | "llamaCpp" | "vLLM" | "ollama"}
//     {"type": "dropConnection"}
//
// A stream CHUNK is a bare string (a text delta) or an object with one key:
//
//     {"text": "Hello"}
//     {"toolCall": {"index": 0, "id": "call_1", "name": "weekly_plan", "arguments": "{\"week\":1}"}}  (all but arguments optional)
//     {"finish": "stop"}
//     {"usage": {"prompt": 10, "completion": 5, "emptyChoices": true}}
//     {"error": {"message": "boom", "type": "server_error", "code": "oops"}}
//     {"raw": "{not json"}
//     {"comment": "keep-alive"}
//
// Only JSON is read (YAML would need Yams as a dependency). Ctrl-C (SIGINT) or SIGTERM stops the server.

import ArgumentParser
import Dispatch
import Foundation
import TutorTesting

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct FakeEndpoint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tutor-fake-llm",
        abstract: "Serve a scripted fake OpenAI-compatible endpoint on 127.0.0.1."
    )

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 0

    @Option(help: "JSON file of replies for chat requests (see the comment at the top of main.swift).")
    var script: String?

    @Option(name: .customLong("model"), help: "A model id to list in /v1/models (repeatable).")
    var models: [String] = ["fake-model"]

    @Option(help: "Context length reported for every listed model.")
    var contextLength: Int = 8192

    func run() async throws {
        let replies: [FakeReply]
        if let script {
            replies = try ScriptParser.replies(from: Data(contentsOf: URL(fileURLWithPath: script)))
            guard !replies.isEmpty else { throw ValidationError("\(script) holds no replies") }
        } else {
            replies = [
                .stream(
                    [.text("Hello from "), .text("the fake LLM."), .finish("stop"), .usage(prompt: 10, completion: 5, emptyChoices: true)]
                )
            ]
        }
        let server = try await FakeOpenAIServer.start(
            models: models.map { FakeModel(id: $0, contextLength: contextLength) },
            port: port
        )
        server.loopWhenExhausted(replies)
        FileHandle.standardOutput.write(Data((server.baseURL + "\n").utf8))

        let signals = SignalWaiter(signals: [SIGINT, SIGTERM])
        let received = await signals.next()
        FileHandle.standardError.write(Data("tutor-fake-llm: signal \(received), shutting down\n".utf8))
        try await server.shutdown()
    }
}

/// Waits for one of a set of signals without running code in a signal handler.
final class SignalWaiter: Sendable {
    private let stream: AsyncStream<Int32>
    nonisolated(unsafe) private let sources: [any DispatchSourceSignal]

    init(signals: [Int32]) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        self.stream = stream
        let queue = DispatchQueue(label: "tutor-fake-llm.signals")
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    /// The next signal received.
    func next() async -> Int32 {
        var iterator = stream.makeAsyncIterator()
        return await iterator.next() ?? SIGTERM
    }
}

/// Turns the script JSON into replies.
enum ScriptParser {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    static func replies(from data: Data) throws -> [FakeReply] {
        guard let items = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw Problem(description: "the script must be a JSON array of objects")
        }
        return try items.enumerated().map { index, item in
            do {
                return try reply(item)
            } catch let problem as Problem {
                throw Problem(description: "reply #\(index + 1): \(problem.description)")
            }
        }
    }

    private static func reply(_ item: [String: Any]) throws -> FakeReply {
        let type = item["type"] as? String ?? ""
        switch type {
        case "stream":
            let chunks = try (item["chunks"] as? [Any] ?? []).map(chunk)
            let end: FakeStreamEnd
            switch item["end"] as? String ?? "done" {
            case "done": end = .done
            case "noDone": end = .noDone
            case "drop": end = .drop
            case "stall": end = .stall(.milliseconds(item["stallMs"] as? Int ?? 30_000))
            case let other: throw Problem(description: "unknown end \"\(other)\"")
            }
            return .stream(
                chunks,
                end: end,
                headDelay: .milliseconds(item["headDelayMs"] as? Int ?? 0),
                chunkDelay: .milliseconds(item["chunkDelayMs"] as? Int ?? 0),
                crlf: item["crlf"] as? Bool ?? false,
                splitWrites: item["splitWrites"] as? Bool ?? false,
                multilineData: item["multilineData"] as? Bool ?? false
            )
        case "completion":
            let calls = (item["toolCalls"] as? [[String: Any]] ?? []).map { call in
                (
                    id: call["id"] as? String ?? "call_1", name: call["name"] as? String ?? "",
                    arguments: call["arguments"] as? String ?? "{}"
                )
            }
            return .completion(
                text: item["text"] as? String,
                toolCalls: calls,
                finish: item["finish"] as? String ?? (calls.isEmpty ? "stop" : "tool_calls"),
                prompt: item["prompt"] as? Int ?? 10,
                completion: item["completion"] as? Int ?? 5
            )
        case "json":
            let body: String
            if let text = item["body"] as? String {
                body = text
            } else if let value = item["body"] {
                let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes])
                body = String(decoding: data, as: UTF8.self)
            } else {
                body = "{}"
            }
            let headers = (item["headers"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            return .json(status: item["status"] as? Int ?? 200, body: body, headers: headers)
        case "text":
            return .text(status: item["status"] as? Int ?? 200, body: item["body"] as? String ?? "")
        case "rateLimited":
            return .rateLimited(retryAfterSeconds: item["retryAfterSeconds"] as? Int)
        case "serverError":
            return .serverError(status: item["status"] as? Int ?? 500)
        case "unauthorized":
            return .unauthorized()
        case "unknownModel":
            return .unknownModel(item["model"] as? String ?? "unknown-model")
        case "contextLengthExceeded":
            switch item["dialect"] as? String ?? "openAI" {
            case "openAI": return .contextLengthExceeded(dialect: .openAI)
            case "llamaCpp": return .contextLengthExceeded(dialect: .llamaCpp)
            case "vLLM": return .contextLengthExceeded(dialect: .vLLM)
            case "ollama": return .contextLengthExceeded(dialect: .ollama)
            case let other: throw Problem(description: "unknown dialect \"\(other)\"")
            }
        case "dropConnection":
            return .dropConnection
        default:
            throw Problem(description: "unknown type \"\(type)\"")
        }
    }

    private static func chunk(_ value: Any) throws -> FakeChunk {
        if let text = value as? String { return .text(text) }
        guard let object = value as? [String: Any], object.count == 1, let (key, body) = object.first else {
            throw Problem(description: "a chunk must be a string or an object with one key")
        }
        let fields = body as? [String: Any] ?? [:]
        switch key {
        case "text": return .text(body as? String ?? "")
        case "toolCall":
            return .toolCall(
                index: fields["index"] as? Int,
                id: fields["id"] as? String,
                name: fields["name"] as? String,
                arguments: fields["arguments"] as? String ?? ""
            )
        case "finish": return .finish(body as? String ?? "stop")
        case "usage":
            return .usage(
                prompt: fields["prompt"] as? Int ?? 0,
                completion: fields["completion"] as? Int ?? 0,
                emptyChoices: fields["emptyChoices"] as? Bool ?? true
            )
        case "error":
            return .error(
                message: fields["message"] as? String ?? "error",
                type: fields["type"] as? String ?? "server_error",
                code: fields["code"] as? String
            )
        case "raw": return .raw(body as? String ?? "")
        case "comment": return .comment(body as? String ?? "")
        default: throw Problem(description: "unknown chunk kind \"\(key)\"")
        }
    }
}

do {
    let command = try FakeEndpoint.parse()
    try await command.run()
} catch {
    FakeEndpoint.exit(withError: error)
}
