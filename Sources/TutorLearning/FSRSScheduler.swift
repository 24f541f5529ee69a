import Foundation

/// The FSRS-6 scheduler: updates a card's memory state after a review and decides when it is due next.
///
/// Mirrors `fsrs.Scheduler` of py-fsrs 6, including its rounding: elapsed time is counted in whole
/// days (floored, at microsecond resolution), review intervals are rounded half-to-even to whole days,
/// and learning and relearning steps advance `due` by their exact length in seconds.
public struct FSRSScheduler: Sendable {
    public let parameters: FSRSParameters

    /// The forgetting-curve exponent, `-w20`.
    private let decay: Double
    /// Chosen so that retrievability is 90% when elapsed days equal stability.
    private let factor: Double

    /// A scheduler with `parameters`, which must be valid (see ``FSRSParameters/validate()``).
    ///
    /// Invalid parameters stop the program, as py-fsrs raises; use ``init(validating:)`` for untrusted input.
    public init(parameters: FSRSParameters = .init()) {
        do {
            try parameters.validate()
        } catch {
            preconditionFailure("invalid FSRS parameters: \(error)")
        }
        self.parameters = parameters
        decay = -parameters.weights[20]
        factor = pow(0.9, 1 / decay) - 1
    }

    /// A scheduler with `parameters`, throwing an ``FSRSParameterError`` if they are invalid.
    public init(validating parameters: FSRSParameters) throws {
        try parameters.validate()
        self.init(parameters: parameters)
    }

    /// Reviews `card` with `rating` at `date`; returns the updated card and the log entry.
    ///
    /// When fuzzing is enabled this draws from the system random number generator; pass a
    /// generator to ``review(_:rating:at:using:)`` for reproducible results.
    public func review(_ card: ReviewCard, rating: Rating, at date: Date) -> (card: ReviewCard, log: ReviewLog) {
        var generator = SystemRandomNumberGenerator()
        return review(card, rating: rating, at: date, using: &generator)
    }

    /// Reviews `card` with `rating` at `date`, drawing any interval fuzz from `generator`.
    ///
    /// The generator is used at most once per review, and only when fuzzing is enabled and the
    /// card ends up in review with an interval of at least 3 days. The uniform value in [0, 1) is
    /// the top 53 bits of `generator.next()` divided by 2⁵³.
    public func review(
        _ card: ReviewCard,
        rating: Rating,
        at date: Date,
        using generator: inout some RandomNumberGenerator
    ) -> (card: ReviewCard, log: ReviewLog) {
        var card = card
        let daysSinceLastReview = card.lastReview.map { Self.wholeDays(from: $0, to: date) }

        if let stability = card.stability, let difficulty = card.difficulty {
            if let days = daysSinceLastReview, days < 1 {
                card.stability = shortTermStability(stability, rating: rating)
            } else {
                let recall = retrievability(of: card, at: date)
                card.stability = nextStability(difficulty: difficulty, stability: stability, retrievability: recall, rating: rating)
            }
            card.difficulty = nextDifficulty(difficulty, rating: rating)
        } else {
            // A card never reviewed (py-fsrs only does this in learning; here any card missing its memory state).
            card.stability = initialStability(rating)
            card.difficulty = initialDifficulty(rating, clamped: true)
        }

        var wait: Wait
        switch card.state {
        case .learning:
            wait = advanceSteps(&card, steps: parameters.learningSteps, rating: rating)
        case .relearning:
            wait = advanceSteps(&card, steps: parameters.relearningSteps, rating: rating)
        case .review:
            if rating == .again, let firstStep = parameters.relearningSteps.first {
                card.state = .relearning
                card.step = 0
                wait = .seconds(firstStep)
            } else {
                wait = .days(nextIntervalDays(stability: card.stability!))
            }
        }

        if parameters.enableFuzzing, card.state == .review, case .days(let days) = wait {
            wait = .days(fuzzedIntervalDays(days, using: &generator))
        }

        switch wait {
        case .seconds(let seconds): card.due = date.addingTimeInterval(seconds)
        case .days(let days): card.due = date.addingTimeInterval(Double(days) * Self.secondsPerDay)
        }
        card.lastReview = date
        return (card, ReviewLog(rating: rating, reviewedAt: date))
    }

    /// Probability of recall of `card` at `date`: 0 for a card never reviewed, as in py-fsrs.
    ///
    /// Elapsed time counts whole days only, so it stays at 1 for the first 24 hours after a review.
    public func retrievability(of card: ReviewCard, at date: Date) -> Double {
        guard let lastReview = card.lastReview, let stability = card.stability else { return 0 }
        let elapsedDays = Double(max(0, Self.wholeDays(from: lastReview, to: date)))
        return pow(1 + factor * elapsedDays / stability, decay)
    }

    /// The review interval, in whole days, for a card with `stability`, before fuzzing.
    public func nextIntervalDays(stability: Double) -> Int {
        let raw = (stability / factor) * (pow(parameters.desiredRetention, 1 / decay) - 1)
        let rounded = raw.rounded(.toNearestOrEven)
        guard !rounded.isNaN else { return 1 }
        return Int(min(max(rounded, 1), Double(parameters.maximumInterval)))
    }
}

// MARK: - Steps and intervals

extension FSRSScheduler {
    /// How far ahead the next review is.
    private enum Wait {
        case seconds(TimeInterval)
        case days(Int)
    }

    private static let secondsPerDay: TimeInterval = 86_400

