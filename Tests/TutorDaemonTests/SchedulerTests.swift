import AsyncHTTPClient
import Foundation
import Logging
import Testing
import TutorCatalogue
import TutorLLM
import TutorLearning
import TutorModel
import TutorPrompts
import TutorStore
import TutorTesting
import TutorTools
import TutorWire

@testable import TutorApp
@testable import TutorDaemon

/// The scheduler against a real store, with a manual clock: which jobs run when, exactly once.
@Suite("Scheduler", .serialized)
struct SchedulerTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!

    /// A date in Paris time.
    static func paris(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = paris
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    /// Everything a scheduler needs, over one store file that outlives "restarts".
    final class World: @unchecked Sendable {
        let folder: String
        let store: Store
        let clock: ManualClock
        let service: LearnerService
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let logger = Logger(label: "scheduler-test")

        init(start: Date) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-scheduler-\(UUID().uuidString)").path
            store = try Store(path: folder + "/tutor.sqlite")
            clock = ManualClock(start)
            let clock = self.clock
            service = LearnerService(store: store, catalogue: try Catalogue.bundled(), now: { clock.now() })
            _ = try service.setProfile(
                ProfileSetParams(hoursPerWeek: 8, availability: ["mon-fri 19:00-21:00"], timeZone: "Europe/Paris"))
            _ = try service.addGoal(GoalAddParams(text: "first-apps"))
        }

        /// A scheduler as a freshly started daemon would make it.
        func scheduler(
            settings: NotificationSettings = NotificationSettings(desktop: false), model: (any ChatModel)? = nil
        ) throws
            -> Scheduler
        {
            let notifier = Notifier(store: store, httpClient: client, settings: settings, logger: logger)
            let jobs = JobContext(app: service.context, notes: nil, model: model, prompts: .bundled, logger: logger)
            let scheduler = Scheduler(store: store, jobs: jobs.jobs, calendar: jobs, notifier: notifier, clock: clock, logger: logger)
            try scheduler.prepare()
            return scheduler
        }

        func runs(_ job: String) throws -> [JobRunRecord] { try store.jobRuns(job: job) }

        func close() async throws {
            try await client.shutdown()
            try store.close()
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    @Test("seven simulated days give exactly one weekly plan, seven digests and a check after each planned session")
    func sevenDays() async throws {
        let start = Self.paris(2026, 11, 30, 0)  // Monday 00:00
        let world = try World(start: start)
        _ = try world.service.weeklyPlan(PlanParams())  // this week's sessions, Monday to Friday evenings
        let scheduler = try world.scheduler()
        for hour in 1...(7 * 24) {
            let now = start.addingTimeInterval(Double(hour) * 3600)
            // The learner logs study on Tuesday and Thursday evenings only.
            if [1 * 24 + 21, 3 * 24 + 21].contains(hour) {
                world.clock.advance(to: now.addingTimeInterval(-1800))
                _ = try world.service.logStudy(StudyLogParams(minutes: 90))
            }
            world.clock.advance(to: now)
            await scheduler.tick()
        }
        let plans = try world.runs("weekly-plan")
        #expect(plans.count == 1)
        #expect(plans.first?.occurrence == Self.paris(2026, 12, 6, 18))
        #expect(plans.first?.status == "done")
        #expect(try world.store.plan(week: "2026-W50") != nil, "Sunday's run planned the next week")
        let digests = try world.runs("daily-digest")
        #expect(digests.count == 7)
        let mornings = [Self.paris(2026, 11, 30, 8)] + (1...6).map { Self.paris(2026, 12, $0, 8) }
        #expect(Set(digests.map(\.occurrence)) == Set(mornings))
        let checks = try world.runs("missed-session")
        #expect(checks.count == 5, "one check after each of the five sessions")
        let inbox = try world.store.inbox(unreadOnly: false, limit: 100)
        #expect(inbox.filter { $0.kind == "weekly-plan" }.count == 1)
        #expect(inbox.filter { $0.kind == "digest" }.count == 7)
        #expect(inbox.filter { $0.kind == "missed-session" }.count == 3, "Mon, Wed and Fri had nothing logged")
        try await world.close()
    }

    @Test("a daemon down across the planning time catches up exactly once at start, and a long outage gives one digest")
    func catchUpOnce() async throws {
        let world = try World(start: Self.paris(2026, 12, 4, 10))  // Friday
        _ = try world.scheduler()
        // Down from Friday 10:00 until Monday 09:00: three digests, three re-ingests and Sunday's plan were missed.
        world.clock.advance(to: Self.paris(2026, 12, 7, 9))
        let restarted = try world.scheduler()
        let ran = await restarted.tick()
        #expect(ran.sorted() == ["daily-digest", "reingest-notes", "weekly-plan"], "each missed job once")
        #expect(try world.runs("weekly-plan").map(\.occurrence) == [Self.paris(2026, 12, 6, 18)])
        #expect(try world.runs("daily-digest").map(\.occurrence) == [Self.paris(2026, 12, 7, 8)])
        #expect(await restarted.tick().isEmpty, "nothing runs twice")
        try await world.close()
    }

    @Test("a run cut short by a crash is never repeated for its occurrence")
    func crashNeverRepeats() async throws {
        let world = try World(start: Self.paris(2026, 12, 6, 17))
        _ = try world.scheduler()
        world.clock.advance(to: Self.paris(2026, 12, 6, 18, 1))
        // The daemon claims Sunday's occurrence and dies before finishing it.
        #expect(try world.store.claimOccurrence(job: "weekly-plan", occurrence: Self.paris(2026, 12, 6, 18), at: world.clock.now()))
        let restarted = try world.scheduler()
        #expect(!(await restarted.tick()).contains("weekly-plan"))
        let runs = try world.runs("weekly-plan")
        #expect(runs.count == 1)
        #expect(runs.first?.status == "interrupted")
        try await world.close()
    }

    @Test("the weekly plan reaches a webhook as JSON; when the receiver is down the failure lands in the inbox and a retry delivers it")
    func webhook() async throws {
        let receiver = try await FakeOpenAIServer.start()
        let world = try World(start: Self.paris(2026, 12, 6, 17))
        let folder = world.folder + "/plans"
        let scheduler = try world.scheduler(
            settings: NotificationSettings(desktop: false, webhookURL: receiver.webhookURL(), planFolder: folder))
        receiver.webhookStatus = 503
        world.clock.advance(to: Self.paris(2026, 12, 6, 18))
        #expect(await scheduler.tick() == ["weekly-plan"])
        var deliveries = try world.store.deliveries()
        #expect(deliveries.count == 1)
        #expect(deliveries.first?.status == "pending" && deliveries.first?.attempts == 1)
        #expect(deliveries.first?.lastError?.contains("503") == true)
        let failure = try world.store.inbox(unreadOnly: true).first { $0.kind == "delivery-failure" }
        #expect(failure?.body.contains("retried") == true)
        #expect(FileManager.default.fileExists(atPath: folder + "/plan-2026-W50.md"))
        #expect(FileManager.default.fileExists(atPath: folder + "/plan-2026-W50.ics"))

        // Too early for the retry: nothing is sent.
        receiver.webhookStatus = 200
        world.clock.advance(to: Self.paris(2026, 12, 6, 18).addingTimeInterval(30))
        await scheduler.tick()
        #expect(try world.store.deliveries().first?.attempts == 1)
        // After the backoff, it is delivered.
        world.clock.advance(to: Self.paris(2026, 12, 6, 18).addingTimeInterval(61))
        await scheduler.tick()
        deliveries = try world.store.deliveries()
        #expect(deliveries.first?.status == "delivered" && deliveries.first?.attempts == 2)
        let posts = receiver.recordedRequests().filter { $0.path.hasPrefix("/hooks/") }
        #expect(posts.count == 2)
        let json = try #require(posts.last?.json)
        #expect(json["kind"] as? String == "weekly-plan")
        #expect((json["plan"] as? [String: Any])?["week"] as? String == "2026-W50")
        #expect(((json["plan"] as? [String: Any])?["sessions"] as? [Any])?.isEmpty == false)
        try await world.close()
        try await receiver.shutdown()
    }

    @Test("with an endpoint the weekly plan carries the model's note; when the endpoint fails, the offline note")
    func weeklyNoteFromTheModel() async throws {
        let server = try await FakeOpenAIServer.start()
        let world = try World(start: Self.paris(2026, 12, 6, 17))
        let model = OpenAICompatibleModel(
            configuration: OpenAICompatibleConfiguration(baseURL: server.baseURL, model: "fake-model", retry: .none),
            httpClient: world.client, logger: world.logger)
        let scheduler = try world.scheduler(model: model)
        server.enqueue(.stream([.text("Five evenings planned; protect Monday's session."), .finish("stop")]))
        world.clock.advance(to: Self.paris(2026, 12, 6, 18))
        #expect(await scheduler.tick() == ["weekly-plan"])
        let first = try #require(try world.store.inbox(unreadOnly: true).first { $0.kind == "weekly-plan" })
        #expect(first.body.hasPrefix("Five evenings planned; protect Monday's session."))
        let request = try #require(server.recordedRequests().first { $0.path.hasSuffix("/chat/completions") }?.json)
        let system = (request["messages"] as? [[String: Any]])?.first?["content"] as? String ?? ""
        #expect(system.contains("2026-W50") && system.contains("never promise shortcuts"))

        // The next week the endpoint is down: the offline note is used and the plan still goes out.
        server.enqueue(.serverError(status: 503))
        world.clock.advance(to: Self.paris(2026, 12, 13, 18))
        #expect(await scheduler.tick().contains("weekly-plan"))
        let second = try #require(try world.store.inbox(unreadOnly: true).first { $0.title.contains("2026-W51") })
        #expect(second.body.hasPrefix("Your plan for 2026-W51"))
        try await world.close()
        try await server.shutdown()
    }

    @Test("the run loop sleeps until the next occurrence and wakes for it")
    func loopWakesOnTime() async throws {
        let world = try World(start: Self.paris(2026, 12, 1, 7, 59))
        let scheduler = try world.scheduler()
        let loop = Task { try await scheduler.run() }
        // Wait for the loop to go to sleep on the clock.
        for _ in 0..<500 where world.clock.sleeperCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(try world.runs("daily-digest").isEmpty)
        world.clock.advance(to: Self.paris(2026, 12, 1, 8, 0))
        for _ in 0..<500 where try world.runs("daily-digest").isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(try world.runs("daily-digest").map(\.occurrence) == [Self.paris(2026, 12, 1, 8)])
        loop.cancel()
        _ = try? await loop.value
        try await world.close()
    }

    @Test("jobs set takes effect from now and refuses a bad schedule with an example")
    func setSchedule() async throws {
        let world = try World(start: Self.paris(2026, 12, 1, 12))
        let scheduler = try world.scheduler()
        let job = try scheduler.setSchedule(JobsSetParams(name: "daily-digest", schedule: "daily 07:30"))
        #expect(job.schedule == "daily 07:30")
        #expect(job.nextRunAt == Self.paris(2026, 12, 2, 7, 30))
        #expect(await scheduler.tick().isEmpty, "this morning's 07:30 passed before the change and is not caught up")
        #expect(throws: RPCError.self) { try scheduler.setSchedule(JobsSetParams(name: "daily-digest", schedule: "tea time")) }
        #expect(throws: RPCError.self) { try scheduler.setSchedule(JobsSetParams(name: "nope", schedule: "daily 08:00")) }
        try await world.close()
    }

    @Test("every job has its own name and a default schedule that parses; jobs.run names the jobs when one is unknown")
    func jobList() async throws {
        let world = try World(start: Self.paris(2026, 12, 1, 12))
        let scheduler = try world.scheduler()
        let names = scheduler.jobs.map(\.name)
        #expect(names == ["weekly-plan", "daily-digest", "missed-session", "reingest-notes"])
        for job in scheduler.jobs { #expect(throws: Never.self, "\(job.name)") { try JobSchedule.parse(job.defaultSchedule) } }
        #expect(try scheduler.list().jobs.map(\.name).sorted() == names.sorted(), "each job is created from its default")
        do {
            _ = try await scheduler.runNow(JobsRunParams(name: "nope"))
            Issue.record("an unknown job ran")
        } catch let error as RPCError {
            #expect(error.code == RPCError.notFoundCode && error.message.contains("weekly-plan, daily-digest"), "\(error)")
        }
        try await world.close()
    }
}
