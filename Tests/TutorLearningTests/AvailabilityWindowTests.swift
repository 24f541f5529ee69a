import Foundation
import Testing
import TutorLearning

@Suite("AvailabilityWindow")
struct AvailabilityWindowTests {
    private func parse(_ text: String) throws -> [String] {
        try AvailabilityWindow.parse(text).map(\.description)
    }

    private func message(_ text: String) -> String {
        do {
            return "accepted: \(try parse(text))"
        } catch {
            return "\(error)"
        }
    }

    @Test("single days, ranges, groups and lists expand to canonical windows")
    func validForms() throws {
        let monday = try AvailabilityWindow.parse("mon 19:00-21:00")
        #expect(monday == [try AvailabilityWindow(weekday: 1, startMinute: 1140, endMinute: 1260)])
        #expect(monday[0].minutes == 120)
        #expect(try parse("sat 9:00-12:30") == ["sat 09:00-12:30"])
        #expect(try AvailabilityWindow.parse("sat 9:00-12:30")[0].minutes == 210)
        #expect(
            try parse("mon-fri 19:00-21:00") == [
                "mon 19:00-21:00", "tue 19:00-21:00", "wed 19:00-21:00", "thu 19:00-21:00", "fri 19:00-21:00",
            ])
        #expect(try parse("weekdays 07:00-08:00").count == 5)
        #expect(try parse("weekend 10:00-12:00") == ["sat 10:00-12:00", "sun 10:00-12:00"])
        #expect(try parse("daily 06:30-07:00").count == 7)
        #expect(try parse("Monday 19:00 - 21:00") == ["mon 19:00-21:00"])
        #expect(try parse("mon,wed 18:00-19:30") == ["mon 18:00-19:30", "wed 18:00-19:30"])
        #expect(try parse("fri-mon 10:00-11:00") == ["mon 10:00-11:00", "fri 10:00-11:00", "sat 10:00-11:00", "sun 10:00-11:00"])
        #expect(try parse("sun 22:00-24:00") == ["sun 22:00-24:00"])
        #expect(try parse("thu 0:00-1:15") == ["thu 00:00-01:15"])
    }

    @Test("description parses back to the same window")
    func roundTrip() throws {
        for window in try AvailabilityWindow.parse("daily 7:05-8:10") {
            #expect(try AvailabilityWindow.parse(window.description) == [window])
        }
    }

    @Test("errors quote the text, say what is wrong and show an example")
    func errors() {
        let reversed = message("mon 21:00-19:00")
        #expect(reversed.contains("“mon 21:00-19:00”") && reversed.contains("ends at 19:00") && reversed.contains("starts at 21:00"))
        let day = message("funday 10:00-11:00")
        #expect(day.contains("“funday” is not a day") && day.contains("mon-fri"))
        let hours = message("mon 25:00-26:00")
        #expect(hours.contains("“25:00” is not a time of day") && hours.contains("0 to 23"))
        let bare = message("mon 10-11")
        #expect(bare.contains("“10” is not a time") && bare.contains("H:MM"))
        for text in ["mon 21:00-19:00", "funday 10:00-11:00", "mon 25:00-26:00", "mon 10-11", "", "mon", "mon 10:00", "mon 10:0-11:00"] {
            let text = message(text)
            #expect(text.contains("Example: \"mon-fri 19:00-21:00\""), "\(text)")
        }
        #expect(message("mon 10:00-10:00").contains("not after it starts"))
        #expect(message("mon 24:00-24:00").contains("“24:00” is not a time of day"))
        #expect(message("mon").contains("no time range"))
    }

    @Test("the initializer and decoding validate too")
    func validation() throws {
        #expect(throws: AvailabilityWindowError.self) { try AvailabilityWindow(weekday: 8, startMinute: 60, endMinute: 120) }
        #expect(throws: AvailabilityWindowError.self) { try AvailabilityWindow(weekday: 1, startMinute: 120, endMinute: 60) }
        #expect(throws: AvailabilityWindowError.self) { try AvailabilityWindow(weekday: 1, startMinute: 0, endMinute: 1441) }
        let window = try AvailabilityWindow(weekday: 6, startMinute: 540, endMinute: 720)
        let data = try JSONEncoder().encode(window)
        #expect(try JSONDecoder().decode(AvailabilityWindow.self, from: data) == window)
        let bad = Data(#"{"weekday":1,"startMinute":600,"endMinute":500}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(AvailabilityWindow.self, from: bad) }
    }
}
