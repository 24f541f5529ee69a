import Foundation
import Logging
import TutorLearning
import TutorModel
import TutorPrompts
import TutorStore
import TutorWire

/// After each planned session (plus a grace period): a gentle note when no study was logged.
struct MissedSessionJob: Job {
    let context: JobContext
    let name = "missed-session"
    let defaultSchedule = "after-sessions"

    /// After a planned session: was any study logged from an hour before it until now? If not,
    /// a gentle note saying how to log it or what happens to its tasks.
    func run(occurrence: Date) async throws -> JobOutcome {
        let zone = try context.timeZone()
        let end = occurrence.addingTimeInterval(-JobContext.missedSessionGrace)
        guard
            let session = try context.plannedSessions(from: end.addingTimeInterval(-86_400), to: end.addingTimeInterval(1), zone: zone)
                .first(where: { abs($0.end.timeIntervalSince(end)) < 1 })
        else {
            return JobOutcome(summary: "no planned session ended at that time (the plan changed)")
        }
        let logged = try context.store.studyLog(since: session.start.addingTimeInterval(-3600)).filter { $0.loggedAt <= occurrence }
        if !logged.isEmpty {
            return JobOutcome(summary: "studied: \(logged.reduce(0) { $0 + $1.minutes }) min logged around the session")
        }
        let formatter = DateFormatter()
        formatter.timeZone = zone
        formatter.dateFormat = "EEE HH:mm"
        let values: [String: Any] = [
            "start": formatter.string(from: session.start), "minutes": session.minutes,
            "items": session.items.map(\.title),
        ]
        return JobOutcome(
            summary: "no study logged for the session at \(formatter.string(from: session.start))",
            notices: [
                Notice(
                    kind: "missed-session", title: "Missed your \(formatter.string(from: session.start)) session?",
                    body: context.prompts.render("missed-session", values))
            ])
    }
}
