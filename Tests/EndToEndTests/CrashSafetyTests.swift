import Foundation
import Testing
import TutorTesting

/// SIGKILL at random moments while clients log study, finish tasks, plan, chat and ingest: every
/// acknowledged write survives, SQLite and the full-text index stay consistent, and the daemon
/// serves again. `tutor-bench crash` runs the same rounds many more times.
@Suite("Crash safety", .serialized)
struct CrashSafetyTests {
    @Test("five SIGKILLs during concurrent writes lose nothing that was acknowledged")
    func killsLoseNothing() async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_LOG_LEVEL": "warning", "TUTOR_NOTIFY_DESKTOP": "false"])
        defer { daemon.removeFiles() }
        try await CrashHarness.prepare(daemon)
        var total: [String: Int] = [:]
        // The last round runs longer, so every kind of write is acknowledged before a kill even when
        // a loaded CI machine makes the first turns slow.
        for (number, delay) in [60, 150, 250, 400, 1500].enumerated() {
            let round = try await CrashHarness.round(daemon, number: number, killAfter: .milliseconds(delay))
            #expect(round.problems.isEmpty, "\(round)")
            for (kind, count) in round.acknowledged { total[kind, default: 0] += count }
        }
        // The test means something only if writes were in flight when the daemon died.
        #expect(total["study logs", default: 0] > 0, "\(total)")
        #expect(total["chat turns", default: 0] > 0, "\(total)")
        #expect(total["tasks done", default: 0] > 0, "\(total)")
        try await daemon.stop()
    }
}
