import TutorModel

/// What a session tells the model besides the conversation, in two parts laid out for a server's
/// prompt cache: the `instructions` go first and stay byte-identical from turn to turn; the `state`
/// (the learner's profile, goals and what the chat waits for) changes with the learner's data, so
/// it goes into the conversation itself, as a system message just before the learner's message,
/// whenever it differs from the last one there, and is kept in the transcript like any message.
///
/// A server reuses the longest prefix a request shares with the one before (llama.cpp's
/// `cache_prompt`, OpenAI's prompt caching), so state that changes must not sit in front of the
/// conversation. See decision 0012.
public struct SystemPrompt: Sendable, Equatable, ExpressibleByStringLiteral {
    /// Who the tutor is and how it works: the same every turn.
    public var instructions: String
    /// The learner's current state, read fresh every turn; empty when there is none.
    public var state: String

    public init(instructions: String, state: String = "") {
        self.instructions = instructions
        self.state = state
    }

    public init(stringLiteral value: String) { self.init(instructions: value) }

    /// `history` (ending with the learner's new message) with the state before that message, unless
    /// the state already stands, unchanged, as the last system message of `history[from...]` (the
    /// part a request sends). The returned message is the one to store with the learner's.
    func placed(in history: [ChatMessage], from start: Int) -> (history: [ChatMessage], added: ChatMessage?) {
        guard !state.isEmpty, let newest = history.indices.last, newest >= start else { return (history, nil) }
        let last = history[start..<newest].last { $0.role == .system }
        guard last?.content != state else { return (history, nil) }
        var messages = history
        let message = ChatMessage.system(state)
        messages.insert(message, at: newest)
        return (messages, message)
    }
}
