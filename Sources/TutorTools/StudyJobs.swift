import Foundation
import Logging
import TutorLearning
import TutorModel
import TutorPrompts
import TutorStore
import TutorWire

/// Something to tell the learner, from a job.
public struct Notice: Sendable, Equatable {
    /// `weekly-plan`, `digest`, `missed-session`, `notes` …
    public var kind: String
    public var title: String
    public var body: String
    /// For a weekly plan: the plan, so notifiers can write its files and send it whole.
    public var plan: PlanResult?

    public init(kind: String, title: String, body: String, plan: PlanResult? = nil) {
        self.kind = kind
        self.title = title
        self.body = body
        self.plan = plan
    }
}

/// What one job run did: a line for the log and `tutor jobs`, and what to tell the learner.
public struct JobOutcome: Sendable, Equatable {
    public var summary: String
    public var notices: [Notice]

    public init(summary: String, notices: [Notice] = []) {
        self.summary = summary
        self.notices = notices
    }
}

/// The tutor's scheduled work: the weekly plan, the daily digest, the check after each planned
/// session, and re-ingesting the learner's note folders. Each job reads the store as it is at the
/// occurrence and returns what to say; the scheduler decides when, and the notifiers how.
public struct StudyJobs: Sendable {
    /// The jobs and their default schedules.
    public static let defaults: [(name: String, schedule: String)] = [
        ("weekly-plan", "sun 18:00"), ("daily-digest", "daily 08:00"), ("missed-session", "after-sessions"),
        ("reingest-notes", "daily 03:30"),
    ]
    /// How long after a planned session ends the check runs (time to log it first).
    public static let missedSessionGrace: TimeInterval = 30 * 60

    let service: LearnerService
    let notes: NotesService?
    /// The endpoint's model for the weekly note; nil (or a failure) uses the offline template.
    let model: (any ChatModel)?
    let prompts: PromptLibrary
    let logger: Logger

    public init(service: LearnerService, notes: NotesService?, model: (any ChatModel)?, prompts: PromptLibrary, logger: Logger) {
        self.service = service
        self.notes = notes
        self.model = model
        self.prompts = prompts
        self.logger = logger
    }

    /// The learner's time zone (UTC until a profile sets one).
    public func timeZone() throws -> TimeZone {
        TimeZone(identifier: try service.store.profile()?.timeZone ?? "UTC") ?? .gmt
    }

    /// Runs job `name` for `occurrence`.
    public func run(_ name: String, occurrence: Date) async throws -> JobOutcome {
        switch name {
        case "weekly-plan": return try await weeklyPlan(occurrence: occurrence)
        case "daily-digest": return try dailyDigest(occurrence: occurrence)
        case "missed-session": return try missedSession(occurrence: occurrence)
        case "reingest-notes": return try await reingestNotes()
        default: throw RPCError(code: RPCError.notFoundCode, message: "there is no job named '\(name)'; `tutor jobs` lists them")
        }
    }

    // MARK: Weekly plan

    /// Plans the coming week (the occurrence's week when it falls Monday to Thursday, else the
    /// next), afresh, and writes a short note on it.
    func weeklyPlan(occurrence: Date) async throws -> JobOutcome {
        let zone = try timeZone()
        var week = ISOWeek.containing(occurrence, in: zone)
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        if calendar.component(.weekday, from: occurrence) == 1 || calendar.component(.weekday, from: occurrence) >= 6 {
            week = week.next
        }
        let plan: PlanResult
        do {
            plan = try service.weeklyPlan(PlanParams(week: week.description, regenerate: true))
        } catch let error as RPCError where error.code == RPCError.badInputCode {
            // Nothing to plan into yet: say what is missing instead of failing every week.
            return JobOutcome(
                summary: "not planned: \(error.message)",
                notices: [Notice(kind: "weekly-plan", title: "No plan for \(week): set your free time", body: error.message)])
        }
        let note = await weeklyNote(plan: plan, zone: zone)
        let hours = Double(plan.plannedMinutes) / 60
        let title = "Your plan for \(plan.week): \(plan.sessions.count) sessions, \(Self.hours(hours))"
        return JobOutcome(
            summary: "planned \(plan.week): \(plan.sessions.count) sessions, \(plan.plannedMinutes) min",
            notices: [Notice(kind: "weekly-plan", title: title, body: note + "\n\n" + plan.markdown, plan: plan)])
    }

    /// A few honest sentences on the week: from the model when one is configured (template
    /// `weekly-note`), else (or when it fails) from the offline template `weekly-note-offline`.
    func weeklyNote(plan: PlanResult, zone: TimeZone) async -> String {
        var context: [String: Any] = [
            "week": plan.week, "sessions": plan.sessions.count, "plannedHours": Self.hours(Double(plan.plannedMinutes) / 60),
            "budgetHours": Self.hours(Double(plan.budgetMinutes) / 60), "notes": plan.notes,
        ]
        if let logged = try? service.store.studyLog(since: service.now().addingTimeInterval(-7 * 86_400)) {
            context["loggedHours"] = Self.hours(Double(logged.reduce(0) { $0 + $1.minutes }) / 60)
        }
        if let goals = try? service.goals().goals {
            context["goals"] = goals.filter { $0.status == "active" }.map {
                ["title": $0.title, "done": $0.tasksDone, "total": $0.tasksTotal]
            }
        }
        if let model, model.writesFreeText {
            do {
                let request = ChatRequest(
                    messages: [.system(prompts.render("weekly-note", context)), .user("Write the note for \(plan.week).")],
                    purpose: .note)
                let text = try await model.completeText(request)
                if !text.isEmpty { return text }
            } catch {
                logger.warning("the model could not write the weekly note; using the offline one", metadata: ["error": "\(error)"])
            }
        }
        return prompts.render("weekly-note-offline", context)
    }

