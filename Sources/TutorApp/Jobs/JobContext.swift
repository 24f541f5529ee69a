import Foundation
import Logging
import TutorLearning
import TutorModel
import TutorPrompts
import TutorStore
import TutorWire

/// What the jobs share: the application's context, the notes service, the model for the weekly
/// note, the templates and a logger; and the calendar reads the scheduler needs too (the learner's
/// time zone, the planned sessions).
public struct JobContext: Sendable {
    /// How long after a planned session ends the check runs (time to log it first).
    public static let missedSessionGrace: TimeInterval = 30 * 60

    let app: AppContext
    let notes: NotesService?
    /// The endpoint's model for the weekly note; nil (or a failure) uses the offline template.
    let model: (any ChatModel)?
    let prompts: PromptLibrary
    let logger: Logger

    public init(app: AppContext, notes: NotesService?, model: (any ChatModel)?, prompts: PromptLibrary, logger: Logger) {
        self.app = app
        self.notes = notes
        self.model = model
        self.prompts = prompts
        self.logger = logger
    }

    /// Every scheduled job, in the order `tutor jobs` lists them. A new job: its file in this folder, and a line here.
    public var jobs: [any Job] {
        [WeeklyPlanJob(context: self), DailyDigestJob(context: self), MissedSessionJob(context: self), ReingestNotesJob(context: self)]
    }

    var store: Store { app.store }

    /// The learner's time zone (UTC until a profile sets one).
    public func timeZone() throws -> TimeZone {
        TimeZone(identifier: try store.profile()?.timeZone ?? "UTC") ?? .gmt
    }

    /// The times the missed-session check runs: each planned session's end plus the grace period,
    /// for sessions ending in `from…to`.
    public func sessionChecks(from: Date, to: Date) throws -> [Date] {
        let zone = try timeZone()
        return try plannedSessions(from: from.addingTimeInterval(-Self.missedSessionGrace - 86_400), to: to, zone: zone)
            .map { $0.end.addingTimeInterval(Self.missedSessionGrace) }
            .filter { $0 > from && $0 <= to }
    }

    /// Planned sessions overlapping `from…to`, from the stored plans of the weeks involved.
    func plannedSessions(from: Date, to: Date, zone: TimeZone) throws -> [PlannedSession] {
        var week = ISOWeek.containing(from, in: zone)
        let last = ISOWeek.containing(to, in: zone)
        var sessions: [PlannedSession] = []
        while week <= last {
            if let stored = try store.plan(week: week.description),
                let plan = try? WireCodec.makeDecoder().decode(WeeklyPlan.self, from: Data(stored.sessions.utf8))
            {
                sessions += plan.sessions.filter { $0.end > from && $0.start < to }
            }
            week = week.next
        }
        return sessions.sorted { $0.start < $1.start }
    }

    /// `2 h`, `1.5 h`.
    static func hours(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) h" : "\((value * 10).rounded() / 10) h"
    }
}
