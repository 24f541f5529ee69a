import Foundation
import Testing
import TutorTesting

/// `events.subscribe`: what `tutor mcp` follows to tell its clients that the learner's data changed.
@Suite("Change events", .serialized)
struct ChangeEventsTests {
    @Test("a subscriber hears of writes made by the CLI, not of reads; a graceful stop ends the subscription with an answer")
    func subscribeAndStop() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let socket = try RawSocket(path: daemon.socketPath)
        try socket.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"events.subscribe\"}\n")
        #expect(try await socket.readJSON()?["method"] as? String == "events.ready")

        #expect(try await daemon.runCLI(["progress"]).status == 0)
        #expect(try await daemon.runCLI(["log", "20m"]).status == 0)
        let changed = try #require(try await socket.readJSON())
        #expect(changed["method"] as? String == "events.changed", "the first event is the log's, not the read's: \(changed)")
        let commits = (changed["params"] as? [String: Any])?["commits"] as? Int ?? 0
        #expect(commits >= 1)

        // Three more writes while the subscriber does not read: at most three notifications, and
        // every commit is counted in them.
        for minutes in [5, 6, 7] { #expect(try await daemon.runCLI(["log", "\(minutes)m"]).status == 0) }
        try await Task.sleep(for: .milliseconds(300))
        let stop = try await daemon.runCLI(["stop"])
        #expect(stop.status == 0, "\(stop.stderr)")
        var counted = 0
        var ended: [String: Any]?
        while let line = try await socket.readJSON() {
            if line["method"] as? String == "events.changed" {
                counted += (line["params"] as? [String: Any])?["commits"] as? Int ?? 0
            } else {
                ended = line
                break
            }
        }
        #expect(counted >= 3, "\(counted) commits reported for three logs")
        #expect((ended?["result"] as? [String: Any])?["ended"] as? String == "shutdown", "\(ended ?? [:])")
        #expect(ended?["id"] as? Int == 1)
    }
}
