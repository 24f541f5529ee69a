import Foundation
import TutorCatalogue
import TutorStore
import TutorWire

/// The roadmap as a graph: every skill with its prerequisites, its depth, the learner's state on it
/// (from `progress` and the due review cards) and whether a pursued goal needs it.
public struct RoadmapService: AppService {
    public let context: AppContext

    public init(context: AppContext) { self.context = context }

    /// The graph, filtered to one stage or one goal's path when asked.
    ///
    /// - Throws: `badInput` for an unknown stage, or words that name no goal (or several).
    public func roadmap(_ params: RoadmapParams) throws -> RoadmapResult {
        var stageFilter: StageID?
        if let text = params.stage {
            guard let stage = StageID(rawValue: text) else {
                let known = StageID.allCases.map(\.rawValue).joined(separator: ", ")
                throw Self.badInput("unknown stage '\(text)'; use one of: \(known)")
            }
            stageFilter = stage
        }
        let goals = try pathGoals(params.goal)
        let goalIDs = Set(goals.compactMap(\.id))
        let onPath = Set(try store.tasks().filter { goalIDs.contains($0.goalId ?? -1) }.compactMap(\.skillId))
        let full = try graph(onPath: onPath)
        let skills = full.filter { skill in
            (stageFilter == nil || skill.stage == stageFilter?.rawValue) && (params.goal == nil || skill.onGoalPath)
        }
        let shownStages = Set(skills.map(\.stage))
        return RoadmapResult(
            stages: catalogue.stages.filter { shownStages.contains($0.id.rawValue) || skills.isEmpty && stageFilter == $0.id }.map {
                RoadmapStageView(id: $0.id.rawValue, title: $0.title, milestone: $0.milestone)
            },
            skills: skills, goalPath: skills.filter(\.onGoalPath).map(\.id), goals: goals.map(\.title))
    }

    /// The goals whose path is shown: the one `words` name, else every pursued goal.
    func pathGoals(_ words: String?) throws -> [GoalRecord] {
        let goals = try store.goals()
        guard let words else { return goals.filter(\.isPursued) }
        let named = GoalService.matching(words, in: goals).goals
        guard named.count == 1 else {
            let list = goals.compactMap { goal in goal.id.map { "\($0) (\(goal.title))" } }.joined(separator: ", ")
            throw Self.badInput(
                named.isEmpty
                    ? "no goal matches '\(words)'; name one by its number or title: \(list.isEmpty ? "there are no goals yet (`tutor goal add`)" : list)"
                    : "'\(words)' matches \(named.count) goals; name one by its number: \(list)")
        }
        return named
    }

    /// Every skill in topological order with its state; `onPath` marks the goal path.
    func graph(onPath: Set<String>) throws -> [RoadmapSkillView] {
        let progress = try planService.progress()
        let background = try self.background
        let seen = Dictionary(uniqueKeysWithValues: progress.skills.map { ($0.id, $0) })
        let due = Set(try store.dueReviewCards(at: now()).map(\.skillId))
        let known = Set(progress.skills.filter { $0.status == "mastered" }.map(\.id))
        let order = catalogue.topologicalOrder(catalogue.skills.map(\.id))
        var depth: [String: Int] = [:]
        return order.compactMap { id -> RoadmapSkillView? in
            guard let skill = catalogue.skill(id) else { return nil }
            let prerequisites = skill.prerequisites.compactMap { catalogue.canonicalID($0) }.filter { catalogue.skill($0) != nil }
            let level = prerequisites.map { (depth[$0] ?? 0) + 1 }.max() ?? 0
            depth[id] = level
            let view = seen[id]
            let status = view?.status ?? "not-started"
            return RoadmapSkillView(
                id: id, title: skill.title, stage: skill.stage.rawValue, prerequisites: prerequisites, depth: level,
                state: Self.state(
                    status: status, started: (view?.minutesLogged ?? 0) > 0, due: due.contains(id),
                    prerequisitesKnown: prerequisites.allSatisfy(known.contains)),
                percent: Int(((view?.mastery ?? 0) * 100).rounded(.down)), hoursLogged: Double(view?.minutesLogged ?? 0) / 60,
                hoursEstimated: skill.hours(for: background).mid, mastery: view?.mastery ?? 0, onGoalPath: onPath.contains(id))
        }
    }

    /// A skill's roadmap state from its `progress` status and minutes logged: a due review comes
    /// first for a skill already started (time logged counts as started, at 0 % mastery); a skill
    /// not started is next once all its prerequisites are mastered.
    public static func state(status: String, started: Bool, due: Bool, prerequisitesKnown: Bool) -> RoadmapState {
        switch status {
        case "mastered": due ? .dueForReview : .known
        case "not-started" where !started: prerequisitesKnown ? .next : .locked
        default: due ? .dueForReview : .inProgress
        }
    }
}
