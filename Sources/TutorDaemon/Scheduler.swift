import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TutorApp
import TutorLearning
import TutorStore
import TutorWire

/// Runs the tutor's jobs on their schedules, in the learner's time zone, for as long as the daemon
/// lives.
///
/// Rules:
/// - A job runs at most once per occurrence: the run is claimed in the store (a unique row per job
///   and occurrence) before it starts, so not even a crash at the wrong moment repeats it.
/// - After downtime, a job that missed occurrences runs once, for the newest one.
/// - A new job (or a new schedule) starts from now: it does not run for times before it existed.
/// - Pending webhook deliveries are retried when due.
public final class Scheduler: Service, Sendable {
    let store: Store
    /// Every job it runs (``JobContext/jobs``), by name.
    let jobs: [any Job]
    /// The learner's time zone and planned sessions, for the schedules.
    let calendar: JobContext
    let notifier: Notifier
    let clock: any SchedulerClock
    let logger: Logger
    private let wakeup = Wakeup()
    /// The longest the loop sleeps before looking at the wall clock again (suspend, clock changes).
    static let maximumSleep: TimeInterval = 60

    init(store: Store, jobs: [any Job], calendar: JobContext, notifier: Notifier, clock: any SchedulerClock, logger: Logger) {
        self.store = store
        self.jobs = jobs
        self.calendar = calendar
        self.notifier = notifier
        self.clock = clock
        self.logger = logger
    }

    /// Creates the default jobs that are missing, marking their past occurrences handled.
    func prepare() throws {
        let now = clock.now()
        let zone = try calendar.timeZone()
        for run in try store.markInterruptedRuns(at: now) {
            logger.warning(
                "a job was interrupted by a crash and will not be repeated for that occurrence",
                metadata: ["job": "\(run.job)", "occurrence": "\(run.occurrence)"])
        }
        let missing = jobs.map { job in
            JobRecord(
                name: job.name, schedule: job.defaultSchedule, lastOccurrence: latest(job.defaultSchedule, atOrBefore: now, zone: zone),
                createdAt: now)
        }
        try store.ensureJobs(missing)
    }

    public func run() async throws {
        try prepare()
        let zone = try calendar.timeZone()
        for job in try store.jobs() {
            let next = try nextOccurrence(of: job, after: clock.now(), zone: zone)
            logger.info(
                "job scheduled",
                metadata: ["job": "\(job.name)", "schedule": "\(job.schedule)", "next": "\(next.map { "\($0)" } ?? "none")"])
        }
        let stopping = Atomic<Bool>(false)
        try await withGracefulShutdownHandler {
            while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                await tick()
                let now = clock.now()
                let next = min(nextWakeUp(after: now) ?? .distantFuture, now.addingTimeInterval(Self.maximumSleep))
                await sleep(until: next)
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
            self.wakeup.signal()
        }
    }

