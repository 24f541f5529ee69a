import ArgumentParser
import Foundation
import TutorClient
import TutorTesting
import TutorWire

/// `tutor-bench hostile`: a fixed-time fuzz of a real daemon's socket (see ``HostileClient``),
/// with the daemon's memory before and after.
struct HostileBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hostile")
    @Option(help: "How long to send hostile lines.") var seconds = 60
    @Option(help: "Seed of the line generator.") var seed: UInt64 = 1

    func run() async throws {
        print(try await Self.measure(seconds: seconds, seed: seed).row)
    }

    static func measure(seconds: Int = 60, seed: UInt64 = 1) async throws -> Measurement {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_LOG_LEVEL": "error", "TUTOR_NOTIFY_DESKTOP": "false"])
        defer { daemon.removeFiles() }
        var client = HostileClient(seed: seed)
        let report: HostileClient.Report
        do {
            report = try await client.run(
                socketPath: daemon.socketPath, pid: daemon.process!.processIdentifier, count: .max, duration: .seconds(seconds))
        } catch {
            let log = daemon.log.split(separator: "\n").suffix(120).joined(separator: "\n")
            throw TestingError("the hostile client failed (\(error)); daemon running: \(daemon.process?.isRunning == true); log:\n\(log)")
        }
        let pid = daemon.process!.processIdentifier
        // Then clients that pipeline what the event loop answers and never read a reply.
        var floods: [(String, String)] = []
        let privateBefore = ProcessMemory.privateKiB(pid: pid)
        for (name, lines) in [
            ("config.show", [NonReadingClient.configShowLine]), ("every immediate kind", NonReadingClient.immediateLines),
        ] {
            let client = try NonReadingClient(path: daemon.socketPath)
            let flood = await client.flood(lines: lines, daemonPID: pid)
            let answered = (try? await TutorConnection.call(socketPath: daemon.socketPath, StatusMethod.self, NoParams())) != nil
            let during = ProcessMemory.privateKiB(pid: pid)
            client.close()
            try await Task.sleep(for: .seconds(1))
            let after = ProcessMemory.privateKiB(pid: pid)
            floods.append(
                (
                    "non-reading \(name)",
                    "\(flood.lines) lines taken before the daemon stopped reading\(flood.stalled ? "" : " (NOT STALLED)"), anonymous peak +\(mebibytes(flood.anonymousPeakKiB - flood.anonymousBeforeKiB)), private \(mebibytes(during)) with it connected, \(mebibytes(after)) after, another client \(answered ? "served" : "NOT SERVED")"
                ))
        }
        let alive = daemon.process?.isRunning == true
        try await daemon.stop()
        return Measurement(
            name:
                "hostile socket input for \(seconds) s (random bytes, near-JSON, deep nesting, huge numbers, bad UTF-8, junk params), seed \(seed); then clients that never read",
            figures: [
                ("lines", "\(report.lines) (\(report.bytes / 1_048_576) MiB)"), ("answers", "\(report.answers)"),
                ("crashed", alive && report.stillServing ? "no" : "YES"),
                ("RSS", "\(report.rssBeforeKiB / 1024) → \(report.rssAfterKiB / 1024) MiB"),
                ("private before the floods", mebibytes(privateBefore)),
            ] + floods,
            target: "no crash; RSS bounded; a non-reading client adds < 64 MiB")
    }
}
