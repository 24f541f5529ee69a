import Foundation
import GRDB

/// The question a chat session is working on. One per session: asked, perhaps with hints, then
/// answered and waiting for its grade to be recorded.
public struct ExerciseRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "exercise"
    public var session: String
    public var cardId: String
    public var skillId: String
    /// `check` (after an explanation) or `review` (a quiz).
    public var kind: String
    /// `asked` or `answered`.
    public var phase: String
    public var hintsGiven: Int
    /// Whether the learner was already reminded of it once when moving on (the next time, it is left).
    public var reminded: Bool
    public var learnerAnswer: String?
    /// `correct`, `partly`, `incorrect` or `revealed`, once answered.
    public var verdict: String?
    public var suggestedRating: Int?
    public var askedAt: Date
    public var updatedAt: Date

    public init(
        session: String, cardId: String, skillId: String, kind: String, phase: String = "asked", hintsGiven: Int = 0,
        reminded: Bool = false, learnerAnswer: String? = nil, verdict: String? = nil, suggestedRating: Int? = nil, askedAt: Date,
        updatedAt: Date
    ) {
        self.session = session
        self.cardId = cardId
        self.skillId = skillId
        self.kind = kind
        self.phase = phase
        self.hintsGiven = hintsGiven
        self.reminded = reminded
        self.learnerAnswer = learnerAnswer
        self.verdict = verdict
        self.suggestedRating = suggestedRating
        self.askedAt = askedAt
        self.updatedAt = updatedAt
    }
}

/// A wrong answer, kept on its skill until a later answer to the same question is right.
public struct MisconceptionRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "misconception"
    public var id: Int64?
    public var skillId: String
    public var cardId: String
    public var learnerAnswer: String
    public var expected: String
    public var recordedAt: Date
    public var revisitedAt: Date?
    public var resolvedAt: Date?

    public init(
        id: Int64? = nil, skillId: String, cardId: String, learnerAnswer: String, expected: String, recordedAt: Date,
        revisitedAt: Date? = nil, resolvedAt: Date? = nil
    ) {
        self.id = id
        self.skillId = skillId
        self.cardId = cardId
        self.learnerAnswer = learnerAnswer
        self.expected = expected
        self.recordedAt = recordedAt
        self.revisitedAt = revisitedAt
        self.resolvedAt = resolvedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A quiz question written by a model, checked against its skill's roadmap text before it was stored.
public struct QuizItemRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "quizItem"
    /// `<skill id>#m<n>`: the review card's id too.
    public var id: String
    public var skillId: String
    public var question: String
    public var answer: String
    public var why: String
    /// Who wrote it (the model's name).
    public var source: String
    public var createdAt: Date

    public init(id: String, skillId: String, question: String, answer: String, why: String, source: String, createdAt: Date) {
        self.id = id
        self.skillId = skillId
        self.question = question
        self.answer = answer
        self.why = why
        self.source = source
        self.createdAt = createdAt
    }
}

/// A first-run setup held in a chat session: what the learner said so far, and the step it is at
/// (`background`, `hours`, `availability`, `goal`, then `probe` for the foundation questions).
public struct PlacementDraftRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "placementDraft"
    /// One probe answered: the skill and how well the learner knew it (1 no idea … 4 easily).
    public struct Answer: Codable, Sendable, Equatable {
        public var skillId: String
        public var rating: Int
        public init(skillId: String, rating: Int) {
            self.skillId = skillId
            self.rating = rating
        }
    }
    public var session: String
    public var step: String
    public var background: String?
    public var hoursPerWeek: Double?
    public var availability: [String]
    public var goal: String?
    /// The skills whose first quiz question is asked, in order.
    public var questions: [String]
    public var answers: [Answer]
    public var startedAt: Date
    public var updatedAt: Date

    public init(session: String, step: String, goal: String?, startedAt: Date) {
        self.session = session
        self.step = step
        self.availability = []
        self.goal = goal
        self.questions = []
        self.answers = []
        self.startedAt = startedAt
        self.updatedAt = startedAt
    }
}

/// Tutoring state: each session's open exercise, misconceptions and model-written quiz items.
/// Every method that writes does so in one transaction.
extension Store {
    // MARK: Exercises

    /// The session's open exercise, if any.
    public func exercise(session: String) throws(StoreError) -> ExerciseRecord? {
        try readSingleStatement { db in try ExerciseRecord.fetchOne(db, key: session) }
    }

    /// Opens or updates the session's exercise; with `revisiting`, marks that misconception as brought up.
    public func saveExercise(_ exercise: ExerciseRecord, revisiting misconception: Int64? = nil) throws(StoreError) {
        try write { db in
            try exercise.save(db)
            if let misconception {
                try db.execute(
                    sql: "UPDATE misconception SET revisitedAt = ? WHERE id = ?", arguments: [exercise.updatedAt, misconception])
            }
        }
    }

    /// Closes the session's exercise without a grade (the learner skipped it).
    @discardableResult
    public func clearExercise(session: String) throws(StoreError) -> Bool {
        try write { db in try ExerciseRecord.deleteOne(db, key: session) }
    }

