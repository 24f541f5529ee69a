import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

/// Reviews and mastery: review cards scheduled with FSRS, graded answers, and each skill's mastery
/// re-evaluated from its evidence. Quizzes and the tutoring state are in `ReviewService+Tutoring.swift`.
public struct ReviewService: AppService {
    public let context: AppContext

    public init(context: AppContext) { self.context = context }

    // MARK: Mastery and reviews

    /// Re-evaluates one skill from its evidence and stores the result. A skill the learner tested
    /// out of stays mastered: its tasks were taken off on that evidence.
    func updateMastery(_ skillID: String) throws {
        guard let skill = catalogue.skill(skillID) else { return }
        var decision = try mastery(of: skill)
        if decision.status != .mastered,
            let testedOut = try store.tasks(statuses: ["skipped"]).first(where: {
                $0.skillId == skill.id && $0.evidence?.hasPrefix(TestOutService.evidencePrefix) == true
            })?.evidence
        {
            decision.status = .mastered
            decision.mastery = max(decision.mastery, 0.67)
            decision.reason = testedOut
        }
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
        let handsOn = skill.handsOn.isEmpty ? [] : Set(try store.checklistEvidence(skillId: skill.id).map(\.item))
        return MasteryPolicy.evaluate(
            skill, evidence: SkillEvidence(reviews: reviews, tasks: tasks, checklistConfirmed: confirmed, handsOnEvidenced: handsOn),
            now: now())
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
        let (next, _) = context.scheduler.review(card, rating: rating, at: reviewedAt)
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
