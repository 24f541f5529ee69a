import Foundation

// FSRS-6 review scheduling, ported from the reference implementation py-fsrs 6
// (open-spaced-repetition/py-fsrs, fsrs/scheduler.py and fsrs/card.py).
// This file holds the value types; FSRSParameters.swift holds the configuration and
// FSRSScheduler.swift the algorithm.

/// How well the learner recalled a card.
public enum Rating: Int, Codable, Sendable, CaseIterable {
    case again = 1
    case hard = 2
    case good = 3
    case easy = 4
}

/// Where a card is in its life cycle.
public enum CardState: Int, Codable, Sendable {
    /// New, or still working through the learning steps.
    case learning = 1
    /// Graduated; scheduled in whole days.
    case review = 2
    /// Forgotten after graduating; working through the relearning steps.
    case relearning = 3
}

/// The memory state and schedule of one card.
public struct ReviewCard: Codable, Sendable, Equatable {
    public var state: CardState
    /// Index into the learning or relearning steps; `nil` in review.
    public var step: Int?
    /// Days until retrievability falls to 90%; `nil` until the first review.
    public var stability: Double?
    /// Between 1 and 10; `nil` until the first review.
    public var difficulty: Double?
    public var due: Date
    public var lastReview: Date?

    /// A new card: learning, step 0, due at `due`.
    public init(due: Date) {
        self.init(state: .learning, step: 0, stability: nil, difficulty: nil, due: due, lastReview: nil)
    }

    /// A card restored from storage.
    public init(state: CardState, step: Int?, stability: Double?, difficulty: Double?, due: Date, lastReview: Date?) {
        self.state = state
        self.step = step
        self.stability = stability
        self.difficulty = difficulty
        self.due = due
        self.lastReview = lastReview
    }
}

/// One review as it happened.
public struct ReviewLog: Codable, Sendable, Equatable {
    public var rating: Rating
    public var reviewedAt: Date

    public init(rating: Rating, reviewedAt: Date) {
        self.rating = rating
        self.reviewedAt = reviewedAt
    }
}
