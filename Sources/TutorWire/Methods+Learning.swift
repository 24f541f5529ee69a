#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Methods for the learner's profile, goals, tasks, study log, plans, progress, forecasts, the
// catalogue, reviews and export. Results are "views": plain values the CLI renders and the agent's
// tools hand to the model.

public enum ProfileShowMethod: RPCMethod {
    public static let name = "profile.show"
    public typealias Params = NoParams
    public typealias Result = ProfileView
}

public enum ProfileSetMethod: RPCMethod {
    public static let name = "profile.set"
    public typealias Params = ProfileSetParams
    public typealias Result = ProfileView
}

public enum GoalAddMethod: RPCMethod {
    public static let name = "goal.add"
    public typealias Params = GoalAddParams
    public typealias Result = GoalAddResult
}

public enum GoalListMethod: RPCMethod {
    public static let name = "goal.list"
    public typealias Params = NoParams
    public typealias Result = GoalListResult
}

public enum TaskListMethod: RPCMethod {
    public static let name = "task.list"
    public typealias Params = TaskListParams
    public typealias Result = TaskListResult
}

public enum TaskDoneMethod: RPCMethod {
    public static let name = "task.done"
    public typealias Params = TaskDoneParams
    public typealias Result = TaskView
}

public enum StudyLogMethod: RPCMethod {
    public static let name = "study.log"
    public typealias Params = StudyLogParams
    public typealias Result = StudyLogResult
}

public enum PlanWeekMethod: RPCMethod {
    public static let name = "plan.week"
    public typealias Params = PlanParams
    public typealias Result = PlanResult
}

public enum ProgressMethod: RPCMethod {
    public static let name = "progress"
    public typealias Params = NoParams
    public typealias Result = ProgressResult
}

public enum ForecastMethod: RPCMethod {
    public static let name = "forecast"
    public typealias Params = ForecastParams
    public typealias Result = ForecastResult
}

public enum CatalogueSearchMethod: RPCMethod {
    public static let name = "catalogue.search"
    public typealias Params = CatalogueSearchParams
    public typealias Result = CatalogueSearchResult
}

public enum CatalogueShowMethod: RPCMethod {
    public static let name = "catalogue.show"
    public typealias Params = CatalogueShowParams
    public typealias Result = CatalogueEntryView
}

public enum ReviewNextMethod: RPCMethod {
    public static let name = "review.next"
    public typealias Params = NoParams
    public typealias Result = ReviewNextResult
}

public enum ReviewGradeMethod: RPCMethod {
    public static let name = "review.grade"
    public typealias Params = ReviewGradeParams
    public typealias Result = ReviewGradeResult
}

public enum ExportMethod: RPCMethod {
    public static let name = "export"
    public typealias Params = ExportParams
    public typealias Result = ExportResult
}

public enum ImportMethod: RPCMethod {
    public static let name = "import"
    public typealias Params = ImportParams
    public typealias Result = ImportResult
}

// MARK: Profile

public struct ProfileView: Codable, Sendable, Equatable {
    public var name: String?
    public var background: String
    public var track: String?
    public var hoursPerWeek: Double
    public var availability: [String]
    public var timeZone: String
    public var targetDate: String?
    /// False until the learner has saved a profile; the values shown are then the defaults.
    public var isSet: Bool

    public init(
        name: String?, background: String, track: String?, hoursPerWeek: Double, availability: [String], timeZone: String,
        targetDate: String?, isSet: Bool
    ) {
        self.name = name
        self.background = background
        self.track = track
        self.hoursPerWeek = hoursPerWeek
        self.availability = availability
        self.timeZone = timeZone
        self.targetDate = targetDate
        self.isSet = isSet
    }
}

/// Changes to the profile; nil leaves a field as it is, an empty string clears an optional one.
public struct ProfileSetParams: Codable, Sendable, Equatable {
    public var name: String?
    public var background: String?
    public var track: String?
    public var hoursPerWeek: Double?
    /// Replaces all windows, e.g. `["mon-fri 19:00-21:00", "sat 09:00-12:00"]`.
    public var availability: [String]?
    public var timeZone: String?
    public var targetDate: String?

    public init(
        name: String? = nil, background: String? = nil, track: String? = nil, hoursPerWeek: Double? = nil,
        availability: [String]? = nil, timeZone: String? = nil, targetDate: String? = nil
    ) {
        self.name = name
        self.background = background
        self.track = track
        self.hoursPerWeek = hoursPerWeek
        self.availability = availability
        self.timeZone = timeZone
        self.targetDate = targetDate
    }
}

