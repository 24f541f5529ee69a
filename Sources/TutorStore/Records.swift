import Foundation
import GRDB

/// The learner's profile: one row. `availability` holds windows such as `mon 19:00-21:00`,
/// already validated by the learning policies before they reach the store.
public struct ProfileRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "profile"
    public var id: Int64 = 1
    public var name: String?
    public var background: String
    public var track: String?
    public var hoursPerWeek: Double
    public var availability: [String]
    public var timeZone: String
    /// `YYYY-MM-DD`, when the learner has one.
    public var targetDate: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        name: String? = nil, background: String = "programmer", track: String? = nil, hoursPerWeek: Double = 10,
        availability: [String] = [], timeZone: String = "UTC", targetDate: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.name = name
        self.background = background
        self.track = track
        self.hoursPerWeek = hoursPerWeek
        self.availability = availability
        self.timeZone = timeZone
        self.targetDate = targetDate
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Something the learner wants to reach: a skill, stage, project, track or free text.
public struct GoalRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "goal"
    public var id: Int64?
    public var title: String
    public var kind: String
    public var target: String?
    /// `active`, `done` or `dropped`.
    public var status: String
    public var createdAt: Date
    /// When the learner paused it; nil while it is pursued. A paused goal's tasks are not planned.
    public var pausedAt: Date?

    public init(
        id: Int64? = nil, title: String, kind: String, target: String?, status: String = "active", createdAt: Date, pausedAt: Date? = nil
    ) {
        self.id = id
        self.title = title
        self.kind = kind
        self.target = target
        self.status = status
        self.createdAt = createdAt
        self.pausedAt = pausedAt
    }

    /// Whether its tasks are planned: active and not paused.
    public var isPursued: Bool { status == "active" && pausedAt == nil }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A concrete step towards a goal: learn, practise or check a skill, build a project, or review.
public struct TaskRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "task"
    public var id: Int64?
    public var goalId: Int64?
    public var skillId: String?
    public var projectId: String?
    public var kind: String
    public var title: String
    public var status: String
    public var position: Int
    public var estimateMinutes: Int
    public var actualMinutes: Int
    public var evidence: String?
    public var createdAt: Date
    public var completedAt: Date?

    public init(
        id: Int64? = nil, goalId: Int64?, skillId: String?, projectId: String? = nil, kind: String, title: String,
        status: String = "pending", position: Int, estimateMinutes: Int, actualMinutes: Int = 0, evidence: String? = nil,
        createdAt: Date, completedAt: Date? = nil
    ) {
        self.id = id
        self.goalId = goalId
        self.skillId = skillId
        self.projectId = projectId
        self.kind = kind
        self.title = title
        self.status = status
        self.position = position
        self.estimateMinutes = estimateMinutes
        self.actualMinutes = actualMinutes
        self.evidence = evidence
        self.createdAt = createdAt
        self.completedAt = completedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A stretch of study the learner reported.
public struct StudyLogRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "studyLog"
    public var id: Int64?
    public var skillId: String?
    public var taskId: Int64?
    public var minutes: Int
    public var note: String?
    public var loggedAt: Date

    public init(id: Int64? = nil, skillId: String?, taskId: Int64? = nil, minutes: Int, note: String? = nil, loggedAt: Date) {
        self.id = id
        self.skillId = skillId
        self.taskId = taskId
        self.minutes = minutes
        self.note = note
        self.loggedAt = loggedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// What the tutor believes about one skill: mastery from 0 to 1 and the evidence behind it.
public struct SkillStateRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "skillState"
    public var skillId: String
    public var mastery: Double
    public var status: String
    /// Free-form notes on the evidence (checklist items met, links), newest last.
    public var evidence: [String]
    public var updatedAt: Date

    public init(skillId: String, mastery: Double, status: String, evidence: [String] = [], updatedAt: Date) {
        self.skillId = skillId
        self.mastery = mastery
        self.status = status
        self.evidence = evidence
        self.updatedAt = updatedAt
    }
}

/// One review item (a catalogue quiz question) with its FSRS card state.
public struct ReviewCardRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "reviewCard"
    /// `<skill id>#<quiz index>`.
    public var id: String
    public var skillId: String
    public var state: Int
    public var step: Int?
    public var stability: Double?
    public var difficulty: Double?
    public var due: Date
    public var lastReview: Date?

    public init(
        id: String, skillId: String, state: Int, step: Int?, stability: Double?, difficulty: Double?, due: Date, lastReview: Date?
    ) {
        self.id = id
        self.skillId = skillId
        self.state = state
        self.step = step
        self.stability = stability
        self.difficulty = difficulty
        self.due = due
        self.lastReview = lastReview
    }
}

/// One grading of a review card.
public struct ReviewLogRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "reviewLog"
    public var id: Int64?
    public var cardId: String
    public var rating: Int
    public var reviewedAt: Date

    public init(id: Int64? = nil, cardId: String, rating: Int, reviewedAt: Date) {
        self.id = id
        self.cardId = cardId
        self.rating = rating
        self.reviewedAt = reviewedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A generated plan for one ISO week; `sessions` is the plan's JSON as the planner wrote it.
public struct PlanRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "plan"
    public var id: Int64?
    public var week: String
    public var sessions: String
    public var generatedAt: Date

    public init(id: Int64? = nil, week: String, sessions: String, generatedAt: Date) {
        self.id = id
        self.week = week
        self.sessions = sessions
        self.generatedAt = generatedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A named chat session.
public struct ConversationRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "conversation"
    public var name: String
    public var summary: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(name: String, summary: String? = nil, createdAt: Date, updatedAt: Date) {
        self.name = name
        self.summary = summary
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One message of a chat session's transcript.
public struct MessageRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "message"
    public var id: Int64?
    public var conversationName: String
    public var role: String
    public var content: String
    public var toolCalls: String?
    public var toolCallId: String?
    public var createdAt: Date

    public init(
        id: Int64? = nil, conversationName: String, role: String, content: String, toolCalls: String? = nil, toolCallId: String? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.conversationName = conversationName
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallId = toolCallId
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
