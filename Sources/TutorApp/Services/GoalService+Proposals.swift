import Foundation
import Synchronization
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

/// A task in a plan a model proposes for a free-text goal.
public struct ProposedPlanTask: Codable, Sendable, Equatable {
    public var skillId: String?
    public var projectId: String?
    public var kind: String
    public var minutes: Int

    enum CodingKeys: String, CodingKey {
        case skillId = "skill_id"
        case projectId = "project_id"
        case kind, minutes
    }

    public init(skillId: String? = nil, projectId: String? = nil, kind: String, minutes: Int) {
        self.skillId = skillId
        self.projectId = projectId
        self.kind = kind
        self.minutes = minutes
    }
}

/// What checking a proposal found: valid (kept, waiting for the learner's agreement) or the
/// problems to fix; after two invalid attempts the deterministic decomposition is proposed instead.
public struct ProposalResult: Codable, Sendable, Equatable {
    public var proposalId: String?
    public var valid: Bool
    public var problems: [String]
    /// True when the model's attempts failed and the tutor's own decomposition is proposed instead.
    public var fellBack: Bool
    public var tasks: [ProposedPlanTask]
    public var totalMinutes: Int
    public var nextStep: String
}

/// Proposals waiting for the learner's agreement, and how many invalid attempts each goal has had.
final class ProposalBook: Sendable {
    struct Pending: Sendable {
        var goal: String
        var tasks: [ProposedPlanTask]
    }
    private let state = Mutex<(pending: [String: Pending], failures: [String: Int], next: Int)>(([:], [:], 1))

    func failures(for goal: String) -> Int { state.withLock { $0.failures[goal.lowercased(), default: 0] } }
    func recordFailure(for goal: String) { state.withLock { $0.failures[goal.lowercased(), default: 0] += 1 } }

    func keep(goal: String, tasks: [ProposedPlanTask]) -> String {
        state.withLock { state in
            let id = "proposal-\(state.next)"
            state.next += 1
            state.pending[id] = Pending(goal: goal, tasks: tasks)
            state.failures[goal.lowercased()] = nil
            return id
        }
    }

    func take(_ id: String) -> Pending? { state.withLock { $0.pending.removeValue(forKey: id) } }
}

extension GoalService {
    /// How many invalid proposals a goal may have before the tutor proposes its own decomposition.
    public static let maximumInvalidProposals = 2

    /// Checks a model's proposed breakdown of a free-text goal against the catalogue: every task
    /// maps to a skill or project, kinds are valid, a skill's minutes stay within the catalogue's
    /// range for the learner, and prerequisites come first (or are already mastered or planned).
    public func proposePlan(goal: String, tasks: [ProposedPlanTask]) throws -> ProposalResult {
        let goalText = goal.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !goalText.isEmpty else { throw Self.badInput("the goal text is empty; pass the learner's goal in their words") }
        let problems = try proposalProblems(tasks)
        if problems.isEmpty {
            let id = context.proposals.keep(goal: goalText, tasks: tasks)
            return ProposalResult(
                proposalId: id, valid: true, problems: [], fellBack: false, tasks: tasks, totalMinutes: tasks.map(\.minutes).reduce(0, +),
                nextStep: "Show this plan to the learner and ask whether to keep it; if they agree, call accept_plan with \(id).")
        }
        context.proposals.recordFailure(for: goalText)
        if context.proposals.failures(for: goalText) > Self.maximumInvalidProposals {
            // Two invalid attempts: propose the tutor's own decomposition instead.
            let fallback = try deterministicProposal(goalText)
            let id = context.proposals.keep(goal: goalText, tasks: fallback)
            return ProposalResult(
                proposalId: id, valid: true, problems: problems, fellBack: true, tasks: fallback,
                totalMinutes: fallback.map(\.minutes).reduce(0, +),
                nextStep:
                    "Your proposals were invalid twice, so this is the tutor's own breakdown. Show it to the learner and call accept_plan with \(id) if they agree."
            )
        }
        return ProposalResult(
            proposalId: nil, valid: false, problems: problems, fellBack: false, tasks: tasks,
            totalMinutes: tasks.map(\.minutes).reduce(0, +),
            nextStep: "Fix these problems and call propose_plan again.")
    }

