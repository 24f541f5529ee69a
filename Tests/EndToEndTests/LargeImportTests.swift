import Foundation
import Testing
import TutorTesting

/// A learner's whole history restores whatever its size: `tutor import` hands the daemon the
/// file's path instead of sending the export on the 1 MiB request line.
@Suite("Large backups", .serialized)
struct LargeImportTests {
    /// An export of `daemon`'s data with `entries` study-log entries of about 500 bytes each added.
    private func largeExport(from base: [String: Any], entries: Int, lastMinutes: Int = 25) throws -> Data {
        var export = base
        let note = String(repeating: "Worked through attention and retrieval exercises. ", count: 9)
        var log: [[String: Any]] = []
        log.reserveCapacity(entries)
        for index in 1...entries {
            log.append([
                "id": index, "minutes": index == entries ? lastMinutes : 25, "note": "entry \(index): \(note)",
                "loggedAt": "2026-03-01T18:00:00.000Z", "skillId": "python-fundamentals",
            ])
        }
        export["studyLog"] = log
        return try JSONSerialization.data(withJSONObject: export, options: [.sortedKeys])
    }

    @Test("a 20 MB export restores through tutor import in one transaction; a bad entry at its end leaves the store as it was")
    func largeExportRoundTrips() async throws {
        try await onOwnThread {
            let daemon = try await TemporaryDaemon.start()
            defer { daemon.removeFiles() }
            #expect(try await daemon.runCLI(["profile", "set", "--hours", "6", "--available", "mon-fri 19:00-20:00"]).status == 0)
            #expect(try await daemon.runCLI(["goal", "add", "first-apps"]).status == 0)
            let basePath = daemon.root + "/base.json"
            #expect(try await daemon.runCLI(["export", "-o", basePath]).status == 0)
            let base = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: basePath))) as? [String: Any])

            let entries = 40_000
            let big = try largeExport(from: base, entries: entries)
            #expect(big.count > 20_000_000, "\(big.count) bytes")
            let bigPath = daemon.root + "/big.json"
            try big.write(to: URL(fileURLWithPath: bigPath))
            let imported = try await daemon.runCLI(["import", bigPath, "--replace"], timeout: .seconds(300))
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("\(entries) log entries"), "\(imported.stdout)")

            let exportPath = daemon.root + "/again.json"
            let exported = try await daemon.runCLI(["export", "-o", exportPath], timeout: .seconds(300))
            #expect(exported.status == 0, "\(exported.stderr)")
            let again = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: exportPath))) as? [String: Any])
            let log = again["studyLog"] as? [[String: Any]] ?? []
            #expect(log.count == entries)
            #expect((log.last?["note"] as? String)?.hasPrefix("entry \(entries): ") == true)

            // All or nothing: the last entry breaks a rule (negative minutes), so nothing of the file is kept.
            let broken = try largeExport(from: base, entries: entries, lastMinutes: -5)
            let brokenPath = daemon.root + "/broken.json"
            try broken.write(to: URL(fileURLWithPath: brokenPath))
            let refused = try await daemon.runCLI(["import", brokenPath, "--replace"], timeout: .seconds(300))
            #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
            let after = try await daemon.runCLI(["export", "-o", exportPath], timeout: .seconds(300))
            #expect(after.status == 0)
            let kept = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: exportPath))) as? [String: Any])
            #expect((kept["studyLog"] as? [[String: Any]])?.count == entries, "the earlier import is intact")
            #expect(((kept["studyLog"] as? [[String: Any]]) ?? []).allSatisfy { ($0["minutes"] as? Int) == 25 })
            try await daemon.stop()
        }
    }
}
