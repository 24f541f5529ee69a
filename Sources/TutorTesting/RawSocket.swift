import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A Unix-socket client that sends exactly the bytes it is given: garbage, half lines, oversized
/// lines. Tests use it where the real client would refuse to send such things.
///
/// Reads never block a thread: they poll the socket and sleep between polls. A test that blocked
/// in `recv` would hold one of the few threads Swift concurrency has (two on a two-core machine)
/// and starve every other test's timers, which is how a 0.4 s stall timer once took 9 s in CI.
public final class RawSocket {
    private let fd: Int32
    private var pending: [UInt8] = []
    private let receiveTimeout: Duration

    /// Connects to `path`; throws when nothing listens. A read that waits longer than
    /// `receiveTimeout` for its line throws.
    public init(path: String, receiveTimeout: Duration = .seconds(10)) throws {
        fd = try Self.connect(path: path)
        self.receiveTimeout = receiveTimeout
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
    public func readLine() async throws -> String? {
        let deadline = ContinuousClock.now + receiveTimeout
        while true {
            if let line = try nextLine() { return line }
            guard ContinuousClock.now < deadline else { throw TestingError("no line within \(receiveTimeout)") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// `readLine()` holding the calling thread while it waits, for benchmarks that time a round trip
    /// to the microsecond and run nothing else meanwhile.
    public func blockingReadLine() throws -> String? {
        let deadline = ContinuousClock.now + receiveTimeout
        while true {
            if let line = try nextLine() { return line }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw TestingError("no line within \(receiveTimeout)") }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)))
        }
    }

    /// A complete line from what has arrived, `.some(nil)` at end of stream, nil when there is none yet.
    private func nextLine() throws -> String?? {
        if let line = takeLine() { return .some(line) }
        let ended = try receiveAvailable()
        if let line = takeLine() { return .some(line) }
        return ended ? .some(nil) : nil
    }

    private func takeLine() -> String? {
        guard let newline = pending.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = String(decoding: pending[..<newline], as: UTF8.self)
        pending.removeFirst(newline + 1)
        return line
    }

    /// Appends what has arrived to `pending` without waiting; true at end of stream.
    private func receiveAvailable() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &chunk, chunk.count, Int32(MSG_DONTWAIT))
            if count > 0 {
                pending += chunk[0..<count]
                continue
            }
            if count == 0 { return true }
            if errno == EAGAIN || errno == EWOULDBLOCK { return false }
            throw TestingError("recv failed: \(String(cString: strerror(errno)))")
        }
    }

    /// The complete lines that have arrived so far, without waiting.
    public func drain() throws -> [String] {
        _ = try receiveAvailable()
        var lines: [String] = []
        while let line = takeLine() { lines.append(line) }
        return lines
    }

    /// Reads one line and parses it as a JSON object.
    public func readJSON() async throws -> [String: Any]? {
        guard let line = try await readLine() else { return nil }
        return try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }

    /// Whether the peer has closed the connection (reads until end of stream or timeout).
    public func waitForClose() async -> Bool {
        while true {
            do {
                if try await readLine() == nil { return true }
            } catch {
                return false
            }
        }
    }
}
