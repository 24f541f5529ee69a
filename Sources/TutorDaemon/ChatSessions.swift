import Foundation
import Logging
import Synchronization
import TutorAgent
import TutorLLM
import TutorStore
import TutorTools
import TutorWire

/// The daemon's chat sessions by name: one `AgentSession` each, created on first use with its
/// transcript loaded from the store, so named sessions survive restarts.
///
/// A lock rather than an actor guards the table: it is touched once per request, and a turn should
/// not hop onto a shared actor and back just to find its session.
final class ChatSessions: Sendable {
    private let sessions = Mutex<[String: AgentSession]>([:])
    let model: any ChatModel
    let service: LearnerService
    let tools: ToolRegistry
    let logger: Logger

    let contextLimit: Int?
    let prompts: PromptLibrary
    /// The summariser instruction, rendered once (templates do not change while the daemon runs).
    let summariserPrompt: String
    let systemPrompt: SystemPromptCache
    /// Returns the heap to the system after a burst of concurrent turns.
    let trimmer = MemoryTrimmer(burst: 4)

    init(model: any ChatModel, service: LearnerService, contextLimit: Int?, prompts: PromptLibrary, logger: Logger) {
        self.model = model
        self.prompts = prompts
        self.contextLimit = contextLimit
        self.summariserPrompt = TutorPrompts.summariser(library: prompts)
        self.systemPrompt = SystemPromptCache(service: service, library: prompts)
        self.service = service
        self.tools = LearnerTools.registry(service)
        self.logger = logger
    }

    func session(_ name: String) -> AgentSession {
        sessions.withLock { sessions in
            if let existing = sessions[name] { return existing }
            let service = self.service
            let session = AgentSession(
                name: name, model: model, tools: tools, transcript: StoreTranscript(store: service.store), contextLimit: contextLimit,
                summariserPrompt: summariserPrompt
            ) { [systemPrompt] in systemPrompt.prompt() }
            sessions[name] = session
            return session
        }
    }

    /// The context use of a session's last request.
    func context(_ name: String) async -> ChatContextResult {
        let report = await session(name).contextReport()
        return ChatContextResult(
            session: name, limit: report?.limit ?? contextLimit ?? ContextWindow.defaultLimit,
            sections: (report?.sections ?? []).map { .init(name: $0.name, tokens: $0.tokens, budget: $0.budget) },
            compactions: report?.compactions ?? 0)
    }

    /// Forgets a session: its transcript and summary are deleted.
    func reset(_ name: String) throws -> ChatResetResult {
        sessions.withLock { $0[name] = nil }
        return ChatResetResult(session: name, existed: try service.store.deleteConversation(name))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Runs one turn, streaming text and tool activity to the requesting client.
    func send(_ params: ChatSendParams, context: RequestContext) async throws -> ChatSendResult {
        let name = params.session.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw RPCError.invalidParams(ChatSendMethod.name, "the session name must be 1 to 64 letters, digits, '-', '_' or '.'")
        }
        guard !params.message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RPCError.invalidParams(ChatSendMethod.name, "the message is empty")
        }
        let started = ContinuousClock.now
        trimmer.enter()
        defer { trimmer.leave() }
        let deltas = DeltaCoalescer()
        let flush: nonisolated(nonsending) @Sendable () async -> Void = {
            if let text = deltas.take() { await context.notify(ChatDelta.method, ChatDelta(session: name, text: text)) }
        }
        let turn = try await session(name).send(params.message) { event in
            if case .text(let text) = event {
                if deltas.add(text) { await flush() }
                return
            }
            await flush()
            switch event {
            case .text:
                break
            case .toolStarted(let tool, let arguments):
                await context.notify(ChatToolEvent.method, ChatToolEvent(session: name, name: tool, phase: "started", arguments: arguments))
            case .toolFinished(let tool, let ok, let summary):
                await context.notify(
                    ChatToolEvent.method, ChatToolEvent(session: name, name: tool, phase: "finished", ok: ok, summary: summary))
            case .notice(let text):
                await context.notify(ChatDelta.method, ChatDelta(session: name, text: "\n" + text))
            case .compacted(let messages, let tokens):
                context.logger.info("compacted a conversation", metadata: ["session.id": "\(name)", "agent.messages": "\(messages)"])
                await context.notify(
                    ChatToolEvent.method,
                    ChatToolEvent(
                        session: name, name: "context", phase: "finished", ok: true,
                        summary: "summarised \(messages) earlier messages into about \(tokens) tokens to fit the context window"))
            }
        }
        await flush()
        let elapsed = ContinuousClock.now - started
        context.logger.info(
            "chat turn", metadata: ["session.id": "\(name)", "llm.model": "\(model.name)", "agent.steps": "\(turn.steps)"])
        return ChatSendResult(
            session: name, reply: turn.reply, model: model.name, steps: turn.steps, toolCalls: turn.toolCalls,
            finishReason: turn.finishReason.rawValue, promptTokens: turn.usage?.promptTokens,
            completionTokens: turn.usage?.completionTokens,
            elapsedSeconds: Self.seconds(elapsed), modelSeconds: Self.seconds(turn.modelTime))
    }
}

/// Gathers streamed text so a fast stream becomes a few notifications rather than one per token:
/// text is sent once 256 characters have built up or 15 ms have passed since the last send.
/// A lock, not an actor: it is touched once per streamed chunk, and a hop each time would cost more
/// than the work.
final class DeltaCoalescer: Sendable {
    private let state = Mutex<(pending: String, lastSent: ContinuousClock.Instant)>(("", ContinuousClock.now))

    /// Adds text; returns whether it is time to send.
    func add(_ text: String) -> Bool {
        state.withLock { state in
            state.pending += text
            return state.pending.utf8.count >= 256 || ContinuousClock.now - state.lastSent >= .milliseconds(15)
        }
    }

    /// The text gathered so far, if any, and resets the clock.
    func take() -> String? {
        state.withLock { state in
            guard !state.pending.isEmpty else { return nil }
            defer {
                state.pending = ""
                state.lastSent = ContinuousClock.now
            }
            return state.pending
        }
    }
}