    /// Sleeps until `deadline`, or until woken (a schedule changed, shutdown began).
    private func sleep(until deadline: Date) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [clock] in try? await clock.sleep(until: deadline) }
            group.addTask { [wakeup] in await wakeup.wait() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Runs every job whose newest occurrence at the clock's now has not been handled, then the
    /// webhook deliveries that are due. Returns the names of the jobs run.
    @discardableResult
    public func tick() async -> [String] {
        let now = clock.now()
        var ran: [String] = []
        do {
            let zone = try calendar.timeZone()
            for job in try store.jobs() {
                guard let due = try latestOccurrence(of: job, atOrBefore: now, zone: zone) else { continue }
                if let last = job.lastOccurrence, due <= last { continue }
                if await runJob(job.name, occurrence: due) != nil { ran.append(job.name) }
            }
        } catch {
            logger.error("the scheduler could not read its jobs", metadata: ["error": "\(error)"])
        }
        await notifier.retryDue(at: now)
        return ran
    }

    /// Runs `name` for `occurrence` once: nil when that occurrence was already claimed.
    func runJob(_ name: String, occurrence: Date) async -> JobRunView? {
        let started = clock.now()
        do {
            guard try store.claimOccurrence(job: name, occurrence: occurrence, at: started) else { return nil }
        } catch {
            logger.error("could not claim a job run", metadata: ["job": "\(name)", "error": "\(error)"])
            return nil
        }
        do {
            let outcome = try await job(named: name).run(occurrence: occurrence)
            for notice in outcome.notices { await notifier.post(notice, at: clock.now()) }
            try store.finishRun(job: name, occurrence: occurrence, status: "done", summary: outcome.summary, at: clock.now())
            let next = try? nextOccurrence(ofJobNamed: name, after: clock.now())
            logger.info(
                "job ran",
                metadata: [
                    "job": "\(name)", "occurrence": "\(occurrence)", "summary": "\(outcome.summary)",
                    "next": "\(next.map { "\($0)" } ?? "none")",
                ])
            return JobRunView(
                name: name, occurrence: occurrence, status: "done", summary: outcome.summary, notices: outcome.notices.map(\.title))
        } catch {
            let summary = "failed: \(error)"
            try? store.finishRun(job: name, occurrence: occurrence, status: "failed", summary: summary, at: clock.now())
            logger.error("job failed", metadata: ["job": "\(name)", "occurrence": "\(occurrence)", "error": "\(error)"])
            return JobRunView(name: name, occurrence: occurrence, status: "failed", summary: summary, notices: [])
        }
    }

    // MARK: Occurrences

    private func latest(_ schedule: String, atOrBefore date: Date, zone: TimeZone) -> Date? {
        switch try? JobSchedule.parse(schedule) {
        case .afterSessions: (try? calendar.sessionChecks(from: date.addingTimeInterval(-8 * 86_400), to: date))?.last
        case let parsed?: parsed.latest(atOrBefore: date, in: zone)
        case nil: nil
        }
    }

    func latestOccurrence(of job: JobRecord, atOrBefore date: Date, zone: TimeZone) throws -> Date? {
        switch try JobSchedule.parse(job.schedule) {
        case .afterSessions:
            // Only checks after the last one handled (or from a week back at most).
            let from = max(job.lastOccurrence ?? job.createdAt, date.addingTimeInterval(-8 * 86_400))
            return try calendar.sessionChecks(from: from, to: date).last
        case let schedule:
            return schedule.latest(atOrBefore: date, in: zone)
        }
    }

    func nextOccurrence(ofJobNamed name: String, after date: Date) throws -> Date? {
        guard let job = try store.jobs().first(where: { $0.name == name }) else { return nil }
        return try nextOccurrence(of: job, after: date, zone: try calendar.timeZone())
    }

    func nextOccurrence(of job: JobRecord, after date: Date, zone: TimeZone) throws -> Date? {
        switch try JobSchedule.parse(job.schedule) {
        case .afterSessions: return try calendar.sessionChecks(from: date, to: date.addingTimeInterval(8 * 86_400)).first
        case let schedule: return schedule.next(after: date, in: zone)
        }
    }

    /// The earliest job occurrence or delivery retry after `date`.
    func nextWakeUp(after date: Date) -> Date? {
        guard let zone = try? calendar.timeZone(), let all = try? store.jobs() else { return nil }
        let times =
            all.compactMap { try? nextOccurrence(of: $0, after: date, zone: zone) }
            + [(try? store.nextDeliveryAttempt()) ?? nil].compactMap { $0 }
        return times.min()
    }

    // MARK: Methods

    /// The job called `name`.
    func job(named name: String) throws -> any Job {
        guard let job = jobs.first(where: { $0.name == name }) else {
            throw RPCError(
                code: RPCError.notFoundCode,
                message: "there is no job named '\(name)'; the jobs are \(jobs.map(\.name).joined(separator: ", "))")
        }
        return job
    }

    /// The inbox's messages (unread ones, or the last 50 with `all`), marking the unread ones read unless asked not to.
    func inbox(_ params: InboxListParams, store: Store) throws -> InboxListResult {
        let zone = (try? calendar.timeZone()) ?? .gmt
        let unread = try store.inbox(unreadOnly: true, limit: 1000)
        let shown = params.all == true ? try store.inbox(unreadOnly: false, limit: 50) : unread
        if params.keepUnread != true { try store.markRead(ids: unread.compactMap(\.id), at: Date()) }
        return InboxListResult(
            messages: shown.map {
                InboxMessageView(
                    id: $0.id ?? 0, kind: $0.kind, title: $0.title, body: $0.body, createdAt: $0.createdAt,
                    createdAtLocal: Scheduler.local($0.createdAt, zone), read: $0.readAt != nil)
            }, unread: unread.count)
    }

    public func list() throws -> JobsListResult {
        let zone = try calendar.timeZone()
        let now = clock.now()
        return JobsListResult(
            jobs: try store.jobs().map { job in
                let next = try nextOccurrence(of: job, after: now, zone: zone)
                return JobView(
                    name: job.name, schedule: job.schedule, lastRunAt: job.lastRunAt, lastStatus: job.lastStatus,
                    lastSummary: job.lastSummary, nextRunAt: next, lastRunLocal: job.lastRunAt.map { Self.local($0, zone) },
                    nextRunLocal: next.map { Self.local($0, zone) })
            }, timeZone: zone.identifier)
    }

    /// `Sun 29 Nov 18:00` in `zone`.
    static func local(_ date: Date, _ zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "EEE d MMM HH:mm"
        return formatter.string(from: date)
    }

    /// Changes a job's schedule; it takes effect from now (no catch-up for the new times).
    public func setSchedule(_ params: JobsSetParams) throws -> JobView {
        let schedule: JobSchedule
        do {
            schedule = try JobSchedule.parse(params.schedule)
        } catch {
            throw RPCError(code: RPCError.badInputCode, message: error.description)
        }
        _ = try job(named: params.name)
        let now = clock.now()
        let zone = try calendar.timeZone()
        _ = try store.setJobSchedule(
            name: params.name, schedule: schedule.description, handledUpTo: latest(schedule.description, atOrBefore: now, zone: zone) ?? now
        )
        wakeup.signal()
        logger.notice("job schedule changed", metadata: ["job": "\(params.name)", "schedule": "\(schedule)"])
        return try list().jobs.first { $0.name == params.name }!
    }

    /// Runs a job now, as an occurrence of its own (the current second).
    public func runNow(_ params: JobsRunParams) async throws -> JobRunView {
        let job = try job(named: params.name)
        let now = clock.now()
        var occurrence = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        if case .afterSessions? = try? JobSchedule.parse(job.defaultSchedule) {
            // The check for the newest planned session that has ended.
            guard let check = try calendar.sessionChecks(from: now.addingTimeInterval(-8 * 86_400), to: now).last else {
                return JobRunView(
                    name: params.name, occurrence: occurrence, status: "done", summary: "no planned session ended in the past week",
                    notices: [])
            }
            occurrence = check
        }
        guard let view = await runJob(params.name, occurrence: occurrence) else {
            throw RPCError(
                code: RPCError.badInputCode, message: "'\(params.name)' already ran for \(occurrence); a job runs once per occurrence")
        }
        return view
    }
}
