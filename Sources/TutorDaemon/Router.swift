import Logging
import Synchronization
import TutorApp
import TutorModel
import TutorStore
import TutorWire

/// What a method handler knows about the request it serves, and how it streams events back.
public struct RequestContext: Sendable {
    public let id: RequestID?
    public let logger: Logger
    let send: nonisolated(nonsending) @Sendable ([UInt8]) async -> Void
    /// Notifications to send just before the reply, in the same write.
    let beforeReply = HeldLines()

    /// Sends a notification (a streamed event) to the client that made this request.
    public nonisolated(nonsending) func notify<Params: Codable & Sendable>(_ method: String, _ params: Params) async {
        guard let line = Self.line(method, params) else { return }
        await send(line)
    }

    /// A notification's line; written directly when its params can (chat events, every turn).
    static func line<Params: Codable & Sendable>(_ method: String, _ params: Params) -> [UInt8]? {
        if let direct = params as? any JSONTextWritable, let line = WireCodec.notificationLine(method: method, params: direct) {
            return line
        }
        return try? WireCodec.encodeLine(Notification(id: nil, method: method, params: params))
    }

    /// Sends a notification with the reply, in one write: for the last event of a request, it
    /// spares a write of its own. It still arrives before the reply, and also when the handler fails.
    public func notifyWithReply<Params: Codable & Sendable>(_ method: String, _ params: Params) {
        guard let line = Self.line(method, params) else { return }
        beforeReply.append(line)
    }
}

/// Lines held back to go out with a reply.
final class HeldLines: Sendable {
    private let lines = Mutex<[UInt8]>([])

    func append(_ line: [UInt8]) { lines.withLock { $0 += line } }

    /// The held lines followed by `reply`; the held lines alone when there is no reply.
    func take(before reply: [UInt8]?) -> [UInt8]? {
        let held = lines.withLock { lines in
            defer { lines = [] }
            return lines
        }
        guard !held.isEmpty else { return reply }
        return held + (reply ?? [])
    }
}

/// Maps method names to handlers and turns any request line into a response line.
///
/// Every failure becomes a JSON-RPC error with a message that names the problem; nothing a client
/// sends can make the router throw.
public struct Router: Sendable {
    typealias Handler = @Sendable (RequestHead, RequestContext) async throws -> [UInt8]
    typealias ImmediateHandler = @Sendable (RequestHead) throws -> [UInt8]
    private var handlers: [String: Handler] = [:]
    private var immediateHandlers: [String: ImmediateHandler] = [:]
    private let logger = Logger(label: "tutord.router")

    public init() {}

    /// The names of every registered method.
    public var methods: [String] { Array(handlers.keys) + Array(immediateHandlers.keys) }

    /// Registers a quick, synchronous handler: it runs on the connection's event loop, so it must
    /// only read memory or do one small indexed read of the store, and never wait on anything.
    public mutating func registerImmediate<M: RPCMethod>(
        _ method: M.Type,
        _ body: @escaping @Sendable (M.Params) throws -> M.Result
    ) {
        immediateHandlers[M.name] = { head in
            let params = try head.decodeParams(M.Params.self)
            return try WireCodec.encodeLine(Response(id: head.id ?? .number(0), result: try body(params)))
        }
    }

    /// What the event loop made of a line: answered there, or a request for the async path.
    public enum Immediate: Sendable {
        /// Answered; nil for a handled notification (no reply).
        case answered([UInt8]?)
        /// A well-formed request for an async method, to be served by ``respond(to:context:)-(RequestHead,_)``.
        case request(RequestHead)
    }

    /// Answers `line` at once when it is malformed or names an immediate method; otherwise hands
    /// back the decoded request, so the async path does not read the line again.
    public func respondImmediately(to line: [UInt8]) -> Immediate {
        let head: RequestHead
        switch WireCodec.decodeRequest(line) {
        case .success(let decoded): head = decoded
        case .failure(let response): return .answered(try? WireCodec.encodeLine(response))
        }
        if handlers[head.method] == nil && immediateHandlers[head.method] == nil {
            return .answered(head.id == nil ? nil : Self.errorLine(id: head.id, .methodNotFound(head.method, known: methods)))
        }
        guard let handler = immediateHandlers[head.method] else { return .request(head) }
        do {
            let response = try handler(head)
            return .answered(head.id == nil ? nil : response)
        } catch {
            var requestLogger = logger
            if let id = head.id { requestLogger[metadataKey: "rpc.id"] = "\(id)" }
            let rpcError = Self.rpcError(for: error, method: head.method, logger: requestLogger)
            return .answered(head.id == nil ? nil : Self.errorLine(id: head.id, rpcError))
        }
    }

