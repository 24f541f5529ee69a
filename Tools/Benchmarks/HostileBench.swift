import ArgumentParser
import Foundation
import TutorTesting

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
            report = try client.run(
                socketPath: daemon.socketPath, pid: daemon.process!.processIdentifier, count: .max, duration: .seconds(seconds))
        } catch {
            let log = daemon.log.split(separator: "\n").suffix(120).joined(separator: "\n")
            throw TestingError("the hostile client failed (\(error)); daemon running: \(daemon.process?.isRunning == true); log:\n\(log)")
        }
        let alive = daemon.process?.isRunning == true
        try await daemon.stop()
        return Measurement(
            name:
                "hostile socket input for \(seconds) s (random bytes, near-JSON, deep nesting, huge numbers, bad UTF-8, junk params), seed \(seed)",
            figures: [
                ("lines", "\(report.lines) (\(report.bytes / 1_048_576) MiB)"), ("answers", "\(report.answers)"),
                ("crashed", alive && report.stillServing ? "no" : "YES"),
                ("RSS", "\(report.rssBeforeKiB / 1024) → \(report.rssAfterKiB / 1024) MiB"),
            ],
            target: "no crash; RSS bounded")
    }
}
