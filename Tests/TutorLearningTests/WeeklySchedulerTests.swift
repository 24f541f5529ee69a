import Foundation
import Testing
import TutorLearning

@Suite("WeeklyScheduler")
struct WeeklySchedulerTests {
    private typealias F = WeeklyFixtures

    private func task(
        _ id: Int64, _ skill: String?, _ kind: TaskKind, _ minutes: Int, order: Int, after prerequisites: [String] = [],
        started: Bool = false
    ) -> SchedulableTask {
        SchedulableTask(
            id: id, skillId: skill, kind: kind, title: "\(kind.rawValue) \(skill ?? "project")", remainingMinutes: minutes,
            isStarted: started,
            prerequisiteSkillIDs: prerequisites, order: order)
    }

    private func request(
        _ windows: [String], hours: Double = 10, tasks: [SchedulableTask], reviews: Int = 0, week: ISOWeek = F.week,
        zone: TimeZone = F.paris,
        settings: SchedulerSettings = SchedulerSettings()
    ) -> WeeklyPlanRequest {
        WeeklyPlanRequest(
            week: week, timeZone: zone, windows: windows.flatMap { try! AvailabilityWindow.parse($0) }, hoursPerWeek: hours, tasks: tasks,
            dueReviewCount: reviews, settings: settings)
    }

    // MARK: Acceptance scenario

    @Test("acceptance: 10 h a week, weekday evenings and Saturday morning, twelve skills in Paris")
    func acceptance() throws {
        let request = F.programmerRequest()
        let plan = WeeklyScheduler.plan(request)
        #expect(F.violations(of: plan, for: request) == [])
        #expect(plan.week == "2026-W49" && plan.timeZone == "Europe/Paris")
        #expect(plan.budgetMinutes == 510)
        #expect(plan.plannedMinutes <= 510 && plan.plannedMinutes >= 480, "the week is mostly used: \(plan.plannedMinutes)")
        // Six usable days share the budget evenly: one session each, starting when the window opens.
        #expect(plan.sessions.count == 6)
        for session in plan.sessions {
            let span = F.localSpan(session, in: F.paris)
            #expect(span.start == (span.weekday == 6 ? 9 * 60 : 19 * 60))
        }
        // Reviews first: 40 due at 1.5 min each, at most 20 min a session, spread over the first four days.
        let reviews = plan.sessions.compactMap { $0.items.first?.kind == .review ? $0.items[0] : nil }
        #expect(reviews.map(\.minutes) == [20, 20, 20, 2])
        #expect(reviews.compactMap(\.reviewCount) == [13, 13, 13, 1])
        // The week carries work over and says so.
        #expect(!plan.unplacedTaskIDs.isEmpty)
        #expect(plan.unplacedTaskIDs.contains(130) && plan.unplacedTaskIDs.contains(131), "the project waits for its skills")
        #expect(plan.notes.contains { $0.contains("did not fit this week and carry over") })
    }

    @Test("acceptance: the same request always gives the same plan, whatever the task order")
    func deterministic() {
        let request = F.programmerRequest()
        let first = WeeklyScheduler.plan(request)
        #expect(WeeklyScheduler.plan(request) == first)
        var reversed = request
        reversed.tasks.reverse()
        #expect(WeeklyScheduler.plan(reversed) == first)
        var shuffled = request
        var generator = SeededGenerator(seed: 7)
        shuffled.tasks.shuffle(using: &generator)
        #expect(WeeklyScheduler.plan(shuffled) == first)
    }

    @Test("acceptance: re-planning from Wednesday 12:00 places nothing before it")
    func replanMidWeek() throws {
        let wednesdayNoon = F.local(2026, 12, 2, 12)
        let request = F.programmerRequest(notBefore: wednesdayNoon)
        let plan = WeeklyScheduler.plan(request)
        #expect(F.violations(of: plan, for: request) == [])
        #expect(!plan.sessions.isEmpty)
        #expect(plan.sessions.allSatisfy { $0.start >= wednesdayNoon })
        #expect(plan.sessions.first?.start == F.local(2026, 12, 2, 19))
        #expect(plan.notes.contains { $0.contains("Re-planned from Wed 12:00") })

        // Re-planning in the middle of a window starts at the next 5-minute mark.
        let late = F.local(2026, 12, 2, 19, 2).addingTimeInterval(17)
        let replanned = WeeklyScheduler.plan(F.programmerRequest(notBefore: late))
        #expect(replanned.sessions.first?.start == F.local(2026, 12, 2, 19, 5))
        #expect(F.violations(of: replanned, for: F.programmerRequest(notBefore: late)) == [])
    }