    /// Closes the session's question as skipped, in one transaction: its card is not due again
    /// before `notBefore` (so "next question" does not ask it straight back), its schedule otherwise
    /// unchanged. Returns whether a question was open.
    public func skipExercise(session: String, notBefore: Date) throws(StoreError) -> Bool {
        try write { db in
            guard let exercise = try ExerciseRecord.fetchOne(db, key: session) else { return false }
            if var card = try ReviewCardRecord.fetchOne(db, key: exercise.cardId), card.due < notBefore {
                card.due = notBefore
                try card.update(db)
            }
            return try ExerciseRecord.deleteOne(db, key: session)
        }
    }

    /// Records a graded review together with what it means for the tutoring state, in one
    /// transaction: the card and its log, a misconception when given, every open misconception of
    /// the card resolved when the answer was right, and the session's exercise closed.
    ///
    /// - Returns: how many misconceptions it resolved.
    @discardableResult
    public func recordGradedAnswer(
        card: ReviewCardRecord, rating: Int, at date: Date, session: String?, misconception: MisconceptionRecord?, resolves: Bool
    ) throws(StoreError) -> Int {
        try write { db in
            try card.save(db)
            var log = ReviewLogRecord(cardId: card.id, rating: rating, reviewedAt: date)
            try log.insert(db)
            if var misconception { try misconception.insert(db) }
            var resolved = 0
            if resolves {
                try db.execute(
                    sql: "UPDATE misconception SET resolvedAt = ? WHERE cardId = ? AND resolvedAt IS NULL", arguments: [date, card.id])
                resolved = db.changesCount
            }
            if let session { try ExerciseRecord.deleteOne(db, key: session) }
            return resolved
        }
    }

    // MARK: Placement in a chat

    /// The session's setup in progress, if any.
    public func placementDraft(session: String) throws(StoreError) -> PlacementDraftRecord? {
        try readSingleStatement { db in try PlacementDraftRecord.fetchOne(db, key: session) }
    }

    /// Saves the session's setup as it stands.
    public func savePlacementDraft(_ draft: PlacementDraftRecord) throws(StoreError) {
        try write { db in try draft.save(db) }
    }

    /// Ends the session's setup (finished or abandoned).
    @discardableResult
    public func deletePlacementDraft(session: String) throws(StoreError) -> Bool {
        try write { db in try PlacementDraftRecord.deleteOne(db, key: session) }
    }

    /// What a chat's tutoring state shows, read on one connection (separate statements, like
    /// three reads, without their overhead): the session's exercise and setup in progress, and the
    /// `limit` most recent open misconceptions.
    public func tutoringState(
        session: String, misconceptions limit: Int
    ) throws(StoreError) -> (exercise: ExerciseRecord?, draft: PlacementDraftRecord?, misconceptions: [MisconceptionRecord]) {
        try readStatements { db in
            (
                try ExerciseRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM exercise WHERE session = ?"), arguments: [session]),
                try PlacementDraftRecord.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM placementDraft WHERE session = ?"), arguments: [session]),
                try MisconceptionRecord.fetchAll(
                    db.cachedStatement(
                        sql: "SELECT * FROM misconception WHERE resolvedAt IS NULL ORDER BY recordedAt DESC, id DESC LIMIT ?"),
                    arguments: [limit])
            )
        }
    }

    // MARK: Misconceptions

    /// Open misconceptions, most recent first; of one skill when given.
    public func openMisconceptions(skillId: String? = nil) throws(StoreError) -> [MisconceptionRecord] {
        try read { db in
            var request = MisconceptionRecord.filter(Column("resolvedAt") == nil)
            if let skillId { request = request.filter(Column("skillId") == skillId) }
            return try request.order(Column("recordedAt").desc, Column("id").desc).fetchAll(db)
        }
    }

    /// Every misconception, open and resolved, oldest first.
    public func misconceptions() throws(StoreError) -> [MisconceptionRecord] {
        try read { db in try MisconceptionRecord.order(Column("id")).fetchAll(db) }
    }

    // MARK: Model-written quiz items

    /// The model-written items of a skill (of every skill when nil), oldest first.
    public func quizItems(skillId: String? = nil) throws(StoreError) -> [QuizItemRecord] {
        try read { db in
            var request = QuizItemRecord.all()
            if let skillId { request = request.filter(Column("skillId") == skillId) }
            return try request.order(Column("createdAt"), Column("id")).fetchAll(db)
        }
    }

    /// One model-written item by id.
    public func quizItem(id: String) throws(StoreError) -> QuizItemRecord? {
        try read { db in try QuizItemRecord.fetchOne(db, key: id) }
    }

    /// Stores a model-written item with its review card (due now), numbering it after the skill's
    /// earlier items; returns it as stored.
    public func addQuizItem(_ item: QuizItemRecord, card: ReviewCardRecord) throws(StoreError) -> QuizItemRecord {
        try write { db in
            let count = try QuizItemRecord.filter(Column("skillId") == item.skillId).fetchCount(db)
            var item = item
            item.id = "\(item.skillId)#m\(count + 1)"
            var card = card
            card.id = item.id
            try item.insert(db)
            try card.insert(db)
            return item
        }
    }
}
