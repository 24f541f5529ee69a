import Foundation

/// Free time as learners say it — "weeknights after 8pm", "sat 9-11", "mon, wed 7-9pm and
/// saturday mornings" — read into the canonical lines ``AvailabilityWindow/parse(_:)`` takes
/// ("mon-fri 20:00-22:00").
///
/// Windows are separated by `;`, new lines, commas or "and". A day part that has no time yet
/// ("mon, wed 7-9pm") is joined to the next time. Times may be 24-hour ("19:00-21:00", "9-11"),
/// 12-hour ("7-9pm", "9am-12:30pm"), open-ended ("after 8pm", "before 9am": two hours) or a part
/// of the day (mornings 09:00-12:00, lunchtime 12:00-13:00, afternoons 13:00-17:00, evenings and
/// nights 19:00-22:00). Bare hours in the evening ("weeknights 7-9") are read as p.m.
public enum AvailabilityPhrase {
    /// The canonical window lines in `text`, in the order written; throws an
    /// ``AvailabilityWindowError`` naming the part that could not be read.
    public static func windows(in text: String) throws -> [String] {
        let normalized = normalize(text)
        var lines: [String] = []
        var pendingDays: [Int] = []
        var lastDays: [Int] = []
        for segment in segments(of: normalized) {
            let days = self.days(in: segment)
            guard let range = try timeRange(in: segment) else {
                // Words around the windows ("usually", "I'm free") name neither a day nor a time.
                pendingDays += days
                continue
            }
            var all = pendingDays + days
            if all.isEmpty { all = lastDays }
            guard !all.isEmpty else {
                throw AvailabilityWindowError(text: segment, reason: "it has a time but no day; add one, such as mon-fri or sat")
            }
            guard range.end > range.start else {
                throw AvailabilityWindowError(
                    text: segment, reason: "it ends before it starts; a window cannot cross midnight, so split a late one in two")
            }
            let line = "\(dayList(all)) \(clock(range.start))-\(clock(range.end))"
            _ = try AvailabilityWindow.parse(line)
            lines.append(line)
            pendingDays = []
            lastDays = all
        }
        guard pendingDays.isEmpty else {
            throw AvailabilityWindowError(text: text, reason: "the last days have no time; add one, such as 19:00-21:00 or \"evenings\"")
        }
        guard !lines.isEmpty else {
            throw AvailabilityWindowError(
                text: text, reason: "it names no day with a time, such as \"weeknights after 8pm\" or \"sat 9-11\"")
        }
        return lines
    }

    // MARK: Reading

