import Foundation
import Synchronization
import TutorApp
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

/// A made-up learner with a year of history, written through the application's services with a
/// clock that walks the year day by day, so every record is one the tutor itself would make.
///
/// Deterministic in everything but the end date: the same days are studied, for the same minutes,
/// on the same skills, with the same review grades. Used by the report's end-to-end test, the
/// report benchmark and `Tools/screenshots.sh`.
public enum YearOfHistory {
    /// What was written.
    public struct Summary: Sendable, Equatable {
        public var studyDays: Int
        public var minutesLogged: Int
        public var tasksDone: Int
        public var reviews: Int
        public var forecasts: Int
    }

    /// Seeds the store at `path` (created when missing) with Ada, a programmer aiming at the
    /// first-apps stage, studying most evenings for the 365 days up to `end`.
    public static func seed(storePath path: String, endingAt end: Date) throws -> Summary {
        let store = try Store(path: path)
        defer { try? store.close() }
        let start = end.addingTimeInterval(-364 * 86_400)
        let clock = Clock(start)
        let service = LearnerService(store: store, catalogue: try Catalogue.bundled(), now: { clock.now })
        _ = try service.setProfile(
            ProfileSetParams(
                name: "Ada", background: "programmer", hoursPerWeek: 6, availability: ["mon-fri 19:00-21:00", "sat 09:00-12:00"],
                timeZone: "UTC"))
        _ = try service.addGoal(GoalAddParams(text: "first-apps"))
        var random = FSRSSeededGenerator(seed: 2026)
        var summary = Summary(studyDays: 0, minutesLogged: 0, tasksDone: 0, reviews: 0, forecasts: 0)
        for day in 0..<365 {
            clock.set(start.addingTimeInterval(Double(day) * 86_400))
            // Every Monday (1970-01-01 was a Thursday): the week's plan, then a forecast.
            if (Int((clock.now.timeIntervalSince1970 / 86_400).rounded(.down)) + 3) % 7 == 0 {
                _ = try service.planService.weeklyPlan(PlanParams(regenerate: true))
                _ = try service.planService.forecast(ForecastParams())
                summary.forecasts += 1
            }
            // Most days have study; a run of days off every few weeks breaks the streak.
            guard random.next() % 100 < 72, day % 45 < 40 || day > 355 else { continue }
            try study(service, &random, &summary)
            try review(service, &random, &summary)
        }
        return summary
    }

    /// One evening: 20 to 120 minutes on the first open task; the task is done once its estimate is spent.
    static func study(_ service: LearnerService, _ random: inout FSRSSeededGenerator, _ summary: inout Summary) throws {
        guard let task = try service.tasks(TaskListParams(status: ["pending", "learning"], limit: 1)).tasks.first else { return }
        let minutes = 20 + Int(random.next() % 101)
        _ = try service.logStudy(StudyLogParams(minutes: minutes, skill: task.skillId, note: "evening study"))
        summary.studyDays += 1
        summary.minutesLogged += minutes
        let spent = try service.tasks(TaskListParams()).tasks.first { $0.id == task.id }?.actualMinutes ?? 0
        if task.skillId == nil || spent + minutes >= task.estimateMinutes || random.next() % 100 < 25 {
            _ = try service.completeTask(TaskDoneParams(id: task.id, evidence: task.kind == "build" ? "https://example.org/ada" : nil))
            summary.tasksDone += 1
        }
    }

    /// Up to eight due reviews, mostly recalled (Good), sometimes forgotten (Again) or hard.
    static func review(_ service: LearnerService, _ random: inout FSRSSeededGenerator, _ summary: inout Summary) throws {
        for _ in 0..<8 {
            guard let item = try service.reviewService.nextReview().item else { return }
            let roll = random.next() % 100
            let rating = roll < 12 ? 1 : roll < 25 ? 2 : roll < 92 ? 3 : 4
            _ = try service.reviewService.gradeReview(ReviewGradeParams(cardId: item.cardId, rating: rating))
            summary.reviews += 1
        }
    }

    /// The services' clock, set to each day in turn.
    final class Clock: Sendable {
        private let date: Mutex<Date>
        init(_ start: Date) { date = Mutex(start) }
        var now: Date { date.withLock { $0 } }
        func set(_ value: Date) { date.withLock { $0 = value } }
    }
}
