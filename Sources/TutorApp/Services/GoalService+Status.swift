import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

extension GoalService {
    // MARK: Undoing finished tasks

    /// Reopens finished tasks ("I didn't actually finish task 2"): each goes back on the open list
    /// with its estimate; time logged on it stays logged.
    public func reopenTasks(ids: [Int64]) throws -> TaskReopening {
        guard !ids.isEmpty else { throw Self.badInput("name the tasks to reopen by their numbers") }
        let tasks = try existingTasks(ids)
        let finished = tasks.filter { $0.status == "done" || $0.status == "skipped" }
        let changed = try store.changeFinishedTasks(
            reopen: finished.compactMap(\.id), finish: [], planWeek: try currentWeek().description, at: now())
        return try reopening(changed, alreadyOpen: tasks.filter { !finished.contains($0) }.compactMap(\.id))
    }

    /// Makes the tasks finished in the last day exactly those the learner meant ("oops, I meant
    /// tasks 1 and 3" after "I finished tasks 1, 2 and 3"): the others are reopened, and a meant
    /// one not yet done is marked done.
    public func correctFinishedTasks(meant ids: [Int64]) throws -> TaskReopening {
        guard !ids.isEmpty else { throw Self.badInput("name the tasks you finished by their numbers") }
        let meant = try existingTasks(ids)
        let since = now().addingTimeInterval(-86_400)
        let recent = try store.tasks(statuses: ["done"]).filter { ($0.completedAt ?? .distantPast) >= since }
        guard !recent.isEmpty else {
            throw Self.notFound(
                "no task was marked done in the last day, so there is nothing to correct; \"I finished task 3\" marks one done")
        }
        let wanted = Set(ids)
        let reopen = recent.compactMap(\.id).filter { !wanted.contains($0) }
        let finish = meant.filter { $0.status != "done" }.compactMap(\.id)
        let changed = try store.changeFinishedTasks(reopen: reopen, finish: finish, planWeek: try currentWeek().description, at: now())
        return try reopening(changed, alreadyOpen: [])
    }

    func existingTasks(_ ids: [Int64]) throws -> [TaskRecord] {
        try ids.map { id in
            guard let task = try store.task(id: id) else {
                throw Self.notFound("there is no task \(id); \"what are my tasks?\" lists them with their numbers")
            }
            return task
        }
    }

    func reopening(_ changed: (reopened: [TaskRecord], finished: [TaskRecord]), alreadyOpen: [Int64]) throws -> TaskReopening {
        for skill in Set((changed.reopened + changed.finished).compactMap(\.skillId)) { try reviewService.updateMastery(skill) }
        let open = try store.tasks(statuses: ["pending", "learning"])
        return TaskReopening(
            reopened: changed.reopened.map(view), finished: changed.finished.map(view), alreadyOpen: alreadyOpen, openTasks: open.count,
            openMinutes: open.map { max(0, $0.estimateMinutes - $0.actualMinutes) }.reduce(0, +))
    }

    // MARK: Pausing, resuming and dropping goals

    /// The actions on a goal: `pause` (its tasks leave the weekly plans), `resume` (a paused or
    /// dropped goal is pursued again), `drop` (given up, its data kept; undone by resume).
    public static let goalActions = ["pause", "resume", "drop"]

    /// Pauses, resumes or drops the goal `words` name (any goal the action applies to when they
    /// name none and there is one); when several could be meant, lists them to choose from.
    public func changeGoal(action: String, goal words: String?) throws -> GoalStatusChange {
        guard Self.goalActions.contains(action) else { throw Self.badInput("action must be pause, resume or drop, not '\(action)'") }
        let goals = try store.goals()
        let applicable = goals.filter { goal in
            switch action {
            case "pause": goal.isPursued
            case "resume": goal.pausedAt != nil || goal.status == "dropped"
            default: goal.status != "dropped" && goal.status != "done"
            }
        }
        let named = Self.matching(words, in: goals)
        let target: GoalRecord
        if let words = named.words {
            guard named.goals.count == 1, let only = named.goals.first else {
                return try statusChange(
                    "which", action, nil, choices: named.goals.isEmpty ? goals : named.goals,
                    note: "No single goal matches '\(words)': ask which one, by its name.")
            }
            target = only
        } else if applicable.count == 1, let only = applicable.first {
            target = only
        } else if applicable.isEmpty {
            return try statusChange("none", action, nil, choices: goals, note: "No goal can be \(Self.past(action)) now.")
        } else {
            return try statusChange("which", action, nil, choices: applicable, note: "Ask which goal, by its name.")
        }
        guard applicable.contains(target), let id = target.id else {
            return try statusChange(
                "unchanged", action, target, note: "That goal is already \(target.pausedAt != nil ? "paused" : target.status).")
        }
        let week = try currentWeek().description
        switch action {
        case "pause": _ = try store.setGoalStatus(id: id, status: "active", pausedAt: now(), planWeek: week)
        case "resume": _ = try store.setGoalStatus(id: id, status: "active", pausedAt: nil, planWeek: week)
        default: _ = try store.setGoalStatus(id: id, status: "dropped", pausedAt: nil, planWeek: week)
        }
        return try statusChange(
            Self.past(action), action, target,
            note: action == "resume"
                ? "Its tasks are back in the weekly plans."
                : "Its tasks and history are kept; they stay off the weekly plans until it is resumed.")
    }

    /// The change as it stands now, with the goal and `choices` as the learner sees them.
    func statusChange(
        _ outcome: String, _ action: String, _ goal: GoalRecord?, choices: [GoalRecord] = [], note: String
    ) throws -> GoalStatusChange {
        let views = try goals().goals
        let open = try store.tasks(statuses: ["pending", "learning"]).filter { $0.goalId != nil && $0.goalId == goal?.id }
        return GoalStatusChange(
            outcome: outcome, action: action, goal: views.first { $0.id == goal?.id },
            goals: choices.compactMap { choice in views.first { $0.id == choice.id } }, openTasks: open.count,
            openMinutes: open.map { max(0, $0.estimateMinutes - $0.actualMinutes) }.reduce(0, +), note: note)
    }

    static func past(_ action: String) -> String {
        switch action {
        case "pause": "paused"
        case "resume": "resumed"
        default: "dropped"
        }
    }

    /// The goals `words` name: by number, or by the words of their title or target ("the RAG
    /// goal"); `words` nil when they name none ("my goal").
    static func matching(_ words: String?, in goals: [GoalRecord]) -> (words: String?, goals: [GoalRecord]) {
        let filler: Set<String> = ["my", "the", "a", "an", "goal", "goals", "one", "this", "that", "current", "whole", "it", "for", "now"]
        let tokens = (words ?? "").lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init).filter { !filler.contains($0) }
        guard !tokens.isEmpty, let words else { return (nil, []) }
        if tokens.count == 1, let id = Int64(tokens[0]) { return (words, goals.filter { $0.id == id }) }
        let scored = goals.map { goal -> (GoalRecord, Int) in
            let text = Set(
                "\(goal.title) \(goal.target ?? "")".lowercased().split { !$0.isLetter && !$0.isNumber }.map { KeyTerms.stem(String($0)) })
            return (goal, tokens.filter { text.contains(KeyTerms.stem($0)) }.count)
        }
        let best = scored.map(\.1).max() ?? 0
        return (words, best == 0 ? [] : scored.filter { $0.1 == best }.map(\.0))
    }
}
