import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

/// A question put to the learner. The model answer is not in it: it comes out only with a check of
/// the learner's answer, or when the learner asks for it outright.
public struct QuestionView: Codable, Sendable, Equatable {
    public var cardId: String
    public var skillId: String
    public var skillTitle: String
    public var question: String
    /// `check` (after an explanation) or `review` (a quiz).
    public var kind: String
    public var hintsAvailable: Int
    /// Review questions due, this one included.
    public var dueCount: Int
    /// True when this is the question already open, asked again: one question at a time.
    public var repeated: Bool
    /// An earlier wrong answer on this skill, to revisit with the learner.
    public var misconception: MisconceptionView?
    /// `catalogue`, or the model that wrote the question.
    public var source: String
    /// What the tutor should do with it.
    public var note: String
}

/// A wrong answer kept on a skill.
public struct MisconceptionView: Codable, Sendable, Equatable {
    public var id: Int64
    public var skillId: String
    public var cardId: String
    /// The question it was the answer to.
    public var question: String
    public var said: String
    public var expected: String
    public var recordedAt: Date
}

/// One rung of the hint ladder.
public struct HintView: Codable, Sendable, Equatable {
    public var cardId: String
    public var question: String
    public var level: Int
    public var of: Int
    /// Nil once every hint was given.
    public var hint: String?
    public var note: String
}

/// The learner's answer checked against the model answer, waiting for its grade to be recorded.
public struct AnswerCheckView: Codable, Sendable, Equatable {
    public var cardId: String
    public var question: String
    /// `correct`, `partly`, `incorrect`, or `revealed` when the learner asked for the answer.
    public var verdict: String
    public var missingKeyTerms: [String]
    public var answer: String
    public var why: String
    public var hintsGiven: Int
    public var suggestedRating: Int
    public var suggestedGrade: String
    public var note: String
}

/// A graded answer: when the question comes back, and what it did to the skill's misconceptions.
public struct GradedAnswerView: Codable, Sendable, Equatable {
    public var cardId: String
    public var nextDue: Date
    public var intervalDays: Double
    public var dueCount: Int
    public var skillStatus: String
    /// The wrong answer was kept on the skill, to revisit.
    public var misconceptionRecorded: Bool
    /// Earlier wrong answers to this question that this right one settles.
    public var misconceptionsResolved: Int
}

/// A quiz question a model wrote, as stored after its check.
public struct QuizItemView: Encodable, Sendable, Equatable {
    public var cardId: String
    public var skillId: String
    public var question: String
    public var groundedCoverage: Double
}

extension ReviewService {
    // MARK: Tutoring: one question at a time, hints, answers, misconceptions

    public static let gradeNames = [1: "again", 2: "hard", 3: "good", 4: "easy"]

    /// Puts a question to the learner in `session`: a question of `skillId` (checking an
    /// explanation), else the most overdue review, an open misconception's question first. While a
    /// question is open and unanswered, it is the one returned (`repeated`): one at a time. An
    /// answered question whose grade was never given is recorded with the suggested grade first.
    ///
    /// - Returns: nil when there is nothing to ask.
    public func askQuestion(session: String, skillId: String? = nil) throws -> QuestionView? {
        var skill: Skill?
        if let skillId {
            guard let id = catalogue.canonicalID(skillId), let found = catalogue.skill(id) else {
                throw Self.badInput("unknown skill '\(skillId)'; catalogue_search finds skill ids")
            }
            skill = found
        }
        if var open = try store.exercise(session: session) {
            if open.phase == "asked", let view = try questionView(open, repeated: true) {
                if !open.reminded {
                    open.reminded = true
                    open.updatedAt = now()
                    try store.saveExercise(open)
                }
                return view
            }
            if open.phase == "answered" {
                _ =
                    try gradeReview(ReviewGradeParams(cardId: open.cardId, rating: open.suggestedRating ?? 1), session: session)
                    as GradedAnswerView
            }
        }
        let misconceptions = try store.openMisconceptions(skillId: skill?.id)
        let card: ReviewCardRecord?
        if let skill {
            try ensureReviewCards(for: skill.id)
            let cards = try store.reviewCards().filter { $0.skillId == skill.id }
            card =
                misconceptions.lazy.compactMap { m in cards.first { $0.id == m.cardId } }.first
                ?? cards.filter { $0.due <= now() }.min { $0.due < $1.due } ?? cards.min { $0.due < $1.due }
        } else {
            let due = try dueCards()
            let revisit = Set(misconceptions.map(\.cardId))
            card = due.first { revisit.contains($0.id) } ?? due.first
        }
        guard let card, try item(forCard: card.id) != nil else { return nil }
        let misconception = misconceptions.first { $0.cardId == card.id } ?? misconceptions.first { $0.skillId == card.skillId }
        let exercise = ExerciseRecord(
            session: session, cardId: card.id, skillId: card.skillId, kind: skill == nil ? "review" : "check", askedAt: now(),
            updatedAt: now())
        try store.saveExercise(exercise, revisiting: misconception?.id)
        return try questionView(exercise, repeated: false)
    }

