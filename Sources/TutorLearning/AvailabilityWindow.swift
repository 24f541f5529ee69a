import Foundation

/// A weekly free-time window on one weekday, such as "mon 19:00-21:00", in the learner's local time.
///
/// `weekday` is 1 = Monday ... 7 = Sunday; minutes count from local midnight, and a window ends after it starts on
/// the same day (`endMinute` may be 1440, written "24:00").
public struct AvailabilityWindow: Codable, Sendable, Hashable, CustomStringConvertible {
    public var weekday: Int
    public var startMinute: Int
    public var endMinute: Int

    /// A window; throws unless `weekday` is in 1...7 and 0 <= `startMinute` < `endMinute` <= 1440.
    public init(weekday: Int, startMinute: Int, endMinute: Int) throws {
        let text = "weekday \(weekday), minutes \(startMinute)-\(endMinute)"
        guard (1...7).contains(weekday) else {
            throw AvailabilityWindowError(text: text, reason: "weekday must be 1 (Monday) to 7 (Sunday)")
        }
        guard (0..<1440).contains(startMinute), (1...1440).contains(endMinute) else {
            throw AvailabilityWindowError(text: text, reason: "times must lie between 00:00 and 24:00")
        }
        guard endMinute > startMinute else {
            throw AvailabilityWindowError(text: text, reason: "the window must end after it starts, on the same day")
        }
        self.weekday = weekday
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Parses one line into one window per day it names.
    ///
    /// Days: "mon" ... "sun" (or full names), ranges "mon-fri" (wrapping, so "fri-mon" is Friday to Monday), lists
    /// "mon,wed", and "weekdays", "weekend" or "daily". Times: "H:MM-H:MM" (24-hour clock; "24:00" may end a window).
    /// The result is sorted by weekday, without duplicates.
    public static func parse(_ text: String) throws -> [AvailabilityWindow] {
        let normalized = text.lowercased()
            .replacingOccurrences(of: "\u{2013}", with: "-")
            .replacingOccurrences(of: "\u{2014}", with: "-")
        let tokens = normalized.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let dayText = tokens.first else {
            throw AvailabilityWindowError(text: text, reason: "it is empty")
        }
        guard tokens.count > 1 else {
            throw AvailabilityWindowError(text: text, reason: "it has no time range after the day")
        }
        let days = try parseDays(dayText, in: text)
        let (start, end) = try parseTimeRange(tokens.dropFirst().joined(), in: text)
        guard end > start else {
            throw AvailabilityWindowError(
                text: text,
                reason: "it ends at \(clock(end)), not after it starts at \(clock(start)); a window cannot cross midnight, "
                    + "so split a late one in two (\"mon 22:00-24:00\" and \"tue 00:00-01:00\")"
            )
        }
        return days.map { try! AvailabilityWindow(weekday: $0, startMinute: start, endMinute: end) }
    }

    /// Canonical text, e.g. "mon 19:00-21:00".
    public var description: String {
        "\(Self.shortNames[(weekday - 1 + 7) % 7]) \(Self.clock(startMinute))-\(Self.clock(endMinute))"
    }

    /// The window's length in minutes of local wall-clock time.
    public var minutes: Int { endMinute - startMinute }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let weekday = try container.decode(Int.self, forKey: .weekday)
        let start = try container.decode(Int.self, forKey: .startMinute)
        let end = try container.decode(Int.self, forKey: .endMinute)
        do {
            try self.init(weekday: weekday, startMinute: start, endMinute: end)
        } catch let error as AvailabilityWindowError {
            throw DecodingError.dataCorruptedError(forKey: .weekday, in: container, debugDescription: error.message)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case weekday, startMinute, endMinute
    }

    private static let shortNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    private static let dayNames: [String: Int] = [
        "mon": 1, "monday": 1, "tue": 2, "tues": 2, "tuesday": 2, "wed": 3, "wednesday": 3,
        "thu": 4, "thur": 4, "thurs": 4, "thursday": 4, "fri": 5, "friday": 5,
        "sat": 6, "saturday": 6, "sun": 7, "sunday": 7,
    ]

    private static let dayGroups: [String: [Int]] = [
        "weekdays": [1, 2, 3, 4, 5], "weekday": [1, 2, 3, 4, 5], "weekend": [6, 7], "weekends": [6, 7],
        "daily": Array(1...7), "everyday": Array(1...7),
    ]

    private static func parseDays(_ text: String, in line: String) throws -> [Int] {
        var days: Set<Int> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            if let group = dayGroups[item] {
                days.formUnion(group)
                continue
            }
            let ends = item.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard ends.count <= 2, let first = ends.first, let from = dayNames[first], let to = dayNames[ends.last ?? first] else {
                let unknown = ends.first { dayNames[$0] == nil } ?? item
                throw AvailabilityWindowError(
                    text: line,
                    reason: "“\(unknown)” is not a day; use mon, tue, wed, thu, fri, sat, sun, a range such as mon-fri, "
                        + "weekdays, weekend or daily"
                )
            }
            var day = from
            while true {
                days.insert(day)
                if day == to { break }
                day = day % 7 + 1
            }
        }
        return days.sorted()
    }

    private static func parseTimeRange(_ text: String, in line: String) throws -> (Int, Int) {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard ends.count == 2 else {
            throw AvailabilityWindowError(text: line, reason: "“\(text)” is not a time range; write start-end, such as 19:00-21:00")
        }
        return (try parseClock(ends[0], in: line, isEnd: false), try parseClock(ends[1], in: line, isEnd: true))
    }

    private static func parseClock(_ text: String, in line: String, isEnd: Bool) throws -> Int {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else {
            throw AvailabilityWindowError(
                text: line,
                reason: "“\(text)” is not a time; write hours and minutes as H:MM, such as 19:00 (not 19)"
            )
        }
        guard (1...2).contains(parts[0].count), parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (parts[0] + parts[1]).allSatisfy({ $0.isASCII && $0.isNumber })
        else {
            throw AvailabilityWindowError(text: line, reason: "“\(text)” is not a time; write H:MM with digits, such as 9:30 or 19:00")
        }
        guard minute < 60, hour < 24 || (isEnd && hour == 24 && minute == 0) else {
            throw AvailabilityWindowError(
                text: line,
                reason: "“\(text)” is not a time of day; hours go from 0 to 23 and minutes from 00 to 59 (24:00 may end a window)"
            )
        }
        return hour * 60 + minute
    }

    private static func clock(_ minute: Int) -> String {
        let hours = minute / 60
        let minutes = minute % 60
        return "\(hours < 10 ? "0" : "")\(hours):\(minutes < 10 ? "0" : "")\(minutes)"
    }
}

/// Why an availability window could not be parsed; `message` quotes the text, says what is wrong and shows a valid example.
public struct AvailabilityWindowError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The text as the learner wrote it.
    public let text: String
    /// What is wrong with it.
    public let reason: String

    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    /// "“mon 21:00-19:00” is not a valid availability window: ... Example: "mon-fri 19:00-21:00"."
    public var message: String {
        "“\(text)” is not a valid availability window: \(reason). Example: \"mon-fri 19:00-21:00\" or \"sat 9:00-12:30\"."
    }

    public var description: String { message }
    public var errorDescription: String? { message }
}
