import Foundation
import GRDB
import Synchronization

/// Reads and invariant-keeping writes of the learner's profile, goals, tasks and study log.
/// Every method that writes does so in one transaction.
extension Store {
    // MARK: Profile

    /// The learner's profile, or nil before one was saved.
    ///
    /// Kept in memory until the learner's data changes (``learnerDataVersion``): most tools read
    /// it, and decoding it (its availability is JSON) costs more than the query.
    public func profile() throws(StoreError) -> ProfileRecord? {
        let version = learnerDataVersion
        if let cached = profileCache.withLock({ $0 }), cached.version == version { return cached.profile }
        // One statement: atomic alone, so no surrounding transaction.
        let profile = try readSingleStatement { db in
            try ProfileRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM profile LIMIT 1"))
        }
        profileCache.withLock { $0 = (version, profile) }
        return profile
    }

    /// Saves the profile (creating it when missing), stamping `updatedAt`.
    public func saveProfile(_ profile: ProfileRecord, at now: Date) throws(StoreError) {
        try write { db in
            var profile = profile
            profile.id = 1
            profile.updatedAt = now
            if let existing = try ProfileRecord.fetchOne(db) { profile.createdAt = existing.createdAt }
            try profile.save(db)
        }
    }

    // MARK: Goals and tasks

    /// Adds a goal and its tasks. Tasks for a skill or project that already has a task of the same
    /// kind are not added again, so overlapping goals share work instead of duplicating it.
    ///
    /// - Returns: the stored goal and the tasks that were new.
    /// - Parameter dropping: goals the new one replaces: dropped in the same transaction, with the
    ///   stored plans from `planWeek` on (their tasks leave the plans).
    public func addGoal(
        _ goal: GoalRecord, tasks: [TaskRecord], dropping: [Int64] = [], planWeek: String? = nil
    ) throws(StoreError) -> (goal: GoalRecord, added: [TaskRecord]) {
        try write { db in
            for id in dropping {
                try db.execute(sql: "UPDATE goal SET status = 'dropped', pausedAt = NULL WHERE id = ?", arguments: [id])
            }
            if !dropping.isEmpty, let planWeek { try Self.dropPlans(db, from: planWeek) }
            var goal = goal
            try goal.insert(db)
            let owned = tasks.map { task in
                var task = task
                task.goalId = goal.id
                return task
            }
            return (goal, try Self.insertNewTasks(db, owned))
        }
    }

    /// Inserts the tasks whose skill or project has no task of the same kind yet, after every task
    /// planned so far; returns those inserted.
    static func insertNewTasks(_ db: Database, _ tasks: [TaskRecord]) throws -> [TaskRecord] {
        var added: [TaskRecord] = []
        var position = (try Int.fetchOne(db, sql: "SELECT MAX(position) FROM task") ?? 0) + 1
        for var task in tasks {
            if try taskExists(db, skillId: task.skillId, projectId: task.projectId, kind: task.kind) { continue }
            task.position = position
            position += 1
            try task.insert(db)
            added.append(task)
        }
        return added
    }

    static func taskExists(_ db: Database, skillId: String?, projectId: String?, kind: String) throws -> Bool {
        if let skillId {
            return try TaskRecord.filter(Column("skillId") == skillId && Column("kind") == kind).fetchCount(db) > 0
        }
        if let projectId {
            return try TaskRecord.filter(Column("projectId") == projectId && Column("kind") == kind).fetchCount(db) > 0
        }
        return false
    }

