import Foundation
import TutorWire

/// A scheduled job: a name, the schedule it starts with, and what one run does.
///
/// A new job is one file in this folder (a type conforming to `Job`) and one line in
/// ``JobContext/jobs``; the daemon's scheduler runs every job in that list, at most once per
/// occurrence, and `tutor jobs` lists them.
public protocol Job: Sendable {
    /// The job's name in `tutor jobs`, `jobs.set` and `jobs.run` (`weekly-plan`, …).
    var name: String { get }
    /// The schedule a new installation gets (`sun 18:00`, `daily 08:00`, `after-sessions`); the
    /// learner can change it with `tutor jobs set`.
    var defaultSchedule: String { get }
    /// Runs the job for `occurrence`, reading the store as it is then, and says what to tell the learner.
    func run(occurrence: Date) async throws -> JobOutcome
}

/// Something to tell the learner, from a job.
public struct Notice: Sendable, Equatable {
    /// `weekly-plan`, `digest`, `missed-session`, `notes` …
    public var kind: String
    public var title: String
    public var body: String
    /// For a weekly plan: the plan, so notifiers can write its files and send it whole.
    public var plan: PlanResult?
    /// For a weekly plan: the HTML progress report, written beside the plan files.
    public var report: String?

    public init(kind: String, title: String, body: String, plan: PlanResult? = nil, report: String? = nil) {
        self.kind = kind
        self.title = title
        self.body = body
        self.plan = plan
        self.report = report
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