    func questionView(_ exercise: ExerciseRecord, repeated: Bool) throws -> QuestionView? {
        guard let (skill, item, source) = try item(forCard: exercise.cardId) else { return nil }
        let open = try store.openMisconceptions(skillId: skill.id)
        let misconception = open.first { $0.cardId == exercise.cardId } ?? open.first
        var note =
            repeated
            ? exercise.reminded
                ? "The learner was reminded of this open question once already: if they move on again, call skip_question and help with what they asked."
                : "This question is still open: ask it again before moving on. The learner can answer, ask for a hint, say skip, or ask for the answer."
            : "Ask this question as it is and wait for the learner's answer; do not give the answer. Then call check_answer with their words."
        if misconception != nil { note += " Mention the earlier wrong answer gently and say this revisits it." }
        return QuestionView(
            cardId: exercise.cardId, skillId: skill.id, skillTitle: skill.title, question: item.question, kind: exercise.kind,
            hintsAvailable: HintLadder.rungs - exercise.hintsGiven, dueCount: try store.dueReviewCards(at: now()).count,
            repeated: repeated,
            misconception: misconception.map {
                misconceptionView($0)
            },
            source: source, note: note)
    }

    /// The next hint for the session's open question; after the last one, none (the learner can
    /// still try, or ask for the answer).
    public func hint(session: String) throws -> HintView {
        guard var exercise = try store.exercise(session: session), exercise.phase == "asked",
            let (_, item, _) = try item(forCard: exercise.cardId)
        else { throw Self.badInput("no question is open in this chat; ask_question opens one") }
        let level = exercise.hintsGiven + 1
        guard let text = HintLadder.hint(level: level, answer: item.answer, why: item.why) else {
            return HintView(
                cardId: exercise.cardId, question: item.question, level: HintLadder.rungs, of: HintLadder.rungs, hint: nil,
                note: "Every hint was given. Encourage an attempt; give the answer only if the learner asks for it outright.")
        }
        exercise.hintsGiven = level
        exercise.updatedAt = now()
        try store.saveExercise(exercise)
        return HintView(
            cardId: exercise.cardId, question: item.question, level: level, of: HintLadder.rungs, hint: text,
            note: "Give this hint in your own words, not the answer; then let the learner try again.")
    }

