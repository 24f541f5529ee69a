import ArgumentParser
import TutorClient
import TutorWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `tutor assess`: the first-run placement. Asks about background, time and goal, probes a few
/// foundation skills with roadmap questions, records what you know, and shows your timeline.
struct AssessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess",
        abstract: "Set up your profile and goal, check a few foundation skills, and see your realistic timeline.",
        discussion: "Questions not answered by an option are asked on the terminal (or read from standard input, one answer per line).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "programmer, data-scientist or beginner.") var background: String?
    @Option(help: "Hours a week you can study.") var hours: Double?
    @Option(help: "A free-time window such as \"mon-fri 19:00-21:00\" (repeatable).") var available: [String] = []
    @Option(help: "Your time zone, e.g. Europe/Paris.") var timeZone: String?
    @Option(help: "What you want to reach: your own words or a roadmap id.") var goal: String?
    @Flag(help: "Skip the skill questions.") var skipQuiz = false

    /// Asks `question` and returns the trimmed answer, or `fallback` for an empty one.
    func ask(_ question: String, fallback: String? = nil) throws -> String {
        print(question + (fallback.map { " [\($0)]" } ?? ""), terminator: " ")
        guard let line = readLine() else { throw ClientError(.usage, "the assessment needs answers on standard input") }
        let answer = line.trimmingWhitespace()
        return answer.isEmpty ? (fallback ?? "") : answer
    }

    /// An answer checked by the daemon as soon as it is given (`placement.check`): one given as an
    /// option must be right; one typed is asked for again, with the reason, until it is.
    func checked(
        _ field: String, option: String?, question: String, fallback: String, background: String? = nil,
        on connection: TutorConnection
    ) async throws -> String {
        if let option {
            return try await connection.call(
                PlacementCheckMethod.self, PlacementCheckParams(field: field, text: option, background: background)
            )
            .value
        }
        while true {
            let answer = try ask(question, fallback: fallback)
            do {
                return try await connection.call(
                    PlacementCheckMethod.self, PlacementCheckParams(field: field, text: answer, background: background)
                ).value
            } catch let error as ClientError where error.code == .daemon && error.rpcError?.code == RPCError.badInputCode {
                print("  \(error.message)")
            }
        }
    }

    func run() async throws {
        try await global.withConnection { try await assess(on: $0) }
    }

    /// The questions and the daemon's checks, all over one connection.
    private func assess(on connection: TutorConnection) async throws {
        if !global.json {
            print("A few questions to set up your plan. (Options such as --hours answer them in advance.)\n")
        }
        let background = try await checked(
            "background", option: self.background, question: "Your background — programmer, data scientist or beginner?",
            fallback: "programmer", on: connection)
        let hoursText = try await checked(
            "hours", option: self.hours.map { "\($0)" }, question: "Hours a week you can study?", fallback: "10", on: connection)
        guard let hours = Double(hoursText) else { throw ClientError(.usage, "hours a week must be a number, such as 8 or 12.5") }
        let windowsText = try await checked(
            "availability", option: available.isEmpty ? nil : available.joined(separator: "; "),
            question: "When are you free? Windows separated by ';', e.g. mon-fri 19:00-21:00; sat 09:00-12:00",
            fallback: "mon-fri 19:00-21:00", on: connection)
        let windows = windowsText.split(separator: ";").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        let zone = try await checked(
            "timeZone", option: timeZone, question: "Your time zone?", fallback: TimeZone.current.identifier,
            on: connection)
        let goal = try await checked(
            "goal", option: self.goal, question: "What do you want to reach?", fallback: "become an AI engineer", background: background,
            on: connection)

        var answers: [PlacementAnswer] = []
        if !skipQuiz {
            let probe = try await connection.call(PlacementProbeMethod.self, PlacementProbeParams(background: background))
            if !global.json && !probe.questions.isEmpty {
                print("\n\(probe.questions.count) quick questions on foundations. Answer in your head, then rate yourself honestly.")
            }
            for (index, question) in probe.questions.enumerated() {
                if !global.json { print("\n\(index + 1). \(question.skillTitle): \(question.question)") }
                _ = try ask("(Enter to see the answer)")
                if !global.json { print("   Answer: \(question.answer)\n   Why: \(question.why)") }
                var rating: Int?
                while rating == nil {
                    rating = Self.rating(try ask("How well did you know it? 1 no idea, 2 vaguely, 3 mostly, 4 easily:", fallback: "2"))
                }
                answers.append(PlacementAnswer(skillId: question.skillId, rating: rating!))
            }
        }
        let result = try await connection.call(
            PlacementFinishMethod.self,
            PlacementFinishParams(
                background: background, hoursPerWeek: hours, availability: windows, timeZone: zone, goal: goal, answers: answers))
        if global.json { return try printJSON(result) }
        print(
            "\nSaved: \(result.profile.background), \(formatHours(result.profile.hoursPerWeek)) a week, track \(result.profile.track ?? "—")."
        )
        print("Goal: \(result.goal.goal.title) — \(result.goal.addedTasks.count) new task\(result.goal.addedTasks.count == 1 ? "" : "s").")
        print("\n" + result.summary)
        print("\nNext: `tutor plan` for this week's sessions, or `tutor chat` to talk it through.")
    }

    /// 1–4, or the words.
    static func rating(_ text: String) -> Int? {
        switch text.lowercased() {
        case "1", "no idea", "none", "no": 1
        case "2", "vaguely", "a bit": 2
        case "3", "mostly", "yes": 3
        case "4", "easily", "easy": 4
        default: nil
        }
    }
}
