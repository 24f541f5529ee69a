import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

/// Plans and forecasts: the week's plan (stored, or made afresh from the open tasks and free time),
/// progress per stage and skill, and milestone dates at the learner's pace.
public struct PlanService: AppService {
    public let context: AppContext

    public init(context: AppContext) { self.context = context }

    // MARK: Weekly plan

    /// This week's plan (or the week asked for): the stored one, or a fresh one when there is none,
    /// when `regenerate` is set, or when the stored one is for the current week and work has moved on.
    ///
    /// Without a week it is this week's plan — or, once this week has no session left to come
    /// (a Sunday evening), next week's, with a note saying so.
    public func weeklyPlan(_ params: PlanParams) throws -> PlanResult {
        let regenerate = params.regenerate == true
        if let text = params.week {
            do {
                return try weeklyPlan(week: try ISOWeek.parse(text), regenerate: regenerate)
            } catch let error as ISOWeekError {
                throw Self.badInput("\(error)", cause: error)
            }
        }
        let profile = try store.profile() ?? defaultProfile()
        let current = ISOWeek.containing(now(), in: TimeZone(identifier: profile.timeZone) ?? .gmt)
        let plan = try weeklyPlan(week: current, regenerate: regenerate)
        let now = now()
        guard plan.sessions.allSatisfy({ $0.end <= now }) else { return plan }
        var next = try weeklyPlan(week: current.next, regenerate: regenerate)
        guard !next.sessions.isEmpty else { return plan }
        next.notes.insert(
            plan.sessions.isEmpty
                ? "Nothing fits in what is left of \(current): this is next week's plan."
                : "This week's sessions are behind you: this is next week's plan (`tutor plan --week \(current)` shows this one).",
            at: 0)
        return next
    }

    /// `week`'s plan: the stored one unless `regenerate`, else a fresh one, stored.
    private func weeklyPlan(week: ISOWeek, regenerate: Bool) throws -> PlanResult {
        let profile = try store.profile() ?? defaultProfile()
        let zone = TimeZone(identifier: profile.timeZone) ?? .gmt
        let current = ISOWeek.containing(now(), in: zone)
        if !regenerate, let stored = try store.plan(week: week.description),
            let plan = try? WireCodec.makeDecoder().decode(WeeklyPlan.self, from: Data(stored.sessions.utf8))
        {
            return result(plan, generatedAt: stored.generatedAt, stored: true)
        }
        guard !profile.availability.isEmpty else {
            throw Self.badInput(
                "no free time is set, so there is nothing to plan into; run `tutor assess` (a few questions), or set it with `tutor profile set --available \"mon-fri 19:00-21:00\" --available \"sat 09:00-12:00\"`"
            )
        }
        let plan = WeeklyScheduler.plan(try planRequest(week: week, current: current, profile: profile, zone: zone))
        let encoded = String(decoding: try WireCodec.makeEncoder().encode(plan), as: UTF8.self)
        let record = try store.savePlan(week: week.description, sessions: encoded, at: now())
        return result(plan, generatedAt: record.generatedAt, stored: false)
    }

