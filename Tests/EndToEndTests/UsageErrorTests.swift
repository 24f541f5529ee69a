import Foundation
import Testing
import TutorTesting

/// Input the CLI can tell is wrong before it talks to the daemon: exit 2, a message naming the
/// problem and the fix, and no daemon started or written to.
@Suite("Usage errors", .serialized)
struct UsageErrorTests {
    @Test("an empty ingest path, a duration like 1h-30m, 10m-5m or 1h1h, and --hours nan are usage errors (exit 2); nothing is sent")
    func refusedBeforeSending() async throws {
        let home = try TemporaryDaemon()  // folders only: a command that got through would autostart tutord
        defer { home.removeFiles() }
        let cases: [(arguments: [String], message: String)] = [
            (["ingest", ""], "an empty path was given"),
            (["ingest", "   "], "an empty path was given"),
            (["log", "1h-30m"], "'1h-30m' is not a duration"),
            (["log", "10m-5m"], "'10m-5m' is not a duration"),
            (["log", "1h1h"], "'1h1h' is not a duration"),
            (["log", "30m1h"], "'30m1h' is not a duration"),
            (["profile", "set", "--hours", "nan"], "--hours takes the hours a week you can study as a number"),
            (["profile", "set", "--hours", "inf"], "--hours takes the hours a week you can study as a number"),
        ]
        for (arguments, message) in cases {
            let result = try await home.runCLI(arguments)
            #expect(result.status == 2, "\(arguments): exit \(result.status), \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: home.socketPath), "no daemon was started")
    }

    @Test("durations written the usual ways are still read: 90m, 1h30m, 1.5h, 45")
    func usualDurations() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        for (text, minutes) in [("90m", 90), ("1h30m", 90), ("1.5h", 90), ("45", 45), ("2h", 120)] {
            let result = try await daemon.runCLI(["log", text])
            #expect(result.status == 0, "\(text): \(result.stderr)")
            #expect(result.stdout.contains("Logged \(minutes) min"), "\(text): \(result.stdout)")
        }
        try await daemon.stop()
    }
}

/// A command repeated by mistake changes nothing the second time, and says so.
@Suite("Repeated commands", .serialized)
struct RepeatedCommandTests {
    @Test("task done twice logs its minutes once and says the task was already done")
    func taskDoneTwice() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        #expect(try await daemon.runCLI(["goal", "add", "first-apps"]).status == 0)
        let tasks = try await daemon.runCLI(["tasks", "--json"])
        let listed = try JSONSerialization.jsonObject(with: Data(tasks.stdout.utf8)) as? [String: Any]
        let id = try #require(((listed?["tasks"] as? [[String: Any]])?.first?["id"] as? Int))
        let first = try await daemon.runCLI(["task", "done", "\(id)", "--minutes", "40"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("done (40 min logged on it)"), "\(first.stdout)")
        let second = try await daemon.runCLI(["task", "done", "\(id)", "--minutes", "40"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("was already done; nothing changed (40 min logged on it)"), "\(second.stdout)")
        let export = try await daemon.runCLI(["export"])
        let document = try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any]
        let log = document?["studyLog"] as? [[String: Any]] ?? []
        #expect(log.map { $0["minutes"] as? Int } == [40], "the minutes are logged once: \(log)")
        try await daemon.stop()
    }
}