    // MARK: Daily digest

    /// Today's sessions, the reviews due, and yesterday's study.
    func dailyDigest(occurrence: Date) throws -> JobOutcome {
        let zone = try timeZone()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.startOfDay(for: occurrence)
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: today)!
        let yesterday = calendar.date(byAdding: .day, value: -1, to: today)!
        let sessions = try plannedSessions(from: today, to: tomorrow, zone: zone)
        let due = try service.store.dueReviewCards(at: occurrence).count
        let logged = try service.store.studyLog(since: yesterday).filter { $0.loggedAt < today }.reduce(0) { $0 + $1.minutes }
        let formatter = DateFormatter()
        formatter.timeZone = zone
        formatter.dateFormat = "HH:mm"
        let context: [String: Any] = [
            "sessions": sessions.map { session in
                [
                    "start": formatter.string(from: session.start), "end": formatter.string(from: session.end),
                    "items": session.items.map(\.title).joined(separator: "; "),
                ]
            },
            "due": due, "logged": logged > 0 ? Self.hours(Double(logged) / 60) : false,
        ]
        let day = DateFormatter()
        day.timeZone = zone
        day.dateFormat = "EEEE d MMMM"
        let title = "Today, \(day.string(from: occurrence)): \(sessions.count) session(s), \(due) review(s) due"
        return JobOutcome(
            summary: "\(sessions.count) sessions today, \(due) reviews due",
            notices: [Notice(kind: "digest", title: title, body: prompts.render("digest", context))])
    }

    // MARK: Missed sessions

    /// The times the missed-session check runs: each planned session's end plus the grace period,
    /// for sessions ending in `from…to`.
    public func sessionChecks(from: Date, to: Date) throws -> [Date] {
        let zone = try timeZone()
        return try plannedSessions(from: from.addingTimeInterval(-Self.missedSessionGrace - 86_400), to: to, zone: zone)
            .map { $0.end.addingTimeInterval(Self.missedSessionGrace) }
            .filter { $0 > from && $0 <= to }
    }

    /// After a planned session: was any study logged from an hour before it until now? If not,
    /// a gentle note saying how to log it or what happens to its tasks.
    func missedSession(occurrence: Date) throws -> JobOutcome {
        let zone = try timeZone()
        let end = occurrence.addingTimeInterval(-Self.missedSessionGrace)
        guard
            let session = try plannedSessions(from: end.addingTimeInterval(-86_400), to: end.addingTimeInterval(1), zone: zone)
                .first(where: { abs($0.end.timeIntervalSince(end)) < 1 })
        else {
            return JobOutcome(summary: "no planned session ended at that time (the plan changed)")
        }
        let logged = try service.store.studyLog(since: session.start.addingTimeInterval(-3600)).filter { $0.loggedAt <= occurrence }
        if !logged.isEmpty {
            return JobOutcome(summary: "studied: \(logged.reduce(0) { $0 + $1.minutes }) min logged around the session")
        }
        let formatter = DateFormatter()
        formatter.timeZone = zone
        formatter.dateFormat = "EEE HH:mm"
        let context: [String: Any] = [
            "start": formatter.string(from: session.start), "minutes": session.minutes,
            "items": session.items.map(\.title),
        ]
        return JobOutcome(
            summary: "no study logged for the session at \(formatter.string(from: session.start))",
            notices: [
                Notice(
                    kind: "missed-session", title: "Missed your \(formatter.string(from: session.start)) session?",
                    body: prompts.render("missed-session", context))
            ])
    }

    /// Planned sessions overlapping `from…to`, from the stored plans of the weeks involved.
    func plannedSessions(from: Date, to: Date, zone: TimeZone) throws -> [PlannedSession] {
        var week = ISOWeek.containing(from, in: zone)
        let last = ISOWeek.containing(to, in: zone)
        var sessions: [PlannedSession] = []
        while week <= last {
            if let stored = try service.store.plan(week: week.description),
                let plan = try? WireCodec.makeDecoder().decode(WeeklyPlan.self, from: Data(stored.sessions.utf8))
            {
                sessions += plan.sessions.filter { $0.end > from && $0.start < to }
            }
            week = week.next
        }
        return sessions.sorted { $0.start < $1.start }
    }

    // MARK: Notes

    /// Re-ingests every registered notes folder (no pruning: a folder on an unmounted disk must
    /// not empty the index). Says something only when files changed or a folder failed.
    func reingestNotes() async throws -> JobOutcome {
        guard let notes else { return JobOutcome(summary: "retrieval is not available") }
        let folders = try service.store.noteFolders().map(\.path)
        guard !folders.isEmpty else { return JobOutcome(summary: "no note folders registered (`tutor ingest FOLDER` adds one)") }
        var changed = 0
        var problems: [String] = []
        for folder in folders {
            do {
                let result = try await notes.ingest(NotesIngestParams(paths: [folder])) { _ in }
                changed += result.added.count + result.updated.count
            } catch {
                problems.append("\(folder): \(error)")
            }
        }
        let summary = "\(folders.count) folder(s), \(changed) file(s) re-indexed" + (problems.isEmpty ? "" : ", \(problems.count) failed")
        guard !problems.isEmpty else { return JobOutcome(summary: summary) }
        return JobOutcome(
            summary: summary,
            notices: [
                Notice(
                    kind: "notes", title: "Some note folders could not be re-indexed",
                    body: problems.joined(separator: "\n") + "\nCheck the folders exist, or run `tutor ingest` on them by hand.")
            ])
    }

    static func hours(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) h" : "\((value * 10).rounded() / 10) h"
    }
}
