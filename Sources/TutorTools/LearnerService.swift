import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

/// The tutor's operations on the learner's data, shared by the daemon's methods and the agent's tools.
///
/// It validates input (every error says what was wrong and how to fix it, and changes nothing),
/// runs the learning policies over the catalogue and the store, writes through the store in single
/// transactions, and returns plain views.
public final class LearnerService: Sendable {
    public let store: Store
    public let catalogue: Catalogue
    let now: @Sendable () -> Date
    let scheduler: FSRSScheduler
    let proposals = ProposalBook()

    /// - Parameters:
    ///   - now: the clock (injected so plans, reviews and forecasts are deterministic in tests).
    public init(
        store: Store, catalogue: Catalogue, fsrs: FSRSParameters = FSRSParameters(), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.catalogue = catalogue
        self.scheduler = FSRSScheduler(parameters: fsrs)
        self.now = now
    }

    static func badInput(_ message: String) -> RPCError { RPCError(code: RPCError.badInputCode, message: message) }
    static func notFound(_ message: String) -> RPCError { RPCError(code: RPCError.notFoundCode, message: message) }

    // MARK: Profile

    /// The profile as stored, or the defaults (and `isSet` false) before one is saved.
    public func profile() throws -> ProfileView {
        let record = try store.profile()
        return view(record ?? defaultProfile(), isSet: record != nil)
    }

    func defaultProfile() -> ProfileRecord {
        ProfileRecord(timeZone: TimeZone.current.identifier, createdAt: now(), updatedAt: now())
    }

    func view(_ record: ProfileRecord, isSet: Bool) -> ProfileView {
        ProfileView(
            name: record.name, background: record.background, track: record.track, hoursPerWeek: record.hoursPerWeek,
            availability: record.availability, timeZone: record.timeZone, targetDate: record.targetDate, isSet: isSet)
    }

    /// Applies the changes given, validating each; on any error nothing is saved.
    public func setProfile(_ changes: ProfileSetParams) throws -> ProfileView {
        var record = try store.profile() ?? defaultProfile()
        if let name = changes.name { record.name = name.isEmpty ? nil : name }
        if let background = changes.background {
            guard let parsed = Background(rawValue: background.lowercased()) else {
                throw Self.badInput("unknown background '\(background)'; use programmer, data-scientist or beginner")
            }
            record.background = parsed.rawValue
            if changes.track == nil, record.track == nil { record.track = catalogue.track(for: parsed)?.id }
        }
        if let track = changes.track {
            if track.isEmpty {
                record.track = nil
            } else {
                guard let found = catalogue.track(track) else {
                    throw Self.badInput("unknown track '\(track)'; the tracks are \(catalogue.tracks.map(\.id).joined(separator: ", "))")
                }
                record.track = found.id
            }
        }
        if let hours = changes.hoursPerWeek {
            guard hours.isFinite, hours >= 0.5, hours <= 80 else {
                throw Self.badInput("hours per week must be from 0.5 to 80, not \(hours); even one focused hour a week counts")
            }
            record.hoursPerWeek = hours
        }
        if let availability = changes.availability {
            var windows: [AvailabilityWindow] = []
            for text in availability {
                do {
                    windows += try AvailabilityWindow.parse(text)
                } catch {
                    throw Self.badInput("availability \"\(text)\": \(error)")
                }
            }
            record.availability = windows.sorted { ($0.weekday, $0.startMinute) < ($1.weekday, $1.startMinute) }.map(\.description)
        }
        if let zone = changes.timeZone {
            guard TimeZone(identifier: zone) != nil else {
                throw Self.badInput("unknown time zone '\(zone)'; use an IANA name such as Europe/Paris or America/New_York")
            }
            record.timeZone = zone
        }
        if let target = changes.targetDate {
            if target.isEmpty {
                record.targetDate = nil
            } else {
                guard Self.parseDay(target) != nil else {
                    throw Self.badInput("target date '\(target)' is not a date like 2027-06-30")
                }
                record.targetDate = target
            }
        }
        try store.saveProfile(record, at: now())
        return try profile()
    }

