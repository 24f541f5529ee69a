/// JSON-RPC 2.0 envelopes exchanged between `tutor` and `tutord`, one JSON object per line.
///
/// The wire is deliberately small: requests carry an ``RequestID`` and typed params, responses carry
/// either a typed result or an ``RPCError``, and notifications (no id) carry streamed events.
/// Nothing here knows about sockets or NIO; framing lives with the transports.
public enum JSONRPC {
    /// The `jsonrpc` member every envelope carries.
    public static let version = "2.0"
    /// The longest line, in bytes and without its newline, that either side accepts.
    public static let maximumLineBytes = 1 << 20
    /// How deeply arrays and objects may nest in a request; deeper lines are refused before parsing.
    public static let maximumNestingDepth = 64
}

/// A request identifier: JSON-RPC allows numbers and strings.
public enum RequestID: Hashable, Sendable, Codable, CustomStringConvertible {
    case number(Int64)
    case string(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else {
            throw DecodingError.typeMismatch(
                RequestID.self,
                .init(codingPath: decoder.codingPath, debugDescription: "an id must be an integer or a string")
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let number): try container.encode(number)
        case .string(let string): try container.encode(string)
        }
    }

    public var description: String {
        switch self {
        case .number(let number): "\(number)"
        case .string(let string): "\"\(string)\""
        }
    }
}

/// A request to call `method` with `params`; without an id it is a notification.
public struct Request<Params: Codable & Sendable>: Codable, Sendable {
    public var jsonrpc: String
    public var id: RequestID?
    public var method: String
    public var params: Params

    public init(id: RequestID?, method: String, params: Params) {
        self.jsonrpc = JSONRPC.version
        self.id = id
        self.method = method
        self.params = params
    }
}

/// A notification: a method call that expects no reply (used for streamed events).
public typealias Notification<Params: Codable & Sendable> = Request<Params>

/// A successful response.
public struct Response<Result: Codable & Sendable>: Codable, Sendable {
    public var jsonrpc: String
    public var id: RequestID
    public var result: Result

    public init(id: RequestID, result: Result) {
        self.jsonrpc = JSONRPC.version
        self.id = id
        self.result = result
    }
}

/// A failed response; `id` is null when the request could not be read far enough to find one.
public struct ErrorResponse: Error, Codable, Sendable {
    public var jsonrpc: String
    public var id: RequestID?
    public var error: RPCError

    public init(id: RequestID?, error: RPCError) {
        self.jsonrpc = JSONRPC.version
        self.id = id
        self.error = error
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(jsonrpc, forKey: .jsonrpc)
        // JSON-RPC requires `"id": null` rather than a missing id when it is unknown.
        if let id { try container.encode(id, forKey: .id) } else { try container.encodeNil(forKey: .id) }
        try container.encode(error, forKey: .error)
    }
}

/// Params for methods that take none; accepts a missing, empty or `null` params member and
/// rejects any named value, so a misspelt option is reported rather than ignored.
public struct NoParams: Codable, Sendable, Equatable {
    public init() {}
    public init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: AnyKey.self) else { return }
        if let key = container.allKeys.first {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "this method takes no params; remove '\(key.stringValue)'")
        }
    }
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: CodingKeys.self)
    }
    private enum CodingKeys: CodingKey {}
}
