import Foundation

/// When a recurring job runs, in the learner's time zone: weekly on a weekday and time, daily at a
/// time, after each planned study session, or never.
public enum JobSchedule: Equatable, Sendable, CustomStringConvertible {
    /// `weekday` 1 = Monday … 7 = Sunday; `minute` of the day (0…1439).
    case weekly(weekday: Int, minute: Int)
    case daily(minute: Int)
    /// Occurrences are the ends of the planned sessions (the job supplies them).
    case afterSessions
    case off

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Reads `sun 18:00`, `sunday 18:00`, `daily 08:00`, `08:00` (daily), `after-sessions` or `off`.
    public static func parse(_ text: String) throws(ScheduleError) -> JobSchedule {
        let words = text.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        switch words.count {
        case 1 where words[0] == "off" || words[0] == "never": return .off
        case 1 where words[0] == "after-sessions": return .afterSessions
        case 1: return .daily(minute: try minute(words[0], in: text))
        case 2 where words[0] == "daily" || words[0] == "everyday": return .daily(minute: try minute(words[1], in: text))
        case 2:
            let fullNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
            guard let day = dayNames.firstIndex(of: words[0]) ?? fullNames.firstIndex(of: words[0]) else {
                throw ScheduleError(text: text, problem: "'\(words[0])' is not a weekday")
            }
            return .weekly(weekday: day + 1, minute: try minute(words[1], in: text))
        default:
            throw ScheduleError(text: text, problem: "it should be a weekday and a time, 'daily' and a time, 'after-sessions' or 'off'")
        }
    }

    private static func minute(_ word: String, in text: String) throws(ScheduleError) -> Int {
        let parts = word.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute),
            parts[1].count == 2
        else {
            throw ScheduleError(text: text, problem: "'\(word)' is not a time of day such as 18:00")
        }
        return hour * 60 + minute
    }

    /// The canonical text: `sun 18:00`, `daily 08:00`, `after-sessions`, `off`.
    public var description: String {
        func time(_ minute: Int) -> String {
            let hour = minute / 60, rest = minute % 60
            return (hour < 10 ? "0" : "") + "\(hour):" + (rest < 10 ? "0" : "") + "\(rest)"
        }
        switch self {
        case .weekly(let weekday, let minute): return "\(Self.dayNames[weekday - 1]) \(time(minute))"
        case .daily(let minute): return "daily \(time(minute))"
        case .afterSessions: return "after-sessions"
        case .off: return "off"
        }
    }

    private func components() -> DateComponents? {
        switch self {
        case .weekly(let weekday, let minute):
            // Calendar weekdays count from Sunday = 1.
            return DateComponents(hour: minute / 60, minute: minute % 60, second: 0, weekday: weekday % 7 + 1)
        case .daily(let minute):
            return DateComponents(hour: minute / 60, minute: minute % 60, second: 0)
        case .afterSessions, .off:
            return nil
        }
    }

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// The first occurrence strictly after `date`; nil when the schedule has no clock times.
    /// A time skipped by a daylight-saving change runs at the next valid time.
    public func next(after date: Date, in zone: TimeZone) -> Date? {
        guard let components = components() else { return nil }
        return Self.calendar(zone).nextDate(after: date, matching: components, matchingPolicy: .nextTime, direction: .forward)
    }

    /// The newest occurrence at or before `date`; nil when the schedule has no clock times.
    public func latest(atOrBefore date: Date, in zone: TimeZone) -> Date? {
        guard let components = components() else { return nil }
        return Self.calendar(zone).nextDate(
            after: date.addingTimeInterval(0.001), matching: components, matchingPolicy: .nextTime, direction: .backward)
    }
}

/// A schedule that could not be read, with what was wrong and examples of what works.
public struct ScheduleError: Error, Sendable, CustomStringConvertible {
    public let text: String
    public let problem: String
    public var description: String {
        "'\(text)' is not a schedule: \(problem). Use for example \"sun 18:00\", \"daily 08:00\", \"after-sessions\" or \"off\"."
    }
}