    static func parseDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

    var background: Background {
        get throws { Background(rawValue: try store.profile()?.background ?? "programmer") ?? .programmer }
    }

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
            throw Self.badInput(error.description)
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
        let stored = try store.addGoal(
            GoalRecord(title: title, kind: resolution.target.kind, target: resolution.target.id, createdAt: created), tasks: records)
        let goalView = try goals().goals.first { $0.id == stored.goal.id }!
        return GoalAddResult(
            goal: goalView, matchedBy: resolution.matchedBy, addedTasks: stored.added.map(view),
            sharedTasks: records.count - stored.added.count)
    }

    /// Every goal with its progress.
    public func goals() throws -> GoalListResult {
        let progress = try store.goalProgress()
        return GoalListResult(
            goals: try store.goals().map { goal in
                let totals = progress[goal.id ?? -1] ?? (0, 0, 0, 0)
                return GoalView(
                    id: goal.id ?? 0, title: goal.title, kind: goal.kind, target: goal.target, status: goal.status,
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
        guard try store.task(id: params.id) != nil else {
            throw Self.notFound("there is no task \(params.id); `tutor tasks` lists them with their ids")
        }
        let task = try store.completeTask(id: params.id, minutes: minutes, evidence: params.evidence, at: now())
        if let skillID = task.skillId { try updateMastery(skillID) }
        return view(task)
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
        if let skillID { try ensureReviewCards(for: skillID) }
        let zone = TimeZone(identifier: try store.profile()?.timeZone ?? "UTC") ?? .gmt
        let week = ISOWeek.containing(now(), in: zone)
        let start = week.days(in: zone).first ?? now()
        let weekMinutes = try store.studyLog(since: start).map(\.minutes).reduce(0, +)
        return StudyLogResult(
            id: entry.id ?? 0, minutes: entry.minutes, skillId: entry.skillId, loggedAt: entry.loggedAt, weekMinutes: weekMinutes)
    }

    // MARK: Mastery and reviews

    /// Re-evaluates one skill from its evidence and stores the result.
    func updateMastery(_ skillID: String) throws {
        guard let skill = catalogue.skill(skillID) else { return }
        let decision = try mastery(of: skill)
        try store.saveSkillState(
            SkillStateRecord(
                skillId: skill.id, mastery: decision.mastery, status: decision.status.rawValue, evidence: [decision.reason],
                updatedAt: now()))
    }

    func mastery(of skill: Skill) throws -> MasteryDecision {
        let reviews = try store.reviewLogs(skillId: skill.id).compactMap { log in
            Rating(rawValue: log.rating).map { (rating: $0, date: log.reviewedAt) }
        }
        let tasks = try store.tasks().filter { $0.skillId == skill.id }.compactMap { task in
            TaskKind(rawValue: task.kind).map { (kind: $0, done: task.status == "done", evidence: task.evidence) }
        }
        let confirmed =
            tasks.contains { ($0.kind == .project || $0.kind == .check) && $0.done && $0.evidence != nil } ? skill.checklist.count : 0
        return MasteryPolicy.evaluate(
            skill, evidence: SkillEvidence(reviews: reviews, tasks: tasks, checklistConfirmed: confirmed), now: now())
    }

    /// Creates review cards (due now) for a skill's quiz items that have none yet.
    func ensureReviewCards(for skillID: String) throws {
        guard let skill = catalogue.skill(skillID), !skill.quiz.isEmpty else { return }
        let existing = Set(try store.reviewCards().filter { $0.skillId == skill.id }.map(\.id))
        let cards = skill.quiz.indices.map { "\(skill.id)#\($0)" }.filter { !existing.contains($0) }.map { id in
            let card = ReviewCard(due: now())
            return ReviewCardRecord(
                id: id, skillId: skill.id, state: card.state.rawValue, step: card.step, stability: card.stability,
                difficulty: card.difficulty,
                due: card.due, lastReview: card.lastReview)
        }
        if !cards.isEmpty { try store.saveReviewCards(cards) }
    }

    /// The most overdue review item, and how many are due. When nothing is due, the questions of the
    /// next skill the learner is working on (studied, or first in their open tasks) that has
    /// questions and no cards yet are brought in, so "quiz me" always has something to ask.
    public func nextReview() throws -> ReviewNextResult {
        let due = try dueCards()
        guard let card = due.first, let (skill, item, _) = try item(forCard: card.id) else {
            return ReviewNextResult(dueCount: due.count, item: nil)
        }
        return ReviewNextResult(
            dueCount: due.count,
            item: ReviewItemView(
                cardId: card.id, skillId: skill.id, skillTitle: skill.title, question: item.question, answer: item.answer, why: item.why))
    }

    /// The due review cards, most overdue first; when none is due, those of ``nextSkillToQuiz()``.
    func dueCards() throws -> [ReviewCardRecord] {
        let due = try store.dueReviewCards(at: now())
        guard due.isEmpty, let skill = try nextSkillToQuiz() else { return due }
        try ensureReviewCards(for: skill)
        return try store.dueReviewCards(at: now())
    }

    /// The first skill with quiz questions but no cards: studied skills first, then open tasks in plan order.
    func nextSkillToQuiz() throws -> String? {
        let carded = Set(try store.reviewCards().map(\.skillId))
        let studied = try store.studyLog().reversed().compactMap(\.skillId)
        let open = try store.tasks(statuses: ["learning", "pending"]).compactMap(\.skillId)
        return (studied + open).first { id in !carded.contains(id) && !(catalogue.skill(id)?.quiz.isEmpty ?? true) }
    }

    func quizItem(_ cardID: String) -> (Skill, QuizItem)? {
        guard let hash = cardID.lastIndex(of: "#"), let index = Int(cardID[cardID.index(after: hash)...]),
            let skill = catalogue.skill(String(cardID[..<hash])), skill.quiz.indices.contains(index)
        else { return nil }
        return (skill, skill.quiz[index])
    }

    /// Grades a review item (1 Again … 4 Easy), schedules it with FSRS and re-evaluates its skill.
    public func gradeReview(_ params: ReviewGradeParams) throws -> ReviewGradeResult {
        try gradeReview(params, session: nil, misconception: nil).result
    }

    /// Grades a review and, in the same transaction, records `misconception`, resolves the card's
    /// misconceptions on a right answer (good or easy) and closes `session`'s question.
    func gradeReview(
        _ params: ReviewGradeParams, session: String?, misconception: MisconceptionRecord?
    ) throws -> (result: ReviewGradeResult, resolved: Int) {
        guard let rating = Rating(rawValue: params.rating) else {
            throw Self.badInput("rating must be 1 (again), 2 (hard), 3 (good) or 4 (easy), not \(params.rating)")
        }
        guard let record = try store.reviewCards().first(where: { $0.id == params.cardId }) else {
            throw Self.notFound("there is no review card '\(params.cardId)'; `tutor review` shows the due ones")
        }
        let card = ReviewCard(
            state: CardState(rawValue: record.state) ?? .learning, step: record.step, stability: record.stability,
            difficulty: record.difficulty,
            due: record.due, lastReview: record.lastReview)
        let reviewedAt = now()
        let (next, _) = scheduler.review(card, rating: rating, at: reviewedAt)
        let resolved = try store.recordGradedAnswer(
            card: ReviewCardRecord(
                id: record.id, skillId: record.skillId, state: next.state.rawValue, step: next.step, stability: next.stability,
                difficulty: next.difficulty, due: next.due, lastReview: next.lastReview),
            rating: rating.rawValue, at: reviewedAt, session: session, misconception: misconception, resolves: rating.rawValue >= 3)
        try updateMastery(record.skillId)
        let status = try store.skillStates().first { $0.skillId == record.skillId }?.status ?? "learning"
        let result = ReviewGradeResult(
            cardId: record.id, nextDue: next.due, intervalDays: next.due.timeIntervalSince(reviewedAt) / 86_400,
            dueCount: try store.dueReviewCards(at: reviewedAt).count, skillStatus: status)
        return (result, resolved)
    }
}
