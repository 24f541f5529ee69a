import TutorWire

/// A failure seen by the client: what happened, and the exit code the CLI reports for it.
public struct ClientError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// No daemon listens on the socket, or one could not be started.
        case unreachable
        /// The daemon answered with a JSON-RPC error.
        case daemon
        /// The connection dropped mid-call.
        case disconnected
        /// The daemon sent something this client cannot read.
        case protocolError
        /// The command line was wrong.
        case usage
        /// The socket is not safely the user's own (another user owns it, its folder or the
        /// listener); nothing was sent.
        case untrustedSocket
    }

    public let code: Code
    public let message: String
    /// The daemon's error, when `code` is `.daemon`.
    public let rpcError: RPCError?

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
        self.rpcError = nil
    }

    public init(daemon error: RPCError) {
        self.code = .daemon
        self.message = error.message
        self.rpcError = error
    }

    /// The documented exit code: 1 daemon error, 2 usage error, 3 daemon unreachable (or
    /// its socket cannot be trusted).
    public var exitCode: Int32 {
        switch code {
        case .daemon, .protocolError: 1
        case .usage: 2
        case .unreachable, .disconnected, .untrustedSocket: 3
        }
    }

    public var description: String { message }
}
