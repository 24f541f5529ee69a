import TutorModel

/// What the tutor does with a learner's message before the model is asked: the tool calls it
/// makes itself (the facts a request needs, the changes the learner asked for) and what it tells
/// the learner. A model that never calls tools still answers from these results, and a change
/// the learner asked for happens once, whether or not the model also asks for it.
public struct TurnPlan: Sendable, Equatable {
    public var calls: [ToolCall]
    /// Said to the learner before the turn (e.g. an open question set aside).
    public var setAside: String?
    /// Tools not offered to the model this turn because they cannot apply (answering a question
    /// when none is open, setup steps once set up): their schemas would only take up the window.
    public var withheldTools: Set<String>

    /// Checks the model's reply against the facts the tutor gathered; with one, the reply is held
    /// back until checked (not streamed) and replaced by the tutor's own answer when it fails.
    public var check: (any ReplyCheck)?
    /// The tutor answers itself from the calls' results (``ReplyCheck/ownAnswer(turn:)``), without
    /// asking the model: for steps of a protocol the model must not reword (the setup's questions).
    public var answersItself: Bool
    /// The tutor's whole reply, with no tool and no model: for a request it does not do ("tell me
    /// a joke"), thanks and goodbyes, which a small model would otherwise carry out or improvise.
    /// Only with a `check` (a model's session; the tutor's own model replies itself) and no `calls`.
    public var reply: String?

    public init(
        calls: [ToolCall] = [], setAside: String? = nil, withheldTools: Set<String> = [], check: (any ReplyCheck)? = nil,
        answersItself: Bool = false, reply: String? = nil
    ) {
        self.calls = calls
        self.setAside = setAside
        self.withheldTools = withheldTools
        self.check = check
        self.answersItself = answersItself && check != nil
        self.reply = calls.isEmpty && check != nil ? reply : nil
    }

    public static func == (lhs: TurnPlan, rhs: TurnPlan) -> Bool {
        lhs.calls == rhs.calls && lhs.setAside == rhs.setAside && lhs.withheldTools == rhs.withheldTools
            && (lhs.check == nil) == (rhs.check == nil) && lhs.answersItself == rhs.answersItself && lhs.reply == rhs.reply
    }
}

/// Checks a model's reply against a turn's tool results.
public protocol ReplyCheck: Sendable {
    /// Nil when `reply` agrees with the facts in `turn` (the messages since the learner's, tool
    /// results included); else the tutor's own answer, to be used instead.
    func review(_ reply: String, turn: [ChatMessage]) -> String?
    /// The tutor's own answer from the tool results in `turn`.
    func ownAnswer(turn: [ChatMessage]) -> String
}

/// Decides a message's ``TurnPlan``; the chat session's assembly provides one.
public protocol TurnPlanner: Sendable {
    /// The plan for `text` in the session named `session` (run with ``ToolContext/session`` set).
    func plan(_ text: String, session: String) async -> TurnPlan
}