// MARK: Goals and tasks

public struct GoalView: Codable, Sendable, Equatable {
    public var id: Int64
    public var title: String
    public var kind: String
    public var target: String?
    public var status: String
    public var createdAt: Date
    public var tasksTotal: Int
    public var tasksDone: Int
    public var minutesEstimated: Int
    public var minutesDone: Int

    public init(
        id: Int64, title: String, kind: String, target: String?, status: String, createdAt: Date, tasksTotal: Int, tasksDone: Int,
        minutesEstimated: Int, minutesDone: Int
    ) {
        self.id = id
        self.title = title
        self.kind = kind
        self.target = target
        self.status = status
        self.createdAt = createdAt
        self.tasksTotal = tasksTotal
        self.tasksDone = tasksDone
        self.minutesEstimated = minutesEstimated
        self.minutesDone = minutesDone
    }
}

public struct GoalAddParams: Codable, Sendable, Equatable {
    /// A skill, stage, project or track id, or free text such as "become an AI engineer".
    public var text: String
    /// The new goal takes the place of the active ones ("RAG instead"): they are dropped, their
    /// tasks and history kept (`goal.change` with `resume` brings one back).
    public var replace: Bool?
    public init(text: String, replace: Bool? = nil) {
        self.text = text
        self.replace = replace
    }
}

public struct GoalAddResult: Codable, Sendable, Equatable {
    public var goal: GoalView
    /// `id` or `search`: how the text was matched to the catalogue.
    public var matchedBy: String
    public var addedTasks: [TaskView]
    /// Tasks the goal needs that already existed (shared with earlier goals, or done).
    public var sharedTasks: Int
    /// The goals this one replaced (dropped), when it was added with `replace`.
    public var replaced: [GoalView]?

    public init(goal: GoalView, matchedBy: String, addedTasks: [TaskView], sharedTasks: Int, replaced: [GoalView]? = nil) {
        self.goal = goal
        self.matchedBy = matchedBy
        self.addedTasks = addedTasks
        self.sharedTasks = sharedTasks
        self.replaced = replaced
    }
}

public struct GoalListResult: Codable, Sendable, Equatable {
    public var goals: [GoalView]
    public init(goals: [GoalView]) { self.goals = goals }
}

public struct TaskView: Codable, Sendable, Equatable {
    public var id: Int64
    public var goalId: Int64?
    public var skillId: String?
    public var projectId: String?
    public var stage: String?
    public var kind: String
    public var title: String
    public var status: String
    public var estimateMinutes: Int
    public var actualMinutes: Int
    public var evidence: String?
    /// Set by `task.done` when the task was already done: nothing changed and nothing was logged.
    public var alreadyDone: Bool?

    public init(
        id: Int64, goalId: Int64?, skillId: String?, projectId: String?, stage: String?, kind: String, title: String, status: String,
        estimateMinutes: Int, actualMinutes: Int, evidence: String?
    ) {
        self.id = id
        self.goalId = goalId
        self.skillId = skillId
        self.projectId = projectId
        self.stage = stage
        self.kind = kind
        self.title = title
        self.status = status
        self.estimateMinutes = estimateMinutes
        self.actualMinutes = actualMinutes
        self.evidence = evidence
    }
}

public struct TaskListParams: Codable, Sendable, Equatable {
    /// Only tasks with these statuses (`pending`, `learning`, `done`, `skipped`); all when nil.
    public var status: [String]?
    public var limit: Int?
    public init(status: [String]? = nil, limit: Int? = nil) {
        self.status = status
        self.limit = limit
    }
}

public struct TaskListResult: Codable, Sendable, Equatable {
    public var tasks: [TaskView]
    public var total: Int
    public init(tasks: [TaskView], total: Int) {
        self.tasks = tasks
        self.total = total
    }
}

public struct TaskDoneParams: Codable, Sendable, Equatable {
    public var id: Int64
    public var minutes: Int?
    /// A path, URL or note showing the work.
    public var evidence: String?
    public init(id: Int64, minutes: Int? = nil, evidence: String? = nil) {
        self.id = id
        self.minutes = minutes
        self.evidence = evidence
    }
}

// MARK: Study log

public struct StudyLogParams: Codable, Sendable, Equatable {
    public var minutes: Int
    public var skill: String?
    public var note: String?
    public init(minutes: Int, skill: String? = nil, note: String? = nil) {
        self.minutes = minutes
        self.skill = skill
        self.note = note
    }
}

