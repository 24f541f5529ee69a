import Foundation
import Testing
import TutorLearning

@Suite("WeeklyPlan rendering")
struct WeeklyPlanRenderingTests {
    private typealias F = WeeklyFixtures

    /// 2026-12-01 08:00:00 UTC.
    private let now = Date(timeIntervalSince1970: 1_796_112_000)

    /// Undoes RFC 5545 folding.
    private func unfold(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n ", with: "")
    }

    private func lines(_ text: String) -> [String] {
        var lines = text.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    private func value(_ property: String, in lines: [String]) -> [String] {
        lines.filter { $0.hasPrefix(property) }.map { String($0[$0.index(after: $0.firstIndex(of: ":")!)...]) }
    }

    /// Local "HH:MM" in Paris.
    private func clock(_ date: Date) -> String {
        let parts = F.calendar().dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour!, parts.minute!)
    }

    // MARK: Markdown

    @Test("Markdown has a heading per day, local session times and every item with its minutes")
    func markdown() throws {
        let plan = WeeklyScheduler.plan(F.programmerRequest())
        let text = plan.markdown(skillTitles: ["functions": "Functions"])
        #expect(text.hasPrefix("# Study plan for 2026-W49\n"))
        for day in [
            "Monday 30 November 2026", "Tuesday 1 December 2026", "Wednesday 2 December 2026", "Thursday 3 December 2026",
            "Friday 4 December 2026", "Saturday 5 December 2026", "Sunday 6 December 2026",
        ] {
            #expect(text.contains("\n## \(day)\n"), "\(day)")
        }
        #expect(text.contains("## Sunday 6 December 2026\n\nNothing planned."))
        for session in plan.sessions {
            let length = session.minutes % 60 == 0 ? "\(session.minutes / 60) h" : "\(session.minutes / 60) h \(session.minutes % 60) min"
            #expect(text.contains("### \(clock(session.start))–\(clock(session.end)) (\(length))"))
        }
        #expect(text.contains("## Saturday 5 December 2026\n\n### 09:00–"))
        #expect(text.contains("- Review 13 due items — 20 min"))
        for item in plan.sessions.flatMap(\.items) {
            let kind = item.kind == .review ? "" : "\(item.kind.rawValue.capitalized): "
            #expect(
                text.contains("- \(kind)\(item.title.replacingOccurrences(of: "_", with: "\\_")) — \(item.minutes) min"), "\(item.title)")
        }
        #expect(text.contains("· _Functions_"))
        #expect(text.contains("## Notes\n"))
        #expect(plan.markdown(title: "My week").hasPrefix("# My week\n"))
    }

    @Test("Markdown shows parts, spare time and escapes formatting characters")
    func markdownDetails() {
        let tasks = [
            SchedulableTask(id: 1, skillId: "a", kind: .learn, title: "Read *all* of [the] docs", remainingMinutes: 290, order: 0)
        ]
        let request = WeeklyPlanRequest(
            week: F.week, timeZone: F.paris, windows: F.windows("sat 09:00-12:00", "sun 22:00-24:00"), hoursPerWeek: 10, tasks: tasks)
        let text = WeeklyScheduler.plan(request).markdown()
        #expect(text.contains("Learn: Read \\*all\\* of \\[the\\] docs — 85 min, part 1 of 3"))
        #expect(text.contains("### 22:00–24:00 (2 h)"))
        #expect(text.contains("— 120 min, part 3 of 3"))

        let reviewsOnly = WeeklyPlanRequest(
            week: F.week, timeZone: F.paris, windows: F.windows("mon 19:00-20:00"), hoursPerWeek: 2, tasks: [], dueReviewCount: 4)
        #expect(WeeklyScheduler.plan(reviewsOnly).markdown().contains("- Spare time: review or read ahead — 19 min"))
    }

    // MARK: iCalendar

    @Test("iCalendar: calendar properties, one VEVENT per session, CRLF everywhere, stable UIDs")
    func iCalendarStructure() throws {
        let plan = WeeklyScheduler.plan(F.programmerRequest())
        let text = plan.iCalendar(now: now)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tutor//Study plan//EN\r\nCALSCALE:GREGORIAN\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        let all = lines(unfold(text))
        #expect(all.filter { $0 == "BEGIN:VEVENT" }.count == plan.sessions.count)
        #expect(all.filter { $0 == "END:VEVENT" }.count == plan.sessions.count)
        #expect(all.filter { $0 == "BEGIN:VTIMEZONE" }.count == 1)
        let uids = value("UID:", in: all)
        #expect(uids.count == plan.sessions.count && Set(uids).count == uids.count)
        #expect(uids.first == "2026-W49-1-20261130T180000Z@tutor.local")
        #expect(value("DTSTAMP:", in: all).allSatisfy { $0 == "20261201T080000Z" })
        #expect(all.contains("DTSTART;TZID=Europe/Paris:20261130T190000"))
        #expect(all.contains("DTEND;TZID=Europe/Paris:20261130T\(clock(plan.sessions[0].end).replacingOccurrences(of: ":", with: ""))00"))
        #expect(all.contains("DTSTART;TZID=Europe/Paris:20261205T090000"))
        let summaries = value("SUMMARY:", in: all)
        #expect(summaries.count == plan.sessions.count && summaries.allSatisfy { $0.hasPrefix("Study: ") })
        #expect(value("DESCRIPTION:", in: all).first?.hasPrefix("Review 13 due items (20 min)\\n") == true)
        // Same plan, same text; `now` only changes DTSTAMP.
        #expect(plan.iCalendar(now: now) == text)
        #expect(plan.iCalendar(now: now.addingTimeInterval(60)).replacingOccurrences(of: "T080100Z", with: "T080000Z") == text)
        #expect(plan.iCalendar(productID: "-//Acme//Plans//EN", now: now).contains("PRODID:-//Acme//Plans//EN\r\n"))
    }

    @Test("iCalendar: every TZID used is the VTIMEZONE's, whose observances match Foundation's transitions")
    func iCalendarTimeZone() throws {
        let all = lines(unfold(WeeklyScheduler.plan(F.programmerRequest()).iCalendar(now: now)))
        let tzids = Set(
            all.compactMap { line -> String? in
                guard let range = line.range(of: ";TZID=") else { return nil }
                return String(line[range.upperBound...].prefix { $0 != ":" && $0 != ";" })
            })
        #expect(tzids == ["Europe/Paris"])
        #expect(value("TZID:", in: all) == ["Europe/Paris"])
        // Winter week: the October change is in force and the March one comes next.
        let start = try #require(all.firstIndex(of: "BEGIN:VTIMEZONE"))
        let end = try #require(all.firstIndex(of: "END:VTIMEZONE"))
        let zone = Array(all[start...end])
        #expect(
            zone.joined(separator: "\n").contains(
                "BEGIN:STANDARD\nDTSTART:20261025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100"))
        #expect(
            zone.joined(separator: "\n").contains(
                "BEGIN:DAYLIGHT\nDTSTART:20270328T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200"))

        // A week holding the change lists the change inside it too.
        let octoberPlan = WeeklyPlan(
            week: "2026-W43", timeZone: "Europe/Paris", sessions: [], plannedMinutes: 0, budgetMinutes: 0, unplacedTaskIDs: [], notes: [])
        let october = octoberPlan.iCalendar(now: now)
        #expect(october.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"))
        #expect(october.contains("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"))
        #expect(october.contains("BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000"))

        // A zone without DST gets a single STANDARD.
        let utcPlan = WeeklyPlan(
            week: "2026-W49", timeZone: "UTC", sessions: [], plannedMinutes: 0, budgetMinutes: 0, unplacedTaskIDs: [], notes: [])
        let utcLines = lines(utcPlan.iCalendar(now: now))
        #expect(utcLines.filter { $0 == "BEGIN:STANDARD" }.count == 1)
        #expect(!utcLines.contains("BEGIN:DAYLIGHT"))
        #expect(utcLines.contains("TZOFFSETTO:+0000") && utcLines.contains("TZID:UTC"))
    }

    @Test("iCalendar: commas, semicolons, backslashes and newlines are escaped; long lines fold at 75 octets")
    func iCalendarEscapingAndFolding() throws {
        let title = "Parse CSV, JSON; paths like C:\\tmp\nand ünïcödé déjà-vu títlés that go on and on well past seventy-five octets ✓✓✓"
        let tasks = [SchedulableTask(id: 7, skillId: "io", kind: .practice, title: title, remainingMinutes: 45, order: 0)]
        let request = WeeklyPlanRequest(
            week: F.week, timeZone: F.paris, windows: F.windows("tue 18:00-19:00"), hoursPerWeek: 3, tasks: tasks)
        let text = WeeklyScheduler.plan(request).iCalendar(now: now)
        for line in lines(text) {
            #expect(line.utf8.count <= 75, "\(line)")
        }
        #expect(lines(text).contains { $0.hasPrefix(" ") }, "something was folded")
        let escaped =
            "Parse CSV\\, JSON\\; paths like C:\\\\tmp\\nand ünïcödé déjà-vu títlés that go on and on well past seventy-five octets ✓✓✓"
        let all = lines(unfold(text))
        #expect(value("SUMMARY:", in: all) == ["Study: \(escaped)"])
        #expect(value("DESCRIPTION:", in: all) == ["Practice: \(escaped) (45 min)"])
        // Folding never splits a multi-byte character: every physical line is valid UTF-8 on its own.
        let bytes = Array(text.utf8)
        var lineStart = 0
        for index in bytes.indices where index > 0 && bytes[index - 1] == 13 && bytes[index] == 10 {
            #expect(String(bytes: bytes[lineStart..<(index - 1)], encoding: .utf8) != nil)
            lineStart = index + 1
        }
    }

    @Test("iCalendar: a time repeated by the DST fall-back is written in UTC so it cannot be misread")
    func iCalendarRepeatedHour() {
        // 00:30 EDT to 01:30 EST on 1 November 2026 in New York: the end is the second 01:30 of the night.
        let session = PlannedSession(
            start: Date(timeIntervalSince1970: 1_793_507_400), end: Date(timeIntervalSince1970: 1_793_514_600),
            items: [PlanItem(kind: .learn, taskId: 1, skillId: "a", title: "Night owl", minutes: 120)])
        let plan = WeeklyPlan(
            week: "2026-W44", timeZone: "America/New_York", sessions: [session], plannedMinutes: 120, budgetMinutes: 120,
            unplacedTaskIDs: [],
            notes: [])
        let all = lines(unfold(plan.iCalendar(now: now)))
        #expect(all.contains("DTSTART;TZID=America/New_York:20261101T003000"))
        #expect(all.contains("DTEND:20261101T063000Z"))
        #expect(all.contains("TZID:America/New_York"))
        #expect(all.joined(separator: "\n").contains("BEGIN:STANDARD\nDTSTART:20261101T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500"))
    }

    @Test("iCalendar of an empty plan is still a valid calendar")
    func iCalendarEmpty() {
        let plan = WeeklyScheduler.plan(
            WeeklyPlanRequest(week: F.week, timeZone: F.paris, windows: [], hoursPerWeek: 5, tasks: []))
        let text = plan.iCalendar(now: now)
        #expect(text.contains("BEGIN:VTIMEZONE") && !text.contains("BEGIN:VEVENT") && text.hasSuffix("END:VCALENDAR\r\n"))
    }
}