    @Test("acceptance with more time: the whole chain and then the project fit, in prerequisite order")
    func wholeChainFits() {
        var request = F.programmerRequest()
        request.hoursPerWeek = 40
        request.windows = F.windows("daily 08:00-12:00", "daily 14:00-18:00")
        let plan = WeeklyScheduler.plan(request)
        #expect(F.violations(of: plan, for: request) == [])
        let order = plan.sessions.flatMap(\.items).compactMap(\.taskId)
        #expect(order.contains(130))
        let lastSkillItem = order.lastIndex { $0 < 130 } ?? 0
        #expect(order.firstIndex(of: 130)! > order.lastIndex(of: 118)!, "the project starts after testing is complete")
        #expect(lastSkillItem > 0)
    }

    @Test("an explicit daily cap holds on every day and the rules still hold")
    func dailyCap() {
        var request = F.programmerRequest()
        request.settings.dailyCapMinutes = 60
        let plan = WeeklyScheduler.plan(request)
        #expect(F.violations(of: plan, for: request) == [])
        #expect(plan.plannedMinutes <= 360 && plan.plannedMinutes >= 330)
        #expect(plan.sessions.allSatisfy { $0.minutes <= 60 })
        #expect(plan.notes.contains { $0.contains("daily cap of 1 h") })
    }

    // MARK: Rules one at a time

    @Test("a 5-hour task is split across sessions with part and parts")
    func splitsLongTask() throws {
        let request = request(["sat 09:00-12:00", "sun 09:00-12:00"], tasks: [task(1, "swift", .learn, 300, order: 0)])
        let plan = WeeklyScheduler.plan(request)
        #expect(F.violations(of: plan, for: request) == [])
        let items = plan.sessions.flatMap(\.items)
        #expect(items.count == 4)
        #expect(items.map(\.part) == [1, 2, 3, 4])
        #expect(items.allSatisfy { $0.parts == 4 && $0.taskId == 1 })
        #expect(items.reduce(0) { $0 + $1.minutes } == 300)
        #expect(plan.unplacedTaskIDs == [])
        // Saturday's 3-hour window holds two sessions with a 10-minute break between them.
        let saturday = plan.sessions.prefix(2)
        #expect(saturday.map { F.localSpan($0, in: F.paris).start } == [540, 635])
        #expect(saturday.map(\.minutes) == [85, 85])
        #expect(plan.notes.contains { $0.contains("Your windows hold 5 h 40 min but you set 10 h a week") })
    }

    @Test("a task that does not fit is placed in part and carried over")
    func partialTaskCarriesOver() throws {
        let request = request(
            ["sat 09:00-11:00"], tasks: [task(1, "swift", .learn, 200, order: 0), task(2, "swift", .practice, 30, order: 1)])
        let plan = WeeklyScheduler.plan(request)
        #expect(F.violations(of: plan, for: request) == [])
        let item = try #require(plan.sessions.first?.items.first)
        #expect(item.minutes == 120 && item.part == 1 && item.parts == nil)
        #expect(plan.unplacedTaskIDs == [1, 2])
    }

    @Test("prerequisites can complete earlier in the same session; learn, practice, check run in order")
    func prerequisitesAndKindOrder() throws {
        let tasks = [
            task(1, "b", .learn, 20, order: 0, after: ["a"]),
            task(2, "a", .check, 10, order: 1),
            task(3, "a", .practice, 15, order: 2),
            task(4, "a", .learn, 20, order: 3),
        ]
        let request = request(["mon 19:00-21:00"], hours: 2, tasks: tasks)
        let plan = WeeklyScheduler.plan(request)
        #expect(F.violations(of: plan, for: request) == [])
        #expect(plan.sessions.count == 1)
        #expect(plan.sessions[0].items.compactMap(\.taskId) == [4, 3, 2, 1])
    }

    @Test("a task waits while its prerequisite skill is unfinished, and the note says so")
    func blockedByPrerequisite() {
        let tasks = [task(1, "a", .learn, 200, order: 0), task(2, "b", .learn, 20, order: 1, after: ["a"])]
        let request = request(["mon 19:00-21:00"], tasks: tasks)
        let plan = WeeklyScheduler.plan(request)
        #expect(F.violations(of: plan, for: request) == [])
        #expect(plan.unplacedTaskIDs == [1, 2])
        #expect(plan.notes.contains { $0.contains("1 of them waits on prerequisite skills") })

        var done = request
        done.doneSkillIDs = ["a"]
        done.tasks = [tasks[1]]
        #expect(WeeklyScheduler.plan(done).unplacedTaskIDs == [])
    }

