import Foundation
import GRDB

/// Evidence a learner recorded for one hands-on checklist item of a skill.
public struct ChecklistEvidenceRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "checklistEvidence"
    public var id: Int64?
    public var skillId: String
    /// The checklist item's text, as the catalogue words it.
    public var item: String
    /// `link`, `file`, `output` (a command's output) or `note`.
    public var kind: String
    public var evidence: String
    public var createdAt: Date

    public init(id: Int64? = nil, skillId: String, item: String, kind: String, evidence: String, createdAt: Date) {
        self.id = id
        self.skillId = skillId
        self.item = item
        self.kind = kind
        self.evidence = evidence
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// The catalogue version the learner's goals follow, and evidence for hands-on checklist items.
/// Every method that writes does so in one transaction.
extension Store {
    /// The catalogue version the learner's goals were last brought in line with; nil before the first.
    public func catalogueVersion() throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT version FROM catalogueState WHERE id = 1") }
    }

    /// Brings the learner's goals in line with a newer catalogue in one transaction: adds `tasks`
    /// (each carrying its goal's id) that do not exist yet, drops the stored plans from `planWeek`
    /// on when any was added (the next plan includes them), posts `message` when given, and records
    /// `version`. Returns the tasks that were new.
    public func applyCatalogueVersion(
        _ version: String, tasks: [TaskRecord], message: InboxRecord?, planWeek: String, at now: Date
    ) throws(StoreError) -> [TaskRecord] {
        try write { db in
            let added = try Self.insertNewTasks(db, tasks)
            if !added.isEmpty { try Self.dropPlans(db, from: planWeek) }
            if var message { try message.insert(db) }
            try db.execute(
                sql: """
                    INSERT INTO catalogueState (id, version, updatedAt) VALUES (1, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET version = excluded.version, updatedAt = excluded.updatedAt
                    """, arguments: [version, StoreDate.text(now)])
            return added
        }
    }

    /// Records (or replaces) the evidence for one hands-on item.
    public func saveChecklistEvidence(_ record: ChecklistEvidenceRecord) throws(StoreError) -> ChecklistEvidenceRecord {
        try write { db in
            try ChecklistEvidenceRecord.filter(Column("skillId") == record.skillId && Column("item") == record.item).deleteAll(db)
            var saved = record
            try saved.insert(db)
            return saved
        }
    }

    /// Removes the evidence for one item; true when there was some.
    public func removeChecklistEvidence(skillId: String, item: String) throws(StoreError) -> Bool {
        try write { db in
            try ChecklistEvidenceRecord.filter(Column("skillId") == skillId && Column("item") == item).deleteAll(db) > 0
        }
    }

    /// The evidence recorded for a skill's items, or for every skill.
    public func checklistEvidence(skillId: String? = nil) throws(StoreError) -> [ChecklistEvidenceRecord] {
        try read { db in
            var request = ChecklistEvidenceRecord.order(Column("skillId"), Column("id"))
            if let skillId { request = request.filter(Column("skillId") == skillId) }
            return try request.fetchAll(db)
        }
    }
}
