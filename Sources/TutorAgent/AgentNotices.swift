import TutorModel

/// The learner-facing notices a turn can give, supplied by whoever builds the session (the daemon
/// and the eval render them from the `notice-*` templates in `Prompts/Messages/`), so the agent
/// holds no wording of its own.
public struct AgentNotices: Sendable {
    /// A held change was not made: the learner answered something other than yes (the tools' names).
    public var heldChangeNotMade: @Sendable (_ tools: [String]) -> String
    /// Calls held for confirmation after untrusted text entered the turn (`name arguments`, listed).
    public var heldForConfirmation: @Sendable (_ calls: String) -> String
    /// Long tool results were sent shortened so the request fits the window.
    public var resultsShortened: String
    /// The endpoint reported an overflow; long tool results were shortened and the step retried.
    public var overflowRetried: String
    /// The endpoint reported an overflow and nothing could be shortened or summarised to make the
    /// request smaller (the window's limit in tokens); the turn ends with the error.
    public var overflowNoRoom: @Sendable (_ limit: Int) -> String
    /// The endpoint's chat template leaves the tool descriptions out of the prompt: the model cannot
    /// call tools (said once a session).
    public var toolsNotRendered: String
    /// The endpoint does not list the configured model, but lists these (said once a session).
    public var modelNotListed: @Sendable (_ model: String, _ listed: [String]) -> String
    /// The window leaves little room after the instructions and tool descriptions.
    public var smallWindow: @Sendable (_ limit: Int, _ toolTokens: Int) -> String
    /// An answer that did not finish normally: why (`length`, `contentFilter`, or else the error
    /// that stopped the stream, nil when the connection just ended).
    public var incomplete: @Sendable (_ reason: FinishReason, _ error: LLMError?) -> String
    /// The step limit stopped the turn after this many steps.
    public var stepLimit: @Sendable (_ steps: Int) -> String
    /// A step that did not finish asked for these tools (names); they were not run. Follows the
    /// `incomplete` notice, in the same notice.
    public var toolsNotRun: @Sendable (_ tools: [String]) -> String
    /// The model's reply disagreed with the learner's data and was replaced by the tutor's own answer.
    public var replyReplaced: String

    public init(
        heldChangeNotMade: @escaping @Sendable ([String]) -> String, heldForConfirmation: @escaping @Sendable (String) -> String,
        resultsShortened: String, overflowRetried: String, smallWindow: @escaping @Sendable (Int, Int) -> String,
        incomplete: @escaping @Sendable (FinishReason, LLMError?) -> String, stepLimit: @escaping @Sendable (Int) -> String,
        toolsNotRun: @escaping @Sendable ([String]) -> String, replyReplaced: String,
        overflowNoRoom: @escaping @Sendable (Int) -> String, toolsNotRendered: String,
        modelNotListed: @escaping @Sendable (String, [String]) -> String
    ) {
        self.overflowNoRoom = overflowNoRoom
        self.toolsNotRendered = toolsNotRendered
        self.modelNotListed = modelNotListed
        self.heldChangeNotMade = heldChangeNotMade
        self.heldForConfirmation = heldForConfirmation
        self.resultsShortened = resultsShortened
        self.overflowRetried = overflowRetried
        self.smallWindow = smallWindow
        self.incomplete = incomplete
        self.stepLimit = stepLimit
        self.toolsNotRun = toolsNotRun
        self.replyReplaced = replyReplaced
    }
}
