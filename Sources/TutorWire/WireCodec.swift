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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = [UInt8](try encoder.encode(value))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// Reads a request line as the daemon sees it: either a well-formed request head or the error
    /// response to send back.
    public static func decodeRequest(_ line: [UInt8]) -> Result<RequestHead, ErrorResponse> {
        let object: [String: JSONValue]
        switch parseObject(line) {
        case .success(let parsed): object = parsed
        case .failure(let error): return .failure(ErrorResponse(id: nil, error: error))
        }
        let id: RequestID?
        switch object["id"] {
        case nil: id = nil
        case .int(let number): id = .number(number)
        case .string(let string): id = .string(string)
        default:
            return .failure(
                ErrorResponse(id: nil, error: .invalidRequest("\"id\" must be an integer or a string"))
            )
        }
        guard object["jsonrpc"] == .string(JSONRPC.version) else {
            return .failure(ErrorResponse(id: id, error: .invalidRequest("\"jsonrpc\" must be \"2.0\"")))
        }
        guard case .string(let method) = object["method"], !method.isEmpty else {
            return .failure(
                ErrorResponse(id: id, error: .invalidRequest("\"method\" must be a non-empty string"))
            )
        }
        switch object["params"] {
        case nil, .null, .object: break
        default:
            return .failure(
                ErrorResponse(id: id, error: .invalidParams(method, "params must be an object of named values"))
            )
        }
        return .success(RequestHead(id: id, method: method, params: object["params"] ?? .null, raw: Data(line)))
    }

    /// Reads a line as the client sees it: a response to a request, or a notification.
    public static func decodeIncoming(_ line: [UInt8]) throws(RPCError) -> Incoming {
        let object = try parseObject(line).get()
        if case .string(let method) = object["method"] {
            return .notification(method: method, params: object["params"] ?? .null, raw: Data(line))
        }
        let id: RequestID?
        switch object["id"] {
        case .int(let number): id = .number(number)
        case .string(let string): id = .string(string)
        default: id = nil
        }
        if let error = object["error"] {
            let decoded = try decode(RPCError.self, from: error, what: "error object")
            return .failure(id: id, error: decoded)
        }
        guard let id, object["result"] != nil else {
            throw RPCError.invalidRequest("the daemon sent a message with neither a result, an error nor a method")
        }
        return .success(id: id, raw: Data(line))
    }

    /// Decodes the `result` member of a response line.
    public static func decodeResult<Result: Decodable>(_ type: Result.Type, from raw: Data) throws(RPCError) -> Result {
        do {
            return try JSONDecoder().decode(ResultEnvelope<Result>.self, from: raw).result
        } catch {
            throw RPCError.internalError("the daemon's reply did not match the expected shape (\(describe(error)))")
        }
    }

    private static func parseObject(_ line: [UInt8]) -> Result<[String: JSONValue], RPCError> {
        if line.count > JSONRPC.maximumLineBytes {
            return .failure(
                .invalidRequest("the line is \(line.count) bytes; the limit is \(JSONRPC.maximumLineBytes) bytes (1 MiB)")
            )
        }
        if String(validating: line, as: UTF8.self) == nil {
            let offset = firstInvalidUTF8Offset(line) ?? 0
            return .failure(.parseError("the line is not valid UTF-8 (first bad byte at offset \(offset))"))
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(line))
        } catch {
            return .failure(.parseError("the line is not valid JSON (\(describe(error)))"))
        }
        switch value {
        case .object(let object): return .success(object)
        case .array: return .failure(.invalidRequest("batch requests are not supported; send one request object per line"))
        default: return .failure(.invalidRequest("a request must be a JSON object"))
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, what: String) throws(RPCError) -> T {
        do {
            let data = try JSONEncoder().encode(value)
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw RPCError.invalidRequest("the \(what) has the wrong shape (\(describe(error)))")
        }
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
    public var params: JSONValue
    var raw: Data

    /// Decodes the params into `type`, treating missing params as an empty object.
    public func decodeParams<P: Decodable>(_ type: P.Type) throws(RPCError) -> P {
        do {
            if case .null = params { return try JSONDecoder().decode(P.self, from: Data("{}".utf8)) }
            return try JSONDecoder().decode(ParamsEnvelope<P>.self, from: raw).params
        } catch {
            throw RPCError.invalidParams(method, WireCodec.describe(error))
        }
    }
}

/// What a client reads from the daemon.
public enum Incoming: Sendable {
    case success(id: RequestID, raw: Data)
    case failure(id: RequestID?, error: RPCError)
    case notification(method: String, params: JSONValue, raw: Data)
}

private struct ParamsEnvelope<P: Decodable>: Decodable { var params: P }
private struct ResultEnvelope<R: Decodable>: Decodable { var result: R }

extension Incoming {
    /// Decodes the params of a notification line into `type`.
    public static func decodeNotification<P: Decodable>(_ type: P.Type, from raw: Data) throws(RPCError) -> P {
        do {
            return try JSONDecoder().decode(ParamsEnvelope<P>.self, from: raw).params
        } catch {
            throw RPCError.internalError("a notification had an unexpected shape (\(WireCodec.describe(error)))")
        }
    }
}
