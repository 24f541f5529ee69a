import ArgumentParser
import TutorClient
import TutorWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `tutor plan`.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "This week's study plan, placed in your free time.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The ISO week, YYYY-Www (default: this week).") var week: String?
    @Flag(help: "Plan afresh instead of showing the stored plan.") var regenerate = false
    @Option(help: "Also write the plan as an iCalendar (.ics) file.") var ics: String?
    @Option(help: "Also write the plan as a Markdown file.") var markdown: String?

    func run() async throws {
        let plan = try await global.call(PlanWeekMethod.self, PlanParams(week: week, regenerate: regenerate ? true : nil))
        if let ics { try write(plan.iCalendar, to: ics) }
        if let markdown { try write(plan.markdown, to: markdown) }
        if global.json { return try printJSON(plan) }
        print(plan.markdown, terminator: plan.markdown.hasSuffix("\n") ? "" : "\n")
        for note in plan.notes { print("note: \(note)") }
        if let ics { print("(calendar written to \(ics))") }
        if let markdown { print("(Markdown written to \(markdown))") }
    }

    func write(_ text: String, to path: String) throws {
        try PrivateFile.write(Array(text.utf8), to: path)
    }
}

/// `tutor progress`.
struct ProgressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "progress", abstract: "Progress per stage and skill.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let progress = try await global.call(ProgressMethod.self, NoParams())
        if global.json { return try printJSON(progress) }
        let width = progress.stages.map(\.title.count).max() ?? 0
        for stage in progress.stages {
            let share = stage.skillsTotal == 0 ? 0 : Double(stage.skillsMastered) / Double(stage.skillsTotal)
            print(
                "\(stage.title.padded(to: width))  \(bar(share))  \(stage.skillsMastered)/\(stage.skillsTotal) skills  \(formatHours(stage.hoursLogged)) of ~\(formatHours(stage.hoursEstimated.rounded()))"
            )
        }
        let active = progress.skills.filter { $0.status != "not-started" || $0.minutesLogged > 0 }
        if !active.isEmpty {
            print("")
            for skill in active {
                print(
                    "  \(skill.title): \(skill.status) (\(Int(skill.mastery * 100))%), \(skill.minutesLogged)/\(skill.minutesEstimated) min — \(skill.reason)"
                )
            }
        }
        print("\nTotal logged: \(formatHours(Double(progress.minutesLogged) / 60)).")
        if !progress.misconceptions.isEmpty {
            print("\nTo revisit (earlier wrong answers; \"quiz me\" in chat brings them back):")
            for note in progress.misconceptions {
                print("  \(note.skillId): \(note.question) You said \"\(note.said)\"; the answer is \"\(note.expected)\"")
            }
        }
    }
}

/// `tutor forecast`.
struct ForecastCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "forecast", abstract: "When you are likely to reach each milestone.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Forecast as if studying this many hours a week.") var hours: Double?
    @Option(help: "Forecast for another background: programmer, data-scientist or beginner.") var background: String?

    func run() async throws {
        let forecast = try await global.call(ForecastMethod.self, ForecastParams(hoursPerWeek: hours, background: background))
        if global.json { return try printJSON(forecast) }
        print("At \(formatHours(forecast.hoursPerWeek)) a week (\(forecast.paceSource)), as a \(forecast.background):")
        let width = forecast.milestones.map(\.title.count).max() ?? 0
        let month = Date.ISO8601FormatStyle().year().month()
        for milestone in forecast.milestones {
            let months = "\(formatMonths(milestone.monthsFrom))–\(formatMonths(milestone.monthsTo))"
            let dates = "\(month.format(milestone.dateFrom)) – \(month.format(milestone.dateTo))"
            let experience = milestone.experienceYears.map { "  (+\($0) years of experience)" } ?? ""
            let projects = withProjects(milestone).map { "  with projects: \($0)" } ?? ""
            print("  \(milestone.title.padded(to: width))  \(months.padded(to: 20))  \(dates)\(experience)\(projects)")
        }
        for note in forecast.notes { print("\n\(note)") }
    }
}

/// The milestone's range with the portfolio projects built too, when they add anything.
func withProjects(_ milestone: MilestoneView) -> String? {
    guard let from = milestone.monthsWithProjectsFrom, let to = milestone.monthsWithProjectsTo, (milestone.projectHoursMax ?? 0) > 0
    else { return nil }
    return "\(formatMonths(from))–\(formatMonths(to))"
}

func formatMonths(_ months: Double) -> String {
    months >= 24 ? "\(oneDecimal(months / 12)) years" : "\(Int(months.rounded())) months"
}
