import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A blocking Unix-socket client that sends exactly the bytes it is given: garbage, half lines,
/// oversized lines. Tests use it where the real client would refuse to send such things.
public final class RawSocket {
    private let fd: Int32
    private var pending: [UInt8] = []

    /// Connects to `path`; throws when nothing listens.
    public init(path: String, receiveTimeout: Duration = .seconds(10)) throws {
        fd = try Self.connect(path: path)
        let seconds = receiveTimeout.components.seconds
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int(receiveTimeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// A connected Unix stream socket's descriptor; throws when nothing listens at `path`.
    static func connect(path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestingError("socket() failed: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() where index < raw.count - 1 { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw TestingError("connect(\(path)) failed: \(String(cString: strerror(code)))")
        }
        return fd
    }

    /// Sends all of `bytes`.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw TestingError("send failed: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Reads one line (without its newline); nil at end of stream; throws on timeout.
    public func readLine() throws -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeFirst(newline + 1)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = recv(fd, &chunk, chunk.count, 0)
            if count == 0 { return nil }
            if count < 0 { throw TestingError("recv failed: \(String(cString: strerror(errno)))") }
            pending += chunk[0..<count]
        }
    }

    /// The complete lines that have arrived so far, without waiting.
    public func drain() throws -> [String] {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &chunk, chunk.count, Int32(MSG_DONTWAIT))
            if count > 0 {
                pending += chunk[0..<count]
                continue
            }
            if count == 0 || errno == EAGAIN || errno == EWOULDBLOCK { break }
            throw TestingError("recv failed: \(String(cString: strerror(errno)))")
        }
        var lines: [String] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: pending[..<newline], as: UTF8.self))
            pending.removeFirst(newline + 1)
        }
        return lines
    }

    /// Reads one line and parses it as a JSON object.
    public func readJSON() throws -> [String: Any]? {
        guard let line = try readLine() else { return nil }
        return try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }

    /// Whether the peer has closed the connection (reads until end of stream or timeout).
    public func waitForClose() -> Bool {
        while true {
            do {
                if try readLine() == nil { return true }
            } catch {
                return false
            }
        }
    }
}
