import Foundation

/// Configuration of an ``FSRSScheduler``; the defaults are those of py-fsrs 6 except that fuzzing is off.
public struct FSRSParameters: Codable, Sendable, Equatable {
    /// The 21 default FSRS-6 model weights (w0…w20) of py-fsrs 6.
    public static let defaultWeights: [Double] = [
        0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
        1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
    ]

    /// Inclusive lower bound of each weight, as py-fsrs 6 enforces them.
    public static let weightLowerBounds: [Double] = [
        0.001, 0.001, 0.001, 0.001, 1.0, 0.001, 0.001, 0.001, 0.0, 0.0, 0.001,
        0.001, 0.001, 0.001, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.1,
    ]

    /// Inclusive upper bound of each weight, as py-fsrs 6 enforces them.
    public static let weightUpperBounds: [Double] = [
        100.0, 100.0, 100.0, 100.0, 10.0, 4.0, 4.0, 0.75, 4.5, 0.8, 3.5,
        5.0, 0.25, 0.9, 4.0, 1.0, 6.0, 2.0, 2.0, 0.8, 0.8,
    ]

    /// Model weights w0…w20.
    public var weights: [Double]
    /// Target probability of recall when a review card comes due, in (0, 1).
    public var desiredRetention: Double
    /// Waits, in seconds, between the steps of a new card before it graduates to review.
    public var learningSteps: [TimeInterval]
    /// Waits, in seconds, between the steps of a forgotten review card.
    public var relearningSteps: [TimeInterval]
    /// Longest review interval, in days.
    public var maximumInterval: Int
    /// Whether review intervals get a small random spread, as in py-fsrs.
    public var enableFuzzing: Bool

    public init(
        weights: [Double] = FSRSParameters.defaultWeights,
        desiredRetention: Double = 0.9,
        learningSteps: [TimeInterval] = [60, 600],
        relearningSteps: [TimeInterval] = [600],
        maximumInterval: Int = 36_500,
        enableFuzzing: Bool = false
    ) {
        self.weights = weights
        self.desiredRetention = desiredRetention
        self.learningSteps = learningSteps
        self.relearningSteps = relearningSteps
        self.maximumInterval = maximumInterval
        self.enableFuzzing = enableFuzzing
    }

    private enum CodingKeys: String, CodingKey {
        case weights, desiredRetention, learningSteps, relearningSteps, maximumInterval, enableFuzzing
    }

    /// Decodes parameters, taking the default for every missing key; does not validate.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = FSRSParameters()
        weights = try container.decodeIfPresent([Double].self, forKey: .weights) ?? defaults.weights
        desiredRetention = try container.decodeIfPresent(Double.self, forKey: .desiredRetention) ?? defaults.desiredRetention
        learningSteps = try container.decodeIfPresent([TimeInterval].self, forKey: .learningSteps) ?? defaults.learningSteps
        relearningSteps = try container.decodeIfPresent([TimeInterval].self, forKey: .relearningSteps) ?? defaults.relearningSteps
        maximumInterval = try container.decodeIfPresent(Int.self, forKey: .maximumInterval) ?? defaults.maximumInterval
        enableFuzzing = try container.decodeIfPresent(Bool.self, forKey: .enableFuzzing) ?? defaults.enableFuzzing
    }

    /// Throws an ``FSRSParameterError`` describing the first problem found.
    ///
    /// Checks, in order: 21 weights, each weight within py-fsrs's bounds, retention strictly
    /// between 0 and 1, every step finite and positive, and a maximum interval of at least one day.
    public func validate() throws {
        guard weights.count == Self.defaultWeights.count else {
            throw FSRSParameterError.wrongWeightCount(expected: Self.defaultWeights.count, actual: weights.count)
        }
        var violations: [FSRSParameterError.WeightViolation] = []
        for (index, weight) in weights.enumerated() {
            let lower = Self.weightLowerBounds[index]
            let upper = Self.weightUpperBounds[index]
            if !(lower <= weight && weight <= upper) {
                violations.append(.init(index: index, value: weight, lowerBound: lower, upperBound: upper))
            }
        }
        guard violations.isEmpty else { throw FSRSParameterError.weightsOutOfBounds(violations) }
        guard desiredRetention > 0, desiredRetention < 1 else {
            throw FSRSParameterError.desiredRetentionOutOfRange(desiredRetention)
        }
        if let index = learningSteps.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw FSRSParameterError.invalidLearningStep(index: index, seconds: learningSteps[index])
        }
        if let index = relearningSteps.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw FSRSParameterError.invalidRelearningStep(index: index, seconds: relearningSteps[index])
        }
        guard maximumInterval >= 1 else { throw FSRSParameterError.maximumIntervalTooSmall(maximumInterval) }
    }
}

/// Why a set of ``FSRSParameters`` is unusable.
public enum FSRSParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One weight outside its allowed range.
    public struct WeightViolation: Sendable, Equatable {
        public var index: Int
        public var value: Double
        public var lowerBound: Double
        public var upperBound: Double

        public init(index: Int, value: Double, lowerBound: Double, upperBound: Double) {
            self.index = index
            self.value = value
            self.lowerBound = lowerBound
            self.upperBound = upperBound
        }
    }

    case wrongWeightCount(expected: Int, actual: Int)
    /// Every weight that is out of bounds (or NaN), in index order.
    case weightsOutOfBounds([WeightViolation])
    case desiredRetentionOutOfRange(Double)
    case invalidLearningStep(index: Int, seconds: TimeInterval)
    case invalidRelearningStep(index: Int, seconds: TimeInterval)
    case maximumIntervalTooSmall(Int)

    public var description: String {
        switch self {
        case .wrongWeightCount(let expected, let actual):
            return "FSRS needs \(expected) weights, got \(actual)"
        case .weightsOutOfBounds(let violations):
            let list = violations.map { "w\($0.index) = \($0.value) not in [\($0.lowerBound), \($0.upperBound)]" }
            return "FSRS weights out of bounds: " + list.joined(separator: "; ")
        case .desiredRetentionOutOfRange(let retention):
            return "desired retention must be strictly between 0 and 1, got \(retention)"
        case .invalidLearningStep(let index, let seconds):
            return "learning step \(index) must be a positive number of seconds, got \(seconds)"
        case .invalidRelearningStep(let index, let seconds):
            return "relearning step \(index) must be a positive number of seconds, got \(seconds)"
        case .maximumIntervalTooSmall(let days):
            return "maximum interval must be at least 1 day, got \(days)"
        }
    }
}
