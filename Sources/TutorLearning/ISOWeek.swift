import Foundation
import TutorCivilDate

/// An ISO-8601 week, such as "2026-W49": weeks run Monday to Sunday and week 1 holds the year's first Thursday.
///
/// A year has 52 or 53 weeks. Encodes as its canonical text ("2026-W49") and validates when decoding.
public struct ISOWeek: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    /// A week; throws when `year` is outside 1...9999 or `week` outside 1...`weeksInYear(year)`.
    public init(year: Int, week: Int) throws {
        guard (1...9999).contains(year) else {
            throw ISOWeekError("Year \(year) is out of range: use a four-digit year such as 2026 (expected form YYYY-Www, e.g. 2026-W49).")
        }
        let weeks = Self.weeksInYear(year)
        guard (1...weeks).contains(week) else {
            throw ISOWeekError(
                "Week \(week) does not exist in \(year): it has weeks 1 to \(weeks) (expected form YYYY-Www, e.g. \(year)-W\(Self.twoDigits(min(49, weeks))))."
            )
        }
        self.year = year
        self.week = week
    }

    /// Parses "2026-W49" (the "w" may be lower case; surrounding spaces are ignored).
    public static func parse(_ text: String) throws -> ISOWeek {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let yearText = parts.first, let weekPart = parts.last,
            yearText.count == 4, yearText.allSatisfy(\.isASCIIDigit),
            let marker = weekPart.first, marker == "W" || marker == "w"
        else {
            throw ISOWeekError("“\(text)” is not an ISO week: expected the form YYYY-Www, e.g. 2026-W49.")
        }
        let weekText = weekPart.dropFirst()
        guard (1...2).contains(weekText.count), weekText.allSatisfy(\.isASCIIDigit), let year = Int(yearText), let week = Int(weekText)
        else {
            throw ISOWeekError("“\(text)” is not an ISO week: the week number needs one or two digits, as in 2026-W49.")
        }
        do {
            return try ISOWeek(year: year, week: week)
        } catch let error as ISOWeekError {
            throw ISOWeekError("“\(text)” is not a valid week. \(error.message)")
        }
    }

    /// The week that holds `date` on the learner's local calendar.
    public static func containing(_ date: Date, in timeZone: TimeZone) -> ISOWeek {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let day = ISOWeekMath.daysFromCivil(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
        return ISOWeekMath.week(containingDay: day)
    }

    /// The number of ISO weeks in `year`: 53 when the year starts on a Thursday (or on a Wednesday in a leap year), else 52.
    public static func weeksInYear(_ year: Int) -> Int {
        (ISOWeekMath.mondayOfWeekOne(year + 1) - ISOWeekMath.mondayOfWeekOne(year)) / 7
    }

    /// The seven local midnights, Monday to Sunday, in `timeZone`.
    ///
    /// On a day whose midnight does not exist (a DST jump at 00:00) this is the first instant of that day.
    public func days(in timeZone: TimeZone) -> [Date] {
        let calendar = ISOWeekMath.calendar(timeZone)
        return (0..<7).map { ISOWeekMath.startOfDay(firstDayNumber + $0, calendar: calendar) }
    }

    /// The following week (week 1 of the next year after the last week).
    public var next: ISOWeek {
        week < Self.weeksInYear(year) ? ISOWeek(unchecked: year, week + 1) : ISOWeek(unchecked: year + 1, 1)
    }

    /// The week before (the last week of the previous year before week 1).
    public var previous: ISOWeek {
        week > 1 ? ISOWeek(unchecked: year, week - 1) : ISOWeek(unchecked: year - 1, Self.weeksInYear(year - 1))
    }

    /// Canonical text, e.g. "2026-W49".
    public var description: String {
        let digits = String(year)
        return "\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits)-W\(Self.twoDigits(week))"
    }

    /// Days since 1970-01-01 of this week's Monday (a proleptic Gregorian day number).
    var firstDayNumber: Int {
        ISOWeekMath.mondayOfWeekOne(year) + (week - 1) * 7
    }

    public static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool {
        (lhs.year, lhs.week) < (rhs.year, rhs.week)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try ISOWeek.parse(text)
        } catch let error as ISOWeekError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private init(unchecked year: Int, _ week: Int) {
        self.year = year
        self.week = week
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}

/// Why a week could not be made or parsed; `message` names the input and shows the expected form.
public struct ISOWeekError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
    public var errorDescription: String? { message }
}

/// Calendar arithmetic on proleptic Gregorian day numbers (days since 1970-01-01), free of time zones.
enum ISOWeekMath {
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int { CivilDate.days(year: year, month: month, day: day) }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) { CivilDate.fromDays(days) }

    /// ISO weekday of a day number: 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday).
    static func weekday(_ days: Int) -> Int {
        ((days + 3) % 7 + 7) % 7 + 1
    }

    /// The day number of the Monday of week 1 of `year` (the week holding January 4).
    static func mondayOfWeekOne(_ year: Int) -> Int {
        let january4 = daysFromCivil(year: year, month: 1, day: 4)
        return january4 - (weekday(january4) - 1)
    }

    /// The ISO week holding a day number.
    static func week(containingDay day: Int) -> ISOWeek {
        let thursday = day - (weekday(day) - 1) + 3
        let year = civilFromDays(thursday).year
        let week = (thursday - mondayOfWeekOne(year)) / 7 + 1
        return (try? ISOWeek(year: year, week: week)) ?? ISOWeek.fallback
    }

    /// A Gregorian calendar in `timeZone`.
    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The first instant of a local day.
    static func startOfDay(_ day: Int, calendar: Calendar) -> Date {
        let civil = civilFromDays(day)
        let noon = calendar.date(from: DateComponents(year: civil.year, month: civil.month, day: civil.day, hour: 12))!
        return calendar.startOfDay(for: noon)
    }

    /// The instant of local wall-clock time `minute` (from midnight; may be 1440 or more) on a day.
    ///
    /// Local times skipped by a DST jump move forward by the jump; repeated times take their first occurrence.
    static func localDate(day: Int, minute: Int, calendar: Calendar) -> Date {
        let civil = civilFromDays(day + minute / 1440)
        let rest = minute % 1440
        if rest == 0 { return startOfDay(day + minute / 1440, calendar: calendar) }
        let parts = DateComponents(year: civil.year, month: civil.month, day: civil.day, hour: rest / 60, minute: rest % 60)
        return calendar.date(from: parts)!
    }
}

extension ISOWeek {
    /// Only reached for day numbers outside years 1...9999.
    fileprivate static let fallback = ISOWeek(unchecked: 1970, 1)
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
