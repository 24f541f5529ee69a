import Foundation

// MARK: Fixing mistakes: the study log, goals and tasks

/// `study.list`: the latest study-log entries, newest first.
public enum StudyListMethod: RPCMethod {
    public static let name = "study.list"
    public typealias Params = StudyListParams
    public typealias Result = StudyListResult
}

/// `study.correct`: sets one entry's minutes, or removes it (the latest when no id is given).
public enum StudyCorrectMethod: RPCMethod {
    public static let name = "study.correct"
    public typealias Params = StudyCorrectParams
    public typealias Result = StudyLogCorrection
}

/// `goal.change`: pauses, resumes or drops a goal (its tasks and history are kept).
public enum GoalChangeMethod: RPCMethod {
    public static let name = "goal.change"
    public typealias Params = GoalChangeParams
    public typealias Result = GoalStatusChange
}

/// `task.reopen`: finished or skipped tasks back on the open list.
public enum TaskReopenMethod: RPCMethod {
    public static let name = "task.reopen"
    public typealias Params = TaskReopenParams
    public typealias Result = TaskReopening
}

/// `task.skip`: a task left out of the plans without being done.
public enum TaskSkipMethod: RPCMethod {
    public static let name = "task.skip"
    public typealias Params = TaskSkipParams
    public typealias Result = TaskView
}

public struct StudyListParams: Codable, Sendable, Equatable {
    /// At most this many entries (1–500, default 20).
    public var limit: Int?
    public init(limit: Int? = nil) { self.limit = limit }
}

/// One study-log entry as the learner sees it.
public struct StudyEntryView: Codable, Sendable, Equatable {
    public var id: Int64
    public var minutes: Int
    public var skillId: String?
    public var skillTitle: String?
    public var note: String?
    public var loggedAt: Date
    public init(id: Int64, minutes: Int, skillId: String?, skillTitle: String?, note: String?, loggedAt: Date) {
        self.id = id
        self.minutes = minutes
        self.skillId = skillId
        self.skillTitle = skillTitle
        self.note = note
        self.loggedAt = loggedAt
    }
}

public struct StudyListResult: Codable, Sendable, Equatable {
    public var entries: [StudyEntryView]
    public var weekMinutes: Int
    public init(entries: [StudyEntryView], weekMinutes: Int) {
        self.entries = entries
        self.weekMinutes = weekMinutes
    }
}

public struct StudyCorrectParams: Codable, Sendable, Equatable {
    /// The entry (from `study.list`); nil means the latest one.
    public var id: Int64?
    /// The minutes it should have; nil removes the entry.
    public var minutes: Int?
    public init(id: Int64? = nil, minutes: Int? = nil) {
        self.id = id
        self.minutes = minutes
    }
}

/// A corrected (or removed) study-log entry, and the week's minutes after the correction.
public struct StudyLogCorrection: Codable, Sendable, Equatable {
    public var id: Int64
    public var skillId: String?
    public var minutesBefore: Int
    /// Nil once removed.
    public var minutesNow: Int?
    public var removed: Bool
    public var weekMinutes: Int
    public init(id: Int64, skillId: String?, minutesBefore: Int, minutesNow: Int?, removed: Bool, weekMinutes: Int) {
        self.id = id
        self.skillId = skillId
        self.minutesBefore = minutesBefore
        self.minutesNow = minutesNow
        self.removed = removed
        self.weekMinutes = weekMinutes
    }
}

public struct GoalChangeParams: Codable, Sendable, Equatable {
    /// `pause`, `resume` or `drop`.
    public var action: String
    /// The goal's number, or words of its title.
    public var goal: String
    public init(action: String, goal: String) {
        self.action = action
        self.goal = goal
    }
}

/// A goal paused, resumed or dropped; or, when the words do not say which goal, the goals to choose from.
public struct GoalStatusChange: Codable, Sendable, Equatable {
    /// `paused`, `resumed`, `dropped`; `unchanged` when it already was; `which` when the learner
    /// has to say which goal; `none` when no goal can take that action.
    public var outcome: String
    public var action: String
    public var goal: GoalView?
    /// The goals to choose from, for `which`.
    public var goals: [GoalView]
    /// The goal's open tasks: off the weekly plans while paused or dropped.
    public var openTasks: Int
    public var openMinutes: Int
    public var note: String
    public init(
        outcome: String, action: String, goal: GoalView?, goals: [GoalView], openTasks: Int, openMinutes: Int, note: String
    ) {
        self.outcome = outcome
        self.action = action
        self.goal = goal
        self.goals = goals
        self.openTasks = openTasks
        self.openMinutes = openMinutes
        self.note = note
    }
}

public struct TaskReopenParams: Codable, Sendable, Equatable {
    public var ids: [Int64]
    public init(ids: [Int64]) { self.ids = ids }
}

/// Finished tasks reopened ("undo task 2", "oops, I meant tasks 1 and 3").
public struct TaskReopening: Codable, Sendable, Equatable {
    /// Back on the open list, with their estimates.
    public var reopened: [TaskView]
    /// Marked done because the learner meant them.
    public var finished: [TaskView]
    /// Named but already open (nothing to undo).
    public var alreadyOpen: [Int64]
    /// What the open list holds now.
    public var openTasks: Int
    public var openMinutes: Int
    public init(reopened: [TaskView], finished: [TaskView], alreadyOpen: [Int64], openTasks: Int, openMinutes: Int) {
        self.reopened = reopened
        self.finished = finished
        self.alreadyOpen = alreadyOpen
        self.openTasks = openTasks
        self.openMinutes = openMinutes
    }
}

public struct TaskSkipParams: Codable, Sendable, Equatable {
    public var id: Int64
    public init(id: Int64) { self.id = id }
}
