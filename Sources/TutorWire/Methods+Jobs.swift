#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Methods for the scheduler's jobs and the learner's inbox.

/// `jobs.list`: every job with its schedule, last run and next run.
public enum JobsListMethod: RPCMethod {
    public static let name = "jobs.list"
    public typealias Params = NoParams
    public typealias Result = JobsListResult
}

/// `jobs.set`: change a job's schedule (`sun 18:00`, `daily 08:00`, `after-sessions`, `off`).
public enum JobsSetMethod: RPCMethod {
    public static let name = "jobs.set"
    public typealias Params = JobsSetParams
    public typealias Result = JobView
}

/// `jobs.run`: run a job now, whatever its schedule.
public enum JobsRunMethod: RPCMethod {
    public static let name = "jobs.run"
    public typealias Params = JobsRunParams
    public typealias Result = JobRunView
}

/// `inbox.list`: messages from the tutor's jobs, unread ones by default; marks them read unless asked not to.
public enum InboxListMethod: RPCMethod {
    public static let name = "inbox.list"
    public typealias Params = InboxListParams
    public typealias Result = InboxListResult
}

public struct JobView: Codable, Sendable, Equatable {
    public var name: String
    public var schedule: String
    public var lastRunAt: Date?
    /// `running`, `done`, `failed` or `interrupted`.
    public var lastStatus: String?
    public var lastSummary: String?
    public var nextRunAt: Date?
    /// The same times written in the learner's time zone (`Sun 29 Nov 18:00`).
    public var lastRunLocal: String?
    public var nextRunLocal: String?

    public init(
        name: String, schedule: String, lastRunAt: Date?, lastStatus: String?, lastSummary: String?, nextRunAt: Date?,
        lastRunLocal: String? = nil, nextRunLocal: String? = nil
    ) {
        self.name = name
        self.schedule = schedule
        self.lastRunAt = lastRunAt
        self.lastStatus = lastStatus
        self.lastSummary = lastSummary
        self.nextRunAt = nextRunAt
        self.lastRunLocal = lastRunLocal
        self.nextRunLocal = nextRunLocal
    }
}

public struct JobsListResult: Codable, Sendable, Equatable {
    public var jobs: [JobView]
    /// The time zone schedules are read in.
    public var timeZone: String
    public init(jobs: [JobView], timeZone: String) {
        self.jobs = jobs
        self.timeZone = timeZone
    }
}

public struct JobsSetParams: Codable, Sendable, Equatable {
    public var name: String
    public var schedule: String
    public init(name: String, schedule: String) {
        self.name = name
        self.schedule = schedule
    }
}

public struct JobsRunParams: Codable, Sendable, Equatable {
    public var name: String
    public init(name: String) { self.name = name }
}

public struct JobRunView: Codable, Sendable, Equatable {
    public var name: String
    public var occurrence: Date
    public var status: String
    public var summary: String
    /// Titles of the messages it sent.
    public var notices: [String]
    public init(name: String, occurrence: Date, status: String, summary: String, notices: [String]) {
        self.name = name
        self.occurrence = occurrence
        self.status = status
        self.summary = summary
        self.notices = notices
    }
}

public struct InboxListParams: Codable, Sendable, Equatable {
    /// Also the messages already read (the newest 50).
    public var all: Bool?
    /// Leave the messages unread.
    public var keepUnread: Bool?
    public init(all: Bool? = nil, keepUnread: Bool? = nil) {
        self.all = all
        self.keepUnread = keepUnread
    }
}

public struct InboxMessageView: Codable, Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var title: String
    public var body: String
    public var createdAt: Date
    /// `createdAt` in the learner's time zone (`Sun 29 Nov 18:00`).
    public var createdAtLocal: String
    public var read: Bool
    public init(id: Int64, kind: String, title: String, body: String, createdAt: Date, createdAtLocal: String, read: Bool) {
        self.id = id
        self.kind = kind
        self.title = title
        self.body = body
        self.createdAt = createdAt
        self.createdAtLocal = createdAtLocal
        self.read = read
    }
}

public struct InboxListResult: Codable, Sendable, Equatable {
    public var messages: [InboxMessageView]
    /// Unread messages before this call.
    public var unread: Int
    public init(messages: [InboxMessageView], unread: Int) {
        self.messages = messages
        self.unread = unread
    }
}
