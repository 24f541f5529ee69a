import Foundation
import GRDB

/// Everything the store holds, as one document: what `tutor export` writes and `tutor import` reads.
public struct StoreSnapshot: Codable, Sendable, Equatable {
    /// Identifies the document type.
    public static let formatName = "tutor-export"
    /// The document version this build writes and reads.
    public static let currentVersion = 1

    public var format: String
    public var version: Int
    public var profile: ProfileRecord?
    public var goals: [GoalRecord]
    public var tasks: [TaskRecord]
    public var studyLog: [StudyLogRecord]
    public var skillStates: [SkillStateRecord]
    public var reviewCards: [ReviewCardRecord]
    public var reviewLogs: [ReviewLogRecord]
    public var plans: [PlanRecord]
    public var conversations: [ConversationRecord]
    public var messages: [MessageRecord]
    /// Wrong answers kept on their skills (absent in exports written before tutoring state).
    public var misconceptions: [MisconceptionRecord]?
    /// Model-written quiz questions (absent in exports written before tutoring state).
    public var quizItems: [QuizItemRecord]?
    /// Evidence for hands-on checklist items (absent in exports written before catalogue versions).
    public var checklistEvidence: [ChecklistEvidenceRecord]?
    /// The catalogue version the goals followed (absent before catalogue versions: the oldest, then).
    public var catalogueVersion: String?

    /// Whether the snapshot holds no learner data at all.
    public var isEmpty: Bool {
        profile == nil && goals.isEmpty && tasks.isEmpty && studyLog.isEmpty && skillStates.isEmpty && reviewCards.isEmpty
            && plans.isEmpty && conversations.isEmpty
    }

    /// Encodes the snapshot deterministically: sorted keys, dates in UTC with milliseconds, so the
    /// same data always gives the same bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(StoreSnapshot.formatDate(date))
        }
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// Decodes a snapshot, checking its format and version.
    public static func decode(_ data: Data) throws(StoreError) -> StoreSnapshot {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = StoreSnapshot.parseDate(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not a date like 2026-01-31T18:00:00.000Z")
            }
            return date
        }
        let snapshot: StoreSnapshot
        do {
            snapshot = try decoder.decode(StoreSnapshot.self, from: data)
        } catch {
            throw StoreError(.invalidInput, path: "", detail: "this is not a Tutor export this version can read (\(error))")
        }
        guard snapshot.format == formatName else {
            throw StoreError(.invalidInput, path: "", detail: "this JSON is not a Tutor export (format is '\(snapshot.format)')")
        }
        guard snapshot.version <= currentVersion else {
            throw StoreError(
                .invalidInput, path: "",
                detail: "this export is version \(snapshot.version), newer than this Tutor reads (\(currentVersion)); update Tutor first")
        }
        return snapshot
    }

    static let secondsFormat = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)

    /// `2026-01-31T18:00:00.123Z`, rounded to the nearest millisecond with integer arithmetic, so a
    /// date read back from the database (where it is kept to the millisecond) always prints the same.
    static func formatDate(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (whole, fraction) = seconds.remainder < 0 ? (seconds.quotient - 1, seconds.remainder + 1000) : seconds
        let base = secondsFormat.format(Date(timeIntervalSince1970: Double(whole)))
        let digits = String(fraction)
        return base.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// Parses what ``formatDate(_:)`` writes. The date lands half a microsecond past its
    /// millisecond, so the store's truncating formatter keeps exactly that millisecond.
    static func parseDate(_ text: String) -> Date? {
        guard text.hasSuffix("Z"), let dot = text.lastIndex(of: ".") else { return try? secondsFormat.parse(text) }
        let fraction = text[text.index(after: dot)..<text.index(before: text.endIndex)]
        guard fraction.count == 3, let milliseconds = Int(fraction),
            let whole = try? secondsFormat.parse(String(text[..<dot]) + "Z")
        else { return nil }
        return Date(timeIntervalSince1970: whole.timeIntervalSince1970 + Double(milliseconds) / 1000 + 0.000_000_5)
    }
}