    static func normalize(_ text: String) -> String {
        var text = " " + text.lowercased() + " "
        for (from, to) in [
            ("\u{2013}", "-"), ("\u{2014}", "-"), (" to ", "-"), (" until ", "-"), (" till ", "-"), (" til ", "-"),
            ("a.m.", "am"), ("p.m.", "pm"), (" through ", "-"), (" thru ", "-"),
        ] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        // "7 pm" → "7pm"; "7 - 9" → "7-9".
        text = text.replacingOccurrences(of: #"(\d)\s+(am|pm)\b"#, with: "$1$2", options: .regularExpression)
        text = text.replacingOccurrences(of: #"\s*-\s*"#, with: "-", options: .regularExpression)
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// Splits on `;`, new lines, commas and "and"; a comma inside a day list ("mon,wed") stays.
    static func segments(of text: String) -> [String] {
        text.replacingOccurrences(of: #"\s+(and|&|plus|also)\s+"#, with: ";", options: .regularExpression)
            .replacingOccurrences(of: #",\s+"#, with: ";", options: .regularExpression)
            .split(whereSeparator: { $0 == ";" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " .!")) }
            .filter { !$0.isEmpty }
    }

    static let dayNames: [String: Int] = [
        "mon": 1, "monday": 1, "tue": 2, "tues": 2, "tuesday": 2, "wed": 3, "weds": 3, "wednesday": 3, "thu": 4, "thur": 4,
        "thurs": 4, "thursday": 4, "fri": 5, "friday": 5, "sat": 6, "saturday": 6, "sun": 7, "sunday": 7,
    ]
    static let dayGroups: [String: [Int]] = [
        "weekdays": Array(1...5), "weekday": Array(1...5), "weeknights": Array(1...5), "weeknight": Array(1...5),
        "workdays": Array(1...5), "weekend": [6, 7], "weekends": [6, 7], "daily": Array(1...7), "everyday": Array(1...7),
        "nightly": Array(1...7),
    ]

    /// The weekdays a segment names, in order.
    static func days(in segment: String) -> [Int] {
        var days: [Int] = []
        let text = segment.replacingOccurrences(of: "every day", with: "daily").replacingOccurrences(of: "each day", with: "daily")
        for word in text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "/" }) {
            let parts = word.split(separator: "-").map { singular(String($0)) }
            if parts.count == 2, let from = dayNames[parts[0]], let to = dayNames[parts[1]] {
                var day = from
                while true {
                    days.append(day)
                    if day == to { break }
                    day = day % 7 + 1
                }
            } else if let group = dayGroups[String(word)] {
                days += group
            } else if let day = dayNames[singular(String(word))] {
                days.append(day)
            }
        }
        return days
    }

    /// Whether `word` names a day or a group of days ("sat", "saturdays", "weeknights").
    public static func namesDays(_ word: String) -> Bool {
        dayNames[singular(word)] != nil || dayGroups[word] != nil
    }

    /// "saturdays" → "saturday"; "mons" → "mon".
    static func singular(_ word: String) -> String {
        dayNames[word] == nil && word.hasSuffix("s") ? String(word.dropLast()) : word
    }

    /// Parts of the day, with their windows in minutes.
    static let partsOfDay: [(words: [String], start: Int, end: Int)] = [
        (["morning"], 9 * 60, 12 * 60), (["lunch"], 12 * 60, 13 * 60), (["afternoon"], 13 * 60, 17 * 60),
        (["evening", "night", "weeknight", "nightly"], 19 * 60, 22 * 60),
    ]

    /// Whether the segment speaks of the evening (bare hours are then p.m.).
    static func isEvening(_ segment: String) -> Bool {
        ["evening", "night", "after work", "pm"].contains { segment.contains($0) }
    }

    static let clockPattern = #"(\d{1,2})(?::(\d{2}))?(am|pm|h)?"#

    /// The time range of a segment in minutes, or nil when it names none.
    static func timeRange(in segment: String) throws -> (start: Int, end: Int)? {
        let evening = isEvening(segment)
        if let match = firstMatch(#"\b"# + clockPattern + "-" + clockPattern + #"\b"#, in: segment) {
            var start = try minutes(match[1], match[2], in: segment)
            var end = try minutes(match[4], match[5], in: segment, allowEndOfDay: true)
            let (startSuffix, endSuffix) = (match[3], match[6])
            if let suffix = endSuffix ?? startSuffix, suffix != "h" {
                start = try apply(startSuffix ?? suffix, to: start, segment: segment)
                end = try apply(endSuffix ?? suffix, to: end, segment: segment)
                if startSuffix == nil, start >= end, suffix == "pm" { start -= 12 * 60 }
            } else if evening, start < 12 * 60, end <= 12 * 60, match[2] == nil || start < 8 * 60 {
                start += 12 * 60
                end += 12 * 60
            }
            return (start, end)
        }
        if let match = firstMatch(#"\b(after|from|before|at)\s+"# + clockPattern + #"\b"#, in: segment) {
            var time = try minutes(match[2], match[3], in: segment)
            if let suffix = match[4], suffix != "h" {
                time = try apply(suffix, to: time, segment: segment)
            } else if time < 12 * 60, evening || time < 7 * 60 && match[1] == "after" {
                time += 12 * 60
            }
            return match[1] == "before" ? (max(0, time - 120), time) : (time, min(24 * 60, time + 120))
        }
        for part in partsOfDay where part.words.contains(where: { segment.contains($0) }) {
            return (part.start, part.end)
        }
        return nil
    }

    static func minutes(_ hours: String?, _ minutes: String?, in segment: String, allowEndOfDay: Bool = false) throws -> Int {
        guard let hours = hours.flatMap({ Int($0) }), let minutes = Int(minutes ?? "0"), minutes < 60,
            hours < 24 || allowEndOfDay && hours == 24 && minutes == 0
        else {
            throw AvailabilityWindowError(text: segment, reason: "it has a time that is not a time of day")
        }
        return hours * 60 + minutes
    }

    /// Applies "am" or "pm" to a time written on a 12-hour clock.
    static func apply(_ suffix: String, to time: Int, segment: String) throws -> Int {
        guard time >= 60, time < 13 * 60 else {
            throw AvailabilityWindowError(text: segment, reason: "“am” and “pm” go with hours from 1 to 12")
        }
        let hour = time / 60 % 12
        return (suffix == "pm" ? 12 * 60 : 0) + hour * 60 + time % 60
    }

    /// The capture groups of the first match of `pattern` (index 0 is the whole match).
    static func firstMatch(_ pattern: String, in text: String) -> [String?]? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return nil }
        return (0..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: text).map { String(text[$0]) }
        }
    }

    // MARK: Writing

    /// "mon-fri" for a run of three or more days, else "mon,wed".
    static func dayList(_ days: [Int]) -> String {
        let sorted = Array(Set(days)).sorted()
        let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        if sorted.count >= 3, sorted.last! - sorted.first! == sorted.count - 1 {
            return "\(names[sorted.first! - 1])-\(names[sorted.last! - 1])"
        }
        return sorted.map { names[$0 - 1] }.joined(separator: ",")
    }

    static func clock(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }
}