public struct StudyLogResult: Codable, Sendable, Equatable {
    public var id: Int64
    public var minutes: Int
    public var skillId: String?
    public var loggedAt: Date
    /// Minutes logged in the current ISO week, this entry included.
    public var weekMinutes: Int
    public init(id: Int64, minutes: Int, skillId: String?, loggedAt: Date, weekMinutes: Int) {
        self.id = id
        self.minutes = minutes
        self.skillId = skillId
        self.loggedAt = loggedAt
        self.weekMinutes = weekMinutes
    }
}

// MARK: Plans

public struct PlanParams: Codable, Sendable, Equatable {
    /// `YYYY-Www`; the current week when nil.
    public var week: String?
    /// Plan afresh even when a plan for the week is stored.
    public var regenerate: Bool?
    public init(week: String? = nil, regenerate: Bool? = nil) {
        self.week = week
        self.regenerate = regenerate
    }
}

public struct PlanItemView: Codable, Sendable, Equatable {
    public var kind: String
    public var title: String
    public var minutes: Int
    public var taskId: Int64?
    public var skillId: String?
    public var projectId: String?
    public var part: Int?
    public var parts: Int?
    public init(
        kind: String, title: String, minutes: Int, taskId: Int64?, skillId: String?, projectId: String?, part: Int?, parts: Int?
    ) {
        self.kind = kind
        self.title = title
        self.minutes = minutes
        self.taskId = taskId
        self.skillId = skillId
        self.projectId = projectId
        self.part = part
        self.parts = parts
    }
}

public struct PlanSessionView: Codable, Sendable, Equatable {
    public var start: Date
    public var end: Date
    public var items: [PlanItemView]
    public init(start: Date, end: Date, items: [PlanItemView]) {
        self.start = start
        self.end = end
        self.items = items
    }
}

public struct PlanResult: Codable, Sendable, Equatable {
    public var week: String
    public var timeZone: String
    public var generatedAt: Date
    /// True when this plan was stored earlier and returned as it was.
    public var stored: Bool
    public var sessions: [PlanSessionView]
    public var plannedMinutes: Int
    public var budgetMinutes: Int
    public var notes: [String]
    public var markdown: String
    public var iCalendar: String
    public init(
        week: String, timeZone: String, generatedAt: Date, stored: Bool, sessions: [PlanSessionView], plannedMinutes: Int,
        budgetMinutes: Int, notes: [String], markdown: String, iCalendar: String
    ) {
        self.week = week
        self.timeZone = timeZone
        self.generatedAt = generatedAt
        self.stored = stored
        self.sessions = sessions
        self.plannedMinutes = plannedMinutes
        self.budgetMinutes = budgetMinutes
        self.notes = notes
        self.markdown = markdown
        self.iCalendar = iCalendar
    }
}

// MARK: Progress and forecast

public struct StageProgressView: Codable, Sendable, Equatable {
    public var stage: String
    public var title: String
    public var skillsTotal: Int
    public var skillsMastered: Int
    public var hoursEstimated: Double
    public var hoursLogged: Double
    public init(stage: String, title: String, skillsTotal: Int, skillsMastered: Int, hoursEstimated: Double, hoursLogged: Double) {
        self.stage = stage
        self.title = title
        self.skillsTotal = skillsTotal
        self.skillsMastered = skillsMastered
        self.hoursEstimated = hoursEstimated
        self.hoursLogged = hoursLogged
    }
}

public struct SkillProgressView: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var stage: String
    public var status: String
    public var mastery: Double
    public var reason: String
    public var minutesLogged: Int
    public var minutesEstimated: Int
    public init(
        id: String, title: String, stage: String, status: String, mastery: Double, reason: String, minutesLogged: Int,
        minutesEstimated: Int
    ) {
        self.id = id
        self.title = title
        self.stage = stage
        self.status = status
        self.mastery = mastery
        self.reason = reason
        self.minutesLogged = minutesLogged
        self.minutesEstimated = minutesEstimated
    }
}

public struct ProgressResult: Codable, Sendable, Equatable {
    public var stages: [StageProgressView]
    /// Skills with any activity or on an active goal.
    public var skills: [SkillProgressView]
    public var minutesLogged: Int
    /// Wrong answers still to revisit, most recent first.
    public var misconceptions: [MisconceptionNoteView]
    /// The learner's goals with their status and tasks done.
    public var goals: [GoalView]?
    public init(
        stages: [StageProgressView], skills: [SkillProgressView], minutesLogged: Int, misconceptions: [MisconceptionNoteView] = [],
        goals: [GoalView]? = nil
    ) {
        self.stages = stages
        self.skills = skills
        self.minutesLogged = minutesLogged
        self.misconceptions = misconceptions
        self.goals = goals
    }
}