    /// Registers `body` as the handler of method `M`.
    public mutating func register<M: RPCMethod>(
        _ method: M.Type,
        _ body: @escaping @Sendable (M.Params, RequestContext) async throws -> M.Result
    ) {
        handlers[M.name] = { head, context in
            let params = try head.decodeParams(M.Params.self)
            let result = try await body(params, context)
            // Written directly when the result can (a chat turn's reply, every turn).
            if let direct = result as? any JSONTextWritable, let line = WireCodec.responseLine(id: head.id ?? .number(0), result: direct) {
                return line
            }
            return try WireCodec.encodeLine(Response(id: head.id ?? .number(0), result: result))
        }
    }

    /// Handles one request line; returns the response line, or nil for a notification.
    public func respond(to line: [UInt8], context makeContext: (RequestID?) -> RequestContext) async -> [UInt8]? {
        switch WireCodec.decodeRequest(line) {
        case .success(let head): return await respond(to: head, context: makeContext)
        case .failure(let response): return try? WireCodec.encodeLine(response)
        }
    }

    /// Handles one decoded request; returns the response line, or nil for a notification.
    public func respond(to head: RequestHead, context makeContext: (RequestID?) -> RequestContext) async -> [UInt8]? {
        let context = makeContext(head.id)
        if let immediate = immediateHandlers[head.method] {
            do {
                let response = try immediate(head)
                return head.id == nil ? nil : response
            } catch {
                return head.id == nil
                    ? nil : Self.errorLine(id: head.id, Self.rpcError(for: error, method: head.method, logger: context.logger))
            }
        }
        guard let handler = handlers[head.method] else {
            return head.id == nil ? nil : Self.errorLine(id: head.id, .methodNotFound(head.method, known: methods))
        }
        let response: [UInt8]?
        do {
            let line = try await handler(head, context)
            response = head.id == nil ? nil : line
        } catch {
            let rpcError = Self.rpcError(for: error, method: head.method, logger: context.logger)
            response = head.id == nil ? nil : Self.errorLine(id: head.id, rpcError)
        }
        return context.beforeReply.take(before: response)
    }

    /// The error line for `error` answering request `id`.
    public static func errorLine(id: RequestID?, _ error: RPCError) -> [UInt8] {
        (try? WireCodec.encodeLine(ErrorResponse(id: id, error: error)))
            ?? Array("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,\"message\":\"Internal error\"}}\n".utf8)
    }

    /// The one place errors become JSON-RPC error codes: the application's ``AppError`` by its
    /// code, the store's by theirs, the endpoint's, cancellation at shutdown, and anything else as internal.
    static func rpcError(for error: any Error, method: String, logger: Logger) -> RPCError {
        switch error {
        case let error as RPCError:
            return error
        case let error as AppError:
            switch error.code {
            case .notFound: return RPCError(code: RPCError.notFoundCode, message: error.message)
            default: return RPCError(code: RPCError.badInputCode, message: error.message)
            }
        case let error as StoreError:
            switch error.code {
            case .invalidInput: return RPCError(code: RPCError.badInputCode, message: error.description)
            case .notFound: return RPCError(code: RPCError.notFoundCode, message: error.description)
            default:
                logger.error("storage failure", metadata: ["rpc.method": "\(method)", "error": "\(error)"])
                return RPCError(code: RPCError.storageCode, message: error.description)
            }
        case let error as LLMError:
            logger.warning("the model endpoint failed", metadata: ["rpc.method": "\(method)", "llm.error": "\(error.code.rawValue)"])
            return RPCError(code: RPCError.endpointCode, message: "The model endpoint failed: \(error)")
        case is CancellationError:
            return RPCError(
                code: RPCError.shuttingDownCode,
                message: "The request was cancelled because tutord is shutting down; run it again once the daemon is back.")
        default:
            logger.error("request failed", metadata: ["rpc.method": "\(method)", "error": "\(error)"])
            return .internalError("'\(method)' failed (\(error))")
        }
    }
}
