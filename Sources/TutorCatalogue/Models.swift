/// The five stages of the roadmap, compared by their place in it (foundations first).
public enum StageID: String, Codable, Sendable, CaseIterable, Comparable {
    case foundations
    case firstApps = "first-apps"
    case advanced
    case professional
    case senior

    /// The stage's 1-based position in the roadmap, as `stages.json` records it in `order`.
    public var order: Int {
        switch self {
        case .foundations: 1
        case .firstApps: 2
        case .advanced: 3
        case .professional: 4
        case .senior: 5
        }
    }

    public static func < (lhs: StageID, rhs: StageID) -> Bool { lhs.order < rhs.order }

    public init(from decoder: any Decoder) throws {
        self = try decodeKnownValue(from: decoder, what: "stage")
    }
}

/// How a skill is learnt and checked; concept and recall skills carry a quiz.
public enum SkillKind: String, Codable, Sendable, CaseIterable {
    case concept, procedure, recall, project, design

    /// Whether skills of this kind must carry at least three quiz items.
    public var needsQuiz: Bool { self == .concept || self == .recall }

    public init(from decoder: any Decoder) throws {
        self = try decodeKnownValue(from: decoder, what: "kind")
    }
}

/// The learner's starting point, which selects a track and the hour estimates that apply.
public enum Background: String, Codable, Sendable, CaseIterable {
    case programmer
    case dataScientist = "data-scientist"
    case beginner

    public init(from decoder: any Decoder) throws {
        self = try decodeKnownValue(from: decoder, what: "background")
    }
}

/// What kind of material a resource is.
public enum ResourceType: String, Codable, Sendable, CaseIterable {
    case docs, course, tool, paper, article, book, video

    public init(from decoder: any Decoder) throws {
        self = try decodeKnownValue(from: decoder, what: "resource type")
    }
}

/// What a resource costs the learner.
public enum ResourceCost: String, Codable, Sendable, CaseIterable {
    case free, freemium, paid

    public init(from decoder: any Decoder) throws {
        self = try decodeKnownValue(from: decoder, what: "resource cost")
    }
}

/// Decodes a string enum, failing with a message that lists the values it accepts.
private func decodeKnownValue<T: RawRepresentable & CaseIterable>(
    from decoder: any Decoder, what: String
) throws -> T where T.RawValue == String {
    let container = try decoder.singleValueContainer()
    let raw = try container.decode(String.self)
    guard let value = T(rawValue: raw) else {
        let known = T.allCases.map(\.rawValue).joined(separator: ", ")
        throw DecodingError.dataCorruptedError(
            in: container, debugDescription: "unknown \(what) '\(raw)' (expected one of: \(known))")
    }
    return value
}

/// A range of study hours, `min` to `max`.
public struct HourRange: Codable, Sendable, Equatable, Hashable {
    public var min: Double
    public var max: Double

    public init(min: Double, max: Double) {
        self.min = min
        self.max = max
    }

    /// The midpoint of the range, a single best guess.
    public var mid: Double { (min + max) / 2 }

    /// No hours at all; the identity for `+`.
    public static let zero = HourRange(min: 0, max: 0)

    /// Adds two ranges bound by bound.
    public static func + (lhs: HourRange, rhs: HourRange) -> HourRange {
        HourRange(min: lhs.min + rhs.min, max: lhs.max + rhs.max)
    }
}

/// A learning resource for a skill: a course, documentation, paper, book and so on.
public struct Resource: Codable, Sendable, Equatable, Hashable {
    public var title: String
    /// An `https` URL.
    public var url: String
    public var type: ResourceType
    public var cost: ResourceCost

    public init(title: String, url: String, type: ResourceType, cost: ResourceCost) {
        self.title = title
        self.url = url
        self.type = type
        self.cost = cost
    }
}

/// One retrieval-practice question for a skill, with its answer and why the answer holds.
public struct QuizItem: Codable, Sendable, Equatable, Hashable {
    public var question: String
    public var answer: String
    public var why: String
    /// The ideas a right answer must contain, each in one or more wordings separated by `|`
    /// ("environment variable | secret manager"); "2 of: …" when two of the wordings are needed
    /// ("name two …"). Without them, the answer itself is the one key point.
    public var keyPoints: [String]?

    public init(question: String, answer: String, why: String, keyPoints: [String]? = nil) {
        self.question = question
        self.answer = answer
        self.why = why
        self.keyPoints = keyPoints
    }
}

/// A stage of the roadmap with its summary and the milestone that closes it (`stages.json`).
public struct Stage: Codable, Sendable, Equatable, Hashable {
    public var id: StageID
    public var title: String
    /// 1-based position in the roadmap; always equals `id.order` in a loaded catalogue.
    public var order: Int
    public var summary: String
    public var milestone: String