    /// Checks the learner's answer to the session's open question (or, with `reveal`, shows the
    /// answer the learner asked for) and keeps the verdict until the grade is recorded.
    ///
    /// - Parameter check: the grade already given (by ``RubricGrader``); nil grades offline.
    public func checkAnswer(session: String, answer: String?, reveal: Bool, check graded: AnswerCheck? = nil) throws -> AnswerCheckView {
        guard var exercise = try store.exercise(session: session), let (skill, item, _) = try item(forCard: exercise.cardId) else {
            throw Self.badInput("no question is open in this chat; ask_question opens one")
        }
        let given = answer?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard reveal || !given.isEmpty else {
            throw Self.badInput("pass the learner's answer as 'answer', or reveal: true when they ask for the answer outright")
        }
        let verdict: String
        let rating: Int
        var missing: [String] = []
        if reveal {
            verdict = "revealed"
            rating = 1
        } else {
            let check = graded ?? AnswerCheck.grade(given, item: item, skill: skill)
            verdict = check.verdict.rawValue
            rating = check.suggestedRating(hintsGiven: exercise.hintsGiven)
            missing = check.missing
        }
        exercise.phase = "answered"
        exercise.learnerAnswer = reveal ? nil : given
        exercise.verdict = verdict
        exercise.suggestedRating = rating
        exercise.updatedAt = now()
        try store.saveExercise(exercise)
        let grade = Self.gradeNames[rating] ?? "again"
        return AnswerCheckView(
            cardId: exercise.cardId, question: item.question, verdict: verdict, missingKeyTerms: missing, answer: item.answer,
            why: item.why, hintsGiven: exercise.hintsGiven, suggestedRating: rating, suggestedGrade: grade,
            note:
                "Show the model answer and what was missing, then ask whether to record it as \(grade) (the learner may choose again, hard, good or easy); record it with record_review."
        )
    }

    /// Marks the session's open question as set aside for another request: it stays open. Returns
    /// true the first time (the learner is told once), false when it was already or none is open.
    public func setQuestionAside(session: String) throws -> Bool {
        guard var open = try store.exercise(session: session), open.phase == "asked", !open.reminded else { return false }
        open.reminded = true
        open.updatedAt = now()
        try store.saveExercise(open)
        return true
    }

    /// The open question of `session` waiting for an answer, with its skill; nil when none is.
    public func openQuestion(session: String) throws -> (skill: Skill, item: QuizItem)? {
        guard let exercise = try store.exercise(session: session), exercise.phase == "asked",
            let (skill, item, _) = try item(forCard: exercise.cardId)
        else { return nil }
        return (skill, item)
    }

    /// Closes the session's open question without a grade.
    public func skipQuestion(session: String) throws -> Bool {
        // A skipped question waits an hour before it can be asked again.
        try store.skipExercise(session: session, notBefore: now().addingTimeInterval(3600))
    }

    /// Grades a review (without a rating, the one the session's answer check suggested), and keeps
    /// the tutoring state with it in the same transaction: a wrong answer the learner gave becomes a
    /// misconception on the skill, a right one resolves the card's misconceptions, and the
    /// session's question is closed.
    public func gradeReview(_ params: ReviewGradeParams, session: String) throws -> GradedAnswerView {
        let exercise = try store.exercise(session: session).flatMap { $0.cardId == params.cardId ? $0 : nil }
        guard Rating(rawValue: params.rating) != nil else {
            throw Self.badInput("rating must be 1 (again), 2 (hard), 3 (good) or 4 (easy), not \(params.rating)")
        }
        var misconception: MisconceptionRecord?
        if let exercise, params.rating == 1, let said = exercise.learnerAnswer, exercise.verdict != "correct",
            let (skill, item, _) = try item(forCard: exercise.cardId)
        {
            misconception = MisconceptionRecord(
                skillId: skill.id, cardId: exercise.cardId, learnerAnswer: String(said.prefix(500)), expected: item.answer,
                recordedAt: now())
        }
        let (result, resolved) = try gradeReview(params, session: exercise == nil ? nil : session, misconception: misconception)
        return GradedAnswerView(
            cardId: result.cardId, nextDue: result.nextDue, intervalDays: result.intervalDays, dueCount: result.dueCount,
            skillStatus: result.skillStatus, misconceptionRecorded: misconception != nil, misconceptionsResolved: resolved)
    }

    /// The open misconceptions, most recent first.
    public func openMisconceptions() throws -> [MisconceptionView] {
        try store.openMisconceptions().map {
            misconceptionView($0)
        }
    }