/// A wrong answer kept on a skill until a later answer to the same question is right.
public struct MisconceptionNoteView: Codable, Sendable, Equatable {
    public var skillId: String
    public var question: String
    /// What the learner answered.
    public var said: String
    /// The roadmap's answer.
    public var expected: String
    public var recordedAt: Date
    public init(skillId: String, question: String, said: String, expected: String, recordedAt: Date) {
        self.skillId = skillId
        self.question = question
        self.said = said
        self.expected = expected
        self.recordedAt = recordedAt
    }
}

public struct ForecastParams: Codable, Sendable, Equatable {
    /// Forecast as if studying this many hours a week (a "what if"); the profile's pace when nil.
    public var hoursPerWeek: Double?
    /// Forecast for this background instead of the profile's.
    public var background: String?
    public init(hoursPerWeek: Double? = nil, background: String? = nil) {
        self.hoursPerWeek = hoursPerWeek
        self.background = background
    }
}

public struct MilestoneView: Codable, Sendable, Equatable {
    public var stage: String
    public var title: String
    public var milestone: String
    public var remainingHoursMin: Double
    public var remainingHoursMax: Double
    public var monthsFrom: Double
    public var monthsTo: Double
    public var dateFrom: Date
    public var dateTo: Date
    public var experienceYears: String?
    /// Portfolio-project hours still open up to this stage; not in `remainingHours…`, which count skills.
    public var projectHoursMin: Double?
    public var projectHoursMax: Double?
    /// Months from now if those projects are built too.
    public var monthsWithProjectsFrom: Double?
    public var monthsWithProjectsTo: Double?
    public init(
        stage: String, title: String, milestone: String, remainingHoursMin: Double, remainingHoursMax: Double, monthsFrom: Double,
        monthsTo: Double, dateFrom: Date, dateTo: Date, experienceYears: String?, projectHoursMin: Double? = nil,
        projectHoursMax: Double? = nil, monthsWithProjectsFrom: Double? = nil, monthsWithProjectsTo: Double? = nil
    ) {
        self.stage = stage
        self.title = title
        self.milestone = milestone
        self.remainingHoursMin = remainingHoursMin
        self.remainingHoursMax = remainingHoursMax
        self.monthsFrom = monthsFrom
        self.monthsTo = monthsTo
        self.dateFrom = dateFrom
        self.dateTo = dateTo
        self.experienceYears = experienceYears
        self.projectHoursMin = projectHoursMin
        self.projectHoursMax = projectHoursMax
        self.monthsWithProjectsFrom = monthsWithProjectsFrom
        self.monthsWithProjectsTo = monthsWithProjectsTo
    }
}

public struct ForecastResult: Codable, Sendable, Equatable {
    public var background: String
    public var hoursPerWeek: Double
    public var paceSource: String
    public var weeksOfLog: Int
    public var milestones: [MilestoneView]
    public var notes: [String]
    public init(
        background: String, hoursPerWeek: Double, paceSource: String, weeksOfLog: Int, milestones: [MilestoneView], notes: [String]
    ) {
        self.background = background
        self.hoursPerWeek = hoursPerWeek
        self.paceSource = paceSource
        self.weeksOfLog = weeksOfLog
        self.milestones = milestones
        self.notes = notes
    }
}

// MARK: Catalogue

public struct CatalogueSearchParams: Codable, Sendable, Equatable {
    public var query: String
    public var limit: Int?
    public init(query: String, limit: Int? = nil) {
        self.query = query
        self.limit = limit
    }
}

public struct CatalogueHitView: Codable, Sendable, Equatable {
    public var kind: String
    public var id: String
    public var title: String
    public var stage: String?
    public var score: Double
    public init(kind: String, id: String, title: String, stage: String?, score: Double) {
        self.kind = kind
        self.id = id
        self.title = title
        self.stage = stage
        self.score = score
    }
}

public struct CatalogueSearchResult: Codable, Sendable, Equatable {
    public var hits: [CatalogueHitView]
    public init(hits: [CatalogueHitView]) { self.hits = hits }
}

public struct CatalogueShowParams: Codable, Sendable, Equatable {
    public var id: String
    public init(id: String) { self.id = id }
}

