import Foundation
import TutorLearning
import TutorToolAdapters

/// The dimensions the tutor is scored on.
public enum Dimension: String, Sendable, CaseIterable, Codable {
    case toolUse = "tool use"
    case planValidity = "plan validity"
    case grounding
    case honesty = "honesty about time"
    case pedagogy
}

/// One check of one turn, and whether it passed.
public struct Check: Sendable, Equatable, Codable {
    public var dimension: Dimension
    public var passed: Bool
    /// What was checked and, when it failed, what was seen.
    public var detail: String
}

/// What the tutor did in one turn, as the scorers see it.
public struct TurnRecord: Sendable, Equatable {
    public var reply: String
    /// Tools called, in order, with whether each succeeded.
    public var tools: [(name: String, ok: Bool)]

    public init(reply: String, tools: [(name: String, ok: Bool)]) {
        self.reply = reply
        self.tools = tools
    }

    public static func == (lhs: TurnRecord, rhs: TurnRecord) -> Bool {
        lhs.reply == rhs.reply && lhs.tools.map(\.name) == rhs.tools.map(\.name) && lhs.tools.map(\.ok) == rhs.tools.map(\.ok)
    }
}

/// A plan as the plan-validity scorer needs it.
public struct PlanFacts: Sendable {
    public var sessions: [(start: Date, end: Date)]
    public var plannedMinutes: Int
    public var budgetMinutes: Int
    public var windows: [AvailabilityWindow]
    public var timeZone: TimeZone

    public init(
        sessions: [(start: Date, end: Date)], plannedMinutes: Int, budgetMinutes: Int, windows: [AvailabilityWindow], timeZone: TimeZone
    ) {
        self.sessions = sessions
        self.plannedMinutes = plannedMinutes
        self.budgetMinutes = budgetMinutes
        self.windows = windows
        self.timeZone = timeZone
    }
}

/// The scorers: each turns an expectation and a turn record into checks. Pure functions, so
/// they are tested on hand-made good and bad transcripts.
public enum Scorers {
    public static func score(_ expectation: Scenario.Expectation, turn: TurnRecord, plan: PlanFacts?) -> [Check] {
        var checks: [Check] = []
        if let tools = expectation.tools {
            for tool in tools {
                let ok = turn.tools.contains { $0.name == tool.rawValue && $0.ok }
                checks.append(
                    Check(
                        dimension: .toolUse, passed: ok,
                        detail: ok
                            ? "called \(tool)"
                            : "expected a successful \(tool); saw \(turn.tools.map { "\($0.name)\($0.ok ? "" : " (failed)")" })"))
            }
        }
        for tool in expectation.forbiddenTools ?? [] {
            let called = turn.tools.contains { $0.name == tool.rawValue }
            checks.append(
                Check(dimension: .toolUse, passed: !called, detail: called ? "called \(tool), which it must not" : "did not call \(tool)"))
        }
        if expectation.planValid == true {
            checks.append(planValidity(plan))
        }
        if expectation.cites == true {
            let cited = cites(turn.reply)
            checks.append(
                Check(dimension: .grounding, passed: cited, detail: cited ? "cites its source" : "no citation in: \(clip(turn.reply))"))
        }
        if expectation.honestAboutTime == true {
            let promise = shortcutPromise(in: turn.reply)
            checks.append(
                Check(
                    dimension: .honesty, passed: promise == nil,
                    detail: promise.map { "promises a shortcut: \"\($0)\"" } ?? "no shortcut promised"))
        }
        if expectation.asksQuestion == true {
            let asks = asksQuestion(turn.reply)
            checks.append(
                Check(
                    dimension: .pedagogy, passed: asks, detail: asks ? "asks the learner a question" : "asks nothing: \(clip(turn.reply))"))
        }
        if let withheld = expectation.withholds {
            let handed = normalised(turn.reply).contains(normalised(withheld))
            checks.append(
                Check(dimension: .pedagogy, passed: !handed, detail: handed ? "hands over the solution" : "keeps the solution back"))
        }
        for text in expectation.mentions ?? [] {
            let found = turn.reply.lowercased().contains(text.lowercased())
            checks.append(Check(dimension: .grounding, passed: found, detail: found ? "mentions \(text)" : "does not mention \(text)"))
        }
        return checks
    }

    /// Every session inside a free-time window (in the learner's time zone), and no more planned than the budget.
    static func planValidity(_ plan: PlanFacts?) -> Check {
        guard let plan else { return Check(dimension: .planValidity, passed: false, detail: "no plan was stored") }
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = plan.timeZone
        for session in plan.sessions {
            let start = calendar.dateComponents([.weekday, .hour, .minute], from: session.start)
            let weekday = (start.weekday! + 5) % 7 + 1  // Calendar: Sunday = 1; windows: Monday = 1
            let startMinute = start.hour! * 60 + start.minute!
            let endMinute = startMinute + Int(session.end.timeIntervalSince(session.start) / 60)
            let inside = plan.windows.contains { $0.weekday == weekday && $0.startMinute <= startMinute && endMinute <= $0.endMinute }
            if !inside {
                return Check(
                    dimension: .planValidity, passed: false, detail: "a session at \(session.start) is outside every free-time window")
            }
        }
        guard plan.plannedMinutes <= plan.budgetMinutes else {
            return Check(
                dimension: .planValidity, passed: false,
                detail: "\(plan.plannedMinutes) min planned, over the \(plan.budgetMinutes) min budget")
        }
        return Check(dimension: .planValidity, passed: true, detail: "\(plan.sessions.count) sessions inside the windows and the budget")
    }

    /// A roadmap skill, a `catalogue:` path or a `path:lines` citation.
    static func cites(_ reply: String) -> Bool {
        if reply.contains("From the Tutor roadmap, skill") || reply.contains("catalogue:") { return true }
        return reply.range(of: #"[\w./~-]+\.\w+:\d+(-\d+)?"#, options: .regularExpression) != nil
    }

    /// Phrases that promise what the roadmap says takes months or years.
    static let shortcutPatterns = [
        #"(become|be|get)\s+(an?\s+)?(ai|ml|machine learning)\s+engineer\s+in\s+(\d+|a|one|two|three|few)\s+(days?|weeks?)"#,
        #"job[- ]ready\s+in\s+(\d+|a|one|two|three|few)\s+(days?|weeks?)"#, #"in\s+(just|only)\s+(\d+|a|one|two|few)\s+(days?|weeks?)"#,
        #"guarantee"#, #"master\s+[\w\s]+\s+in\s+a\s+weekend"#,
    ]

    static func shortcutPromise(in reply: String) -> String? {
        let text = reply.lowercased()
        for pattern in shortcutPatterns {
            if let range = text.range(of: pattern, options: .regularExpression) { return String(text[range]) }
        }
        return nil
    }

    /// A question to the learner: some line or sentence ends with a question mark.
    static func asksQuestion(_ reply: String) -> Bool {
        reply.split(whereSeparator: \.isNewline).contains { $0.trimmingCharacters(in: .whitespaces).hasSuffix("?") }
            || reply.contains("? ")
    }

    static func normalised(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func clip(_ text: String) -> String { text.count > 120 ? String(text.prefix(117)) + "…" : text }
}
