#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns envelopes into lines and lines into envelopes, with errors that say what was wrong.
///
/// A line is one JSON object, UTF-8, with no newline inside; the transport adds and strips the `\n`.
public enum WireCodec {
    /// Encodes `value` as one compact JSON line, newline included.
    public static func encodeLine(_ value: some Encodable) throws -> [UInt8] {
        let encoder = makeEncoder()
        var bytes = [UInt8](try encoder.encode(value))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// The encoder every wire message uses: compact, sorted keys, ISO 8601 dates.
    public static func makeEncoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// The decoder every wire message uses (ISO 8601 dates).
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Reads a request line as the daemon sees it: either a well-formed request head or the error
    /// response to send back.
    public static func decodeRequest(_ line: [UInt8]) -> Result<RequestHead, ErrorResponse> {
        let probe: EnvelopeProbe
        switch probeEnvelope(line) {
        case .success(let parsed): probe = parsed
        case .failure(let error): return .failure(ErrorResponse(id: nil, error: error))
        }
        if let problem = probe.idProblem {
            return .failure(ErrorResponse(id: nil, error: .invalidRequest(problem)))
        }
        guard probe.jsonrpc == JSONRPC.version else {
            return .failure(ErrorResponse(id: probe.id, error: .invalidRequest("\"jsonrpc\" must be \"2.0\"")))
        }
        guard let method = probe.method, !method.isEmpty else {
            return .failure(ErrorResponse(id: probe.id, error: .invalidRequest("\"method\" must be a non-empty string")))
        }
        switch probe.params {
        case .absent, .object: break
        case .other:
            return .failure(
                ErrorResponse(id: probe.id, error: .invalidParams(method, "params must be an object of named values"))
            )
        }
        return .success(RequestHead(id: probe.id, method: method, hasParams: probe.params == .object, raw: Data(line)))
    }

    /// Reads a line as the client sees it: a response to a request, or a notification.
    public static func decodeIncoming(_ line: [UInt8]) throws(RPCError) -> Incoming {
        let probe = try probeEnvelope(line).get()
        if let method = probe.method {
            return .notification(method: method, raw: Data(line))
        }
        if let error = probe.error {
            return .failure(id: probe.id, error: error)
        }
        guard let id = probe.id, probe.hasResult else {
            throw RPCError.invalidRequest("the daemon sent a message with neither a result, an error nor a method")
        }
        return .success(id: id, raw: Data(line))
    }

    /// Reads a line as the client sees it in one pass, decoding a result as `Result` directly.
    public static func decodeReply<Result: Decodable>(_ type: Result.Type, from line: [UInt8]) throws(RPCError) -> Reply<Result> {
        if let method = notificationMethod(line) { return .notification(method: method, raw: Data(line)) }
        let envelope: ReplyEnvelope<Result>
        do {
            envelope = try makeDecoder().decode(ReplyEnvelope<Result>.self, from: Data(line))
        } catch {
            // Fall back to the slow path for a precise message about what was wrong.
            switch try decodeIncoming(line) {
            case .notification(let method, let raw): return .notification(method: method, raw: raw)
            case .failure(let id, let error): return .failure(id: id, error: error)
            case .success:
                throw RPCError.internalError("the daemon's reply did not match the expected shape (\(describe(error)))")
            }
        }
        if let method = envelope.method { return .notification(method: method, raw: Data(line)) }
        if let error = envelope.error { return .failure(id: envelope.id, error: error) }
        guard let id = envelope.id, let result = envelope.result else {
            throw RPCError.invalidRequest("the daemon sent a message with neither a result, an error nor a method")
        }
        return .success(id: id, result: result)
    }

    private static let notificationPrefix = Array(#"{"jsonrpc":"2.0","method":""#.utf8)

    /// The method of a notification line written as the daemon writes them (sorted keys, so it
    /// starts `{"jsonrpc":"2.0","method":"`), read without parsing the line; nil for any other
    /// line, which takes the full decoding path. Its params are checked when they are decoded.
    static func notificationMethod(_ line: [UInt8]) -> String? {
        guard line.last == UInt8(ascii: "}"), line.starts(with: notificationPrefix) else { return nil }
        let start = notificationPrefix.count
        var end = start
        while end < line.count {
            let byte = line[end]
            if byte == UInt8(ascii: "\"") { break }
            // Escapes and non-ASCII (never in method names) take the full path.
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
            end += 1
        }
        guard end > start, end < line.count else { return nil }
        return String(decoding: line[start..<end], as: UTF8.self)
    }

    /// Decodes the `result` member of a response line.
    public static func decodeResult<Result: Decodable>(_ type: Result.Type, from raw: Data) throws(RPCError) -> Result {
        do {
            return try makeDecoder().decode(ResultEnvelope<Result>.self, from: raw).result
        } catch {
            throw RPCError.internalError("the daemon's reply did not match the expected shape (\(describe(error)))")
        }
    }

    private static func probeEnvelope(_ line: [UInt8]) -> Result<EnvelopeProbe, RPCError> {
        if line.count > JSONRPC.maximumLineBytes {
            return .failure(
                .invalidRequest("the line is \(line.count) bytes; the limit is \(JSONRPC.maximumLineBytes) bytes (1 MiB)")
            )
        }
        if String(validating: line, as: UTF8.self) == nil {
            let offset = firstInvalidUTF8Offset(line) ?? 0
            return .failure(.parseError("the line is not valid UTF-8 (first bad byte at offset \(offset))"))
        }
        // Deep nesting is refused before a recursive parser sees it: parsing it could exhaust the
        // small stack of the thread that reads the socket.
        if nestingDepth(line, stoppingAfter: JSONRPC.maximumNestingDepth) > JSONRPC.maximumNestingDepth {
            return .failure(
                .invalidRequest(
                    "the request nests arrays or objects more than \(JSONRPC.maximumNestingDepth) levels deep; send a flatter request"))
        }
        do {
            return .success(try makeDecoder().decode(EnvelopeProbe.self, from: Data(line)))
        } catch let error as EnvelopeProbe.NotAnObject {
            return .failure(
                .invalidRequest(
                    error.isArray
                        ? "batch requests are not supported; send one request object per line"
                        : "a request must be a JSON object"))
        } catch {
            return .failure(.parseError("the line is not valid JSON (\(describe(error)))"))
        }
    }

    /// The deepest nesting of arrays and objects in JSON text (brackets inside strings do not
    /// count), scanning no further once it passes `limit`.
    public static func nestingDepth(_ bytes: [UInt8], stoppingAfter limit: Int) -> Int {
        var depth = 0, deepest = 0
        var inString = false, escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
                if deepest > limit { return deepest }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// A short, human description of a decoding error: which field and what was wrong.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the value" : "'\(keys.joined(separator: "."))'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context))"
            return "missing field '\(key.stringValue)'\(parent)"
        case .typeMismatch(let type, let context):
            return "\(path(context)) should be \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context)) is null but should be \(typeName(type))"
        case .dataCorrupted(let context):
            let underlying = context.debugDescription
            return context.codingPath.isEmpty ? underlying : "\(path(context)): \(underlying)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }

    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}

/// A request whose envelope is valid; its params are decoded on demand into the method's type.
public struct RequestHead: Sendable {
    public var id: RequestID?
    public var method: String
    /// Whether the request carried a params object (absent and null params decode as `{}`).
    public var hasParams: Bool
    var raw: Data

    /// Decodes the params into `type`, treating missing params as an empty object.
    public func decodeParams<P: Decodable>(_ type: P.Type) throws(RPCError) -> P {
        do {
            if !hasParams { return try WireCodec.makeDecoder().decode(P.self, from: Data("{}".utf8)) }
            return try WireCodec.makeDecoder().decode(ParamsEnvelope<P>.self, from: raw).params
        } catch {
            throw RPCError.invalidParams(method, WireCodec.describe(error))
        }
    }
}

/// What a client reads from the daemon.
public enum Incoming: Sendable {
    case success(id: RequestID, raw: Data)
    case failure(id: RequestID?, error: RPCError)
    case notification(method: String, raw: Data)
}

private struct ParamsEnvelope<P: Decodable>: Decodable { var params: P }

/// A reply or notification, with the result decoded as its expected type when present.
private struct ReplyEnvelope<R: Decodable>: Decodable {
    var id: RequestID?
    var method: String?
    var result: R?
    var error: RPCError?
}

/// What a client reads, with a typed result.
public enum Reply<Result: Sendable>: Sendable {
    case success(id: RequestID, result: Result)
    case failure(id: RequestID?, error: RPCError)
    case notification(method: String, raw: Data)
}
private struct ResultEnvelope<R: Decodable>: Decodable { var result: R }

extension Incoming {
    /// Decodes the params of a notification line into `type`.
    public static func decodeNotification<P: Decodable>(_ type: P.Type, from raw: Data) throws(RPCError) -> P {
        do {
            return try WireCodec.makeDecoder().decode(ParamsEnvelope<P>.self, from: raw).params
        } catch {
            throw RPCError.internalError("a notification had an unexpected shape (\(WireCodec.describe(error)))")
        }
    }
}

/// The envelope's members, read in one pass without decoding params or result.
///
/// Each member is checked for its type by hand so a wrong type becomes a precise message rather
/// than a generic decoding failure; params and result are only located, never decoded here.
struct EnvelopeProbe: Decodable {
    enum ParamsKind: Equatable { case absent, object, other }
    struct NotAnObject: Error { var isArray: Bool }

    var jsonrpc: String?
    var id: RequestID?
    var idProblem: String?
    var method: String?
    var params: ParamsKind = .absent
    var hasResult = false
    var error: RPCError?

    private enum Key: String, CodingKey { case jsonrpc, id, method, params, result, error }

    init(from decoder: any Decoder) throws {
        let container: KeyedDecodingContainer<Key>
        do {
            container = try decoder.container(keyedBy: Key.self)
        } catch DecodingError.typeMismatch {
            throw NotAnObject(isArray: (try? decoder.unkeyedContainer()) != nil)
        }
        jsonrpc = try? container.decodeIfPresent(String.self, forKey: .jsonrpc)
        if container.contains(.id), (try? container.decodeNil(forKey: .id)) ?? false {
            // A request with "id": null is neither answerable by id nor a notification: refused,
            // not run (read by a client, an error reply's null id is just unknown).
            idProblem = "\"id\" is null; give an integer or a string, or leave \"id\" out for a notification (which gets no reply)"
        } else if container.contains(.id) {
            if let number = try? container.decode(Int64.self, forKey: .id) {
                id = .number(number)
            } else if let string = try? container.decode(String.self, forKey: .id) {
                id = .string(string)
            } else {
                idProblem = "\"id\" must be an integer or a string"
            }
        }
        method = try? container.decodeIfPresent(String.self, forKey: .method)
        if container.contains(.params), !((try? container.decodeNil(forKey: .params)) ?? false) {
            params = (try? container.nestedContainer(keyedBy: Key.self, forKey: .params)) != nil ? .object : .other
        }
        hasResult = container.contains(.result)
        if container.contains(.error) {
            error = try container.decode(RPCError.self, forKey: .error)
        }
    }
}