    func planRequest(week: ISOWeek, current: ISOWeek, profile: ProfileRecord, zone: TimeZone) throws -> WeeklyPlanRequest {
        let windows = try profile.availability.flatMap { try AvailabilityWindow.parse($0) }
        let all = try store.tasks()
        // A paused or dropped goal's tasks wait: they are not planned until it is resumed.
        let waiting = Set(try store.goals().filter { !$0.isPursued && $0.status != "done" }.compactMap(\.id))
        let open = all.filter { ($0.status == "pending" || $0.status == "learning") && !waiting.contains($0.goalId ?? -1) }
        let openSkills = Set(open.compactMap(\.skillId))
        let startedSkills = Set(try store.minutesBySkill().keys).union(all.filter { $0.status != "pending" }.compactMap(\.skillId))
        // A skill counts as done for planning when nothing about it is left open.
        let done = Set(catalogue.skills.map(\.id)).subtracting(openSkills)
        let schedulable = open.map { task -> SchedulableTask in
            let prerequisites: [String]
            if let skill = task.skillId.flatMap({ catalogue.skill($0) }) {
                prerequisites = skill.prerequisites.compactMap { catalogue.canonicalID($0) }
            } else if let project = task.projectId.flatMap({ catalogue.project($0) }) {
                prerequisites = project.prerequisites.compactMap { catalogue.canonicalID($0) }
            } else {
                prerequisites = []
            }
            return SchedulableTask(
                id: task.id ?? 0, skillId: task.skillId, projectId: task.projectId, kind: TaskKind(rawValue: task.kind) ?? .learn,
                title: Self.plainTitle(task.title), remainingMinutes: max(5, task.estimateMinutes - task.actualMinutes),
                isStarted: task.skillId.map { startedSkills.contains($0) } ?? (task.status == "learning"),
                prerequisiteSkillIDs: prerequisites, order: task.position)
        }
        // Re-planning the current week: time already studied this week counts against its hours.
        var hours = profile.hoursPerWeek
        if week == current, let monday = week.days(in: zone).first {
            let studied = try store.studyLog(since: monday).map(\.minutes).reduce(0, +)
            hours = max(0, hours - Double(studied) / 60)
        }
        var request = WeeklyPlanRequest(
            week: week, timeZone: zone, windows: windows, hoursPerWeek: hours, tasks: schedulable, doneSkillIDs: done,
            dueReviewCount: try store.dueReviewCards(at: now()).count, notBefore: week == current ? now() : nil,
            settings: SchedulerSettings())
        if week < current { request.notBefore = nil }
        return request
    }

    /// A task title without its "Learn: " style prefix; the plan shows the kind itself.
    static func plainTitle(_ title: String) -> String {
        for prefix in ["Learn: ", "Practise: ", "Check: ", "Build: ", "Review: "] where title.hasPrefix(prefix) {
            return String(title.dropFirst(prefix.count))
        }
        return title
    }

    func result(_ plan: WeeklyPlan, generatedAt: Date, stored: Bool) -> PlanResult {
        PlanResult(
            week: plan.week, timeZone: plan.timeZone, generatedAt: generatedAt, stored: stored,
            sessions: plan.sessions.map { session in
                PlanSessionView(
                    start: session.start, end: session.end,
                    items: session.items.map { item in
                        PlanItemView(
                            kind: item.kind.rawValue, title: item.title, minutes: item.minutes, taskId: item.taskId, skillId: item.skillId,
                            projectId: item.projectId, part: item.part, parts: item.parts)
                    })
            },
            plannedMinutes: plan.plannedMinutes, budgetMinutes: plan.budgetMinutes, notes: plan.notes, markdown: plan.markdown(),
            iCalendar: plan.iCalendar(now: generatedAt))
    }

    // MARK: Progress and forecast

    /// Per stage and per skill: mastery, and hours logged against the catalogue's estimate.
    public func progress() throws -> ProgressResult {
        let background = try self.background
        let states = Dictionary(uniqueKeysWithValues: try store.skillStates().map { ($0.skillId, $0) })
        let logged = try store.minutesBySkill()
        let tasks = try store.tasks()
        let onGoals = Set(tasks.compactMap(\.skillId))
        let stages = StageID.allCases.map { stage -> StageProgressView in
            let skills = catalogue.skills(in: stage)
            return StageProgressView(
                stage: stage.rawValue, title: catalogue.stage(stage).title, skillsTotal: skills.count,
                skillsMastered: skills.filter { states[$0.id]?.status == "mastered" }.count,
                hoursEstimated: skills.map { $0.hours(for: background).mid }.reduce(0, +),
                hoursLogged: Double(skills.map { logged[$0.id] ?? 0 }.reduce(0, +)) / 60)
        }
        let skills = catalogue.skills.filter { states[$0.id] != nil || logged[$0.id] != nil || onGoals.contains($0.id) }.map { skill in
            let state = states[skill.id]
            return SkillProgressView(
                id: skill.id, title: skill.title, stage: skill.stage.rawValue, status: state?.status ?? "not-started",
                mastery: state?.mastery ?? 0, reason: state?.evidence.last ?? "not started yet",
                minutesLogged: logged[skill.id] ?? 0, minutesEstimated: Int((skill.hours(for: background).mid * 60).rounded()))
        }
        let misconceptions = try reviewService.openMisconceptions().map {
            MisconceptionNoteView(
                skillId: $0.skillId, question: $0.question, said: $0.said, expected: $0.expected, recordedAt: $0.recordedAt)
        }
        return ProgressResult(
            stages: stages, skills: skills, minutesLogged: try store.studyLog().map(\.minutes).reduce(0, +), misconceptions: misconceptions,
            goals: try goalService.goals().goals)
    }

