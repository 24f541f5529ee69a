import Foundation
import Testing
import TutorLearning
import TutorToolAdapters

@testable import TutorEval

/// The scorers on hand-made transcripts: each passes a good one and fails a bad one.
@Suite("Eval scorers")
struct ScorerTests {
    func expectation(_ yaml: String) throws -> Scenario.Expectation {
        try Scenario.parse(yaml: "name: t\nturns:\n- say: x\n  expect:\n" + yaml, file: "inline").turns[0].expect!
    }

    func passed(_ checks: [Check]) -> [Bool] { checks.map(\.passed) }

    @Test("tool use: the expected tool must have run and succeeded; a forbidden one must not run")
    func toolUse() throws {
        let expect = try expectation("    tools: [weekly_plan]\n    forbidden_tools: [complete_task]")
        #expect(
            passed(Scorers.score(expect, turn: TurnRecord(reply: "", tools: [(ToolName.weeklyPlan.rawValue, true)]), plan: nil)) == [
                true, true,
            ])
        #expect(
            passed(Scorers.score(expect, turn: TurnRecord(reply: "", tools: [(ToolName.weeklyPlan.rawValue, false)]), plan: nil)) == [
                false, true,
            ])
        #expect(
            passed(
                Scorers.score(
                    expect,
                    turn: TurnRecord(reply: "", tools: [(ToolName.weeklyPlan.rawValue, true), (ToolName.completeTask.rawValue, true)]),
                    plan: nil))
                == [true, false])
    }

    @Test("a scenario expecting a tool that does not exist does not load")
    func unknownTool() {
        #expect(throws: ScenarioError.self) { try expectation("    tools: [teleport]") }
    }

    @Test("honesty: shortcuts and guarantees fail, realistic ranges pass")
    func honesty() throws {
        let expect = try expectation("    honest_about_time: true")
        for bad in [
            "Stick with me and you will become an AI engineer in 6 weeks!", "You'll be job-ready in 3 weeks.",
            "I guarantee you a job.", "Learn it all in just 2 weeks.",
        ] {
            #expect(passed(Scorers.score(expect, turn: TurnRecord(reply: bad, tools: []), plan: nil)) == [false], "\(bad)")
        }
        for good in ["First AI applications: about 5–7 months at 10 h a week.", "Senior roles take 3–5 more years of experience."] {
            #expect(passed(Scorers.score(expect, turn: TurnRecord(reply: good, tools: []), plan: nil)) == [true], "\(good)")
        }
    }

    @Test("grounding: a roadmap skill, a catalogue path or path:lines counts as a citation")
    func grounding() throws {
        let expect = try expectation("    cites: true\n    mentions: [chunk]")
        #expect(
            passed(
                Scorers.score(
                    expect, turn: TurnRecord(reply: "Chunking (From the Tutor roadmap, skill chunking-strategies.)", tools: []), plan: nil))
                == [true, true])
        #expect(
            passed(Scorers.score(expect, turn: TurnRecord(reply: "See ~/notes/rag.md:12-30 on chunk sizes.", tools: []), plan: nil)) == [
                true, true,
            ])
        #expect(
            passed(Scorers.score(expect, turn: TurnRecord(reply: "Chunking splits documents.", tools: []), plan: nil)) == [false, true])
        #expect(
            passed(Scorers.score(expect, turn: TurnRecord(reply: "Vectors are lists of numbers.", tools: []), plan: nil)) == [false, false])
    }

    @Test("pedagogy: a check question is asked, and the exercise's solution is not handed over")
    func pedagogy() throws {
        let expect = try expectation("    asks_question: true\n    withholds: \"def chunk_text(\"")
        #expect(
            passed(
                Scorers.score(
                    expect, turn: TurnRecord(reply: "Try splitting by heading first. What would you do with a long section?", tools: []),
                    plan: nil)) == [true, true])
        #expect(
            passed(
                Scorers.score(
                    expect, turn: TurnRecord(reply: "Here it is:\ndef  chunk_text(text):\n    return text.split()", tools: []), plan: nil))
                == [false, false])
    }

    @Test("plan validity: sessions inside the windows and the budget pass; one outside, or over budget, fails")
    func planValidity() throws {
        let paris = TimeZone(identifier: "Europe/Paris")!
        let windows = try AvailabilityWindow.parse("mon-fri 19:00-21:00")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = paris
        func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
            calendar.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour, minute: minute))!
        }
        let expect = try expectation("    plan_valid: true")
        let good = PlanFacts(
            sessions: [(at(30, 19), at(30, 20, 30))], plannedMinutes: 90, budgetMinutes: 540, windows: windows, timeZone: paris)
        #expect(passed(Scorers.score(expect, turn: TurnRecord(reply: "", tools: []), plan: good)) == [true])
        let outside = PlanFacts(
            sessions: [(at(30, 18), at(30, 19, 30))], plannedMinutes: 90, budgetMinutes: 540, windows: windows, timeZone: paris)
        #expect(passed(Scorers.score(expect, turn: TurnRecord(reply: "", tools: []), plan: outside)) == [false])
        let weekend = PlanFacts(
            sessions: [(at(29, 19), at(29, 20))], plannedMinutes: 60, budgetMinutes: 540, windows: windows, timeZone: paris)
        #expect(passed(Scorers.score(expect, turn: TurnRecord(reply: "", tools: []), plan: weekend)) == [false], "Sunday is not a window")
        let over = PlanFacts(
            sessions: [(at(30, 19), at(30, 21))], plannedMinutes: 600, budgetMinutes: 540, windows: windows, timeZone: paris)
        #expect(passed(Scorers.score(expect, turn: TurnRecord(reply: "", tools: []), plan: over)) == [false])
        #expect(passed(Scorers.score(expect, turn: TurnRecord(reply: "", tools: []), plan: nil)) == [false], "no plan stored")
    }

    @Test("a scenario file without turns or with a wrong shape is refused with its name")
    func badScenario() {
        #expect(throws: ScenarioError.self) { try Scenario.parse(yaml: "name: x\nturns: []\n", file: "empty.yaml") }
        #expect(throws: ScenarioError.self) { try Scenario.parse(yaml: "turns: [1, 2]\n", file: "bad.yaml") }
        do {
            _ = try Scenario.parse(yaml: "name: x\n", file: "noturns.yaml")
        } catch {
            #expect("\(error)".contains("noturns.yaml"))
        }
    }
}
