import Foundation
import Testing
import TutorTesting
import TutorWire

#if canImport(Glibc)
import Glibc
#endif

/// Jobs, the inbox and configuration reload through a real daemon and the CLI.
@Suite("Jobs, inbox and reload", .serialized)
struct SchedulerEndToEndTests {
    private func decode<T: Decodable>(_ type: T.Type, _ result: CLIResult) throws -> T {
        #expect(result.status == 0, "\(result.stderr)")
        return try WireCodec.makeDecoder().decode(T.self, from: Data(result.stdout.utf8))
    }

    private func setUp(_ daemon: TemporaryDaemon) async throws {
        _ = try await daemon.runCLI([
            "profile", "set", "--hours", "8", "--available", "mon-fri 19:00-21:00", "--time-zone", "Europe/Paris",
        ])
        _ = try await daemon.runCLI(["goal", "add", "first-apps"])
    }

    @Test("tutor jobs lists, changes and runs jobs; their messages reach tutor inbox and the chat banner")
    func jobsAndInbox() async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_NOTIFY_DESKTOP": "false"])
        defer { daemon.removeFiles() }
        // The daily jobs are off, so a run of the suite that starts just after 08:00 in Paris does
        // not find the daily digest in the inbox beside the message this test makes.
        for job in ["daily-digest", "reingest-notes"] { _ = try await daemon.runCLI(["jobs", "set", job, "off"]) }
        try await setUp(daemon)
        let list = try decode(JobsListResult.self, try await daemon.runCLI(["jobs", "--json"]))
        #expect(list.jobs.map(\.name) == ["daily-digest", "missed-session", "reingest-notes", "weekly-plan"])
        #expect(list.timeZone == "Europe/Paris")
        #expect(list.jobs.first { $0.name == "weekly-plan" }?.schedule == "sun 18:00")
        #expect(list.jobs.first { $0.name == "weekly-plan" }?.nextRunAt != nil)
        #expect(list.jobs.first { $0.name == "daily-digest" }?.nextRunAt == nil, "off")

        let set = try decode(JobView.self, try await daemon.runCLI(["jobs", "set", "--json", "weekly-plan", "sat 09:30"]))
        #expect(set.schedule == "sat 09:30")
        #expect(set.nextRunLocal?.hasPrefix("Sat ") == true && set.nextRunLocal?.hasSuffix("09:30") == true)
        let bad = try await daemon.runCLI(["jobs", "set", "weekly-plan", "someday"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("'someday' is not a schedule") && bad.stderr.contains("\"sun 18:00\""))

        let run = try decode(JobRunView.self, try await daemon.runCLI(["jobs", "run", "--json", "weekly-plan"]))
        #expect(run.status == "done")
        #expect(run.notices.first?.hasPrefix("Your plan for ") == true)

        // The chat banner shows the new message without marking it read.
        let chat = try await daemon.runCLI(["chat"], stdin: "/quit\n")
        #expect(chat.stdout.contains("You have 1 new message(s)"))
        #expect(chat.stdout.contains("Your plan for "))

        let inbox = try decode(InboxListResult.self, try await daemon.runCLI(["inbox", "--json"]))
        #expect(inbox.unread == 1)
        #expect(inbox.messages.first?.kind == "weekly-plan")
        #expect(inbox.messages.first?.body.contains("# Study plan for") == true)
        let again = try await daemon.runCLI(["inbox"])
        #expect(again.stdout.contains("No new messages"))
        let all = try decode(InboxListResult.self, try await daemon.runCLI(["inbox", "--json", "--all"]))
        #expect(all.messages.count == 1 && all.messages.first?.read == true)

        let listed = try await daemon.runCLI(["jobs"])
        #expect(listed.stdout.contains("weekly-plan") && listed.stdout.contains("(done)"))
        let unknown = try await daemon.runCLI(["jobs", "run", "nope"])
        #expect(unknown.status == 1 && unknown.stderr.contains("weekly-plan"))
        try await daemon.stop()
        #expect(daemon.log.contains("job ran") && daemon.log.contains("weekly-plan"))
    }

    @Test("SIGHUP reloads where notices go without dropping a connection; a broken file keeps the running configuration")
    func reloadOnSIGHUP() async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_NOTIFY_DESKTOP": "false"])
        defer { daemon.removeFiles() }
        try await setUp(daemon)
        let socket = try RawSocket(path: daemon.socketPath)
        let plans = daemon.root + "/plans"
        try "notify:\n  plan_folder: \(plans)\nlog:\n  level: debug\n".write(toFile: daemon.configFile, atomically: true, encoding: .utf8)
        kill(daemon.process!.processIdentifier, SIGHUP)
        for _ in 0..<300 where !daemon.log.contains("configuration reloaded") { try await Task.sleep(for: .milliseconds(10)) }
        #expect(daemon.log.contains("configuration reloaded"))

        _ = try await daemon.runCLI(["jobs", "run", "weekly-plan"])
        let files = (try? FileManager.default.contentsOfDirectory(atPath: plans)) ?? []
        #expect(files.contains { $0.hasSuffix(".md") } && files.contains { $0.hasSuffix(".ics") }, "\(files)")
        // The week's progress report goes beside the plan files.
        let report = (try? String(contentsOfFile: plans + "/report.html", encoding: .utf8)) ?? ""
        #expect(report.hasPrefix("<!DOCTYPE html>") && report.contains("<g class=\"node "), "\(files)")
        #expect(daemon.log.contains("debug"), "the new log level applies at once")

        // The connection opened before the reload still works.
        try socket.send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"status\"}\n")
        let reply = try await socket.readJSON()
        #expect(reply?["result"] != nil)

        // A file that no longer parses: reported, and the daemon goes on as it was.
        try "notify: [unclosed\n".write(toFile: daemon.configFile, atomically: true, encoding: .utf8)
        kill(daemon.process!.processIdentifier, SIGHUP)
        for _ in 0..<300 where !daemon.log.contains("was not reloaded") { try await Task.sleep(for: .milliseconds(10)) }
        #expect(daemon.log.contains("was not reloaded"))
        try socket.send("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"status\"}\n")
        let later = try await socket.readJSON()
        #expect(later?["result"] != nil)
        try await daemon.stop()
    }
}
