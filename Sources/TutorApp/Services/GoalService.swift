import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

/// Goals and their tasks, and the study log: what the learner wants to reach, the work that gets
/// them there, and the time they spend on it.
public struct GoalService: AppService {
    public let context: AppContext

    public init(context: AppContext) { self.context = context }

    // MARK: Goals and tasks

    /// Resolves the goal, decomposes it into tasks (skipping mastered skills and work that exists),
    /// and stores goal and tasks together.
    public func addGoal(_ params: GoalAddParams) throws -> GoalAddResult {
        let profile = try store.profile() ?? defaultProfile()
        let background = Background(rawValue: profile.background) ?? .programmer
        let resolution: GoalResolution
        do {
            resolution = try GoalDecomposer.resolve(params.text, catalogue: catalogue, background: background)
        } catch {
            throw Self.badInput(error.description, cause: error)
        }
        let active = try store.goals().filter { $0.status == "active" }
        if let same = active.first(where: { $0.kind == resolution.target.kind && $0.target == resolution.target.id }) {
            throw Self.badInput(
                "you already have this goal: #\(same.id ?? 0) \(same.title) (\(same.kind) \(same.target ?? "")); `tutor goal list` shows your goals"
            )
        }
        let mastered = Set(try store.skillStates().filter { $0.status == "mastered" }.map(\.skillId))
        let track = profile.track.flatMap { catalogue.track($0) } ?? catalogue.track(for: background)
        let proposed = GoalDecomposer.decompose(
            resolution.target, catalogue: catalogue, background: background, track: track, completedSkillIDs: mastered)
        let created = now()
        let title = resolution.matchedBy == "id" ? resolution.title : params.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let records = proposed.map { task in
            TaskRecord(
                goalId: nil, skillId: task.skillId, projectId: task.projectId, kind: task.kind.rawValue, title: task.title, position: 0,
                estimateMinutes: task.estimateMinutes, createdAt: created)
        }
        let replacing = params.replace == true ? active.compactMap(\.id) : []
        let stored = try store.addGoal(
            GoalRecord(title: title, kind: resolution.target.kind, target: resolution.target.id, createdAt: created), tasks: records,
            dropping: replacing, planWeek: try currentWeek().description)
        let views = try goals().goals
        let goalView = views.first { $0.id == stored.goal.id }!
        return GoalAddResult(
            goal: goalView, matchedBy: resolution.matchedBy, addedTasks: stored.added.map(view),
            sharedTasks: records.count - stored.added.count,
            replaced: params.replace == true ? views.filter { replacing.contains($0.id) } : nil)
    }

    /// Every goal with its progress.
    public func goals() throws -> GoalListResult {
        let progress = try store.goalProgress()
        return GoalListResult(
            goals: try store.goals().map { goal in
                let totals = progress[goal.id ?? -1] ?? (0, 0, 0, 0)
                return GoalView(
                    id: goal.id ?? 0, title: goal.title, kind: goal.kind, target: goal.target,
                    status: goal.pausedAt != nil && goal.status == "active" ? "paused" : goal.status,
                    createdAt: goal.createdAt, tasksTotal: totals.total, tasksDone: totals.done, minutesEstimated: totals.estimated,
                    minutesDone: totals.spent)
            })
    }

    /// Tasks in plan order, optionally filtered by status.
    public func tasks(_ params: TaskListParams) throws -> TaskListResult {
        let known: Set<String> = ["pending", "learning", "done", "skipped"]
        if let statuses = params.status, let bad = statuses.first(where: { !known.contains($0) }) {
            throw Self.badInput("unknown task status '\(bad)'; use pending, learning, done or skipped")
        }
        if let limit = params.limit, limit < 1 { throw Self.badInput("limit must be 1 or more") }
        let all = try store.tasks(statuses: params.status.map(Set.init))
        return TaskListResult(tasks: all.prefix(params.limit ?? all.count).map(view), total: all.count)
    }

    func view(_ task: TaskRecord) -> TaskView {
        let stage = task.skillId.flatMap { catalogue.skill($0)?.stage } ?? task.projectId.flatMap { catalogue.project($0)?.stage }
        return TaskView(
            id: task.id ?? 0, goalId: task.goalId, skillId: task.skillId, projectId: task.projectId, stage: stage?.rawValue,
            kind: task.kind,
            title: task.title, status: task.status, estimateMinutes: task.estimateMinutes, actualMinutes: task.actualMinutes,
            evidence: task.evidence)
    }

    /// Marks a task done, with the minutes it took and its evidence, then re-evaluates the skill.
    public func completeTask(_ params: TaskDoneParams) throws -> TaskView {
        let minutes = params.minutes ?? 0
        guard minutes >= 0 else { throw Self.badInput("minutes must be zero or more, not \(minutes)") }
        guard minutes <= 24 * 60 else { throw Self.badInput("\(minutes) minutes is more than a day; log long work in several entries") }
        guard let before = try store.task(id: params.id) else {
            throw Self.notFound("there is no task \(params.id); `tutor tasks` lists them with their ids")
        }
        let task = try store.completeTask(id: params.id, minutes: minutes, evidence: params.evidence, at: now())
        if let skillID = task.skillId { try reviewService.updateMastery(skillID) }
        var result = view(task)
        if before.status == "done" { result.alreadyDone = true }
        return result
    }