    public init(id: StageID, title: String, order: Int? = nil, summary: String, milestone: String) {
        self.id = id
        self.title = title
        self.order = order ?? id.order
        self.summary = summary
        self.milestone = milestone
    }
}

/// A learnable skill: one node of the prerequisite graph (`skills-<stage>.json`).
///
/// `aliases` keep old ids working after a rename; `checklist` items each start with "can " and
/// together say when the skill is mastered.
public struct Skill: Codable, Sendable, Equatable, Hashable, Identifiable {
    public var id: String
    public var aliases: [String]
    public var title: String
    public var stage: StageID
    public var kind: SkillKind
    public var topics: [String]
    /// Ids (or aliases) of the skills to master first.
    public var prerequisites: [String]
    public var hours: HourRange
    /// The estimate for a learner without a programming background, when it differs.
    public var hoursBeginner: HourRange?
    public var description: String
    public var checklist: [String]
    /// The checklist items a quiz cannot show: things to build or run, which count toward mastery
    /// once the learner records evidence (a link, a file, a command's output). Each is in `checklist`.
    public var handsOn: [String]
    public var resources: [Resource]
    public var quiz: [QuizItem]

    public init(
        id: String, aliases: [String] = [], title: String, stage: StageID, kind: SkillKind, topics: [String] = [],
        prerequisites: [String] = [], hours: HourRange, hoursBeginner: HourRange? = nil, description: String = "",
        checklist: [String] = [], handsOn: [String] = [], resources: [Resource] = [], quiz: [QuizItem] = []
    ) {
        self.id = id
        self.aliases = aliases
        self.title = title
        self.stage = stage
        self.kind = kind
        self.topics = topics
        self.prerequisites = prerequisites
        self.hours = hours
        self.hoursBeginner = hoursBeginner
        self.description = description
        self.checklist = checklist
        self.handsOn = handsOn
        self.resources = resources
        self.quiz = quiz
    }

    private enum CodingKeys: String, CodingKey {
        case id, aliases, title, stage, kind, topics, prerequisites, hours, hoursBeginner, description, checklist, handsOn
        case resources, quiz
    }

    /// Decodes a skill; `aliases`, `topics`, `prerequisites`, `handsOn` and `quiz` may be left out and default to empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases) ?? []
        title = try c.decode(String.self, forKey: .title)
        stage = try c.decode(StageID.self, forKey: .stage)
        kind = try c.decode(SkillKind.self, forKey: .kind)
        topics = try c.decodeIfPresent([String].self, forKey: .topics) ?? []
        prerequisites = try c.decodeIfPresent([String].self, forKey: .prerequisites) ?? []
        hours = try c.decode(HourRange.self, forKey: .hours)
        hoursBeginner = try c.decodeIfPresent(HourRange.self, forKey: .hoursBeginner)
        description = try c.decode(String.self, forKey: .description)
        checklist = try c.decode([String].self, forKey: .checklist)
        handsOn = try c.decodeIfPresent([String].self, forKey: .handsOn) ?? []
        resources = try c.decode([Resource].self, forKey: .resources)
        quiz = try c.decodeIfPresent([QuizItem].self, forKey: .quiz) ?? []
    }

    /// The hour estimate that applies to a learner: `hoursBeginner` for beginners when present, else `hours`.
    public func hours(for background: Background) -> HourRange {
        if background == .beginner, let hoursBeginner { return hoursBeginner }
        return hours
    }
}

/// A portfolio project that proves a stage's skills (`projects.json`).
public struct Project: Codable, Sendable, Equatable, Hashable, Identifiable {
    public var id: String
    public var title: String
    public var stage: StageID
    public var description: String
    /// Ids (or aliases) of the skills the project exercises.
    public var prerequisites: [String]
    public var hours: HourRange
    /// Acceptance criteria for the finished project.
    public var checklist: [String]

    public init(
        id: String, title: String, stage: StageID, description: String = "", prerequisites: [String] = [],
        hours: HourRange, checklist: [String] = []
    ) {
        self.id = id
        self.title = title
        self.stage = stage
        self.description = description
        self.prerequisites = prerequisites
        self.hours = hours
        self.checklist = checklist
    }
}

/// A route through the roadmap for one background (`tracks.json`).
public struct Track: Codable, Sendable, Equatable, Hashable, Identifiable {
    public var id: String
    public var title: String
    public var background: Background
    public var description: String
    /// The skills this track emphasises, most urgent first; `Catalogue.order(_:for:)` pulls them forward.
    public var focus: [String]
    /// Skills a learner with this background is taken to know already.
    public var assumedKnown: [String]

    public init(
        id: String, title: String, background: Background, description: String = "", focus: [String] = [],
        assumedKnown: [String] = []
    ) {
        self.id = id
        self.title = title
        self.background = background
        self.description = description
        self.focus = focus
        self.assumedKnown = assumedKnown
    }
}
