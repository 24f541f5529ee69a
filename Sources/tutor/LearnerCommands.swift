import ArgumentParser
import TutorClient
import TutorWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `tutor profile show|set`.
struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "Show or change your learner profile.", subcommands: [Show.self, Set.self],
        defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show your profile.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let profile = try await global.call(ProfileShowMethod.self, NoParams())
            if global.json { return try printJSON(profile) }
            printProfile(profile)
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Change your profile.",
            discussion:
                "Example: tutor profile set --background programmer --hours 10 --available \"mon-fri 19:00-21:00\" --available \"sat 09:00-12:00\" --time-zone Europe/Paris"
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Your name.") var name: String?
        @Option(help: "programmer, data-scientist or beginner.") var background: String?
        @Option(help: "developer, data-scientist or beginner.") var track: String?
        @Option(help: "Hours a week you can study.") var hours: Double?
        @Option(
            name: .customLong("available"),
            help: "A free-time window such as \"mon 19:00-21:00\" or \"mon-fri 19:00-21:00\" (repeat; replaces all).")
        var available: [String] = []
        @Option(help: "Your time zone, e.g. Europe/Paris.") var timeZone: String?
        @Option(help: "A target date, YYYY-MM-DD (empty to clear).") var targetDate: String?

        func validate() throws {
            // The range is the daemon's to check; a value JSON cannot carry (nan, inf) never leaves here.
            if let hours, !hours.isFinite {
                throw ValidationError("--hours takes the hours a week you can study as a number, e.g. --hours 10; '\(hours)' is not one")
            }
        }

        func run() async throws {
            let params = ProfileSetParams(
                name: name, background: background, track: track, hoursPerWeek: hours, availability: available.isEmpty ? nil : available,
                timeZone: timeZone, targetDate: targetDate)
            guard params != ProfileSetParams() else {
                throw ValidationError("nothing to change; give at least one option, e.g. --hours 10 (see `tutor profile set --help`)")
            }
            let profile = try await global.call(ProfileSetMethod.self, params)
            if global.json { return try printJSON(profile) }
            printProfile(profile)
        }
    }
}

func printProfile(_ profile: ProfileView) {
    if !profile.isSet { print("(no profile saved yet; these are the defaults — `tutor profile set --help`)") }
    printTable([
        ("name", profile.name ?? "—"), ("background", profile.background), ("track", profile.track ?? "—"),
        ("hours a week", formatHours(profile.hoursPerWeek)),
        ("free time", profile.availability.isEmpty ? "— (set with --available)" : profile.availability.joined(separator: ", ")),
        ("time zone", profile.timeZone), ("target date", profile.targetDate ?? "—"),
    ])
}

/// `tutor goal add|list|pause|resume|remove`.
struct GoalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "goal", abstract: "Add, list, pause, resume or remove your goals.",
        subcommands: [Add.self, List.self, Pause.self, Resume.self, Remove.self], defaultSubcommand: List.self)

    /// One of pause, resume, remove: the goal keeps its tasks and history either way.
    struct Change {
        static func run(_ action: String, _ goal: String, _ global: GlobalOptions) async throws {
            let change = try await global.call(GoalChangeMethod.self, GoalChangeParams(action: action, goal: goal))
            if global.json { return try printJSON(change) }
            switch change.outcome {
            case "which", "none":
                print(change.note)
                for goal in change.goals { print("  #\(goal.id)  \(goal.title)  [\(goal.status)]") }
                throw ExitCode(1)
            default:
                let title = change.goal.map { "#\($0.id) \($0.title)" } ?? "the goal"
                print("\(title): \(change.outcome). \(change.note)")
            }
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause a goal: its tasks leave the weekly plans.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The goal's number (from `tutor goal list`).") var id: Int64
        func run() async throws { try await Change.run("pause", String(id), global) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a paused or removed goal.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The goal's number (from `tutor goal list`).") var id: Int64
        func run() async throws { try await Change.run("resume", String(id), global) }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Drop a goal: off the plans, its history kept (`tutor goal resume ID` brings it back).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The goal's number (from `tutor goal list`).") var id: Int64
        func run() async throws { try await Change.run("drop", String(id), global) }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a goal: a skill, stage, project or track id, or free text.",
            discussion: "Examples: tutor goal add \"become an AI engineer\"; tutor goal add rag-basics; tutor goal add first-apps")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "What you want to reach.") var text: [String]

        func run() async throws {
            let result = try await global.call(GoalAddMethod.self, GoalAddParams(text: text.joined(separator: " ")))
            if global.json { return try printJSON(result) }
            let goal = result.goal
            print("Goal #\(goal.id): \(goal.title) (\(goal.kind)\(goal.target.map { " \($0)" } ?? ""))")
            print(
                "\(result.addedTasks.count) new tasks, \(result.sharedTasks) already in your list; about \(formatHours(Double(goal.minutesEstimated) / 60)) of study in all."
            )
            for task in result.addedTasks.prefix(5) { print("  #\(task.id)  \(task.title)  (\(task.estimateMinutes) min)") }
            if result.addedTasks.count > 5 { print("  … `tutor tasks` lists them all; `tutor plan` places them in your week.") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List your goals and their progress.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let result = try await global.call(GoalListMethod.self, NoParams())
            if global.json { return try printJSON(result) }
            if result.goals.isEmpty { return print("No goals yet. Add one: tutor goal add \"become an AI engineer\"") }
            for goal in result.goals {
                let share = goal.tasksTotal == 0 ? 0 : Double(goal.tasksDone) / Double(goal.tasksTotal)
                print("#\(goal.id)  \(goal.title)  \(bar(share))  \(goal.tasksDone)/\(goal.tasksTotal) tasks  [\(goal.status)]")
            }
        }
    }
}

