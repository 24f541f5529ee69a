import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A client that pipelines requests as fast as the socket takes them and never reads a reply: the
/// way to find out whether a daemon keeps answering into memory when nobody drains its writes.
/// Used by the end-to-end tests and `tutor-bench hostile`.
public final class NonReadingClient {
    /// What a flood sent and what it did to the daemon's memory.
    public struct Report: Sendable {
        /// Requests handed to the socket.
        public var lines = 0
        public var bytes = 0
        /// Whether the daemon stopped taking bytes (the flood ended on a stall, not on a limit).
        public var stalled = false
        /// The daemon's anonymous memory (`RssAnon:`) before the flood and at its highest during it.
        public var anonymousBeforeKiB = 0
        public var anonymousPeakKiB = 0
        public var elapsed: Duration = .zero
    }

    /// Lines of every kind the daemon answers on its event loop: the immediate methods, a malformed
    /// line, an unknown method and bad params. Each ends with a newline.
    public static let immediateLines: [[UInt8]] = [
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"config.show\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"status\"}",
        "this is not json",
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"no.such.method\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"status\",\"params\":{\"verbose\":true}}",
    ].map { Array(($0 + "\n").utf8) }

    /// A `config.show` request line.
    public static let configShowLine = Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"config.show\"}\n".utf8)

    private let fd: Int32

    /// Connects to `path`; throws when nothing listens.
    public init(path: String) throws {
        fd = try RawSocket.connect(path: path)
    }

    deinit { close() }

    private var closed = false

    /// Disconnects (the daemon sees end of stream).
    public func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    /// Whether the daemon has closed this connection (a send fails with `EPIPE` or a reset, where an
    /// open connection that is not being read only says `EAGAIN`).
    public var isClosedByPeer: Bool {
        let byte: [UInt8] = [10]
        let sent = byte.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, 1, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
        return sent < 0 && (errno == EPIPE || errno == ECONNRESET)
    }

    /// Sends `lines` round and round without reading, until the daemon has taken nothing for
    /// `stallLimit`, `duration` has passed, `maximumLines` were sent, or the daemon's anonymous
    /// memory has grown by more than `ceilingKiB` (checked every 50 ms; ends the flood early, so a
    /// daemon that does not push back is caught without exhausting the machine).
    public func flood(
        lines: [[UInt8]],
        daemonPID pid: Int32,
        maximumLines: Int = 2_000_000,
        duration: Duration = .seconds(30),
        stallLimit: Duration = .seconds(2),
        ceilingKiB: Int = 512 * 1024
    ) async -> Report {
        var report = Report()
        report.anonymousBeforeKiB = ProcessMemory.kib(pid: pid, field: "RssAnon:")
        report.anonymousPeakKiB = report.anonymousBeforeKiB
        // About 64 KiB of whole lines per batch.
        var batch: [UInt8] = []
        var batchLines = 0
        var index = 0
        while batch.count < 65536 {
            batch += lines[index % lines.count]
            index += 1
            batchLines += 1
        }
        let started = ContinuousClock.now
        var lastProgress = started
        // Refused sends since the last progress: a stall is a daemon that refuses for `stallLimit`
        // and for many tries, not one sleep that overslept on a busy machine.
        var refusals = 0
        var lastSample = started
        var offset = 0
        while report.lines < maximumLines {
            let now = ContinuousClock.now
            if now - started >= duration { break }
            if now - lastProgress >= stallLimit && refusals >= 50 {
                report.stalled = true
                break
            }
            if now - lastSample >= .milliseconds(50) {
                lastSample = now
                let anonymous = ProcessMemory.kib(pid: pid, field: "RssAnon:")
                report.anonymousPeakKiB = max(report.anonymousPeakKiB, anonymous)
                if anonymous - report.anonymousBeforeKiB > ceilingKiB { break }
            }
            let sent = batch[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
                report.bytes += sent
                lastProgress = ContinuousClock.now
                refusals = 0
                if offset == batch.count {
                    offset = 0
                    report.lines += batchLines
                }
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                refusals += 1
                // Sleep without holding a thread (see `RawSocket`).
                try? await Task.sleep(for: .milliseconds(5))
            } else {
                break
            }
        }
        report.elapsed = ContinuousClock.now - started
        report.anonymousPeakKiB = max(report.anonymousPeakKiB, ProcessMemory.kib(pid: pid, field: "RssAnon:"))
        return report
    }
}
