/// What a learner's message asks for, read from their own words by ``IntentReader``.
///
/// Requests name what the tutor should do; the answers and controls (``hint``, ``reveal``,
/// ``skip``, ``rating(_:)``, ``agree``, ``cancel``) only mean something while the conversation
/// waits for one (see ``Awaiting``).
public enum Intent: Sendable, Equatable {
    // Conversation
    case greeting
    /// "Bye", "see you tomorrow".
    case farewell
    case help
    case thanks
    /// Nothing the tutor recognises.
    case unknown
    /// A request or question for the tutor that is outside what it does ("tell me a joke", "can
    /// you write my cover letter?", "how are you?"): understood, never an answer to anything.
    case offScript

    // Requests answered from the learner's data
    case plan
    case tasks
    case progress
    /// "How long until…"; with the weekly hours the learner named, if any.
    case forecast(hoursPerWeek: Double?)
    /// "Why this order?", "why python first?": the prerequisites that put one skill before
    /// another, about the skill named if any; with two named ("why embeddings before RAG?"), the
    /// one asked to come first is `before`.
    case whyOrder(skill: String?, before: String? = nil)
    case quiz
    /// "What was the question?", "back to the question".
    case resumeQuestion

    // Requests that change the learner's data
    case logStudy(minutes: Int, skill: String?)
    /// "Oops, I meant 30 minutes": the last study-log entry corrected.
    case correctLog(minutes: Int)
    /// "Undo that": the last study-log entry removed.
    case undoLog
    /// One or several tasks done ("I finished tasks 1, 2 and 3").
    case completeTasks(ids: [Int], minutes: Int?)
    /// "Undo task 2", "I didn't actually finish task 2", "reopen task 4".
    case reopenTasks(ids: [Int])
    /// "Oops, I meant tasks 1 and 3": the tasks finished in the last day should be these.
    case meantTasks(ids: [Int])
    /// "I already know python", "skip the linear algebra part": a test-out on the skill the words name.
    case testOut(skill: String)
    /// "Pause my goal", "drop the AI engineer goal", "resume my goal"; with the goal's words, if any.
    case changeGoal(GoalAction, goal: String?)
    case setHours(Double)
    /// Free-time windows, already in canonical form ("mon-fri 20:00-22:00").
    case setAvailability([String])
    case addGoal(String)

    // Teaching
    /// A roadmap topic to explain.
    case explain(topic: String)

    // Answers and controls for what the conversation waits for
    case hint
    case reveal
    case skip
    case rating(Int)
    case agree
    case cancel
}

/// What a learner asks of a goal.
public enum GoalAction: String, Sendable, Equatable {
    case pause, resume, drop
}

/// An ``Intent`` and how sure the reader is: a request phrased as one ("what is RAG?", "log 45
/// minutes") is explicit; a topic guessed from bare words ("embeddings") is not, and never takes
/// the place of an answer the tutor is waiting for.
public struct Reading: Sendable, Equatable {
    public var intent: Intent
    public var explicit: Bool
    /// What the same message asks for next ("skip that, how do I log time?").
    public var then: Intent? = nil

    public init(_ intent: Intent, explicit: Bool = true, then: Intent? = nil) {
        self.intent = intent
        self.explicit = explicit
        self.then = then
    }
}
