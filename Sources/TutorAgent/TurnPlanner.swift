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

    public init(calls: [ToolCall] = [], setAside: String? = nil, withheldTools: Set<String> = []) {
        self.calls = calls
        self.setAside = setAside
        self.withheldTools = withheldTools
    }
}

/// Decides a message's ``TurnPlan``; the chat session's assembly provides one.
public protocol TurnPlanner: Sendable {
    /// The plan for `text` in the session named `session` (run with ``ToolContext/session`` set).
    func plan(_ text: String, session: String) async -> TurnPlan
}
