// `tutor eval`: scripted learner scenarios run against the configured model in a throwaway store.

/// `eval.run`: run scenarios (YAML text) and score the tutor's replies.
public enum EvalRunMethod: RPCMethod {
    public static let name = "eval.run"
    public typealias Params = EvalRunParams
    public typealias Result = EvalRunResult
}

public struct EvalScenarioText: Codable, Sendable, Equatable {
    /// Where it came from, for messages.
    public var file: String
    public var yaml: String
    public init(file: String, yaml: String) {
        self.file = file
        self.yaml = yaml
    }
}

public struct EvalRunParams: Codable, Sendable, Equatable {
    public var scenarios: [EvalScenarioText]
    public init(scenarios: [EvalScenarioText]) { self.scenarios = scenarios }
}

public struct EvalCheckView: Codable, Sendable, Equatable {
    public var dimension: String
    public var passed: Bool
    public var detail: String
    public init(dimension: String, passed: Bool, detail: String) {
        self.dimension = dimension
        self.passed = passed
        self.detail = detail
    }
}

public struct EvalScenarioView: Codable, Sendable, Equatable {
    public var name: String
    public var checks: [EvalCheckView]
    /// Set when the scenario could not run (the checks are then empty).
    public var error: String?
    /// How long each of its turns took, in seconds, in order (absent from older daemons).
    public var turnSeconds: [Double]?
    public init(name: String, checks: [EvalCheckView], error: String?, turnSeconds: [Double]? = nil) {
        self.name = name
        self.checks = checks
        self.error = error
        self.turnSeconds = turnSeconds
    }
}

public struct EvalScoreView: Codable, Sendable, Equatable {
    public var dimension: String
    public var passed: Int
    public var total: Int
    public init(dimension: String, passed: Int, total: Int) {
        self.dimension = dimension
        self.passed = passed
        self.total = total
    }
}

public struct EvalRunResult: Codable, Sendable, Equatable {
    /// The model scored (`offline` for the built-in one).
    public var model: String
    public var scenarios: [EvalScenarioView]
    /// Checks passed out of run, per dimension.
    public var scores: [EvalScoreView]
    public init(model: String, scenarios: [EvalScenarioView], scores: [EvalScoreView]) {
        self.model = model
        self.scenarios = scenarios
        self.scores = scores
    }
}