    @Test("at most two new skills start a day; started skills do not count")
    func newSkillLimit() {
        let tasks = (0..<6).map { task(Int64($0), "skill-\($0)", .learn, 20, order: $0, started: $0 == 5) }
        let request = request(["mon 19:00-21:00", "tue 19:00-21:00"], hours: 4, tasks: tasks)
        let plan = WeeklyScheduler.plan(request)
        #expect(F.violations(of: plan, for: request) == [])
        #expect(plan.sessions.map { $0.items.compactMap(\.taskId) } == [[0, 1, 5], [2, 3]])
        #expect(plan.unplacedTaskIDs == [4])
    }

    @Test("due reviews open each day's first session until they run out")
    func reviewsFirst() {
        let request = request(["daily 07:00-07:40", "daily 19:00-20:00"], hours: 10, tasks: [], reviews: 30)
        let plan = WeeklyScheduler.plan(request)
        #expect(F.violations(of: plan, for: request) == [])
        #expect(plan.sessions.map { $0.items.map(\.minutes) } == [[20], [20], [6]])
        #expect(plan.sessions.map { $0.items.first?.reviewCount } == [13, 13, 4])
        #expect(plan.sessions.allSatisfy { $0.minutes == 25 })
        #expect(plan.notes.contains { $0.contains("less than 25 min of planned work") })
    }

    @Test("local times are right on DST days: Sunday 19:00 stays 19:00 and the fall-back night is 4 real hours")
    func daylightSaving() throws {
        let week = try ISOWeek.parse("2026-W43")
        let tasks = (0..<6).map { task(Int64($0), "s", .practice, 60, order: $0) }
        let request = request(["sun 01:00-04:00", "sun 19:00-21:00"], hours: 20, tasks: tasks, week: week)
        let plan = WeeklyScheduler.plan(request)
        #expect(F.violations(of: plan, for: request) == [])
        // 01:00 CEST to 04:00 CET is 240 real minutes, more than the 180 the wall clock suggests.
        #expect(plan.sessions[0].start == F.local(2026, 10, 25, 1))
        #expect(plan.sessions[0].start == Date(timeIntervalSince1970: 1_792_882_800))
        let night = plan.sessions.filter { $0.end <= F.local(2026, 10, 25, 4) }
        #expect(night.count == 2)
        #expect(night.reduce(0) { $0 + $1.minutes } > 170)

        var evening = request
        evening.windows = F.windows("sun 19:00-21:00")
        let eveningPlan = WeeklyScheduler.plan(evening)
        #expect(eveningPlan.sessions.first?.start == F.local(2026, 10, 25, 19))
        #expect(eveningPlan.sessions.first?.start == Date(timeIntervalSince1970: 1_792_951_200))

        // On the spring-forward night 02:00-03:00 does not exist, so the window is not used.
        var spring = request
        spring.week = try ISOWeek.parse("2026-W13")
        spring.windows = F.windows("sun 02:00-03:00")
        let springPlan = WeeklyScheduler.plan(spring)
        #expect(springPlan.sessions.isEmpty)
        #expect(springPlan.notes.contains { $0.contains("long enough") })
    }

    @Test("overlapping windows on one day merge into one span")
    func overlappingWindows() {
        var settings = SchedulerSettings()
        settings.dailyCapMinutes = 180
        let tasks = (0..<4).map { task(Int64($0), "s", .practice, 60, order: $0) }
        let plan = WeeklyScheduler.plan(request(["mon 19:00-21:00", "mon 20:30-22:00"], tasks: tasks, settings: settings))
        #expect(plan.sessions.map { F.localSpan($0, in: F.paris).start } == [1140, 1235])
        // The second session runs past 21:00, the end of the first window, inside the second.
        let end = plan.sessions.last.map { F.localSpan($0, in: F.paris).end } ?? 0
        #expect(end > 1260 && end <= 1320)
    }

    @Test("windows shorter than 25 minutes are skipped; long windows hold sessions of at most 120 minutes")
    func sessionLengths() {
        let tasks = (0..<8).map { task(Int64($0), "s", .practice, 60, order: $0) }
        let request = request(
            ["mon 07:00-07:20", "mon 13:00-18:00"], hours: 30, tasks: tasks,
            settings: {
                var settings = SchedulerSettings()
                settings.dailyCapMinutes = 300
                return settings
            }())
        let plan = WeeklyScheduler.plan(request)
        #expect(F.violations(of: plan, for: request) == [])
        #expect(plan.sessions.count == 3)
        #expect(plan.sessions.allSatisfy { (25...120).contains($0.minutes) })
        #expect(plan.sessions.map { F.localSpan($0, in: F.paris).start } == [780, 885, 990])
    }

    // MARK: Empty and thin inputs