public struct ResourceView: Codable, Sendable, Equatable {
    public var title: String
    public var url: String
    public var type: String
    public var cost: String
    public init(title: String, url: String, type: String, cost: String) {
        self.title = title
        self.url = url
        self.type = type
        self.cost = cost
    }
}

public struct CatalogueEntryView: Codable, Sendable, Equatable {
    /// `skill`, `project`, `stage` or `track`.
    public var kind: String
    public var id: String
    public var title: String
    public var stage: String?
    public var skillKind: String?
    public var description: String
    public var prerequisites: [String]
    public var dependants: [String]
    public var hoursMin: Double?
    public var hoursMax: Double?
    public var checklist: [String]
    public var resources: [ResourceView]
    public var quizItems: Int
    /// For stages and tracks: the skills they hold, in order.
    public var skills: [String]
    public init(
        kind: String, id: String, title: String, stage: String?, skillKind: String?, description: String, prerequisites: [String],
        dependants: [String], hoursMin: Double?, hoursMax: Double?, checklist: [String], resources: [ResourceView], quizItems: Int,
        skills: [String]
    ) {
        self.kind = kind
        self.id = id
        self.title = title
        self.stage = stage
        self.skillKind = skillKind
        self.description = description
        self.prerequisites = prerequisites
        self.dependants = dependants
        self.hoursMin = hoursMin
        self.hoursMax = hoursMax
        self.checklist = checklist
        self.resources = resources
        self.quizItems = quizItems
        self.skills = skills
    }
}

// MARK: Reviews

public struct ReviewItemView: Codable, Sendable, Equatable {
    public var cardId: String
    public var skillId: String
    public var skillTitle: String
    public var question: String
    public var answer: String
    public var why: String
    public init(cardId: String, skillId: String, skillTitle: String, question: String, answer: String, why: String) {
        self.cardId = cardId
        self.skillId = skillId
        self.skillTitle = skillTitle
        self.question = question
        self.answer = answer
        self.why = why
    }
}

public struct ReviewNextResult: Codable, Sendable, Equatable {
    public var dueCount: Int
    public var item: ReviewItemView?
    public init(dueCount: Int, item: ReviewItemView?) {
        self.dueCount = dueCount
        self.item = item
    }
}

public struct ReviewGradeParams: Codable, Sendable, Equatable {
    public var cardId: String
    /// 1 Again, 2 Hard, 3 Good, 4 Easy.
    public var rating: Int
    public init(cardId: String, rating: Int) {
        self.cardId = cardId
        self.rating = rating
    }
}

public struct ReviewGradeResult: Codable, Sendable, Equatable {
    public var cardId: String
    public var nextDue: Date
    public var intervalDays: Double
    public var dueCount: Int
    public var skillStatus: String
    public init(cardId: String, nextDue: Date, intervalDays: Double, dueCount: Int, skillStatus: String) {
        self.cardId = cardId
        self.nextDue = nextDue
        self.intervalDays = intervalDays
        self.dueCount = dueCount
        self.skillStatus = skillStatus
    }
}

// MARK: Export and import

public struct ExportParams: Codable, Sendable, Equatable {
    /// `json` (lossless, for import) or `markdown` (a readable record).
    public var format: String?
    public init(format: String? = nil) { self.format = format }
}

public struct ExportResult: Codable, Sendable, Equatable {
    public var format: String
    public var content: String
    public init(format: String, content: String) {
        self.format = format
        self.content = content
    }
}

/// `import`: a JSON export, given inline (`content`, for exports that fit a request line) or as
/// the absolute `path` of a file the daemon reads (any size). Exactly one of the two.
public struct ImportParams: Codable, Sendable, Equatable {
    /// A JSON export, as `tutor export` wrote it.
    public var content: String?
    /// The absolute path of a JSON export; the daemon reads it as the connected user (the daemon
    /// serves its own user only).
    public var path: String?
    public var replace: Bool?
    public init(content: String, replace: Bool? = nil) {
        self.content = content
        self.replace = replace
    }
    public init(path: String, replace: Bool? = nil) {
        self.path = path
        self.replace = replace
    }
}

public struct ImportResult: Codable, Sendable, Equatable {
    public var goals: Int
    public var tasks: Int
    public var studyLogEntries: Int
    public var reviewCards: Int
    public init(goals: Int, tasks: Int, studyLogEntries: Int, reviewCards: Int) {
        self.goals = goals
        self.tasks = tasks
        self.studyLogEntries = studyLogEntries
        self.reviewCards = reviewCards
    }
}
