import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure to connect that a retry cannot fix: the address itself is wrong. Recognised so the
/// transport fails at once with what to check instead of retrying for the whole retry budget.
enum ConnectFailureKind: Sendable, Equatable {
    /// Nothing listens at the host and port (every address refused the connection).
    case refused
    /// The host name did not resolve.
    case unknownHost
    /// The TLS handshake failed, as it does when `https://` meets a plain HTTP server.
    case tls

    /// The kind of `error`, or nil when a retry might help (a timeout, a dropped connection, …).
    init?(_ error: any Error) {
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED {
            self = .refused
        } else if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty {
                guard error.dnsAError != nil || error.dnsAAAAError != nil else { return nil }
                self = .unknownHost
            } else if error.connectionErrors.allSatisfy({ ($0.error as? IOError)?.errnoCode == ECONNREFUSED }) {
                self = .refused
            } else {
                return nil
            }
        } else if error is SocketAddressError {
            self = .unknownHost
        } else if String(reflecting: type(of: error)).hasPrefix("NIOSSL.") {
            // TutorLLM does not link NIOSSL itself; AsyncHTTPClient hands its errors through.
            self = .tls
        } else {
            return nil
        }
    }
}
