import Foundation

extension WeeklyPlan {
    /// A readable Markdown plan: a heading per day of the week, each session's local times, its items with minutes, then the notes.
    ///
    /// - Parameters:
    ///   - title: The top heading; defaults to "Study plan for 2026-W49".
    ///   - skillTitles: Display names by skill ID, shown after each item of that skill.
    /// Days and times use the plan's time zone; day and month names are English whatever the locale.
    public func markdown(title: String? = nil, skillTitles: [String: String] = [:]) -> String {
        let zone = TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0)!
        let calendar = ISOWeekMath.calendar(zone)
        var lines = ["# \(Self.escape(title ?? "Study plan for \(week)"))", ""]
        lines.append(
            "\(Self.escape(timeZone)) · \(WeeklyPlanFormat.duration(plannedMinutes)) planned of a "
                + "\(WeeklyPlanFormat.duration(budgetMinutes)) budget · \(sessions.count) \(sessions.count == 1 ? "session" : "sessions")"
        )

        let dayStarts: [Date]
        if let isoWeek = try? ISOWeek.parse(week) {
            dayStarts = isoWeek.days(in: zone)
        } else {
            var seen: [Date] = []
            for session in sessions where !seen.contains(calendar.startOfDay(for: session.start)) {
                seen.append(calendar.startOfDay(for: session.start))
            }
            dayStarts = seen.sorted()
        }
        for dayStart in dayStarts {
            lines += ["", "## \(Self.dayName(dayStart, calendar: calendar))", ""]
            let daySessions = sessions.filter { calendar.isDate($0.start, inSameDayAs: dayStart) }
            if daySessions.isEmpty {
                lines.append("Nothing planned.")
                continue
            }
            for (index, session) in daySessions.enumerated() {
                if index > 0 { lines.append("") }
                let start = Self.clock(session.start, calendar: calendar, dayStart: dayStart)
                let end = Self.clock(session.end, calendar: calendar, dayStart: dayStart)
                lines += ["### \(start)–\(end) (\(WeeklyPlanFormat.duration(session.minutes)))", ""]
                for item in session.items {
                    var line = "- \(Self.escape(item.heading)) — \(item.detail)"
                    if let skill = item.skillId, let name = skillTitles[skill] { line += " · _\(Self.escape(name))_" }
                    lines.append(line)
                }
                let spare = session.minutes - session.items.reduce(0) { $0 + $1.minutes }
                if spare > 0 { lines.append("- Spare time: review or read ahead — \(spare) min") }
            }
        }
        if !notes.isEmpty {
            lines += ["", "## Notes", ""]
            lines += notes.map { "- \(Self.escape($0))" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "Monday 30 November 2026".
    private static func dayName(_ date: Date, calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.weekday, .day, .month, .year], from: date)
        let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        ]
        let weekday = weekdays[((parts.weekday ?? 1) - 1) % 7]
        let month = months[((parts.month ?? 1) - 1) % 12]
        return "\(weekday) \(parts.day ?? 1) \(month) \(parts.year ?? 1970)"
    }

    /// Local "HH:MM"; the midnight that ends a day shows as "24:00".
    private static func clock(_ date: Date, calendar: Calendar, dayStart: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let hour = parts.hour ?? 0
        let minute = parts.minute ?? 0
        if hour == 0 && minute == 0 && date > dayStart { return "24:00" }
        return WeeklyPlanFormat.clock(hour, minute)
    }

    /// Backslash-escapes the characters Markdown would read as formatting.
    private static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\`*_[]<>#|".contains(character) { result.append("\\") }
            result.append(character == "\n" ? " " : character)
        }
        return result
    }
}
