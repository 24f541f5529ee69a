import Foundation
import GRDB

/// "I already know X": a short test on a skill's check questions. Open while the chat waits for
/// the answer to its current question (`cards[verdicts.count]`), then passed, failed or stopped,
/// and kept as the record of the attempt.
public struct TestOutRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "testOut"
    public var id: Int64?
    public var session: String
    public var skillId: String
    /// The review-card ids of the questions to ask, in order (`skill#0`, `skill#m1`).
    public var cards: [String]
    /// `correct`, `partly` or `incorrect`, one per question answered.
    public var verdicts: [String]
    /// `open`, `passed`, `failed` or `stopped`.
    public var status: String
    /// Whether the learner was already told once that it waits while they do something else.
    public var reminded: Bool
    /// What a pass took off the learner's list.
    public var tasksSkipped: Int
    public var minutesSkipped: Int
    public var startedAt: Date
    public var updatedAt: Date

    public init(session: String, skillId: String, cards: [String], startedAt: Date) {
        self.session = session
        self.skillId = skillId
        self.cards = cards
        self.verdicts = []
        self.status = "open"
        self.reminded = false
        self.tasksSkipped = 0
        self.minutesSkipped = 0
        self.startedAt = startedAt
        self.updatedAt = startedAt
    }

    /// The card of the question waiting for an answer; nil once every question was answered.
    public var currentCard: String? { cards.indices.contains(verdicts.count) ? cards[verdicts.count] : nil }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Test-outs: the session's open one, and what a pass does to the learner's tasks and skill.
/// Every method that writes does so in one transaction.
extension Store {
    /// The session's open test-out, if any.
    public func openTestOut(session: String) throws(StoreError) -> TestOutRecord? {
        try readSingleStatement { db in
            try TestOutRecord.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM testOut WHERE session = ? AND status = 'open'"), arguments: [session])
        }
    }

    /// Starts a test-out in its session; one open in that session before is stopped.
    public func startTestOut(_ testOut: TestOutRecord) throws(StoreError) -> TestOutRecord {
        try write { db in
            try db.execute(
                sql: "UPDATE testOut SET status = 'stopped', updatedAt = ? WHERE session = ? AND status = 'open'",
                arguments: [testOut.startedAt, testOut.session])
            var testOut = testOut
            try testOut.insert(db)
            return testOut
        }
    }

    /// Saves a test-out as it stands (an answer recorded, set aside, failed or stopped).
    public func saveTestOut(_ testOut: TestOutRecord) throws(StoreError) {
        try write { db in try testOut.update(db) }
    }

    /// Records a passed test-out with what it means, in one transaction: the skill's open tasks
    /// are skipped (no study time is logged for them), the skill's state saved, and the stored
    /// plans from `planWeek` on dropped so the next plan is made without those tasks.
    ///
    /// - Returns: the tasks taken off.
    public func passTestOut(
        _ testOut: TestOutRecord, evidence: String, skillState: SkillStateRecord, planWeek: String, at now: Date
    ) throws(StoreError) -> [TaskRecord] {
        try write { db in
            var skipped: [TaskRecord] = []
            for var task in try TaskRecord.filter(
                Column("skillId") == testOut.skillId && ["pending", "learning"].contains(Column("status"))
            )
            .order(Column("position"), Column("id")).fetchAll(db) {
                task.status = "skipped"
                task.evidence = evidence
                task.completedAt = now
                try task.update(db)
                skipped.append(task)
            }
            var testOut = testOut
            testOut.status = "passed"
            testOut.tasksSkipped = skipped.count
            testOut.minutesSkipped = skipped.map { max(0, $0.estimateMinutes - $0.actualMinutes) }.reduce(0, +)
            testOut.updatedAt = now
            try testOut.update(db)
            try skillState.save(db)
            try Self.dropPlans(db, from: planWeek)
            return skipped
        }
    }

    /// Drops the stored plans of `week` (`2026-W49`) and later: made from tasks that changed.
    static func dropPlans(_ db: Database, from week: String) throws {
        try db.execute(sql: "DELETE FROM plan WHERE week >= ?", arguments: [week])
    }
}