/// `tutor tasks`.
struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks", abstract: "List your tasks (open ones unless --all).")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Include done and skipped tasks.") var all = false
    @Option(help: "Only tasks with this status (pending, learning, done, skipped).") var status: [String] = []
    @Option(help: "Show at most this many.") var limit: Int?

    func run() async throws {
        let statuses: [String]? = !status.isEmpty ? status : (all ? nil : ["pending", "learning"])
        let result = try await global.call(TaskListMethod.self, TaskListParams(status: statuses, limit: limit ?? (global.json ? nil : 30)))
        if global.json { return try printJSON(result) }
        if result.tasks.isEmpty { return print("No tasks. Add a goal first: tutor goal add \"become an AI engineer\"") }
        for task in result.tasks {
            let marker = task.status == "done" ? "✓" : (task.status == "learning" ? "…" : " ")
            print("\(marker) #\(String(task.id).padded(to: 4)) \(task.title)  (\(task.actualMinutes)/\(task.estimateMinutes) min)")
        }
        if result.total > result.tasks.count { print("… and \(result.total - result.tasks.count) more (--limit N, or --json for all)") }
    }
}

/// `tutor task done ID`.
struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task", abstract: "Mark a task done, skip it, or reopen it.", subcommands: [Done.self, Skip.self, Reopen.self])

    struct Skip: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "skip", abstract: "Leave a task out of your plans without doing it.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The task's id (from `tutor tasks`).") var id: Int64

        func run() async throws {
            let task = try await global.call(TaskSkipMethod.self, TaskSkipParams(id: id))
            if global.json { return try printJSON(task) }
            print("#\(task.id) \(task.title) — skipped; `tutor task reopen \(task.id)` brings it back.")
        }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Put done or skipped tasks back on your list.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The tasks' ids (from `tutor tasks --all`).") var ids: [Int64]

        func run() async throws {
            let result = try await global.call(TaskReopenMethod.self, TaskReopenParams(ids: ids))
            if global.json { return try printJSON(result) }
            for task in result.reopened { print("#\(task.id) \(task.title) — open again (\(task.estimateMinutes) min).") }
            if !result.alreadyOpen.isEmpty {
                print("Already open: \(result.alreadyOpen.map { "#\($0)" }.joined(separator: ", ")).")
            }
            print("Open now: \(result.openTasks) tasks, about \(formatHours(Double(result.openMinutes) / 60)).")
        }
    }

    struct Done: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "done", abstract: "Mark a task done.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The task's id (from `tutor tasks`).") var id: Int64
        @Option(help: "Minutes it took (added to your study log).") var minutes: Int?
        @Option(help: "Evidence: a path, URL or note.") var evidence: String?

        func run() async throws {
            let task = try await global.call(TaskDoneMethod.self, TaskDoneParams(id: id, minutes: minutes, evidence: evidence))
            if global.json { return try printJSON(task) }
            if task.alreadyDone == true {
                return print(
                    "#\(task.id) \(task.title) was already done; nothing changed (\(task.actualMinutes) min logged on it). "
                        + "To log more time, use `tutor log 30m --skill \(task.skillId ?? "ID")`.")
            }
            print("✓ #\(task.id) \(task.title) — done (\(task.actualMinutes) min logged on it).")
        }
    }
}

