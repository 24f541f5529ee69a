import TutorModel

/// What a session tells the model besides the conversation, in two parts laid out for a server's
/// prompt cache: the `instructions` go first and stay byte-identical from turn to turn, the `state`
/// (the learner's profile, goals and what the chat waits for) changes with the learner's data and
/// goes last, after the learner's newest message and the tutor's calls for it.
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

    /// The characters both parts add to a request.
    var characters: Int { instructions.count + state.count }

    /// `sent` with the state as a last system message. The next request holds everything this one
    /// did but the state, in the same order, so a server serves all of it but the state (and the
    /// answer generated after it) from its cache.
    func placed(in sent: [ChatMessage]) -> [ChatMessage] {
        state.isEmpty ? sent : sent + [.system(state)]
    }
}
