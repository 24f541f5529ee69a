import Foundation
import Testing
import TutorTesting

#if canImport(Glibc)
import Glibc
#endif

/// A real daemon fed hostile input on its socket: it answers, keeps serving, and its memory stays
/// bounded. `tutor-bench hostile` runs the same client for a fixed time.
@Suite("Hostile input on the socket", .serialized)
struct HostileInputTests {
    @Test("2,000 hostile lines: every one is survived, the connection still answers, memory stays bounded")
    func hostileLines() async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_LOG_LEVEL": "error", "TUTOR_NOTIFY_DESKTOP": "false"])
        defer { daemon.removeFiles() }
        let pid = daemon.process!.processIdentifier
        var client = HostileClient(seed: 20_261_129)
        let report = try await client.run(socketPath: daemon.socketPath, pid: pid, count: 2000)
        #expect(report.stillServing)
        #expect(report.answers > 1000, "most lines carry an id and get an answer (\(report.answers))")
        let growth = report.rssAfterKiB - report.rssBeforeKiB
        #expect(growth < 48 * 1024, "RSS grew by \(growth / 1024) MiB (from \(report.rssBeforeKiB / 1024) MiB)")
        // Deep nesting once crashed the daemon (a recursive parser ran out of the event loop
        // thread's stack); it is now refused before parsing.
        let socket = try RawSocket(path: daemon.socketPath)
        for index in 0..<40 {
            try socket.send(
                "{\"jsonrpc\":\"2.0\",\"id\":\(index),\"method\":\"status\",\"params\":" + String(repeating: "[", count: 200_000) + "\n")
            let answer = try await socket.readLine() ?? ""
            #expect(answer.contains("-32600") && answer.contains("levels deep"), "\(answer.prefix(200))")
        }
        // A fresh client is served normally afterwards.
        let status = try await daemon.runCLI(["status", "--json"])
        #expect(status.status == 0)
        try await daemon.stop()
    }

    @Test("a client that trickles bytes and never finishes a line is closed at the idle timeout")
    func slowClient() async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_IDLE_TIMEOUT": "1"])
        defer { daemon.removeFiles() }
        let socket = try RawSocket(path: daemon.socketPath, receiveTimeout: .milliseconds(100))
        let started = ContinuousClock.now
        var closed = false
        var told = false
        while ContinuousClock.now - started < .seconds(6) && !closed {
            do {
                try socket.send("{")
            } catch {
                // Closed: read what was said before the close.
                for line in (try? socket.drain()) ?? [] where line.contains("-32003") { told = true }
                closed = true
                break
            }
            for line in (try? socket.drain()) ?? [] where line.contains("-32003") { told = true }
            if told { closed = await socket.waitForClose() }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(told, "the client is told why before the close")
        #expect(closed)
        #expect(ContinuousClock.now - started < .seconds(5))
        try await daemon.stop()
    }
}
