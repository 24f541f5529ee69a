import Foundation

extension WeeklyPlan {
    /// The plan as an RFC 5545 calendar: one VEVENT per session, in the learner's zone, with a matching VTIMEZONE.
    ///
    /// Event UIDs are stable for the same plan ("2026-W49-1-20261130T180000Z@tutor.local": week, session number,
    /// UTC start); `now` is only used for DTSTAMP. Lines use CRLF and are folded at 75 octets.
    public func iCalendar(productID: String = "-//Tutor//Study plan//EN", now: Date) -> String {
        let known = TimeZone(identifier: timeZone)
        let zone = known ?? TimeZone(secondsFromGMT: 0)!
        // The plan's own spelling, so the calendar names the zone the learner chose ("UTC" stays "UTC").
        let tzid = known == nil ? zone.identifier : timeZone
        let calendar = ISOWeekMath.calendar(zone)
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:\(ICSText.escape(productID))",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
        ]
        lines += ICSText.timeZoneComponent(zone, tzid: tzid, covering: coveredInterval(zone))
        let stamp = ICSText.utc(now)
        for (index, session) in sessions.enumerated() {
            let subject = session.items.first { $0.kind != .review } ?? session.items.first
            let description = session.items.map { "\($0.heading) (\($0.detail))" }.joined(separator: "\n")
            lines += [
                "BEGIN:VEVENT",
                "UID:\(week)-\(index + 1)-\(ICSText.utc(session.start))@tutor.local",
                "DTSTAMP:\(stamp)",
                ICSText.dateProperty("DTSTART", session.start, tzid: tzid, calendar: calendar),
                ICSText.dateProperty("DTEND", session.end, tzid: tzid, calendar: calendar),
                "SUMMARY:\(ICSText.escape("Study: \(subject?.title ?? "study session")"))",
                "DESCRIPTION:\(ICSText.escape(description))",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.flatMap(ICSText.fold).map { $0 + "\r\n" }.joined()
    }

    /// The plan's week as instants, or the span of its sessions when `week` does not parse.
    private func coveredInterval(_ zone: TimeZone) -> (start: Date, end: Date) {
        if let isoWeek = try? ISOWeek.parse(week) {
            let calendar = ISOWeekMath.calendar(zone)
            return (
                ISOWeekMath.startOfDay(isoWeek.firstDayNumber, calendar: calendar),
                ISOWeekMath.startOfDay(isoWeek.firstDayNumber + 7, calendar: calendar)
            )
        }
        let starts = sessions.map(\.start)
        let ends = sessions.map(\.end)
        let fallback = Date(timeIntervalSince1970: 0)
        return (starts.min() ?? fallback, ends.max() ?? fallback)
    }
}

/// RFC 5545 text building blocks.
enum ICSText {
    /// Escapes a TEXT value: backslash, semicolon, comma and newline.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n", "\r\n": result += "\\n"
            case "\r": continue
            default: result.append(character)
            }
        }
        return result
    }

    /// Splits a content line into lines of at most 75 octets, continuation lines starting with a space.
    ///
    /// Never splits inside a UTF-8 sequence.
    static func fold(_ line: String) -> [String] {
        var lines: [String] = []
        var current = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if octets + size > 75 {
                lines.append(current)
                current = " "
                octets = 1
            }
            current.unicodeScalars.append(scalar)
            octets += size
        }
        lines.append(current)
        return lines
    }

    /// "20261130T180000Z".
    static func utc(_ date: Date) -> String {
        let parts = ISOWeekMath.calendar(TimeZone(secondsFromGMT: 0)!).dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: date)
        return stamp(parts) + "Z"
    }

    /// "DTSTART;TZID=Europe/Paris:20261130T190000"; a repeated local time (the hour after a DST fall-back) that
    /// would read as its first occurrence is written in UTC instead.
    static func dateProperty(_ name: String, _ date: Date, tzid: String, calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        var local = parts
        local.timeZone = calendar.timeZone
        guard let roundTrip = calendar.date(from: local), abs(roundTrip.timeIntervalSince(date)) < 1 else {
            return "\(name):\(utc(date))"
        }
        return "\(name);TZID=\(tzid):\(stamp(parts))"
    }

    /// A VTIMEZONE for `zone` with the observances in effect during `interval`: the last transition before it,
    /// those inside it and the next one after it; a zone without transitions gets a single STANDARD.
    static func timeZoneComponent(_ zone: TimeZone, tzid: String, covering interval: (start: Date, end: Date)) -> [String] {
        var transitions: [Date] = []
        var cursor = interval.start.addingTimeInterval(-400 * 86_400)
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), transitions.count < 1_000 {
            if next >= interval.end {
                transitions.append(next)
                break
            }
            transitions.append(next)
            cursor = next
        }
        let before = transitions.filter { $0 <= interval.start }
        var chosen = transitions.filter { $0 > interval.start }
        var lines = ["BEGIN:VTIMEZONE", "TZID:\(tzid)"]
        if let last = before.last {
            chosen.insert(last, at: 0)
        } else {
            // No transition in the year before: the offset in force at the start holds since 1970.
            let offset = zone.secondsFromGMT(for: interval.start)
            let kind = zone.isDaylightSavingTime(for: interval.start) ? "DAYLIGHT" : "STANDARD"
            lines += observance(
                kind, start: "19700101T000000", from: offset, to: offset, name: zone.abbreviation(for: interval.start))
        }
        for transition in chosen {
            let from = zone.secondsFromGMT(for: transition.addingTimeInterval(-1))
            let to = zone.secondsFromGMT(for: transition)
            let utcCalendar = ISOWeekMath.calendar(TimeZone(secondsFromGMT: 0)!)
            let localStart = utcCalendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: transition.addingTimeInterval(Double(from)))
            lines += observance(
                zone.isDaylightSavingTime(for: transition) ? "DAYLIGHT" : "STANDARD", start: stamp(localStart), from: from, to: to,
                name: zone.abbreviation(for: transition))
        }
        lines.append("END:VTIMEZONE")
        return lines
    }

    private static func observance(_ kind: String, start: String, from: Int, to: Int, name: String?) -> [String] {
        var lines = ["BEGIN:\(kind)", "DTSTART:\(start)", "TZOFFSETFROM:\(offset(from))", "TZOFFSETTO:\(offset(to))"]
        if let name, !name.isEmpty { lines.append("TZNAME:\(escape(name))") }
        lines.append("END:\(kind)")
        return lines
    }

    /// "+0100", "-0330", "+053328" (seconds only when needed).
    static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let value = abs(seconds)
        var text = sign + pad(value / 3600) + pad(value % 3600 / 60)
        if value % 60 != 0 { text += pad(value % 60) }
        return text
    }

    /// "20261130T190000".
    private static func stamp(_ parts: DateComponents) -> String {
        let year = parts.year ?? 1970
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return yearText + pad(parts.month ?? 1) + pad(parts.day ?? 1) + "T" + pad(parts.hour ?? 0) + pad(parts.minute ?? 0)
            + pad(parts.second ?? 0)
    }

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
