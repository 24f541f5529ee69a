import TutorAgent
import TutorApp
import TutorDialogue
import TutorModel
import TutorOffline
import TutorPrompts
import TutorStore
import TutorToolAdapters
import TutorTools

/// Builds the tutor's chat sessions: an `AgentSession` with its model, the tutor's tools over the
/// application's services, the system prompt (with the session's tutoring state) and a transcript
/// in the store. The daemon's chats and `tutor eval` both make their sessions here, so what a
/// scenario exercises is what a learner talks to.
///
/// One factory per application context: the daemon makes one at start, eval one per scenario
/// (each in its own throwaway store).
public struct ChatSessionFactory: Sendable {
    /// The model every session talks to; the built-in offline model reads this context's store.
    public let model: any ChatModel
    /// The services the tools call.
    public let service: LearnerService
    let store: Store
    let tools: ToolRegistry
    /// The tools every session is given, for callers outside a chat (the daemon's `tools.*` methods).
    public var toolRegistry: ToolRegistry { tools }
    let systemPrompt: SystemPromptCache
    let summariserPrompt: String
    /// The learner-facing notices of a turn, from the `notice-*` templates.
    let notices: AgentNotices
    let contextLimit: Int?
    let maximumOutput: Int?
    /// Decides, for each message, the calls the tutor makes before the model is asked.
    let planner: DialoguePlanner

    /// - Parameters:
    ///   - notes: note search for the `search_notes` tool; nil leaves the tool out.
    ///   - contextLimit: the configured context window; nil asks the model.
    ///   - maximumOutput: the configured bound on a reply's tokens; nil uses the window's reserve.
    public init(
        model: any ChatModel, context: AppContext, notes: NotesService?, prompts: PromptLibrary, contextLimit: Int? = nil,
        maximumOutput: Int? = nil
    ) {
        let store = context.store
        let offline = model as? OfflineModel
        self.model = offline?.readingState { ChatState.read(store, session: $0) } ?? model
        self.service = LearnerService(
            context: context, grader: model.writesFreeText ? RubricGrader(model: model, prompts: prompts) : nil)
        self.store = store
        self.tools = LearnerTools.registry(service, notes: notes, quizWriter: model.writesFreeText ? model.name : nil)
        self.systemPrompt = SystemPromptCache(service: service, library: prompts)
        self.summariserPrompt = ModelPrompts.summariser(library: prompts)
        self.notices = AgentNotices(library: prompts)
        self.contextLimit = contextLimit
        self.maximumOutput = maximumOutput
        // A model's reply in a grounded turn is checked against the data, the tutor's own words the fallback.
        let own = OfflineModel(catalogue: context.catalogue, prompts: prompts) { ChatState.read(store, session: $0) }
        self.planner = DialoguePlanner(
            catalogue: context.catalogue, service: service, prompts: prompts, canSearchNotes: notes != nil,
            check: offline == nil ? GroundedReplyCheck(offline: own) : nil
        ) { ChatState.read(store, session: $0) }
    }

    /// A session called `name`, its transcript loaded from the store on first use.
    public func session(named name: String) -> AgentSession {
        AgentSession(
            name: name, model: model, tools: tools, transcript: StoreTranscript(store: store), contextLimit: contextLimit,
            maximumOutput: maximumOutput, summariserPrompt: summariserPrompt, notices: notices, planner: planner
        ) { [systemPrompt] in systemPrompt.prompt(session: name) }
    }

    /// Forgets a session: its transcript and summary are deleted. Returns whether it existed.
    public func deleteTranscript(of name: String) throws -> Bool { try store.deleteConversation(name) }

    /// Closes the extra database connections a burst of turns opened and returns the heap to the system.
    public func releaseMemory() { store.releaseMemory() }
}
