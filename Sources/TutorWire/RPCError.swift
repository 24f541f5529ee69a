import TutorJSON

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The error object of a JSON-RPC response: a code, a message that says what went wrong and how to fix it,
/// and optional structured data.
public struct RPCError: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String { "\(message) (JSON-RPC error \(code))" }
}

extension RPCError {
    // MARK: Codes defined by JSON-RPC 2.0.
    /// Invalid JSON or invalid UTF-8 was received.
    public static let parseErrorCode = -32700
    /// The JSON is not a valid request object, or the line is too long.
    public static let invalidRequestCode = -32600
    /// The method does not exist.
    public static let methodNotFoundCode = -32601
    /// Invalid method parameters.
    public static let invalidParamsCode = -32602
    /// Internal error in the daemon.
    public static let internalErrorCode = -32603

    // MARK: Tutor's own codes, in the range JSON-RPC reserves for servers.
    /// The daemon is at its connection or in-flight request limit.
    public static let busyCode = -32000
    /// The daemon is shutting down and takes no new requests.
    public static let shuttingDownCode = -32001
    /// The peer is not allowed to use this daemon.
    public static let forbiddenCode = -32002
    /// The connection was idle for too long and is being closed.
    public static let idleTimeoutCode = -32003
    /// A request was understood but its content is not acceptable (an unknown skill, a bad week, …).
    public static let badInputCode = -32010
    /// Something the request needs was not found.
    public static let notFoundCode = -32011
    /// Data on disk could not be read or written.
    public static let storageCode = -32020
    /// The configured model endpoint failed (unreachable, refused the key, timed out, …).
    public static let endpointCode = -32030

    public static func parseError(_ detail: String) -> RPCError {
        RPCError(code: parseErrorCode, message: "Parse error: \(detail). Send one JSON object per line, UTF-8 encoded.")
    }

    public static func invalidRequest(_ detail: String) -> RPCError {
        RPCError(code: invalidRequestCode, message: "Invalid request: \(detail).")
    }

    public static func methodNotFound(_ method: String, known: [String]) -> RPCError {
        RPCError(
            code: methodNotFoundCode,
            message:
                "Method not found: '\(method)' is not a method of this tutord. Known methods: \(known.sorted().joined(separator: ", ")).",
            data: .object(["method": .string(method)])
        )
    }

    public static func invalidParams(_ method: String, _ detail: String) -> RPCError {
        RPCError(code: invalidParamsCode, message: "Invalid params for '\(method)': \(detail).")
    }

    public static func internalError(_ detail: String) -> RPCError {
        RPCError(code: internalErrorCode, message: "Internal error: \(detail). The daemon keeps running; see its log for details.")
    }
}

extension RPCError: LocalizedError {
    /// The message alone, for people and models; `description` adds the code for logs.
    public var errorDescription: String? { message }
}