extension Store {
    /// Reads everything into one snapshot, in a single read transaction (a consistent picture).
    public func snapshot() throws(StoreError) -> StoreSnapshot {
        try read { db in
            StoreSnapshot(
                format: StoreSnapshot.formatName,
                version: StoreSnapshot.currentVersion,
                profile: try ProfileRecord.fetchOne(db),
                goals: try GoalRecord.order(Column("id")).fetchAll(db),
                tasks: try TaskRecord.order(Column("id")).fetchAll(db),
                studyLog: try StudyLogRecord.order(Column("id")).fetchAll(db),
                skillStates: try SkillStateRecord.order(Column("skillId")).fetchAll(db),
                reviewCards: try ReviewCardRecord.order(Column("id")).fetchAll(db),
                reviewLogs: try ReviewLogRecord.order(Column("id")).fetchAll(db),
                plans: try PlanRecord.order(Column("id")).fetchAll(db),
                conversations: try ConversationRecord.order(Column("name")).fetchAll(db),
                messages: try MessageRecord.order(Column("id")).fetchAll(db),
                misconceptions: try MisconceptionRecord.order(Column("id")).fetchAll(db),
                quizItems: try QuizItemRecord.order(Column("id")).fetchAll(db),
                checklistEvidence: try ChecklistEvidenceRecord.order(Column("id")).fetchAll(db),
                catalogueVersion: try String.fetchOne(db, sql: "SELECT version FROM catalogueState WHERE id = 1")
            )
        }
    }

    /// Restores a snapshot, keeping every id, in one transaction.
    ///
    /// - Parameter replace: allow overwriting a store that already holds data.
    /// - Throws: `invalidInput` when the store is not empty and `replace` is false; nothing is changed then.
    public func restore(_ snapshot: StoreSnapshot, replace: Bool) throws(StoreError) {
        try write { db in
            let existing = try Self.dataCounts(db)
            if !replace, existing.values.contains(where: { $0 > 0 }) {
                let summary = existing.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                throw StoreError(
                    .invalidInput, path: path,
                    detail: "the store already holds data (\(summary.joined(separator: ", "))); "
                        + "import with --replace to overwrite it, after `tutor export > backup.json`")
            }
            for table in [
                "checklistEvidence", "catalogueState", "forecastHistory", "exercise", "testOut", "placementDraft", "misconception",
                "quizItem", "reviewLog", "reviewCard", "message", "conversation",
                "plan",
                "studyLog", "task",
                "goal", "skillState", "profile",
            ] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            if let profile = snapshot.profile { try profile.insert(db) }
            for var goal in snapshot.goals { try goal.insert(db) }
            for var task in snapshot.tasks { try task.insert(db) }
            for var entry in snapshot.studyLog { try entry.insert(db) }
            for state in snapshot.skillStates { try state.insert(db) }
            for card in snapshot.reviewCards { try card.insert(db) }
            for var log in snapshot.reviewLogs { try log.insert(db) }
            for var plan in snapshot.plans { try plan.insert(db) }
            for conversation in snapshot.conversations { try conversation.insert(db) }
            for var message in snapshot.messages { try message.insert(db) }
            for var misconception in snapshot.misconceptions ?? [] { try misconception.insert(db) }
            for item in snapshot.quizItems ?? [] { try item.insert(db) }
            for var evidence in snapshot.checklistEvidence ?? [] { try evidence.insert(db) }
            if let version = snapshot.catalogueVersion {
                try db.execute(
                    sql: "INSERT INTO catalogueState (id, version, updatedAt) VALUES (1, ?, ?)",
                    arguments: [version, StoreDate.text(Date())])
            }
        }
    }

    static func dataCounts(_ db: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in ["profile", "goal", "task", "studyLog", "skillState", "reviewCard", "plan", "conversation"] {
            counts[table] = try Table(table).fetchCount(db)
        }
        return counts
    }
}
