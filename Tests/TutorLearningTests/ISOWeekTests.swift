import Foundation
import Testing
import TutorLearning

@Suite("ISOWeek")
struct ISOWeekTests {
    @Test("parses and formats the canonical form, lower-case w and single-digit weeks")
    func parseAndFormat() throws {
        let week = try ISOWeek.parse("2026-W49")
        #expect(week.year == 2026 && week.week == 49)
        #expect(week.description == "2026-W49")
        #expect(try ISOWeek.parse("2026-w49") == week)
        #expect(try ISOWeek.parse(" 2026-W05 ").description == "2026-W05")
        #expect(try ISOWeek.parse("2026-W5").description == "2026-W05")
        #expect(try ISOWeek(year: 2026, week: 1).description == "2026-W01")
    }

    @Test("years with 53 weeks: 2026, 2020 and 2015 do; 2025 and 2027 do not")
    func weekCounts() throws {
        #expect(ISOWeek.weeksInYear(2026) == 53)
        #expect(ISOWeek.weeksInYear(2020) == 53)
        #expect(ISOWeek.weeksInYear(2015) == 53)
        #expect(ISOWeek.weeksInYear(2025) == 52)
        #expect(ISOWeek.weeksInYear(2027) == 52)
        #expect(try ISOWeek.parse("2026-W53").week == 53)
        #expect(throws: ISOWeekError.self) { try ISOWeek.parse("2025-W53") }
    }

    @Test("rejects out-of-range and malformed weeks with messages that name the text and the expected form")
    func rejections() {
        func message(_ text: String) -> String {
            do {
                _ = try ISOWeek.parse(text)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        let sixty = message("2026-W60")
        #expect(sixty.contains("2026-W60") && sixty.contains("1 to 53"))
        #expect(sixty.contains("YYYY-Www"))
        let zero = message("2026-W00")
        #expect(zero.contains("2026-W00") && zero.contains("Week 0"))
        let short = message("26-W1")
        #expect(short.contains("26-W1") && short.contains("YYYY-Www") && short.contains("2026-W49"))
        #expect(message("").contains("YYYY-Www"))
        #expect(message("2026W49").contains("2026W49"))
        #expect(message("2026-W123").contains("2026-W123"))
        #expect(throws: ISOWeekError.self) { try ISOWeek(year: 2026, week: 60) }
        #expect(throws: ISOWeekError.self) { try ISOWeek(year: 2026, week: 0) }
    }

    @Test("containing(date) follows the learner's calendar across year boundaries and zones")
    func containing() throws {
        let paris = WeeklyFixtures.paris
        func week(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 12, in zone: TimeZone = paris) -> String {
            ISOWeek.containing(WeeklyFixtures.local(year, month, day, hour, in: zone), in: zone).description
        }
        #expect(week(2027, 1, 1) == "2026-W53")
        #expect(week(2026, 12, 28) == "2026-W53")
        #expect(week(2027, 1, 3, 23) == "2026-W53")
        #expect(week(2027, 1, 4, 0) == "2027-W01")
        #expect(week(2024, 12, 30) == "2025-W01")
        #expect(week(2021, 1, 3) == "2020-W53")
        #expect(week(2026, 11, 30, 0) == "2026-W49")
        // 23:30 UTC on Sunday is already Monday 00:30 in Paris.
        let instant = WeeklyFixtures.local(2026, 11, 29, 23, 30, in: WeeklyFixtures.utc)
        #expect(ISOWeek.containing(instant, in: WeeklyFixtures.utc).description == "2026-W48")
        #expect(ISOWeek.containing(instant, in: paris).description == "2026-W49")
    }

    @Test("days() are the seven local midnights, with a 25-hour Sunday when DST ends in October")
    func daysAcrossDST() throws {
        let paris = WeeklyFixtures.paris
        let calendar = WeeklyFixtures.calendar(paris)
        let october = try ISOWeek.parse("2026-W43")
        let days = october.days(in: paris)
        #expect(days.count == 7)
        for (offset, day) in days.enumerated() {
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: day)
            #expect(parts.year == 2026 && parts.month == 10 && parts.day == 19 + offset)
            #expect(parts.hour == 0 && parts.minute == 0)
            #expect(parts.weekday == (offset == 6 ? 1 : offset + 2))
        }
        for index in 0..<6 { #expect(days[index + 1].timeIntervalSince(days[index]) == 86_400) }
        let nextMonday = october.next.days(in: paris)[0]
        #expect(nextMonday.timeIntervalSince(days[6]) == 90_000)
        // In March the Sunday has 23 hours.
        let march = try ISOWeek.parse("2026-W13")
        #expect(march.next.days(in: paris)[0].timeIntervalSince(march.days(in: paris)[6]) == 82_800)
        #expect(ISOWeek.containing(days[6].addingTimeInterval(89_999), in: paris) == october)
    }

    @Test("next and previous cross year ends, and weeks order by year then week")
    func navigation() throws {
        #expect(try ISOWeek.parse("2026-W53").next.description == "2027-W01")
        #expect(try ISOWeek.parse("2027-W01").previous.description == "2026-W53")
        #expect(try ISOWeek.parse("2025-W52").next.description == "2026-W01")
        #expect(try ISOWeek.parse("2026-W01").previous.description == "2025-W52")
        #expect(try ISOWeek.parse("2026-W49").next.previous.description == "2026-W49")
        #expect(try ISOWeek.parse("2026-W53") < ISOWeek.parse("2027-W01"))
        #expect(try ISOWeek.parse("2026-W09") < ISOWeek.parse("2026-W10"))
    }

    @Test("encodes as its text and refuses invalid weeks when decoding")
    func codable() throws {
        let data = try JSONEncoder().encode([try ISOWeek.parse("2026-W49")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-W49"]"#)
        #expect(try JSONDecoder().decode([ISOWeek].self, from: data) == [try ISOWeek.parse("2026-W49")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([ISOWeek].self, from: Data(#"["2026-W60"]"#.utf8)) }
    }
}
