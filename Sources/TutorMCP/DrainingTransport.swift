import Logging
import MCP
import TutorJSON

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Stdin and stdout (``LineTransport``) with two duties of their own: it counts requests received and not yet
/// answered, so that at the end of input (a client that wrote its requests and closed stdin) the
/// server answers what it was asked before it exits; and it answers lines that are not JSON-RPC
/// itself, as JSON-RPC 2.0 says (parse error -32700 or invalid request -32600, `id` null when it
/// cannot be read), where the SDK would answer with a made-up id.
actor DrainingTransport: Transport {
    private let inner: LineTransport
    nonisolated let logger: Logger
    private var unanswered = 0

    init(_ inner: LineTransport) {
        self.inner = inner
        self.logger = inner.logger
    }

    func connect() async throws { try await inner.connect() }

    func disconnect() async { await inner.disconnect() }

    func send(_ data: Data) async throws {
        defer { unanswered -= Self.responses(in: data) }
        try await inner.send(data)
    }

    func receive() -> AsyncThrowingStream<Data, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let task = Task {
            do {
                for try await message in await inner.receive() {
                    if let refusal = Self.refusal(of: message) {
                        try? await self.inner.send(Data(refusal.utf8))
                        continue
                    }
                    self.received(message)
                    continuation.yield(message)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Waits until every request received has been answered, for at most `limit`.
    func drain(limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while unanswered > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    private func received(_ message: Data) { unanswered += Self.requests(in: message) }

    /// The error line for a message that is not JSON-RPC, or nil when it is one (or a batch).
    static func refusal(of data: Data) -> String? {
        guard let message = JSONValue.parse(data) else {
            return errorLine(id: .null, code: -32700, "Parse error: the line is not JSON. Send one JSON-RPC 2.0 object per line.")
        }
        if case .array = message { return nil }
        guard case .object = message else {
            return errorLine(id: .null, code: -32600, "Invalid request: a JSON-RPC message is an object.")
        }
        let id = message["id"] ?? .null
        switch id {
        case .string, .int, .null: break
        default: return errorLine(id: .null, code: -32600, "Invalid request: 'id' must be a string or an integer.")
        }
        guard message["jsonrpc"] == .string("2.0") else {
            return errorLine(id: id, code: -32600, "Invalid request: 'jsonrpc' must be \"2.0\".")
        }
        if message["method"] == nil, message["result"] == nil, message["error"] == nil {
            return errorLine(id: id, code: -32600, "Invalid request: a request needs a 'method'.")
        }
        if let method = message["method"], method.string == nil {
            return errorLine(id: id, code: -32600, "Invalid request: 'method' must be a string.")
        }
        return nil
    }

    private static func errorLine(id: JSONValue, code: Int, _ message: String) -> String {
        JSONValue.object([
            "jsonrpc": "2.0", "id": id, "error": .object(["code": .int(Int64(code)), "message": .string(message)]),
        ]).encodedString()
    }

    /// Requests (an `id` and a `method`) in a message or a batch.
    static func requests(in data: Data) -> Int {
        count(in: data) { $0["method"] != nil && $0["id"] != nil }
    }

    /// Responses (an `id` and no `method`) in a message or a batch.
    static func responses(in data: Data) -> Int {
        count(in: data) { $0["method"] == nil && $0["id"] != nil }
    }

    private static func count(in data: Data, where matches: (JSONValue) -> Bool) -> Int {
        switch JSONValue.parse(data) {
        case .array(let items)?: items.filter(matches).count
        case let item?: matches(item) ? 1 : 0
        case nil: 0
        }
    }
}
