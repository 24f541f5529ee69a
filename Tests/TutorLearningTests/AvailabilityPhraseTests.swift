import Testing

@testable import TutorLearning

/// Free time as learners write it, read into windows the scheduler can use.
@Suite struct AvailabilityPhraseTests {
    @Test(arguments: [
        ("mon-fri 19:00-21:00; sat 09:00-12:00", ["mon-fri 19:00-21:00", "sat 09:00-12:00"]),
        ("sat 9-11", ["sat 09:00-11:00"]),
        ("weeknights after 8pm", ["mon-fri 20:00-22:00"]),
        ("weekday evenings after 8pm and saturday mornings", ["mon-fri 20:00-22:00", "sat 09:00-12:00"]),
        ("mon, wed 7-9pm, sat 10am-12:30pm", ["mon,wed 19:00-21:00", "sat 10:00-12:30"]),
        ("tuesdays and thursdays 6:30 pm to 8 pm", ["tue,thu 18:30-20:00"]),
        ("weeknights 7-9", ["mon-fri 19:00-21:00"]),
        ("sunday 11-1pm", ["sun 11:00-13:00"]),
        ("monday to friday from 6 to 7am", ["mon-fri 06:00-07:00"]),
        ("usually weekends, mornings", ["sat,sun 09:00-12:00"]),
        ("every day before 9am", ["mon-sun 07:00-09:00"]),
        ("Sat 9–11, Sun 14:00-16:00", ["sat 09:00-11:00", "sun 14:00-16:00"]),
    ])
    func readsEverydayForms(_ text: String, _ expected: [String]) throws {
        #expect(try AvailabilityPhrase.windows(in: text) == expected)
    }

    @Test(arguments: [
        ("whenever", "no day with a time"),
        ("9-11", "no day"),
        ("mon 21:00-19:00", "ends before it starts"),
        ("sat 13pm-14pm", "from 1 to 12"),
        ("mon, tue", "have no time"),
    ])
    func namesWhatItCouldNotRead(_ text: String, _ reason: String) {
        #expect {
            try AvailabilityPhrase.windows(in: text)
        } throws: { error in
            (error as? AvailabilityWindowError)?.message.contains(reason) == true
        }
    }
}