    // MARK: Study log

    /// Records study time on a skill (or in general).
    public func logStudy(_ params: StudyLogParams) throws -> StudyLogResult {
        guard params.minutes > 0, params.minutes <= 24 * 60 else {
            throw Self.badInput("study time must be from 1 minute to 24 hours, not \(params.minutes) minutes")
        }
        var skillID: String?
        if let skill = params.skill, !skill.isEmpty {
            guard let found = catalogue.canonicalID(skill) else {
                let suggestion = catalogue.search(skill, limit: 1).first.map { " (did you mean '\($0.id)'?)" } ?? ""
                throw Self.badInput("unknown skill '\(skill)'\(suggestion); `tutor catalogue search WORDS` finds skill ids")
            }
            skillID = found
        }
        let entry = try store.logStudy(StudyLogRecord(skillId: skillID, minutes: params.minutes, note: params.note, loggedAt: now()))
        if let skillID { try reviewService.ensureReviewCards(for: skillID) }
        let weekMinutes = try minutesThisWeek()
        return StudyLogResult(
            id: entry.id ?? 0, minutes: entry.minutes, skillId: entry.skillId, loggedAt: entry.loggedAt, weekMinutes: weekMinutes)
    }

    /// The latest study-log entries, newest first.
    public func studyEntries(_ params: StudyListParams) throws -> StudyListResult {
        let limit = params.limit ?? 20
        guard (1...500).contains(limit) else { throw Self.badInput("limit must be from 1 to 500, not \(limit)") }
        let entries = try store.studyLog().suffix(limit).reversed().map { entry in
            StudyEntryView(
                id: entry.id ?? 0, minutes: entry.minutes, skillId: entry.skillId,
                skillTitle: entry.skillId.flatMap { catalogue.skill($0)?.title },
                note: entry.note, loggedAt: entry.loggedAt)
        }
        return StudyListResult(entries: Array(entries), weekMinutes: try minutesThisWeek())
    }

    /// `study.correct`: one entry by id (any age), or the latest of the last day when no id is given.
    public func correctLog(_ params: StudyCorrectParams) throws -> StudyLogCorrection {
        guard let id = params.id else { return try correctLatestLog(minutes: params.minutes) }
        if let minutes = params.minutes, minutes <= 0 || minutes > 24 * 60 {
            throw Self.badInput("study time must be from 1 minute to 24 hours, not \(minutes) minutes; remove the entry instead")
        }
        let (before, after) = try store.correctStudyLog(id: id, minutes: params.minutes)
        return StudyLogCorrection(
            id: id, skillId: before.skillId, minutesBefore: before.minutes, minutesNow: after?.minutes, removed: after == nil,
            weekMinutes: try minutesThisWeek())
    }

    /// `task.skip`: a task left out of the plans without being done (`task.reopen` brings it back).
    public func skipTask(_ params: TaskSkipParams) throws -> TaskView {
        guard let task = try store.task(id: params.id) else {
            throw Self.notFound("there is no task \(params.id); `tutor tasks` lists them with their ids")
        }
        guard task.status != "done" else {
            throw Self.badInput("task \(params.id) is already done; `tutor task reopen \(params.id)` opens it again")
        }
        let skipped = try store.setTaskStatus(id: params.id, status: "skipped", at: now())
        if let skill = skipped.skillId { try reviewService.updateMastery(skill) }
        return view(skipped)
    }

    /// Corrects the learner's latest study-log entry of the last day: to `minutes`, or removed
    /// when `minutes` is nil ("undo that", "oops, I meant 30 minutes").
    public func correctLatestLog(minutes: Int?) throws -> StudyLogCorrection {
        if let minutes, minutes <= 0 || minutes > 24 * 60 {
            throw Self.badInput("study time must be from 1 minute to 24 hours, not \(minutes) minutes; say \"undo\" to remove the entry")
        }
        guard let (before, after) = try store.correctLatestStudyLog(minutes: minutes, since: now().addingTimeInterval(-86_400)) else {
            throw Self.notFound(
                "nothing was logged in the last day, so there is nothing to correct; log time with \"log 45 minutes on python\"")
        }
        let weekMinutes = try minutesThisWeek()
        return StudyLogCorrection(
            id: before.id ?? 0, skillId: before.skillId, minutesBefore: before.minutes, minutesNow: after?.minutes, removed: after == nil,
            weekMinutes: weekMinutes)
    }
}

extension GoalService {
    /// The minutes logged in the current ISO week, in the learner's time zone.
    func minutesThisWeek() throws -> Int {
        let zone = TimeZone(identifier: try store.profile()?.timeZone ?? "UTC") ?? .gmt
        let start = ISOWeek.containing(now(), in: zone).days(in: zone).first ?? now()
        return try store.studyLog(since: start).map(\.minutes).reduce(0, +)
    }
}