    func misconceptionView(_ record: MisconceptionRecord) -> MisconceptionView {
        MisconceptionView(
            id: record.id ?? 0, skillId: record.skillId, cardId: record.cardId,
            question: (try? item(forCard: record.cardId))??.1.question ?? "", said: record.learnerAnswer, expected: record.expected,
            recordedAt: record.recordedAt)
    }

    // MARK: Quiz items written by a model

    /// Stores a question a model wrote for a skill after checking it against the skill's roadmap
    /// text: the answer must be grounded in that text, and the question new.
    public func addQuizItem(skillId: String, question: String, answer: String, why: String, source: String) throws -> QuizItemView {
        guard let id = catalogue.canonicalID(skillId), let skill = catalogue.skill(id) else {
            throw Self.badInput("unknown skill '\(skillId)'; catalogue_search finds skill ids")
        }
        let question = question.trimmingCharacters(in: .whitespacesAndNewlines)
        let answer = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        let why = why.trimmingCharacters(in: .whitespacesAndNewlines)
        guard question.count >= 10, question.count <= 300 else { throw Self.badInput("the question must be 10 to 300 characters") }
        guard !answer.isEmpty, answer.count <= 400 else { throw Self.badInput("the answer must be 1 to 400 characters") }
        // The same question, or a similar one with the same answer, is a duplicate.
        let existing =
            skill.quiz + (try store.quizItems(skillId: skill.id).map { QuizItem(question: $0.question, answer: $0.answer, why: $0.why) })
        if let twin = existing.first(where: { item in
            let asked = GroundingCheck.similarity(item.question, question)
            return asked >= 0.5 || (asked >= 0.3 && GroundingCheck.similarity(item.answer, answer) >= 0.5)
        }) {
            throw Self.badInput("the learner already has this question (\"\(twin.question)\"); ask about another idea of the skill")
        }
        let grounding = GroundingCheck.check(answer: answer, why: why, source: Self.sourceText(of: skill))
        guard grounding.isGrounded else {
            throw Self.badInput(
                "the answer is not grounded in the roadmap's text on \(skill.id): it relies on \(grounding.unsupported.prefix(6).joined(separator: ", ")), which that text does not mention; read it with catalogue_show and ask about what it says"
            )
        }
        let card = ReviewCard(due: now())
        let stored = try store.addQuizItem(
            QuizItemRecord(id: "", skillId: skill.id, question: question, answer: answer, why: why, source: source, createdAt: now()),
            card: ReviewCardRecord(
                id: "", skillId: skill.id, state: card.state.rawValue, step: card.step, stability: card.stability,
                difficulty: card.difficulty, due: card.due, lastReview: card.lastReview))
        return QuizItemView(cardId: stored.id, skillId: skill.id, question: stored.question, groundedCoverage: grounding.coverage)
    }

    /// The roadmap's text on a skill: what a model-written question must be grounded in.
    static func sourceText(of skill: Skill) -> String {
        ([skill.title, skill.description] + skill.topics + skill.checklist + skill.quiz.flatMap { [$0.question, $0.answer, $0.why] })
            .joined(separator: "\n")
    }

    /// The skill and question behind a review card: a catalogue item (`skill#0`) or a model-written one (`skill#m1`).
    public func item(forCard cardID: String) throws -> (Skill, QuizItem, String)? {
        if let (skill, item) = quizItem(cardID) { return (skill, item, "catalogue") }
        guard let stored = try store.quizItem(id: cardID), let skill = catalogue.skill(stored.skillId) else { return nil }
        return (skill, QuizItem(question: stored.question, answer: stored.answer, why: stored.why), stored.source)
    }
}

extension ReviewService {
    /// What a chat's tutoring state shows: the session's open question and setup in progress, and
    /// the `limit` most recent open misconceptions.
    public func tutoringState(
        session: String, misconceptions limit: Int
    ) throws -> (exercise: ExerciseRecord?, draft: PlacementDraftRecord?, misconceptions: [MisconceptionRecord]) {
        try store.tutoringState(session: session, misconceptions: limit)
    }
}
