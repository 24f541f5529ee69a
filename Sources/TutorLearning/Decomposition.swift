import Foundation
import TutorCatalogue

/// What a goal aims at, once resolved against the catalogue.
public enum GoalTarget: Sendable, Equatable, Codable {
    case skill(String)
    case stage(StageID)
    case project(String)
    case track(String)

    /// The kind as stored with a goal: `skill`, `stage`, `project` or `track`.
    public var kind: String {
        switch self {
        case .skill: "skill"
        case .stage: "stage"
        case .project: "project"
        case .track: "track"
        }
    }

    /// The catalogue id the goal points at.
    public var id: String {
        switch self {
        case .skill(let id), .project(let id), .track(let id): id
        case .stage(let stage): stage.rawValue
        }
    }
}

/// A goal text resolved to a catalogue target, with how it was matched.
public struct GoalResolution: Sendable, Equatable {
    public var target: GoalTarget
    public var title: String
    /// `id` for an exact id or alias, `search` for free text matched through catalogue search.
    public var matchedBy: String
}

/// A task the decomposition proposes: one step of learning a skill, or building a project.
public struct ProposedTask: Sendable, Equatable, Codable {
    public var skillId: String?
    public var projectId: String?
    public var kind: TaskKind
    public var title: String
    public var estimateMinutes: Int
}

/// An error of goal resolution: what was not understood and what to try instead.
public struct GoalError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

/// Turns goals into ordered tasks: the goal's unmet prerequisite closure, prerequisites first, each
/// skill split into learn / practise / check steps with estimates scaled to the learner's background.
public enum GoalDecomposer {
    /// How a skill's hours divide between its steps, by kind.
    static func split(for kind: SkillKind) -> [(TaskKind, Double)] {
        switch kind {
        case .concept: [(.learn, 0.6), (.practice, 0.25), (.check, 0.15)]
        case .recall: [(.learn, 0.5), (.practice, 0.3), (.check, 0.2)]
        case .procedure, .design: [(.learn, 0.4), (.practice, 0.45), (.check, 0.15)]
        case .project: [(.project, 1.0)]
        }
    }

    /// The catalogue-search score a free-text goal needs. A word found in an entry scores 4 or more;
    /// "mon-fri 19:00-21:00", where only "mon" starts a roadmap word ("monitoring"), scores 0.5.
    static let minimumGoalScore = 2.0

    /// Words that are no goal on their own, though search would find a roadmap word they start or
    /// end ("off" in "trade-offs"): a slip of the keyboard or a command said to the wrong place.
    static let notGoals: Set<String> = [
        "off", "on", "yes", "no", "ok", "okay", "none", "nothing", "stop", "pause", "later", "maybe", "hi", "hello", "thanks",
        "help", "goal", "goals", "done", "something", "anything", "test", "it", "this", "that", "x",
    ]

