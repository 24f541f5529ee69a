import Foundation
import Logging
import TutorLearning
import TutorModel
import TutorPrompts
import TutorStore
import TutorWire

/// Each morning: today's sessions, the reviews due, and yesterday's study.
struct DailyDigestJob: Job {
    let context: JobContext
    let name = "daily-digest"
    let defaultSchedule = "daily 08:00"

    func run(occurrence: Date) async throws -> JobOutcome {
        let zone = try context.timeZone()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.startOfDay(for: occurrence)
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: today)!
        let yesterday = calendar.date(byAdding: .day, value: -1, to: today)!
        let sessions = try context.plannedSessions(from: today, to: tomorrow, zone: zone)
        let due = try context.store.dueReviewCards(at: occurrence).count
        let logged = try context.store.studyLog(since: yesterday).filter { $0.loggedAt < today }.reduce(0) { $0 + $1.minutes }
        let formatter = DateFormatter()
        formatter.timeZone = zone
        formatter.dateFormat = "HH:mm"
        let values: [String: Any] = [
            "sessions": sessions.map { session in
                [
                    "start": formatter.string(from: session.start), "end": formatter.string(from: session.end),
                    "items": session.items.map(\.title).joined(separator: "; "),
                ]
            },
            "due": due, "logged": logged > 0 ? JobContext.hours(Double(logged) / 60) : false,
        ]
        let day = DateFormatter()
        day.timeZone = zone
        day.dateFormat = "EEEE d MMMM"
        let title = "Today, \(day.string(from: occurrence)): \(sessions.count) session(s), \(due) review(s) due"
        return JobOutcome(
            summary: "\(sessions.count) sessions today, \(due) reviews due",
            notices: [Notice(kind: "digest", title: title, body: context.prompts.render("digest", values))])
    }
}
