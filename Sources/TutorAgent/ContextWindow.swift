import Foundation
import TutorModel

/// Estimates tokens from text, calibrated by what the endpoint reports.
///
/// The first guess is one token per four characters plus a safety margin; every reported
/// `usage.prompt_tokens` nudges the ratio towards the endpoint's real tokenizer.
public struct TokenEstimator: Sendable, Equatable {
    /// Characters per token, as learned so far.
    public private(set) var charactersPerToken: Double = 4
    /// Estimates are multiplied by this, so a wrong guess errs on the safe side.
    public var safetyMargin = 1.1
    /// Tokens each message costs beyond its text (role, separators).
    public var perMessageOverhead = 4

    public init() {}

    public func tokens(_ text: String) -> Int { tokens(characters: text.count) }

    /// The estimate for a text of `characters` characters (counting a long text once is cheaper).
    public func tokens(characters: Int) -> Int {
        // The small epsilon keeps exact products (400 / 4 × 1.1) from rounding up a whole token.
        Int((Double(characters) / charactersPerToken * safetyMargin - 1e-9).rounded(.up))
    }

    public func tokens(_ message: ChatMessage) -> Int {
        var total = perMessageOverhead + tokens(message.content ?? "")
        for call in message.toolCalls ?? [] { total += tokens(call.name) + tokens(call.arguments) + perMessageOverhead }
        return total
    }

    public func tokens(_ messages: [ChatMessage]) -> Int { messages.map(tokens).reduce(0, +) }

    /// Learns from a request whose text had `characters` characters and which the endpoint counted
    /// as `reportedTokens` prompt tokens (moving average, bounded so one odd report cannot derail it).
    public mutating func calibrate(characters: Int, reportedTokens: Int) {
        guard characters > 0, reportedTokens > 0 else { return }
        let observed = min(8, max(1.5, Double(characters) / Double(reportedTokens)))
        charactersPerToken = charactersPerToken * 0.7 + observed * 0.3
    }
}

/// How a request's tokens divide between its sections, against the model's limit.
public struct ContextReport: Codable, Sendable, Equatable {
    public struct Section: Codable, Sendable, Equatable {
        public var name: String
        public var tokens: Int
        public var budget: Int
    }
    public var limit: Int
    public var sections: [Section]
    public var compactions: Int
    public var total: Int { sections.map(\.tokens).reduce(0, +) }
}

/// The context budget: what goes into each request so it fits the model's window, and when the
/// history must be compacted.
///
/// The window holds the system prompt (with the learner's memory), the tool schemas, the history
/// and a reserve for the answer. When the history passes 80% of what is left for it, the oldest
/// turns are summarised at a turn boundary (a tool call is never separated from its result).
public struct ContextWindow: Sendable, Equatable {
    public static let defaultLimit = 8192
    public var limit: Int
    /// Tokens kept free for the answer, and the most a reply may take (its `max_tokens`).
    public var reservedForAnswer: Int
    /// The share of the history budget that triggers compaction.
    public var compactionThreshold = 0.8

    /// - Parameters:
    ///   - limit: the window in tokens (1024 at least).
    ///   - maximumOutput: the configured bound on an answer (`llm.max_output_tokens`), kept to half
    ///     the window at most; nil reserves an eighth of the window, from 256 to 2048 tokens.
    public init(limit: Int = ContextWindow.defaultLimit, maximumOutput: Int? = nil) {
        let limit = max(1024, limit)
        self.limit = limit
        self.reservedForAnswer = maximumOutput.map { max(16, min($0, limit / 2)) } ?? min(2048, max(256, limit / 8))
    }

    /// The tokens the history may use, given the fixed sections.
    public func historyBudget(systemTokens: Int, toolTokens: Int) -> Int {
        max(0, limit - reservedForAnswer - systemTokens - toolTokens)
    }

    /// Whether `history` should be compacted before the next request.
    public func needsCompaction(historyTokens: Int, systemTokens: Int, toolTokens: Int) -> Bool {
        Double(historyTokens) > Double(historyBudget(systemTokens: systemTokens, toolTokens: toolTokens)) * compactionThreshold
    }

    /// The index of the first message to keep when compacting: the start of a user turn, chosen so
    /// the kept part uses at most half of the history budget, and never inside a tool exchange.
    /// Returns nil when no earlier turn boundary exists (the current turn alone is too large).
    public static func compactionBoundary(_ history: [ChatMessage], keepTokens: Int, estimator: TokenEstimator) -> Int? {
        var kept = 0
        var boundary: Int?
        for index in history.indices.reversed() {
            kept += estimator.tokens(history[index])
            if history[index].role == .user, index > 0 {
                if kept > keepTokens { break }
                boundary = index
            }
        }
        // Keep at least the last user turn even when it alone exceeds the share.
        if boundary == nil, let lastUser = history.lastIndex(where: { $0.role == .user }), lastUser > 0 { boundary = lastUser }
        return boundary
    }
}