    /// Milestone dates at the learner's pace (or at the hours a week asked for).
    public func forecast(_ params: ForecastParams) throws -> ForecastResult {
        let profile = try store.profile() ?? defaultProfile()
        var background = Background(rawValue: profile.background) ?? .programmer
        if let asked = params.background {
            guard let parsed = Background(rawValue: asked) else {
                throw Self.badInput("unknown background '\(asked)'; use programmer, data-scientist or beginner")
            }
            background = parsed
        }
        if let hours = params.hoursPerWeek, !(hours >= 0.5 && hours <= 80) {
            throw Self.badInput("hours per week must be from 0.5 to 80, not \(hours)")
        }
        let progress = try store.progress(log: params.hoursPerWeek == nil)
        let mastered = Set(progress.skillStates.filter { $0.status == "mastered" }.map(\.skillId))
        var spent = progress.minutesBySkill
        for id in mastered { spent[id] = nil }
        let log = progress.studyLog.map { (date: $0.loggedAt, minutes: $0.minutes) }
        let forecast = Forecaster.forecast(
            ForecastRequest(
                catalogue: catalogue, background: background, declaredHoursPerWeek: params.hoursPerWeek ?? profile.hoursPerWeek, log: log,
                completedSkillIDs: mastered, minutesSpent: spent, now: now()))
        let weeksPerMonth = 52.18 / 12
        if params.hoursPerWeek == nil && params.background == nil {
            try recordForecast(forecast, zone: TimeZone(identifier: profile.timeZone) ?? .gmt)
        }
        return ForecastResult(
            background: background.rawValue, hoursPerWeek: forecast.pace.hoursPerWeek, paceSource: forecast.pace.source.rawValue,
            weeksOfLog: forecast.pace.weeksOfLog,
            milestones: forecast.milestones.map { milestone in
                MilestoneView(
                    stage: milestone.stage.rawValue, title: milestone.title, milestone: milestone.milestone,
                    remainingHoursMin: milestone.remainingHours.min, remainingHoursMax: milestone.remainingHours.max,
                    monthsFrom: milestone.weeksFrom / weeksPerMonth, monthsTo: milestone.weeksTo / weeksPerMonth,
                    dateFrom: milestone.dateFrom,
                    dateTo: milestone.dateTo,
                    experienceYears: milestone.experienceYears.map { "\(Int($0.lowerBound))–\(Int($0.upperBound))" },
                    projectHoursMin: milestone.projectHours.min, projectHoursMax: milestone.projectHours.max,
                    monthsWithProjectsFrom: milestone.weeksWithProjectsFrom / weeksPerMonth,
                    monthsWithProjectsTo: milestone.weeksWithProjectsTo / weeksPerMonth)
            },
            notes: forecast.notes + (try waitingGoalNotes()))
    }

    /// Keeps a forecast at the learner's own pace as today's point of the forecast's history (one
    /// a day, the latest), unless today's point already says the same.
    func recordForecast(_ forecast: Forecast, zone: TimeZone) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: now())
        let day = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        let record = ForecastHistoryRecord(
            day: day, hoursPerWeek: forecast.pace.hoursPerWeek,
            milestones: forecast.milestones.map { .init(stage: $0.stage.rawValue, dateFrom: $0.dateFrom, dateTo: $0.dateTo) },
            recordedAt: now())
        if let today = try store.forecastHistory().last, today.day == day, today.milestones == record.milestones,
            today.hoursPerWeek == record.hoursPerWeek
        {
            return
        }
        try store.recordForecast(record)
    }

    /// What the forecast says of goals the learner paused or dropped: their tasks are off the plans.
    func waitingGoalNotes() throws -> [String] {
        try store.goals().filter { !$0.isPursued && $0.status != "done" }.map { goal in
            "\(goal.title) is \(goal.pausedAt != nil ? "paused" : "dropped"): its tasks stay off your weekly plans until you resume it."
        }
    }
}