/// `tutor log 90m --skill ID`, and `tutor log list|edit|rm|undo` to fix the log.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Log study time, e.g. `tutor log 90m --skill python-fundamentals`; list, edit or undo entries.",
        subcommands: [Add.self, List.self, Edit.self, Remove.self, Undo.self], defaultSubcommand: Add.self)

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Log study time (the default: `tutor log 90m`).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "How long: 90m, 1h30m, 1.5h or a number of minutes.") var duration: String
        @Option(help: "The skill you studied (an id from the catalogue).") var skill: String?
        @Option(help: "A note about what you did.") var note: String?

        func run() async throws {
            let minutes = try LogCommand.minutes(duration)
            let result = try await global.call(StudyLogMethod.self, StudyLogParams(minutes: minutes, skill: skill, note: note))
            if global.json { return try printJSON(result) }
            print(
                "Logged \(result.minutes) min\(result.skillId.map { " on \($0)" } ?? "") (entry #\(result.id)). This week: \(formatHours(Double(result.weekMinutes) / 60))."
            )
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Your latest log entries, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Show at most this many.") var limit = 20

        func run() async throws {
            let result = try await global.call(StudyListMethod.self, StudyListParams(limit: limit))
            if global.json { return try printJSON(result) }
            if result.entries.isEmpty { return print("Nothing logged yet: tutor log 45m --skill python-fundamentals") }
            let format = Date.ISO8601FormatStyle().year().month().day().time(includingFractionalSeconds: false)
            for entry in result.entries {
                let what = entry.skillTitle ?? entry.skillId ?? "general study"
                print(
                    "#\(String(entry.id).padded(to: 5)) \(format.format(entry.loggedAt))  \(String(entry.minutes).padded(to: 4)) min  \(what)\(entry.note.map { " — \($0)" } ?? "")"
                )
            }
            print("This week: \(formatHours(Double(result.weekMinutes) / 60)).")
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change an entry's time: tutor log edit 12 30m")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The entry's number (from `tutor log list`).") var id: Int64
        @Argument(help: "How long it really was.") var duration: String

        func run() async throws {
            let result = try await global.call(
                StudyCorrectMethod.self, StudyCorrectParams(id: id, minutes: try LogCommand.minutes(duration)))
            try LogCommand.show(result, global)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove one entry.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The entry's number (from `tutor log list`).") var id: Int64

        func run() async throws { try LogCommand.show(try await global.call(StudyCorrectMethod.self, StudyCorrectParams(id: id)), global) }
    }

    struct Undo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "undo", abstract: "Remove the latest entry (logged in the last day).")
        @OptionGroup var global: GlobalOptions

        func run() async throws { try LogCommand.show(try await global.call(StudyCorrectMethod.self, StudyCorrectParams()), global) }
    }

    static func minutes(_ duration: String) throws -> Int {
        guard let minutes = parseDuration(duration) else {
            throw ValidationError("'\(duration)' is not a duration; write it like 90m, 1h30m, 1.5h or 45")
        }
        return minutes
    }

    static func show(_ correction: StudyLogCorrection, _ global: GlobalOptions) throws {
        if global.json { return try printJSON(correction) }
        if correction.removed {
            print(
                "Removed entry #\(correction.id) (\(correction.minutesBefore) min). This week: \(formatHours(Double(correction.weekMinutes) / 60))."
            )
        } else {
            print(
                "Entry #\(correction.id): \(correction.minutesBefore) → \(correction.minutesNow ?? 0) min. This week: \(formatHours(Double(correction.weekMinutes) / 60))."
            )
        }
    }
}

/// Minutes in a duration such as `90m`, `1h30m`, `1.5h` or `45`; nil when it is not one.
///
/// Hours come before minutes and each unit at most once; no signs inside (`1h-30m`, `10m-5m` and
/// `1h1h` are not durations).
func parseDuration(_ text: String) -> Int? {
    let text = String(text.lowercased().filter { $0 != " " })
    if let minutes = Int(text) { return minutes }
    var rest = Substring(text)
    var total = 0.0
    var lastUnit: Character?
    while !rest.isEmpty {
        let number = rest.prefix { ("0"..."9").contains($0) || $0 == "." }
        guard let value = Double(number), value.isFinite else { return nil }
        rest = rest.dropFirst(number.count)
        guard let unit = rest.first, unit == "h" || unit == "m", lastUnit == nil || (lastUnit == "h" && unit == "m") else { return nil }
        total += unit == "h" ? value * 60 : value
        lastUnit = unit
        rest = rest.dropFirst()
    }
    guard lastUnit != nil else { return nil }
    return Int(total.rounded())
}

func formatHours(_ hours: Double) -> String {
    hours == hours.rounded() ? "\(Int(hours)) h" : "\(oneDecimal(hours)) h"
}

func bar(_ share: Double, width: Int = 20) -> String {
    let filled = Int((max(0, min(1, share)) * Double(width)).rounded())
    return "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "]"
}

/// A number with one decimal, without Foundation's formatters.
func oneDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
}
