import Foundation
import TutorCatalogue
import TutorStore

/// Why the open tasks come in the order they do: each skill's prerequisites on the roadmap, where
/// those stand for this learner, and which later skills build on it.
public struct TaskOrderView: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        /// The skill's place among the open tasks' skills (1 = next).
        public var position: Int
        public var skillId: String
        public var title: String
        public var stage: String?
        /// The first open task of the skill.
        public var taskId: Int64
        /// What the roadmap says must come first, and where each stands.
        public var prerequisites: [Prerequisite]
        /// Later skills on the list that build on this one.
        public var unlocks: [String]
    }

    public struct Prerequisite: Codable, Sendable, Equatable {
        public var skillId: String
        public var title: String
        /// `done` (its tasks are finished or the skill is known), `earlier` (a skill before this
        /// one on the list) or `known or outside the goal` (not on the list).
        public var status: String
    }

    /// The skills asked about, next first; the one the learner named first when they named one.
    public var skills: [Entry]
    /// Set when the learner named a skill that is not among their open tasks.
    public var notOnList: String?
    public var rule: String
    /// When the learner asked why one skill comes before another: the roadmap's chain of
    /// prerequisites from the first to the second.
    public var chain: Chain?

    /// "Why embeddings before RAG?": how the later skill builds, step by step, on the earlier.
    public struct Chain: Codable, Sendable, Equatable {
        public var from: String
        public var to: String
        /// Titles from `from` to `to`, each a prerequisite of the next; empty when the roadmap
        /// does not put `from` before `to`.
        public var steps: [String]
        /// Why `from` is needed, in the roadmap's words (the later skill's description).
        public var why: String?
        /// True when the learner had them the other way round: `from` and `to` are then the
        /// roadmap's order, the reverse of the question's.
        public var reversed: Bool?
    }
}

extension PlanService {
    /// The skills of the open tasks, in plan order (the first `limit`, and the one named by
    /// `skill` wherever it is), each with the prerequisites that put it there.
    public func taskOrder(limit: Int, skill: String? = nil, before: String? = nil) throws -> TaskOrderView {
        guard limit >= 1 else { throw Self.badInput("limit must be 1 or more") }
        if let before, let skill {
            guard let first = catalogue.canonicalID(before), let later = catalogue.canonicalID(skill) else {
                throw Self.badInput("\"\(catalogue.canonicalID(before) == nil ? before : skill)\" is not a skill on the roadmap")
            }
            var view = try taskOrder(limit: 1, skill: later)
            view.chain = chain(from: first, to: later)
            if view.chain?.steps.isEmpty == true, case var back = chain(from: later, to: first), !back.steps.isEmpty {
                back.reversed = true
                view.chain = back
            }
            return view
        }
        let all = try store.tasks()
        let open = all.filter { $0.status == "pending" || $0.status == "learning" }
        var order: [String] = []
        var firstTask: [String: Int64] = [:]
        for task in open {
            guard let id = task.skillId, firstTask[id] == nil else { continue }
            order.append(id)
            firstTask[id] = task.id ?? 0
        }
        let states = Dictionary(uniqueKeysWithValues: try store.skillStates().map { ($0.skillId, $0.status) })
        let finished = Set(all.filter { $0.status == "done" || $0.status == "skipped" }.compactMap(\.skillId))
            .subtracting(order)
        let named = skill.flatMap { catalogue.canonicalID($0) }
        var chosen = Array(order.prefix(limit))
        if let named, let position = order.firstIndex(of: named), !chosen.contains(named) { chosen.insert(order[position], at: 0) }
        if let named, chosen.contains(named) { chosen = [named] + chosen.filter { $0 != named } }
        let entries = chosen.compactMap { id -> TaskOrderView.Entry? in
            guard let skill = catalogue.skill(id), let position = order.firstIndex(of: id) else { return nil }
            let prerequisites = skill.prerequisites.compactMap { catalogue.canonicalID($0) }.map { needed in
                let status: String
                if finished.contains(needed) || ["mastered", "known"].contains(states[needed] ?? "") {
                    status = "done"
                } else if let before = order.firstIndex(of: needed), before < position {
                    status = "earlier"
                } else {
                    status = "known or outside the goal"
                }
                return TaskOrderView.Prerequisite(skillId: needed, title: catalogue.skill(needed)?.title ?? needed, status: status)
            }
            let unlocks = order.dropFirst(position + 1).filter { later in
                catalogue.skill(later)?.prerequisites.compactMap { catalogue.canonicalID($0) }.contains(id) == true
            }
            return TaskOrderView.Entry(
                position: position + 1, skillId: id, title: skill.title, stage: skill.stage.rawValue, taskId: firstTask[id] ?? 0,
                prerequisites: prerequisites, unlocks: unlocks.prefix(3).compactMap { catalogue.skill($0)?.title })
        }
        let missing = named.flatMap { order.contains($0) ? nil : catalogue.skill($0)?.title }
        return TaskOrderView(
            skills: entries, notOnList: missing,
            rule: "Tasks follow the roadmap: a skill comes after the skills it builds on, and earlier stages come before later ones.")
    }

    /// The shortest chain of prerequisites that leads from `first` to `later`, as titles.
    func chain(from first: String, to later: String) -> TaskOrderView.Chain {
        var cameFrom: [String: String] = [later: later]
        var queue = [later]
        while !queue.isEmpty, cameFrom[first] == nil {
            let id = queue.removeFirst()
            for needed in catalogue.skill(id)?.prerequisites.compactMap({ catalogue.canonicalID($0) }) ?? [] where cameFrom[needed] == nil {
                cameFrom[needed] = id
                queue.append(needed)
            }
        }
        var steps: [String] = []
        if cameFrom[first] != nil {
            var id = first
            while true {
                steps.append(catalogue.skill(id)?.title ?? id)
                guard id != later, let next = cameFrom[id] else { break }
                id = next
            }
        }
        return TaskOrderView.Chain(
            from: catalogue.skill(first)?.title ?? first, to: catalogue.skill(later)?.title ?? later, steps: steps,
            why: catalogue.skill(later)?.description)
    }
}