    /// Resolves a goal: a skill, stage, project or track id (or alias), or free text matched through
    /// catalogue search. "Become an AI engineer" and the like mean the whole roadmap: the track of the
    /// learner's background.
    ///
    /// - Throws: ``GoalError`` when nothing in the catalogue matches, naming what to try.
    public static func resolve(_ text: String, catalogue: Catalogue, background: Background) throws(GoalError) -> GoalResolution {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw GoalError(description: "the goal is empty; name a skill, a stage, a project or say what you want to reach")
        }
        if let skill = catalogue.skill(trimmed) { return GoalResolution(target: .skill(skill.id), title: skill.title, matchedBy: "id") }
        if let stage = StageID(rawValue: trimmed.lowercased()) {
            return GoalResolution(target: .stage(stage), title: catalogue.stage(stage).title, matchedBy: "id")
        }
        if let project = catalogue.project(trimmed) {
            return GoalResolution(target: .project(project.id), title: project.title, matchedBy: "id")
        }
        if let track = catalogue.track(trimmed) { return GoalResolution(target: .track(track.id), title: track.title, matchedBy: "id") }
        let lowered = trimmed.lowercased()
        if notGoals.contains(lowered.trimmingCharacters(in: .punctuationCharacters)) {
            throw GoalError(
                description:
                    "\"\(trimmed)\" is not something to learn; name a skill, a stage or a project, or say what you want to reach (`tutor catalogue search WORDS` finds them)"
            )
        }
        if lowered.contains("ai engineer"), let track = catalogue.track(for: background) ?? catalogue.tracks.first {
            return GoalResolution(target: .track(track.id), title: "Become an AI engineer (\(track.title))", matchedBy: "search")
        }
        // A word that only starts a roadmap word ("mon" in "mon-fri 19:00") is no goal.
        guard let hit = catalogue.search(trimmed, limit: 1).first, hit.score >= minimumGoalScore else {
            throw GoalError(
                description:
                    "nothing in the roadmap matches \"\(trimmed)\"; try `tutor catalogue search WORDS` and use a skill or project id")
        }
        let target: GoalTarget
        switch hit.kind {
        case .skill: target = .skill(hit.id)
        case .project: target = .project(hit.id)
        case .track: target = .track(hit.id)
        case .stage:
            guard let stage = StageID(rawValue: hit.id) else { throw GoalError(description: "unknown stage \(hit.id)") }
            target = .stage(stage)
        }
        return GoalResolution(target: target, title: trimmed, matchedBy: "search")
    }

    /// The tasks that reach `target`, in order: prerequisites first (pulled forward for the track's
    /// focus when a track is given), skills in `completedSkillIDs` left out. Projects come right after
    /// their last prerequisite skill.
    public static func decompose(
        _ target: GoalTarget,
        catalogue: Catalogue,
        background: Background,
        track: Track? = nil,
        completedSkillIDs: Set<String> = []
    ) -> [ProposedTask] {
        var skillIDs: [String] = []
        var projectIDs: [String] = []
        switch target {
        case .skill(let id):
            skillIDs = catalogue.prerequisiteClosure(of: [id])
        case .project(let id):
            if let project = catalogue.project(id) {
                skillIDs = catalogue.prerequisiteClosure(of: project.prerequisites)
                projectIDs = [project.id]
            }
        case .stage(let stage):
            let stages = StageID.allCases.filter { $0 <= stage }
            skillIDs = catalogue.prerequisiteClosure(of: stages.flatMap { catalogue.skills(in: $0).map(\.id) })
            projectIDs = catalogue.projects(in: stage).map(\.id)
        case .track(let id):
            skillIDs = catalogue.skills.map(\.id)
            projectIDs = catalogue.projects.map(\.id)
            if track == nil, let named = catalogue.track(id) {
                return decompose(target, catalogue: catalogue, background: background, track: named, completedSkillIDs: completedSkillIDs)
            }
        }
        let completed = Set(completedSkillIDs.compactMap { catalogue.canonicalID($0) })
        let remaining = skillIDs.filter { !completed.contains($0) }
        let ordered = track.map { catalogue.order(remaining, for: $0) } ?? catalogue.topologicalOrder(remaining)

        // Each project goes right after the last of its prerequisites in the order.
        var projectsAfter: [Int: [Project]] = [:]
        for projectID in projectIDs {
            guard let project = catalogue.project(projectID) else { continue }
            let positions = project.prerequisites.compactMap { catalogue.canonicalID($0) }.compactMap { ordered.firstIndex(of: $0) }
            projectsAfter[positions.max() ?? -1, default: []].append(project)
        }

        var tasks: [ProposedTask] = []
        tasks += projectTasks(projectsAfter[-1] ?? [])
        for (index, skillID) in ordered.enumerated() {
            if let skill = catalogue.skill(skillID) { tasks += skillTasks(skill, background: background) }
            tasks += projectTasks(projectsAfter[index] ?? [])
        }
        return tasks
    }

    /// The steps of one skill with their estimates (minutes, rounded to 5, at least 15).
    public static func skillTasks(_ skill: Skill, background: Background) -> [ProposedTask] {
        let totalMinutes = skill.hours(for: background).mid * 60
        return split(for: skill.kind).map { kind, share in
            ProposedTask(
                skillId: skill.id, projectId: nil, kind: kind, title: "\(verb(kind)): \(skill.title)",
                estimateMinutes: roundedMinutes(totalMinutes * share))
        }
    }

    static func projectTasks(_ projects: [Project]) -> [ProposedTask] {
        projects.map { project in
            ProposedTask(
                skillId: nil, projectId: project.id, kind: .project, title: "Build: \(project.title)",
                estimateMinutes: roundedMinutes(project.hours.mid * 60))
        }
    }

    static func verb(_ kind: TaskKind) -> String {
        switch kind {
        case .learn: "Learn"
        case .practice: "Practise"
        case .check: "Check"
        case .project: "Build"
        case .review: "Review"
        }
    }

    static func roundedMinutes(_ minutes: Double) -> Int {
        max(15, Int((minutes / 5).rounded()) * 5)
    }
}
