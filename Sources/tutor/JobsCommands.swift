import ArgumentParser
import TutorClient
import TutorWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `tutor jobs`: the scheduler's jobs, their schedules, last and next runs.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List the scheduled jobs (weekly plan, daily digest, session checks, note re-ingest), change or run one.",
        subcommands: [List.self, Set.self, Run.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every job with its last and next run.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let result = try await global.call(JobsListMethod.self, NoParams())
            if global.json { return try printJSON(result) }
            print("Times in \(result.timeZone).")
            for job in result.jobs {
                let last = job.lastRunLocal.map { "\($0) (\(job.lastStatus ?? "?"))" } ?? "never"
                let next = job.nextRunLocal ?? "—"
                print("\(job.name.padded(to: 15)) \(job.schedule.padded(to: 15)) last \(last.padded(to: 31)) next \(next)")
                if let summary = job.lastSummary { print(String(repeating: " ", count: 16) + summary) }
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Change a job's schedule, e.g. tutor jobs set weekly-plan \"sun 18:00\".")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The job: weekly-plan, daily-digest, missed-session or reingest-notes.") var name: String
        @Argument(help: "\"sun 18:00\", \"daily 08:00\", \"after-sessions\" or \"off\" (in your profile's time zone).")
        var schedule: [String]

        func run() async throws {
            let job = try await global.call(JobsSetMethod.self, JobsSetParams(name: name, schedule: schedule.joined(separator: " ")))
            if global.json { return try printJSON(job) }
            print("\(job.name) now runs \(job.schedule)" + (job.nextRunLocal.map { "; next: \($0)." } ?? "."))
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a job now.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The job to run.") var name: String

        func run() async throws {
            let result = try await global.call(JobsRunMethod.self, JobsRunParams(name: name))
            if global.json { return try printJSON(result) }
            print("\(result.name): \(result.status) — \(result.summary)")
            for title in result.notices { print("  sent: \(title)") }
            if result.status == "failed" { throw ExitCode(1) }
        }
    }
}

/// `tutor inbox`: the tutor's messages (weekly plans, digests, missed sessions, delivery problems).
struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "Read the tutor's messages: weekly plans, daily digests, missed sessions.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Show the newest 50 messages, read ones too.") var all = false
    @Flag(help: "Leave the messages unread.") var keep = false

    func run() async throws {
        let result = try await global.call(InboxListMethod.self, InboxListParams(all: all, keepUnread: keep))
        if global.json { return try printJSON(result) }
        if result.messages.isEmpty {
            return print(all ? "No messages yet." : "No new messages. (`tutor inbox --all` shows earlier ones.)")
        }
        for message in result.messages.reversed() {
            print("\(message.read ? " " : "•") \(message.createdAtLocal)  \(message.title)")
            for line in message.body.split(separator: "\n", omittingEmptySubsequences: false) { print("    " + line) }
            print("")
        }
    }
}
