import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A client that sends a daemon the worst it can think of — random bytes, near-JSON soup, deep
/// nesting, huge numbers, invalid UTF-8, junk params for real methods — then checks the daemon
/// still answers. Deterministic for a seed. Used by the end-to-end tests and `tutor-bench hostile`.
public struct HostileClient {
    /// What a run sent and saw.
    public struct Report: Sendable {
        public var lines = 0
        public var bytes = 0
        public var answers = 0
        public var stillServing = false
        public var rssBeforeKiB = 0
        public var rssAfterKiB = 0
    }

    var random: SplitMix64

    public init(seed: UInt64) { random = SplitMix64(state: seed) }

    mutating func next() -> UInt64 { random.next() }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    static let fragments = [
        "{", "}", "[", "]", ",", ":", "\"jsonrpc\"", "\"2.0\"", "\"id\"", "\"method\"", "\"params\"", "\"status\"", "null", "true",
        "1e999999", "-0.0", "18446744073709551616", "\"\\ud800\"", "\"é\"", "{}", "[]", " ",
    ]
    /// Methods that are safe to call with random params (nothing that stops the daemon, imports,
    /// ingests arbitrary folders or runs jobs).
    static let methods = [
        "status", "config.show", "chat.send", "chat.context", "goal.add", "goal.list", "task.list", "task.done", "study.log",
        "plan.week", "progress", "forecast", "catalogue.search", "catalogue.show", "review.next", "review.grade", "notes.search",
        "notes.status", "jobs.list", "jobs.set", "inbox.list", "profile.show", "profile.set", "no.such.method",
    ]
    static let junkParams = [
        "{}", "[]", "null", "1", "\"x\"", "{\"session\":1}", "{\"message\":[]}", "{\"minutes\":-5}", "{\"minutes\":1e400}",
        "{\"query\":\"\\u0000\"}", "{\"id\":\"7\"}", "{\"k\":100000}", "{\"name\":\"weekly-plan\",\"schedule\":\"never ever\"}",
        "{\"text\":\"\"}", "{\"hoursPerWeek\":1e308}", "{\"availability\":[\"mon 25:00-26:00\"]}", "{\"week\":\"9999-W99\"}",
    ]

    /// One hostile line (without its newline; it never contains one).
    public mutating func line() -> [UInt8] {
        switch next() % 7 {
        case 0:
            return (0..<Int(next() % 300)).map { _ in UInt8(truncatingIfNeeded: next()) }.filter { $0 != 10 }
        case 1:
            return Array((0..<Int(next() % 40)).map { _ in pick(Self.fragments) }.joined().utf8)
        case 2:
            let depth = Int(next() % 50_000)
            return Array(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":" + String(repeating: "[", count: depth)).utf8)
        case 3:
            return Array("{\"jsonrpc\":\"2.0\",\"id\":\(String(repeating: "9", count: Int(next() % 4000))),\"method\":\"status\"}".utf8)
        case 4:
            return [0xC3, 0x28, 0xFF] + Array("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"status\"}".utf8)
        default:
            let id = next() % 3 == 0 ? "" : "\"id\":\(next() % 1000),"
            return Array("{\"jsonrpc\":\"2.0\",\(id)\"method\":\"\(pick(Self.methods))\",\"params\":\(pick(Self.junkParams))}".utf8)
        }
    }

    /// Sends `count` hostile lines (or lines for `duration`, whichever ends first) on one
    /// connection, draining answers as they come, then asks for `status` and waits for it.
    public mutating func run(socketPath: String, pid: Int32, count: Int, duration: Duration = .seconds(3600)) async throws -> Report {
        var report = Report()
        report.rssBeforeKiB = ProcessMemory.kib(pid: pid)
        let socket = try RawSocket(path: socketPath, receiveTimeout: .seconds(30))
        let deadline = ContinuousClock.now + duration
        while report.lines < count && ContinuousClock.now < deadline {
            let bytes = line() + [10]
            try socket.send(bytes)
            report.lines += 1
            report.bytes += bytes.count
            // Keep the in-flight cap and the socket buffers from filling: read what has come back.
            report.answers += try socket.drain().count
        }
        try socket.send("{\"jsonrpc\":\"2.0\",\"id\":\"final\",\"method\":\"status\"}\n")
        while let answer = try await socket.readLine() {
            report.answers += 1
            if answer.contains("\"final\"") && answer.contains("\"result\"") {
                report.stillServing = true
                break
            }
        }
        report.rssAfterKiB = ProcessMemory.kib(pid: pid)
        return report
    }
}

/// SplitMix64: a small, fast, seeded generator, so test inputs and benchmark data repeat exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Memory figures of a running process, from `/proc/PID/status`.
public enum ProcessMemory {
    /// A figure in KiB: `VmRSS:` (resident in all) unless another is named, such as `RssAnon:` (the
    /// anonymous part: heap and stacks, not the mapped code of the binary and its libraries); -1
    /// when it cannot be read.
    public static func kib(pid: Int32, field: String = "VmRSS:") -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return -1 }
        let line = text.split(separator: "\n").first { $0.hasPrefix(field) } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }

    /// The process's private memory in KiB, from `/proc/PID/smaps_rollup`: its anonymous pages (heap,
    /// stacks) plus the file-backed pages it has written to (private dirty), that is the larger of
    /// `Anonymous:` and `Private_Dirty:`. Clean pages of the binary and the shared libraries, which
    /// the kernel can drop and other processes share, are left out. -1 when it cannot be read.
    ///
    /// Flushes the page cache first (`sync`): the kernel counts a page of a file that was written
    /// and not yet flushed as dirty, so a binary fresh from the linker would otherwise show its whole
    /// code (27 MiB for a release `tutord`) as private dirty memory.
    public static func privateKiB(pid: Int32) -> Int {
        sync()
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return -1 }
        func field(_ name: String) -> Int {
            let line = text.split(separator: "\n").first { $0.hasPrefix(name) } ?? ""
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
        }
        let anonymous = field("Anonymous:"), dirty = field("Private_Dirty:")
        return anonymous < 0 || dirty < 0 ? -1 : max(anonymous, dirty)
    }
}

/// CPU time a process has used, from `/proc/PID/stat`.
public enum ProcessCPU {
    /// User plus system CPU seconds used by `pid` so far (all its threads); nil when unreadable.
    public static func seconds(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3, utime field 14, stime field 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
