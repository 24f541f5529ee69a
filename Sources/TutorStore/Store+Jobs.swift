import Foundation
import GRDB

/// A scheduled job: its schedule and what it did last.
public struct JobRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "job"
    public var name: String
    /// `sun 18:00`, `daily 08:00`, `after-sessions` or `off`.
    public var schedule: String
    /// The newest occurrence the job handled (ran, or skipped as already past when created).
    public var lastOccurrence: Date?
    public var lastRunAt: Date?
    public var lastStatus: String?
    public var lastSummary: String?
    public var createdAt: Date

    public init(
        name: String, schedule: String, lastOccurrence: Date? = nil, lastRunAt: Date? = nil, lastStatus: String? = nil,
        lastSummary: String? = nil, createdAt: Date
    ) {
        self.name = name
        self.schedule = schedule
        self.lastOccurrence = lastOccurrence
        self.lastRunAt = lastRunAt
        self.lastStatus = lastStatus
        self.lastSummary = lastSummary
        self.createdAt = createdAt
    }
}

/// One run of a job for one occurrence.
public struct JobRunRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "jobRun"
    public var id: Int64?
    public var job: String
    public var occurrence: Date
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: String
    public var summary: String?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A message for the learner.
public struct InboxRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "inbox"
    public var id: Int64?
    public var kind: String
    public var title: String
    public var body: String
    public var createdAt: Date
    public var readAt: Date?

    public init(id: Int64? = nil, kind: String, title: String, body: String, createdAt: Date, readAt: Date? = nil) {
        self.id = id
        self.kind = kind
        self.title = title
        self.body = body
        self.createdAt = createdAt
        self.readAt = readAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A webhook delivery and its attempts.
public struct DeliveryRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "delivery"
    public var id: Int64?
    public var inboxId: Int64?
    public var url: String
    public var payload: String
    /// `pending`, `delivered` or `failed` (given up).
    public var status: String
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    public init(inboxId: Int64?, url: String, payload: String, createdAt: Date) {
        self.inboxId = inboxId
        self.url = url
        self.payload = payload
        self.status = "pending"
        self.attempts = 0
        self.nextAttemptAt = createdAt
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension Store {
    /// Every job, by name.
    public func jobs() throws(StoreError) -> [JobRecord] {
        try read { db in try JobRecord.order(Column("name")).fetchAll(db) }
    }

    /// Adds the jobs that do not exist yet (an existing job keeps its schedule and history).
    public func ensureJobs(_ jobs: [JobRecord]) throws(StoreError) {
        try write { db in
            for job in jobs where try !JobRecord.exists(db, key: job.name) { try job.insert(db) }
        }
    }

    /// Changes a job's schedule; `lastOccurrence` moves to `handledUpTo` so the new schedule starts
    /// from now instead of catching up on occurrences it never had.
    public func setJobSchedule(name: String, schedule: String, handledUpTo: Date?) throws(StoreError) -> JobRecord {
        try write { db in
            guard var job = try JobRecord.fetchOne(db, key: name) else {
                throw StoreError(.notFound, path: path, detail: "there is no job named '\(name)'; `tutor jobs` lists them")
            }
            job.schedule = schedule
            job.lastOccurrence = handledUpTo
            try job.update(db)
            return job
        }
    }

    /// Claims `occurrence` of `job` for a run: true when this is the first claim, false when the
    /// occurrence was claimed before (by this process or one that crashed). The claim and the
    /// job's `lastOccurrence` move together in one transaction.
    public func claimOccurrence(job: String, occurrence: Date, at now: Date) throws(StoreError) -> Bool {
        try write { db in
            let exists =
                try JobRunRecord.filter(Column("job") == job && Column("occurrence") == occurrence).fetchCount(db) > 0
            guard !exists else { return false }
            var run = JobRunRecord(job: job, occurrence: occurrence, startedAt: now, finishedAt: nil, status: "running", summary: nil)
            try run.insert(db)
            try db.execute(
                sql:
                    "UPDATE job SET lastOccurrence = MAX(COALESCE(lastOccurrence, ?), ?), lastRunAt = ?, lastStatus = 'running' WHERE name = ?",
                arguments: [StoreDate.text(occurrence), StoreDate.text(occurrence), StoreDate.text(now), job])
            return true
        }
    }

    /// Records how the run of `occurrence` ended.
    public func finishRun(job: String, occurrence: Date, status: String, summary: String, at now: Date) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "UPDATE jobRun SET status = ?, summary = ?, finishedAt = ? WHERE job = ? AND occurrence = ?",
                arguments: [status, summary, StoreDate.text(now), job, StoreDate.text(occurrence)])
            try db.execute(
                sql: "UPDATE job SET lastStatus = ?, lastSummary = ? WHERE name = ?", arguments: [status, summary, job])
        }
    }

    /// Marks runs left `running` by a daemon that died as `interrupted`; returns them. They are not
    /// run again: a job runs at most once per occurrence.
    @discardableResult
    public func markInterruptedRuns(at now: Date) throws(StoreError) -> [JobRunRecord] {
        try write { db in
            let stale = try JobRunRecord.filter(Column("status") == "running").fetchAll(db)
            try db.execute(
                sql: "UPDATE jobRun SET status = 'interrupted', finishedAt = ? WHERE status = 'running'", arguments: [StoreDate.text(now)])
            try db.execute(sql: "UPDATE job SET lastStatus = 'interrupted' WHERE lastStatus = 'running'")
            return stale
        }
    }

    /// The runs of `job`, newest first.
    public func jobRuns(job: String, limit: Int = 50) throws(StoreError) -> [JobRunRecord] {
        try read { db in
            try JobRunRecord.filter(Column("job") == job).order(Column("occurrence").desc).limit(limit).fetchAll(db)
        }
    }

    // MARK: Inbox

    /// Adds a message, and webhook deliveries of `payload` to each of `webhooks`, in one transaction.
    public func addToInbox(
        _ message: InboxRecord, webhooks: [String] = [], payload: String = ""
    ) throws(StoreError) -> (
        message: InboxRecord, deliveries: [DeliveryRecord]
    ) {
        try write { db in
            var saved = message
            try saved.insert(db)
            let deliveries = try webhooks.map { url in
                var delivery = DeliveryRecord(inboxId: saved.id, url: url, payload: payload, createdAt: message.createdAt)
                try delivery.insert(db)
                return delivery
            }
            return (saved, deliveries)
        }
    }

    /// Messages, newest first: the unread ones, or all (up to `limit`).
    public func inbox(unreadOnly: Bool, limit: Int = 50) throws(StoreError) -> [InboxRecord] {
        try read { db in
            var request = InboxRecord.order(Column("createdAt").desc, Column("id").desc)
            if unreadOnly { request = request.filter(Column("readAt") == nil) }
            return try request.limit(limit).fetchAll(db)
        }
    }

    /// Marks messages read; returns how many changed.
    @discardableResult
    public func markRead(ids: [Int64], at now: Date) throws(StoreError) -> Int {
        guard !ids.isEmpty else { return 0 }
        return try write { db in
            try InboxRecord.filter(ids.contains(Column("id")) && Column("readAt") == nil).updateAll(db, Column("readAt").set(to: now))
        }
    }

    // MARK: Deliveries

    /// Pending deliveries due at `now`, oldest first.
    public func dueDeliveries(at now: Date) throws(StoreError) -> [DeliveryRecord] {
        try read { db in
            try DeliveryRecord.filter(Column("status") == "pending" && Column("nextAttemptAt") <= now).order(Column("id")).fetchAll(db)
        }
    }

    /// The earliest time a pending delivery is due, if any.
    public func nextDeliveryAttempt() throws(StoreError) -> Date? {
        try read { db in try Date.fetchOne(db, sql: "SELECT MIN(nextAttemptAt) FROM delivery WHERE status = 'pending'") }
    }

    /// Records one attempt: delivered, or failed with `error` and retried at `retryAt` (given up when nil).
    public func recordDeliveryAttempt(id: Int64, error: String?, retryAt: Date?, at now: Date) throws(StoreError) -> DeliveryRecord {
        try write { db in
            guard var delivery = try DeliveryRecord.fetchOne(db, key: id) else {
                throw StoreError(.notFound, path: path, detail: "no delivery \(id)")
            }
            delivery.attempts += 1
            if let error {
                delivery.lastError = error
                delivery.status = retryAt == nil ? "failed" : "pending"
                delivery.nextAttemptAt = retryAt
            } else {
                delivery.status = "delivered"
                delivery.deliveredAt = now
                delivery.nextAttemptAt = nil
            }
            try delivery.update(db)
            return delivery
        }
    }

    /// Every delivery, newest first (for status and tests).
    public func deliveries(limit: Int = 50) throws(StoreError) -> [DeliveryRecord] {
        try read { db in try DeliveryRecord.order(Column("id").desc).limit(limit).fetchAll(db) }
    }
}