    /// Stores an agreed proposal as a goal with its tasks.
    public func acceptPlan(proposalId: String) throws -> GoalAddResult {
        guard let pending = context.proposals.take(proposalId) else {
            throw Self.notFound("there is no pending proposal '\(proposalId)'; call propose_plan first")
        }
        let created = now()
        let records = pending.tasks.map { task in
            let name = task.skillId.flatMap { catalogue.skill($0)?.title } ?? task.projectId.flatMap { catalogue.project($0)?.title } ?? ""
            let verb = ["learn": "Learn", "practice": "Practise", "check": "Check", "project": "Build"][task.kind] ?? "Study"
            return TaskRecord(
                goalId: nil, skillId: task.skillId.flatMap { catalogue.canonicalID($0) }, projectId: task.projectId, kind: task.kind,
                title: "\(verb): \(name)", position: 0, estimateMinutes: task.minutes, createdAt: created)
        }
        let stored = try store.addGoal(GoalRecord(title: pending.goal, kind: "text", target: nil, createdAt: created), tasks: records)
        let goal = try goals().goals.first { $0.id == stored.goal.id }!
        return GoalAddResult(
            goal: goal, matchedBy: "proposal", addedTasks: stored.added.map(view), sharedTasks: records.count - stored.added.count)
    }

    func proposalProblems(_ tasks: [ProposedPlanTask]) throws -> [String] {
        guard !tasks.isEmpty else { return ["the plan has no tasks"] }
        guard tasks.count <= 400 else { return ["the plan has \(tasks.count) tasks; keep it under 400"] }
        let background = try self.background
        let mastered = Set(try store.skillStates().filter { $0.status == "mastered" }.map(\.skillId))
        let planned = Set(try store.tasks().compactMap(\.skillId))
        var problems: [String] = []
        var seen = Set<String>()
        var minutesBySkill: [String: Int] = [:]
        for (index, task) in tasks.enumerated() {
            let label = "task \(index + 1)"
            guard ["learn", "practice", "check", "project"].contains(task.kind) else {
                problems.append("\(label): kind must be learn, practice, check or project, not '\(task.kind)'")
                continue
            }
            guard task.minutes >= 15 else {
                problems.append("\(label): \(task.minutes) minutes is too short; give each task at least 15")
                continue
            }
            if let projectID = task.projectId {
                guard let project = catalogue.project(projectID) else {
                    problems.append("\(label): '\(projectID)' is not a project of the roadmap; use catalogue_search to find one")
                    continue
                }
                for prerequisite in project.prerequisites.compactMap({ catalogue.canonicalID($0) })
                where !seen.contains(prerequisite) && !mastered.contains(prerequisite) && !planned.contains(prerequisite) {
                    problems.append("\(label): project \(project.id) needs \(prerequisite) first; add its tasks earlier")
                }
                continue
            }
            guard let skillID = task.skillId, let skill = catalogue.skill(skillID) else {
                problems.append("\(label): '\(task.skillId ?? "")' is not a skill of the roadmap; use catalogue_search to find its id")
                continue
            }
            for prerequisite in skill.prerequisites.compactMap({ catalogue.canonicalID($0) })
            where !seen.contains(prerequisite) && !mastered.contains(prerequisite) && !planned.contains(prerequisite) {
                problems.append("\(label): \(skill.id) needs \(prerequisite) first; add its tasks earlier or leave \(skill.id) out")
            }
            seen.insert(skill.id)
            minutesBySkill[skill.id, default: 0] += task.minutes
        }
        for (skillID, minutes) in minutesBySkill.sorted(by: { $0.key < $1.key }) {
            guard let hours = catalogue.skill(skillID)?.hours(for: background) else { continue }
            if Double(minutes) > hours.max * 60 {
                problems.append(
                    "\(skillID): \(minutes) minutes in all is more than the roadmap's \(Int(hours.max)) hours for it; trim its tasks")
            }
        }
        return problems
    }

    func deterministicProposal(_ goal: String) throws -> [ProposedPlanTask] {
        let background = try self.background
        let resolution: GoalResolution
        do {
            resolution = try GoalDecomposer.resolve(goal, catalogue: catalogue, background: background)
        } catch {
            throw Self.badInput(error.description, cause: error)
        }
        let mastered = Set(try store.skillStates().filter { $0.status == "mastered" }.map(\.skillId))
        return GoalDecomposer.decompose(resolution.target, catalogue: catalogue, background: background, completedSkillIDs: mastered).map {
            ProposedPlanTask(skillId: $0.skillId, projectId: $0.projectId, kind: $0.kind.rawValue, minutes: $0.estimateMinutes)
        }
    }
}
