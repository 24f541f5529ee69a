import MCP
import TutorClient
import TutorJSON
import TutorWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How the MCP server reaches `tutord`: the socket, and how to start the daemon when none answers
/// (the `tutor` executable's own autostart, so `tutor mcp` behaves like every `tutor` command).
public struct DaemonLink: Sendable {
    public let socketPath: String
    /// Starts `tutord` and waits for its socket; throws a ``ClientError`` saying why it cannot.
    let startDaemon: @Sendable () async throws -> Void

    /// A link to the daemon at `socketPath`; `startDaemon` starts one when none answers.
    public init(socketPath: String, startDaemon: @escaping @Sendable () async throws -> Void) {
        self.socketPath = socketPath
        self.startDaemon = startDaemon
    }

    /// Calls one method on a connection of its own, starting the daemon once when none answers.
    /// Failures come back as the MCP error a client shows: bad params stay `invalidParams`.
    func call<M: RPCMethod>(_ method: M.Type, _ params: M.Params) async throws -> M.Result {
        do {
            do {
                return try await TutorConnection.call(socketPath: socketPath, method, params)
            } catch let error as ClientError where error.code == .unreachable {
                try await startDaemon()
                return try await TutorConnection.call(socketPath: socketPath, method, params)
            }
        } catch let error as ClientError {
            throw Self.mcpError(error)
        }
    }

    /// The MCP error for a client failure, its message kept whole.
    static func mcpError(_ error: ClientError) -> MCPError {
        if let rpc = error.rpcError, rpc.code == RPCError.invalidParamsCode {
            return .invalidParams(rpc.message)
        }
        return .internalError("tutor: \(error.message)")
    }
}

/// JSON values between the tutor's `JSONValue` and the SDK's `Value`, through their Codable forms.
enum JSONBridge {
    /// The SDK's value for a tutor `JSONValue`, case by case: decoding through `Value`'s `Codable`
    /// form would match every string against the SDK's data-URL regex, built anew for each string.
    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: .null
        case .bool(let value): .bool(value)
        case .int(let value): .int(Int(value))
        case .double(let value): .double(value)
        case .string(let value): .string(value)
        case .array(let items): .array(items.map(value))
        case .object(let members): .object(members.mapValues(value))
        }
    }

    /// A tutor `JSONValue` from an SDK value.
    static func json(_ value: Value) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(value))
    }

    /// The text of an `Encodable` wire result, as the daemon wrote it (sorted keys, ISO 8601 dates).
    static func text(_ value: some Encodable, pretty: Bool = false) throws -> String {
        String(decoding: try WireCodec.makeEncoder(pretty: pretty).encode(value), as: UTF8.self)
    }
}
