// Methods for seeing the road: `roadmap` (the skills as a graph, each with the learner's state)
// and `report` (one self-contained HTML progress report written to a file).

/// `roadmap`: the catalogue's stages and skills as a graph, each skill with the learner's state
/// and whether it lies on the learner's goal path.
public enum RoadmapMethod: RPCMethod {
    public static let name = "roadmap"
    public typealias Params = RoadmapParams
    public typealias Result = RoadmapResult
}

/// `report`: renders the HTML progress report and writes it to a file.
public enum ReportMethod: RPCMethod {
    public static let name = "report"
    public typealias Params = ReportParams
    public typealias Result = ReportResult
}

/// Filters for `roadmap`; nil shows the whole roadmap.
public struct RoadmapParams: Codable, Sendable, Equatable {
    /// Only this stage's skills (`foundations`, `first-apps`, `advanced`, `professional`, `senior`).
    public var stage: String?
    /// Only the skills on this goal's path: a goal number, or the words of its title or target.
    public var goal: String?
    public init(stage: String? = nil, goal: String? = nil) {
        self.stage = stage
        self.goal = goal
    }
}

/// A skill's state on the roadmap, derived from `progress` and the review cards.
public enum RoadmapState: String, Codable, Sendable, CaseIterable {
    /// Mastered, with no review due.
    case known
    /// Started (`learning` in `progress`, or time logged on it), with no review due.
    case inProgress = "in-progress"
    /// Started or mastered, with at least one review card due now.
    case dueForReview = "due-for-review"
    /// Not started (no time logged), and every prerequisite is known: it can be learnt next.
    case next
    /// Not started, and some prerequisite is not known yet.
    case locked
}

/// One stage of the roadmap, in roadmap order.
public struct RoadmapStageView: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var milestone: String
    public init(id: String, title: String, milestone: String) {
        self.id = id
        self.title = title
        self.milestone = milestone
    }
}

/// One skill: a node of the graph.
public struct RoadmapSkillView: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var stage: String
    /// Canonical ids of its direct prerequisites (the graph's edges point from these to it).
    public var prerequisites: [String]
    /// The length of the longest prerequisite chain below it (0 for a skill with none).
    public var depth: Int
    public var state: RoadmapState
    /// Mastery as a whole percentage, 0 to 100 (`progress`'s mastery × 100, rounded down).
    public var percent: Int
    public var hoursLogged: Double
    /// The catalogue's midpoint estimate for the learner's background.
    public var hoursEstimated: Double
    /// Mastery, 0 to 1, as `progress` reports it.
    public var mastery: Double
    /// Whether a pursued goal needs it (a task of an active, unpaused goal is about it).
    public var onGoalPath: Bool
    public init(
        id: String, title: String, stage: String, prerequisites: [String], depth: Int, state: RoadmapState, percent: Int,
        hoursLogged: Double, hoursEstimated: Double, mastery: Double, onGoalPath: Bool
    ) {
        self.id = id
        self.title = title
        self.stage = stage
        self.prerequisites = prerequisites
        self.depth = depth
        self.state = state
        self.percent = percent
        self.hoursLogged = hoursLogged
        self.hoursEstimated = hoursEstimated
        self.mastery = mastery
        self.onGoalPath = onGoalPath
    }
}

/// The roadmap graph: stages in order, skills in topological order (each after its prerequisites).
public struct RoadmapResult: Codable, Sendable, Equatable {
    public var stages: [RoadmapStageView]
    public var skills: [RoadmapSkillView]
    /// Ids of the skills on the learner's goal path, in topological order.
    public var goalPath: [String]
    /// The titles of the goals the path serves.
    public var goals: [String]
    public init(stages: [RoadmapStageView], skills: [RoadmapSkillView], goalPath: [String], goals: [String]) {
        self.stages = stages
        self.skills = skills
        self.goalPath = goalPath
        self.goals = goals
    }
}

/// Where to write the report; the daemon's data folder (`report.html`) when nil.
public struct ReportParams: Codable, Sendable, Equatable {
    /// An absolute path for the HTML file.
    public var out: String?
    public init(out: String? = nil) { self.out = out }
}

/// The report written.
public struct ReportResult: Codable, Sendable, Equatable {
    /// The absolute path of the HTML file.
    public var path: String
    public var bytes: Int
    /// How many skills the roadmap graph shows.
    public var skills: Int
    public init(path: String, bytes: Int, skills: Int) {
        self.path = path
        self.bytes = bytes
        self.skills = skills
    }
}