    /// Task totals per goal, computed in SQL: (total, done, minutes estimated, minutes done).
    public func goalProgress() throws(StoreError) -> [Int64: (total: Int, done: Int, estimated: Int, spent: Int)] {
        try readSingleStatement { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT goalId, COUNT(*) AS total, SUM(status = 'done') AS done,
                               SUM(estimateMinutes) AS estimated, SUM(actualMinutes) AS spent
                        FROM task WHERE goalId IS NOT NULL GROUP BY goalId
                        """))
            var result: [Int64: (total: Int, done: Int, estimated: Int, spent: Int)] = [:]
            for row in rows { result[row["goalId"]] = (row["total"], row["done"], row["estimated"], row["spent"]) }
            return result
        }
    }

    /// Every goal, oldest first.
    public func goals() throws(StoreError) -> [GoalRecord] {
        try readSingleStatement { db in try GoalRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM goal ORDER BY id")) }
    }

    /// Tasks in plan order, optionally only those with one of `statuses`.
    public func tasks(statuses: Set<String>? = nil) throws(StoreError) -> [TaskRecord] {
        try read { db in
            var request = TaskRecord.order(Column("position"), Column("id"))
            if let statuses { request = request.filter(statuses.contains(Column("status"))) }
            return try request.fetchAll(db)
        }
    }

    /// One task by id.
    public func task(id: Int64) throws(StoreError) -> TaskRecord? {
        try read { db in try TaskRecord.fetchOne(db, key: id) }
    }

    /// Marks a task done, adds `minutes` to its actual time (and to the study log), and keeps its
    /// evidence, in one transaction. A task already done is returned unchanged: done twice logs
    /// nothing the second time.
    ///
    /// - Throws: `notFound` for an unknown id, `invalidInput` for negative minutes.
    public func completeTask(id: Int64, minutes: Int, evidence: String?, at now: Date) throws(StoreError) -> TaskRecord {
        guard minutes >= 0 else {
            throw StoreError(.invalidInput, path: path, detail: "minutes must be zero or more, not \(minutes)")
        }
        guard minutes <= 24 * 60 else {
            throw StoreError(.invalidInput, path: path, detail: "\(minutes) minutes is more than a day; log long work in several entries")
        }
        return try write { db in
            guard var task = try TaskRecord.fetchOne(db, key: id) else {
                throw StoreError(.notFound, path: path, detail: "there is no task \(id); `tutor tasks` lists them")
            }
            // Done twice is done once: no second log entry, no minutes counted again.
            if task.status == "done" { return task }
            task.status = "done"
            task.actualMinutes += minutes
            task.completedAt = now
            if let evidence, !evidence.isEmpty { task.evidence = evidence }
            try task.update(db)
            if minutes > 0 {
                var entry = StudyLogRecord(
                    skillId: task.skillId, taskId: task.id, minutes: minutes, note: "completed: \(task.title)", loggedAt: now)
                try entry.insert(db)
            }
            return task
        }
    }

    /// Sets a task's status (`pending`, `learning`, `done`, `skipped`).
    public func setTaskStatus(id: Int64, status: String, at now: Date) throws(StoreError) -> TaskRecord {
        try write { db in
            guard var task = try TaskRecord.fetchOne(db, key: id) else {
                throw StoreError(.notFound, path: path, detail: "there is no task \(id); `tutor tasks` lists them")
            }
            task.status = status
            task.completedAt = status == "done" ? now : nil
            try task.update(db)
            return task
        }
    }

    /// Reopens finished tasks and finishes others, in one transaction ("oops, I meant tasks 1 and
    /// 3"): a reopened task is open again with its estimate (`learning` when time was spent on
    /// it), and the stored plans from `planWeek` on are dropped so the next plan counts it again.
    /// Time already logged stays logged.
    ///
    /// - Returns: the tasks as they are now, reopened and finished.
    public func changeFinishedTasks(
        reopen: [Int64], finish: [Int64], planWeek: String, at now: Date
    ) throws(StoreError) -> (reopened: [TaskRecord], finished: [TaskRecord]) {
        try write { db in
            var reopened: [TaskRecord] = []
            for id in reopen {
                guard var task = try TaskRecord.fetchOne(db, key: id) else {
                    throw StoreError(.notFound, path: path, detail: "there is no task \(id); `tutor tasks` lists them")
                }
                task.status = task.actualMinutes > 0 ? "learning" : "pending"
                task.completedAt = nil
                try task.update(db)
                reopened.append(task)
            }
            var finished: [TaskRecord] = []
            for id in finish {
                guard var task = try TaskRecord.fetchOne(db, key: id) else {
                    throw StoreError(.notFound, path: path, detail: "there is no task \(id); `tutor tasks` lists them")
                }
                task.status = "done"
                task.completedAt = now
                try task.update(db)
                finished.append(task)
            }
            try Self.dropPlans(db, from: planWeek)
            return (reopened, finished)
        }
    }

    /// Sets a goal's status and pause, and drops the stored plans from `planWeek` on (they were
    /// made with or without its tasks), in one transaction.
    public func setGoalStatus(id: Int64, status: String, pausedAt: Date?, planWeek: String) throws(StoreError) -> GoalRecord {
        try write { db in
            guard var goal = try GoalRecord.fetchOne(db, key: id) else {
                throw StoreError(.notFound, path: path, detail: "there is no goal \(id)")
            }
            goal.status = status
            goal.pausedAt = pausedAt
            try goal.update(db)
            try Self.dropPlans(db, from: planWeek)
            return goal
        }
    }

    // MARK: Study log

    /// Records study time; when a pending task of that skill exists, it moves to `learning`.
    public func logStudy(_ entry: StudyLogRecord) throws(StoreError) -> StudyLogRecord {
        guard entry.minutes > 0, entry.minutes <= 24 * 60 else {
            throw StoreError(.invalidInput, path: path, detail: "minutes must be from 1 to 1440, not \(entry.minutes)")
        }
        return try write { db in
            var entry = entry
            try entry.insert(db)
            if let skillId = entry.skillId {
                try db.execute(
                    sql: "UPDATE task SET status = 'learning' WHERE skillId = ? AND status = 'pending' AND kind = 'learn'",
                    arguments: [skillId])
            }
            return entry
        }
    }

    /// Corrects the latest study-log entry logged since `since`: its minutes set to `minutes`, or
    /// the entry removed when `minutes` is nil. Returns the entry as it was and as it is now (nil
    /// once removed), or nil when nothing was logged since then.
    public func correctLatestStudyLog(
        minutes: Int?, since: Date
    ) throws(StoreError) -> (before: StudyLogRecord, after: StudyLogRecord?)? {
        if let minutes, minutes <= 0 || minutes > 24 * 60 {
            throw StoreError(.invalidInput, path: path, detail: "minutes must be from 1 to 1440, not \(minutes)")
        }
        return try write { db in
            guard
                let entry = try StudyLogRecord.filter(Column("loggedAt") >= since).order(Column("loggedAt").desc, Column("id").desc)
                    .fetchOne(db)
            else { return nil }
            guard let minutes else {
                try entry.delete(db)
                return (entry, nil)
            }
            var corrected = entry
            corrected.minutes = minutes
            try corrected.update(db)
            return (entry, corrected)
        }
    }

    /// Corrects one study-log entry by id: its minutes set to `minutes`, or removed when nil.
    /// Returns the entry as it was and as it is now (nil once removed).
    public func correctStudyLog(id: Int64, minutes: Int?) throws(StoreError) -> (before: StudyLogRecord, after: StudyLogRecord?) {
        if let minutes, minutes <= 0 || minutes > 24 * 60 {
            throw StoreError(.invalidInput, path: path, detail: "minutes must be from 1 to 1440, not \(minutes)")
        }
        return try write { db in
            guard let entry = try StudyLogRecord.fetchOne(db, key: id) else {
                throw StoreError(.notFound, path: path, detail: "there is no study-log entry \(id); `tutor log list` shows them")
            }
            guard let minutes else {
                try entry.delete(db)
                return (entry, nil)
            }
            var corrected = entry
            corrected.minutes = minutes
            try corrected.update(db)
            return (entry, corrected)
        }
    }

    /// The study log, oldest first, optionally since a date.
    public func studyLog(since: Date? = nil) throws(StoreError) -> [StudyLogRecord] {
        try readSingleStatement { db in
            if since == nil {
                return try StudyLogRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM studyLog ORDER BY loggedAt, id"))
            }
            var request = StudyLogRecord.order(Column("loggedAt"), Column("id"))
            if let since { request = request.filter(Column("loggedAt") >= since) }
            return try request.fetchAll(db)
        }
    }

    /// Skill states, minutes logged per skill and, with `log`, the study log: what a forecast
    /// reads, on one connection (as separate statements, like three reads, without their overhead).
    public func progress(
        log: Bool
    ) throws(StoreError) -> (skillStates: [SkillStateRecord], minutesBySkill: [String: Int], studyLog: [StudyLogRecord]) {
        try readStatements { db in
            let states = try SkillStateRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM skillState ORDER BY skillId"))
            var minutes: [String: Int] = [:]
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT skillId, SUM(minutes) AS total FROM studyLog WHERE skillId IS NOT NULL GROUP BY skillId"))
            for row in rows { minutes[row["skillId"]] = row["total"] }
            let entries = log ? try StudyLogRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM studyLog ORDER BY loggedAt, id")) : []
            return (states, minutes, entries)
        }
    }

    // MARK: Skill state and reviews

    /// Every skill state the tutor holds.
    public func skillStates() throws(StoreError) -> [SkillStateRecord] {
        try readSingleStatement { db in try SkillStateRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM skillState ORDER BY skillId"))
        }
    }

    /// Saves one skill state.
    public func saveSkillState(_ state: SkillStateRecord) throws(StoreError) {
        try write { db in try state.save(db) }
    }

    /// Review cards due at or before `date`, most overdue first.
    public func dueReviewCards(at date: Date) throws(StoreError) -> [ReviewCardRecord] {
        try read { db in
            try ReviewCardRecord.filter(Column("due") <= date).order(Column("due"), Column("id")).fetchAll(db)
        }
    }

    /// All review cards.
    public func reviewCards() throws(StoreError) -> [ReviewCardRecord] {
        try read { db in try ReviewCardRecord.order(Column("id")).fetchAll(db) }
    }

    /// Saves the cards given (new or updated) in one transaction.
    public func saveReviewCards(_ cards: [ReviewCardRecord]) throws(StoreError) {
        try write { db in for card in cards { try card.save(db) } }
    }

    /// Stores a graded review: the card's new state and the log entry, together.
    public func recordReview(card: ReviewCardRecord, rating: Int, at date: Date) throws(StoreError) {
        try write { db in
            try card.save(db)
            var log = ReviewLogRecord(cardId: card.id, rating: rating, reviewedAt: date)
            try log.insert(db)
        }
    }

    /// Every grading of the cards of one skill, oldest first.
    public func reviewLogs(skillId: String) throws(StoreError) -> [ReviewLogRecord] {
        try read { db in
            try ReviewLogRecord.fetchAll(
                db,
                sql:
                    "SELECT reviewLog.* FROM reviewLog JOIN reviewCard ON reviewCard.id = reviewLog.cardId WHERE reviewCard.skillId = ? ORDER BY reviewLog.reviewedAt, reviewLog.id",
                arguments: [skillId])
        }
    }

    /// Minutes logged per skill.
    public func minutesBySkill() throws(StoreError) -> [String: Int] {
        try readSingleStatement { db in
            var result: [String: Int] = [:]
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT skillId, SUM(minutes) AS total FROM studyLog WHERE skillId IS NOT NULL GROUP BY skillId"))
            for row in rows { result[row["skillId"]] = row["total"] }
            return result
        }
    }

    // MARK: Conversations

    /// A session's messages, oldest first; empty for a new session.
    ///
    /// The conversation reads and appends run several times per chat turn: they use cached
    /// statements and read columns by position, and a read that is one statement needs no
    /// surrounding transaction.
    public func messages(conversation: String) throws(StoreError) -> [MessageRecord] {
        try readSingleStatement { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT id, conversationName, role, content, toolCalls, toolCallId, createdAt
                    FROM message WHERE conversationName = ? ORDER BY id
                    """)
            return try Row.fetchAll(statement, arguments: [conversation]).map { row in
                MessageRecord(
                    id: row[0], conversationName: row[1], role: row[2], content: row[3], toolCalls: row[4], toolCallId: row[5],
                    createdAt: row[6])
            }
        }
    }

    /// A session's stored summary and messages, oldest first, read by one statement (so they agree
    /// with each other without a surrounding transaction).
    public func conversation(_ conversation: String) throws(StoreError) -> (summary: String?, messages: [MessageRecord]) {
        try readSingleStatement { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT c.summary, m.id, m.role, m.content, m.toolCalls, m.toolCallId, m.createdAt
                    FROM conversation c LEFT JOIN message m ON m.conversationName = c.name
                    WHERE c.name = ? ORDER BY m.id
                    """)
            var summary: String?
            var messages: [MessageRecord] = []
            let rows = try Row.fetchCursor(statement, arguments: [conversation])
            while let row = try rows.next() {
                summary = row[0]
                guard let id: Int64 = row[1] else { continue }
                messages.append(
                    MessageRecord(
                        id: id, conversationName: conversation, role: row[2], content: row[3], toolCalls: row[4], toolCallId: row[5],
                        createdAt: row[6]))
            }
            return (summary, messages)
        }
    }

    /// Appends messages to a session (creating it when new), in one transaction.
    public func appendMessages(_ messages: [MessageRecord], conversation: String, at now: Date) throws(StoreError) {
        try writeTranscript { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO conversation (name, createdAt, updatedAt) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET updatedAt = excluded.updatedAt
                    """
            ).execute(arguments: [conversation, StoreDate.text(now), StoreDate.text(now)])
            let insert = try db.cachedStatement(
                sql: "INSERT INTO message (conversationName, role, content, toolCalls, toolCallId, createdAt) VALUES (?, ?, ?, ?, ?, ?)")
            for message in messages {
                try insert.execute(
                    arguments: [
                        conversation, message.role, message.content, message.toolCalls, message.toolCallId,
                        StoreDate.text(message.createdAt),
                    ])
            }
        }
    }

    /// A session's stored summary text (nil before its first compaction).
    public func conversationSummary(_ conversation: String) throws(StoreError) -> String? {
        try readSingleStatement { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT summary FROM conversation WHERE name = ?"), arguments: [conversation])
        }
    }

    /// Stores a session's summary (the session must exist).
    public func saveConversationSummary(_ summary: String, conversation: String, at now: Date) throws(StoreError) {
        try writeTranscript { db in
            guard var record = try ConversationRecord.fetchOne(db, key: conversation) else {
                throw StoreError(.notFound, path: path, detail: "there is no chat session '\(conversation)'")
            }
            record.summary = summary
            record.updatedAt = now
            try record.update(db)
        }
    }

    /// Deletes a chat session and its transcript; returns whether it existed.
    @discardableResult
    public func deleteConversation(_ conversation: String) throws(StoreError) -> Bool {
        try writeTranscript { db in try ConversationRecord.deleteOne(db, key: conversation) }
    }

    // MARK: Plans

    /// The stored plan of an ISO week (`2026-W49`), if any.
    public func plan(week: String) throws(StoreError) -> PlanRecord? {
        try read { db in try PlanRecord.filter(Column("week") == week).fetchOne(db) }
    }

    /// Stores a week's plan, replacing an earlier one for that week.
    public func savePlan(week: String, sessions: String, at now: Date) throws(StoreError) -> PlanRecord {
        try write { db in
            try PlanRecord.filter(Column("week") == week).deleteAll(db)
            var plan = PlanRecord(week: week, sessions: sessions, generatedAt: now)
            try plan.insert(db)
            return plan
        }
    }
}