    /// Moves a learning or relearning card through `steps`, graduating it to review when they run out.
    private func advanceSteps(_ card: inout ReviewCard, steps: [TimeInterval], rating: Rating) -> Wait {
        let step = max(card.step ?? 0, 0)
        if steps.isEmpty || (step >= steps.count && rating != .again) {
            return graduate(&card)
        }
        switch rating {
        case .again:
            card.step = 0
            return .seconds(steps[0])
        case .hard:
            card.step = step
            if step == 0 && steps.count == 1 { return .seconds(Self.microsecondRounded(steps[0] * 1.5)) }
            if step == 0 { return .seconds(Self.microsecondRounded((steps[0] + steps[1]) / 2)) }
            return .seconds(steps[step])
        case .good:
            if step + 1 == steps.count { return graduate(&card) }
            card.step = step + 1
            return .seconds(steps[step + 1])
        case .easy:
            return graduate(&card)
        }
    }

    private func graduate(_ card: inout ReviewCard) -> Wait {
        card.state = .review
        card.step = nil
        return .days(nextIntervalDays(stability: card.stability!))
    }

    /// Fuzz bands of py-fsrs: each adds `factor` days of spread per day of interval inside [start, end).
    private static let fuzzRanges: [(start: Double, end: Double, factor: Double)] = [
        (2.5, 7.0, 0.15),
        (7.0, 20.0, 0.1),
        (20.0, .infinity, 0.05),
    ]

    /// Spreads a review interval of `days` at random around its value, as py-fsrs does.
    private func fuzzedIntervalDays(_ days: Int, using generator: inout some RandomNumberGenerator) -> Int {
        let interval = Double(days)
        guard interval >= 2.5 else { return days }
        var delta = 1.0
        for range in Self.fuzzRanges {
            delta += range.factor * max(min(interval, range.end) - range.start, 0)
        }
        var lowest = Int((interval - delta).rounded(.toNearestOrEven))
        var highest = Int((interval + delta).rounded(.toNearestOrEven))
        lowest = max(2, lowest)
        highest = min(highest, parameters.maximumInterval)
        lowest = min(lowest, highest)
        let unit = Double(generator.next() >> 11) * 0x1p-53
        let fuzzed = unit * Double(highest - lowest + 1) + Double(lowest)
        return min(Int(fuzzed.rounded(.toNearestOrEven)), parameters.maximumInterval)
    }

    /// Whole days from `start` to `end`, floored like Python's `timedelta.days`, at microsecond resolution.
    static func wholeDays(from start: Date, to end: Date) -> Int {
        let microseconds = (end.timeIntervalSince(start) * 1_000_000).rounded(.toNearestOrEven)
        return Int((microseconds / 86_400_000_000).rounded(.down))
    }

    /// `seconds` rounded half-to-even to a whole microsecond, as Python's `timedelta` arithmetic does.
    private static func microsecondRounded(_ seconds: TimeInterval) -> TimeInterval {
        (seconds * 1_000_000).rounded(.toNearestOrEven) / 1_000_000
    }
}

// MARK: - Memory model

extension FSRSScheduler {
    private static let minimumStability = 0.001
    private static let difficultyRange = 1.0...10.0
    /// Euler's number, raised with `pow` (not `exp`) to match py-fsrs bit for bit.
    private static let euler = 2.718281828459045

    private var w: [Double] { parameters.weights }

    private func initialStability(_ rating: Rating) -> Double {
        max(w[rating.rawValue - 1], Self.minimumStability)
    }

    private func initialDifficulty(_ rating: Rating, clamped: Bool) -> Double {
        let difficulty = w[4] - pow(Self.euler, w[5] * Double(rating.rawValue - 1)) + 1
        return clamped ? Self.clampDifficulty(difficulty) : difficulty
    }

    /// Stability after a review less than a day after the previous one.
    private func shortTermStability(_ stability: Double, rating: Rating) -> Double {
        var increase = pow(Self.euler, w[17] * (Double(rating.rawValue) - 3 + w[18])) * pow(stability, -w[19])
        if rating != .again {
            increase = max(increase, 1)
        }
        return max(stability * increase, Self.minimumStability)
    }

    /// Difficulty after a review: a damped step by rating, pulled towards the initial difficulty of Easy.
    private func nextDifficulty(_ difficulty: Double, rating: Rating) -> Double {
        let target = initialDifficulty(.easy, clamped: false)
        let delta = -(w[6] * Double(rating.rawValue - 3))
        let damped = difficulty + (10 - difficulty) * delta / 9
        return Self.clampDifficulty(w[7] * target + (1 - w[7]) * damped)
    }

    /// Stability after a review a day or more after the previous one.
    private func nextStability(difficulty: Double, stability: Double, retrievability: Double, rating: Rating) -> Double {
        let next: Double
        if rating == .again {
            let longTerm =
                w[11] * pow(difficulty, -w[12]) * (pow(stability + 1, w[13]) - 1)
                * pow(Self.euler, (1 - retrievability) * w[14])
            let shortTerm = stability / pow(Self.euler, w[17] * w[18])
            next = min(longTerm, shortTerm)
        } else {
            let hardPenalty = rating == .hard ? w[15] : 1
            let easyBonus = rating == .easy ? w[16] : 1
            next =
                stability
                * (1 + pow(Self.euler, w[8]) * (11 - difficulty) * pow(stability, -w[9])
                    * (pow(Self.euler, (1 - retrievability) * w[10]) - 1) * hardPenalty * easyBonus)
        }
        return max(next, Self.minimumStability)
    }

    private static func clampDifficulty(_ difficulty: Double) -> Double {
        min(max(difficulty, difficultyRange.lowerBound), difficultyRange.upperBound)
    }
}

/// A small seeded generator (SplitMix64) for reproducible fuzzing.
public struct FSRSSeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
