// Placement: the first-run assessment that sets the learner's profile, probes a few foundation
// skills with catalogue questions, records what they already know, and sets their goal.

/// `placement.probe`: the questions to ask a learner of a background.
public enum PlacementProbeMethod: RPCMethod {
    public static let name = "placement.probe"
    public typealias Params = PlacementProbeParams
    public typealias Result = PlacementProbeResult
}

/// `placement.finish`: store the answers: profile, known skills, goal; returns the realistic timeline.
public enum PlacementFinishMethod: RPCMethod {
    public static let name = "placement.finish"
    public typealias Params = PlacementFinishParams
    public typealias Result = PlacementResult
}

/// `placement.check`: one answer of the assessment read and checked on its own, so a client can
/// ask again at once instead of failing at `placement.finish`.
public enum PlacementCheckMethod: RPCMethod {
    public static let name = "placement.check"
    public typealias Params = PlacementCheckParams
    public typealias Result = PlacementCheckResult
}

public struct PlacementCheckParams: Codable, Sendable, Equatable {
    /// `background`, `hours`, `availability`, `timeZone` or `goal`.
    public var field: String
    /// The learner's words.
    public var text: String
    /// The background already given (goals resolve by it), for `goal`.
    public var background: String?
    public init(field: String, text: String, background: String? = nil) {
        self.field = field
        self.text = text
        self.background = background
    }
}

public struct PlacementCheckResult: Codable, Sendable, Equatable {
    /// The answer as `placement.finish` takes it: `data-scientist` for "data scientist", `7.5` for
    /// "about 7.5 hours" (a number in Swift's notation), windows joined with "; ".
    public var value: String
    public init(value: String) { self.value = value }
}

public struct PlacementProbeParams: Codable, Sendable, Equatable {
    /// `programmer`, `data-scientist` or `beginner`.
    public var background: String
    /// How many questions (1–10, default 5).
    public var count: Int?
    public init(background: String, count: Int? = nil) {
        self.background = background
        self.count = count
    }
}

public struct PlacementQuestion: Codable, Sendable, Equatable {
    public var skillId: String
    public var skillTitle: String
    public var question: String
    public var answer: String
    public var why: String
    public init(skillId: String, skillTitle: String, question: String, answer: String, why: String) {
        self.skillId = skillId
        self.skillTitle = skillTitle
        self.question = question
        self.answer = answer
        self.why = why
    }
}

public struct PlacementProbeResult: Codable, Sendable, Equatable {
    /// The track the background leads to.
    public var track: String
    public var questions: [PlacementQuestion]
    public init(track: String, questions: [PlacementQuestion]) {
        self.track = track
        self.questions = questions
    }
}

public struct PlacementAnswer: Codable, Sendable, Equatable {
    public var skillId: String
    /// How well the learner knew it: 1 no idea, 2 vaguely, 3 mostly, 4 easily.
    public var rating: Int
    public init(skillId: String, rating: Int) {
        self.skillId = skillId
        self.rating = rating
    }
}

public struct PlacementFinishParams: Codable, Sendable, Equatable {
    public var background: String
    public var hoursPerWeek: Double
    public var availability: [String]
    public var timeZone: String?
    /// A roadmap id or the learner's own words.
    public var goal: String
    public var answers: [PlacementAnswer]
    public init(
        background: String, hoursPerWeek: Double, availability: [String], timeZone: String?, goal: String, answers: [PlacementAnswer]
    ) {
        self.background = background
        self.hoursPerWeek = hoursPerWeek
        self.availability = availability
        self.timeZone = timeZone
        self.goal = goal
        self.answers = answers
    }
}

public struct PlacementResult: Codable, Sendable, Equatable {
    public var profile: ProfileView
    /// Skills recorded as already known (mastered) and as partly known (learning).
    public var known: [String]
    public var partlyKnown: [String]
    public var goal: GoalAddResult
    public var forecast: ForecastResult
    /// A few plain sentences on this learner's realistic timeline.
    public var summary: String
    public init(
        profile: ProfileView, known: [String], partlyKnown: [String], goal: GoalAddResult, forecast: ForecastResult, summary: String
    ) {
        self.profile = profile
        self.known = known
        self.partlyKnown = partlyKnown
        self.goal = goal
        self.forecast = forecast
        self.summary = summary
    }
}