    @Test("empty inputs give an empty plan with a note that says why and what to do")
    func emptyInputs() throws {
        let tasks = [task(1, "a", .learn, 30, order: 0)]
        func notes(_ request: WeeklyPlanRequest) -> String {
            let plan = WeeklyScheduler.plan(request)
            #expect(plan.sessions.isEmpty && plan.plannedMinutes == 0)
            #expect(plan.unplacedTaskIDs == request.tasks.map(\.id))
            return plan.notes.joined(separator: " ")
        }
        #expect(notes(request([], tasks: tasks)).contains("No free-time windows are set"))
        #expect(notes(request(["mon 19:00-21:00"], hours: 0, tasks: tasks)).contains("Set the hours you can study"))
        #expect(notes(request(["mon 19:00-21:00"], hours: -3, tasks: tasks)).contains("Set the hours you can study"))
        #expect(notes(request(["mon 19:00-21:00"], hours: .nan, tasks: tasks)).contains("Set the hours you can study"))
        #expect(notes(request(["mon 19:00-21:00"], hours: 0.25, tasks: tasks)).contains("less than one 25-minute session"))
        #expect(notes(request(["mon 19:00-21:00"], tasks: [])).contains("Nothing to plan"))
        #expect(notes(request(["mon 19:00-19:20"], tasks: tasks)).contains("None of your windows is long enough"))
        var late = request(["mon 19:00-21:00"], tasks: tasks)
        late.notBefore = F.local(2026, 12, 8, 9)
        #expect(notes(late).contains("Plan 2026-W50 instead"))
        var afterLast = request(["mon 19:00-21:00"], tasks: tasks)
        afterLast.notBefore = F.local(2026, 12, 1, 9)
        #expect(notes(afterLast).contains("No window of at least 25 min is left this week"))
        var zeroCap = request(["mon 19:00-21:00"], tasks: tasks)
        zeroCap.settings.dailyCapMinutes = 0
        #expect(notes(zeroCap).contains("Raise the daily cap"))
    }

    @Test("finished tasks and tiny budgets do not crash; a small budget goes to few days")
    func thinInputs() {
        var tasks = [task(1, "a", .learn, 0, order: 0), task(2, "b", .learn, 200, order: 1, after: ["a"])]
        let request = request(["mon-sat 19:00-21:00"], hours: 1, tasks: tasks)
        let plan = WeeklyScheduler.plan(request)
        #expect(plan.budgetMinutes == 51)
        #expect(plan.sessions.map(\.minutes) == [26, 25])
        #expect(plan.sessions.map { F.localSpan($0, in: F.paris).weekday } == [1, 4])
        #expect(plan.unplacedTaskIDs == [2])
        tasks[1].remainingMinutes = 30
        #expect(
            WeeklyScheduler.plan(self.request(["mon-sat 19:00-21:00"], hours: 1, tasks: tasks)).notes.contains {
                $0.contains("Every pending task fits")
            })
    }

    @Test("extreme numbers are clamped instead of trapping")
    func extremeInputs() {
        var settings = SchedulerSettings()
        settings.maximumSessionMinutes = .max
        settings.breakMinutes = .max
        settings.reviewMinutesPerItem = 1e300
        settings.bufferFraction = .nan
        let tasks = [task(1, "a", .learn, .max, order: .max), task(2, "b", .learn, .max, order: .min)]
        let plan = WeeklyScheduler.plan(request(["daily 00:00-24:00"], hours: 1e12, tasks: tasks, reviews: .max, settings: settings))
        #expect(plan.sessions.count == 7)
        #expect(plan.budgetMinutes == 8_568)
        #expect(plan.unplacedTaskIDs == [2, 1])
        #expect(plan.sessions.allSatisfy { $0.minutes == 240 })
    }

    @Test("windows smaller than the budget: plan what fits and say so")
    func windowsBelowBudget() {
        let tasks = (0..<4).map { task(Int64($0), "s", .practice, 60, order: $0) }
        let plan = WeeklyScheduler.plan(request(["mon 19:00-20:00"], tasks: tasks))
        #expect(plan.plannedMinutes == 60)
        #expect(
            plan.notes.contains(
                "Your windows hold 1 h but you set 10 h a week (8 h 30 min after the 15% buffer): 1 h planned. Add windows to plan more."))
    }

    @Test("the plan encodes to JSON and back")
    func codable() throws {
        let plan = WeeklyScheduler.plan(F.programmerRequest())
        let data = try JSONEncoder().encode(plan)
        #expect(try JSONDecoder().decode(WeeklyPlan.self, from: data) == plan)
    }
}

/// A small deterministic generator (SplitMix64) for shuffling test input.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
