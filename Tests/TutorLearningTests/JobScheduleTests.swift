import Foundation
import Testing

@testable import TutorLearning

@Suite("Job schedules")
struct JobScheduleTests {
    let paris = TimeZone(identifier: "Europe/Paris")!

    func date(_ text: String, _ zone: TimeZone) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    @Test("schedules read as people write them, and print canonically")
    func parsing() throws {
        #expect(try JobSchedule.parse("sun 18:00") == .weekly(weekday: 7, minute: 18 * 60))
        #expect(try JobSchedule.parse("Sunday 18:00") == .weekly(weekday: 7, minute: 18 * 60))
        #expect(try JobSchedule.parse("mon 07:05").description == "mon 07:05")
        #expect(try JobSchedule.parse("daily 08:00") == .daily(minute: 480))
        #expect(try JobSchedule.parse("08:00") == .daily(minute: 480))
        #expect(try JobSchedule.parse("after-sessions") == .afterSessions)
        #expect(try JobSchedule.parse("OFF") == .off)
        for bad in ["", "sun", "sun 25:00", "sun 18", "funday 18:00", "daily 8:0", "every day at 8"] {
            #expect(throws: ScheduleError.self, "\(bad)") { try JobSchedule.parse(bad) }
        }
        do {
            _ = try JobSchedule.parse("tea time")
        } catch {
            #expect(error.description.contains("\"sun 18:00\""), "the error shows what works")
        }
    }

    @Test("next and latest occurrences in the learner's time zone")
    func occurrences() throws {
        let weekly = try JobSchedule.parse("sun 18:00")
        let wednesday = date("2026-12-02 12:00", paris)
        #expect(weekly.next(after: wednesday, in: paris) == date("2026-12-06 18:00", paris))
        #expect(weekly.latest(atOrBefore: wednesday, in: paris) == date("2026-11-29 18:00", paris))
        // Exactly at an occurrence: it is the latest, and the next is a week on.
        let sunday = date("2026-12-06 18:00", paris)
        #expect(weekly.latest(atOrBefore: sunday, in: paris) == sunday)
        #expect(weekly.next(after: sunday, in: paris) == date("2026-12-13 18:00", paris))
        let daily = try JobSchedule.parse("daily 08:00")
        #expect(daily.next(after: date("2026-12-02 08:00", paris), in: paris) == date("2026-12-03 08:00", paris))
        #expect(daily.latest(atOrBefore: date("2026-12-02 07:59", paris), in: paris) == date("2026-12-01 08:00", paris))
        #expect(JobSchedule.off.next(after: wednesday, in: paris) == nil)
        #expect(JobSchedule.afterSessions.latest(atOrBefore: wednesday, in: paris) == nil)
    }

    @Test("daylight saving: 08:00 stays 08:00 local across the change, and a skipped time runs at the next valid one")
    func daylightSaving() throws {
        let daily = try JobSchedule.parse("daily 08:00")
        // Paris leaves summer time on 25 October 2026.
        let before = daily.next(after: date("2026-10-24 09:00", paris), in: paris)!
        #expect(before == date("2026-10-25 08:00", paris))
        #expect(daily.next(after: before, in: paris)!.timeIntervalSince(before) == 24 * 3600)
        #expect(daily.next(after: date("2026-10-24 07:00", paris), in: paris)!.timeIntervalSince(date("2026-10-24 08:00", paris)) == 0)
        // 02:30 does not exist on 29 March 2026 in Paris: it runs at the next valid time that day.
        let night = try JobSchedule.parse("daily 02:30")
        let spring = night.next(after: date("2026-03-28 12:00", paris), in: paris)!
        let calendar = Calendar(identifier: .gregorian)
        #expect(calendar.dateComponents(in: paris, from: spring).day == 29)
        #expect(calendar.dateComponents(in: paris, from: spring).hour == 3)
    }
}
