import Foundation
import TutorCatalogue
import TutorStore

/// Why the open tasks come in the order they do: each one's prerequisites on the roadmap, and
/// where those stand for this learner.
public struct TaskOrderView: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var position: Int
        public var taskId: Int64
        public var title: String
        public var stage: String?
        /// What the roadmap says must come first, and where each stands.
        public var prerequisites: [Prerequisite]
        /// Later open tasks that build on this one.
        public var unlocks: [String]
    }

    public struct Prerequisite: Codable, Sendable, Equatable {
        public var skillId: String
        public var title: String
        /// `done` (its task is finished or the skill is known), `earlier` (an open task before
        /// this one) or `not on your list` (known from the setup, or outside the goal).
        public var status: String
    }

    public var tasks: [Entry]
    public var rule: String
}

extension PlanService {
    /// The first `limit` open tasks, in plan order, each with the prerequisites that put it there.
    public func taskOrder(limit: Int) throws -> TaskOrderView {
        guard limit >= 1 else { throw Self.badInput("limit must be 1 or more") }
        let all = try store.tasks()
        let open = all.filter { $0.status == "pending" || $0.status == "learning" }
        let states = Dictionary(uniqueKeysWithValues: try store.skillStates().map { ($0.skillId, $0.status) })
        let finished = Set(all.filter { $0.status == "done" || $0.status == "skipped" }.compactMap(\.skillId))
        let openPosition = Dictionary(
            open.enumerated().compactMap { index, task in task.skillId.map { ($0, index) } }, uniquingKeysWith: min)
        let entries = open.prefix(limit).enumerated().map { index, task in
            let needs = prerequisites(of: task)
            let listed = needs.map { id in
                let status: String
                if finished.contains(id) || ["mastered", "known"].contains(states[id] ?? "") {
                    status = "done"
                } else if let position = openPosition[id], position < index {
                    status = "earlier"
                } else {
                    status = "not on your list"
                }
                return TaskOrderView.Prerequisite(skillId: id, title: catalogue.skill(id)?.title ?? id, status: status)
            }
            let unlocks = open.dropFirst(index + 1).filter { later in task.skillId.map { prerequisites(of: later).contains($0) } ?? false }
            return TaskOrderView.Entry(
                position: index + 1, taskId: task.id ?? 0, title: task.title,
                stage: (task.skillId.flatMap { catalogue.skill($0)?.stage } ?? task.projectId.flatMap { catalogue.project($0)?.stage })?
                    .rawValue, prerequisites: listed,
                unlocks: unlocks.prefix(3).map(\.title))
        }
        return TaskOrderView(
            tasks: entries,
            rule: "Tasks follow the roadmap: a skill comes after the skills it builds on, and earlier stages come before later ones.")
    }

    /// The canonical skill ids a task's skill or project builds on.
    func prerequisites(of task: TaskRecord) -> [String] {
        let ids =
            task.skillId.flatMap { catalogue.skill($0)?.prerequisites } ?? task.projectId.flatMap { catalogue.project($0)?.prerequisites }
            ?? []
        return ids.compactMap { catalogue.canonicalID($0) }
    }
}
