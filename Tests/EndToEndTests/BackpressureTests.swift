import Foundation
import Testing
import TutorClient
import TutorTesting
import TutorWire

#if canImport(Glibc)
import Glibc
#endif

/// Clients that send and never read: the daemon stops reading from them instead of answering into
/// memory, keeps serving everyone else, and gives the memory back when they go.
@Suite("Backpressure from clients that do not read", .serialized)
struct BackpressureTests {
    /// How far the daemon's private memory may rise above where it started while a client floods it
    /// without reading. Generous: the queue one connection may hold is far below it (see
    /// Docs/security.md); the old daemon passed it within a second.
    static let boundKiB = 64 * 1024

    @Test(
        "a client pipelining thousands of requests answered on the event loop, never reading, leaves the daemon's memory bounded",
        arguments: ["config.show", "every immediate kind"])
    func nonReadingClient(flood: String) async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_LOG_LEVEL": "error", "TUTOR_NOTIFY_DESKTOP": "false"])
        defer { daemon.removeFiles() }
        let pid = daemon.process!.processIdentifier
        // Warm up the paths the flood takes, so the baseline holds what serving them costs anyway.
        for _ in 0..<20 { _ = try await TutorConnection.call(socketPath: daemon.socketPath, ConfigShowMethod.self, NoParams()) }
        let baseline = ProcessMemory.privateKiB(pid: pid)

        let client = try NonReadingClient(path: daemon.socketPath)
        let lines = flood == "config.show" ? [NonReadingClient.configShowLine] : NonReadingClient.immediateLines
        let report = await client.flood(lines: lines, daemonPID: pid, ceilingKiB: 2 * Self.boundKiB)
        let growth = report.anonymousPeakKiB - report.anonymousBeforeKiB
        #expect(
            report.stalled,
            "the daemon should stop reading from a client that does not read; it took \(report.lines) lines (\(report.bytes / 1_048_576) MiB) in \(report.elapsed)"
        )
        #expect(report.lines > 1000, "the flood sent \(report.lines) lines")
        #expect(growth < Self.boundKiB, "anonymous memory grew by \(growth / 1024) MiB during a flood of \(report.lines) lines")

        // Another client is served while the flooding one is still connected.
        let status = try await TutorConnection.call(socketPath: daemon.socketPath, StatusMethod.self, NoParams())
        #expect(status.pid == pid)
        let during = ProcessMemory.privateKiB(pid: pid)
        #expect(during - baseline < Self.boundKiB, "private memory \(baseline / 1024) → \(during / 1024) MiB with the flood queued")

        // Gone: what its connection held is released.
        client.close()
        try await Task.sleep(for: .seconds(1))
        let after = ProcessMemory.privateKiB(pid: pid)
        #expect(after - baseline < Self.boundKiB / 4, "private memory \(baseline / 1024) → \(after / 1024) MiB after the client left")
        let again = try await TutorConnection.call(socketPath: daemon.socketPath, StatusMethod.self, NoParams())
        #expect(again.pid == pid)
        try await daemon.stop()
    }

    @Test("a client that has read nothing for the idle timeout while replies wait for it is disconnected")
    func stalledClientClosed() async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_IDLE_TIMEOUT": "2", "TUTOR_NOTIFY_DESKTOP": "false"])
        defer { daemon.removeFiles() }
        let client = try NonReadingClient(path: daemon.socketPath)
        let report = await client.flood(
            lines: [NonReadingClient.configShowLine], daemonPID: daemon.process!.processIdentifier, stallLimit: .seconds(1),
            ceilingKiB: 2 * Self.boundKiB)
        #expect(report.stalled)
        var closed = false
        let started = ContinuousClock.now
        while !closed && ContinuousClock.now - started < .seconds(8) {
            try await Task.sleep(for: .milliseconds(200))
            closed = client.isClosedByPeer
        }
        #expect(closed, "a client that reads nothing holds a connection slot forever otherwise")
        try await daemon.stop()
    }
}
