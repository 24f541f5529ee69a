import Foundation

/// What a task or plan item asks the learner to do.
public enum TaskKind: String, Codable, Sendable, CaseIterable {
    case learn, practice, check, project, review
}

/// A pending or in-progress task the weekly scheduler may place.
public struct SchedulableTask: Sendable, Equatable {
    public var id: Int64
    /// The skill the task belongs to; `nil` for project tasks.
    public var skillId: String?
    public var projectId: String?
    /// `learn`, `practice`, `check` or `project`.
    public var kind: TaskKind
    public var title: String
    /// The estimate minus time already spent; tasks with zero or less are treated as finished.
    public var remainingMinutes: Int
    /// The learner already worked on this skill, so placing it does not start a new skill.
    public var isStarted: Bool
    /// Skills whose tasks must all come before this one.
    public var prerequisiteSkillIDs: [String]
    /// Global order from decomposition (prerequisites first); lower goes first.
    public var order: Int

    public init(
        id: Int64, skillId: String? = nil, projectId: String? = nil, kind: TaskKind, title: String, remainingMinutes: Int,
        isStarted: Bool = false, prerequisiteSkillIDs: [String] = [], order: Int
    ) {
        self.id = id
        self.skillId = skillId
        self.projectId = projectId
        self.kind = kind
        self.title = title
        self.remainingMinutes = remainingMinutes
        self.isStarted = isStarted
        self.prerequisiteSkillIDs = prerequisiteSkillIDs
        self.order = order
    }
}

/// Knobs of the weekly scheduler; the defaults suit most learners.
public struct SchedulerSettings: Sendable, Equatable {
    /// Shortest session worth sitting down for; shorter windows are not used.
    public var minimumSessionMinutes = 25
    /// Longest session before a break.
    public var maximumSessionMinutes = 120
    /// Share of the weekly hours left unplanned as slack (0.15 plans at most 85%).
    public var bufferFraction = 0.15
    /// Most session minutes on one day; `nil` derives min(240, max(120, 40% of the weekly budget)).
    public var dailyCapMinutes: Int? = nil
    /// Most skills started for the first time on one day.
    public var maximumNewSkillsPerDay = 2
    /// Minutes planned per due review item.
    public var reviewMinutesPerItem = 1.5
    /// Most review minutes at the start of one session.
    public var maximumReviewMinutesPerSession = 20
    /// Gap between two sessions in one long window.
    public var breakMinutes = 10

    public init() {}
}

/// Everything the weekly scheduler needs for one ISO week.
public struct WeeklyPlanRequest: Sendable {
    public var week: ISOWeek
    /// The learner's zone: windows and sessions are in its local time.
    public var timeZone: TimeZone
    public var windows: [AvailabilityWindow]
    public var hoursPerWeek: Double
    /// Pending and in-progress tasks, in any order (`order` decides).
    public var tasks: [SchedulableTask]
    /// Skills already complete: tasks that depend on them are free to go.
    public var doneSkillIDs: Set<String>
    /// Review items due now.
    public var dueReviewCount: Int
    /// When re-planning mid-week: nothing is placed to start before this.
    public var notBefore: Date?
    public var settings: SchedulerSettings

    public init(
        week: ISOWeek, timeZone: TimeZone, windows: [AvailabilityWindow], hoursPerWeek: Double, tasks: [SchedulableTask],
        doneSkillIDs: Set<String> = [], dueReviewCount: Int = 0, notBefore: Date? = nil, settings: SchedulerSettings = SchedulerSettings()
    ) {
        self.week = week
        self.timeZone = timeZone
        self.windows = windows
        self.hoursPerWeek = hoursPerWeek
        self.tasks = tasks
        self.doneSkillIDs = doneSkillIDs
        self.dueReviewCount = dueReviewCount
        self.notBefore = notBefore
        self.settings = settings
    }
}

/// One thing to do in a session: a task (or a part of it) or a block of due reviews.
public struct PlanItem: Codable, Sendable, Equatable {
    public var kind: TaskKind
    /// `nil` for reviews.
    public var taskId: Int64?
    public var skillId: String?
    public var projectId: String?
    public var title: String
    public var minutes: Int
    /// Which part this is when the task is split across sessions ("part 2 of 3").
    public var part: Int?
    /// How many parts the task has this week; `nil` on a split task whose remainder carries over to next week.
    public var parts: Int?
    /// For reviews: how many due items this block covers.
    public var reviewCount: Int?

    public init(
        kind: TaskKind, taskId: Int64? = nil, skillId: String? = nil, projectId: String? = nil, title: String, minutes: Int,
        part: Int? = nil, parts: Int? = nil, reviewCount: Int? = nil
    ) {
        self.kind = kind
        self.taskId = taskId
        self.skillId = skillId
        self.projectId = projectId
        self.title = title
        self.minutes = minutes
        self.part = part
        self.parts = parts
        self.reviewCount = reviewCount
    }
}

/// A sitting inside one availability window.
///
/// Items fill the session from its start; their minutes add up to its length, except that a session whose work
/// is shorter than the minimum session length keeps that minimum length.
public struct PlannedSession: Codable, Sendable, Equatable {
    public var start: Date
    public var end: Date
    public var items: [PlanItem]

    public init(start: Date, end: Date, items: [PlanItem]) {
        self.start = start
        self.end = end
        self.items = items
    }

    /// The session's length in whole minutes.
    public var minutes: Int { Int((end.timeIntervalSince(start) / 60).rounded()) }
}

/// A week of study sessions, as the scheduler made it.
public struct WeeklyPlan: Codable, Sendable, Equatable {
    /// The ISO week, e.g. "2026-W49".
    public var week: String
    /// The learner's time-zone identifier, e.g. "Europe/Paris".
    public var timeZone: String
    /// In time order.
    public var sessions: [PlannedSession]
    /// Sum of the session lengths.
    public var plannedMinutes: Int
    /// Most minutes the plan may hold: hours a week × 60 × (1 − buffer).
    public var budgetMinutes: Int
    /// Tasks, in order, that did not fit this week or only partly (their remainder carries over).
    public var unplacedTaskIDs: [Int64]
    /// Short honest remarks about the plan, e.g. why it holds less than asked.
    public var notes: [String]

    public init(
        week: String, timeZone: String, sessions: [PlannedSession], plannedMinutes: Int, budgetMinutes: Int, unplacedTaskIDs: [Int64],
        notes: [String]
    ) {
        self.week = week
        self.timeZone = timeZone
        self.sessions = sessions
        self.plannedMinutes = plannedMinutes
        self.budgetMinutes = budgetMinutes
        self.unplacedTaskIDs = unplacedTaskIDs
        self.notes = notes
    }
}

extension TaskKind {
    /// "Learn", "Practice", ...
    var label: String {
        switch self {
        case .learn: "Learn"
        case .practice: "Practice"
        case .check: "Check"
        case .project: "Project"
        case .review: "Review"
        }
    }
}

extension PlanItem {
    /// "Learn: Closures" (reviews keep their own title, e.g. "Review 13 due items").
    var heading: String {
        kind == .review ? title : "\(kind.label): \(title)"
    }

    /// "45 min, part 1 of 2", "30 min, part 1, continues next week" or "20 min".
    var detail: String {
        var text = "\(minutes) min"
        if let part, let parts {
            text += ", part \(part) of \(parts)"
        } else if let part {
            text += ", part \(part), continues next week"
        }
        return text
    }
}
