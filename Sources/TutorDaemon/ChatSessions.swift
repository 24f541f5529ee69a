import Foundation
import Logging
import Synchronization
import TutorAgent
import TutorChatSession
import TutorModel
import TutorWire

/// The daemon's chat sessions by name: one `AgentSession` each, created on first use with its
/// transcript loaded from the store, so named sessions survive restarts.
///
/// At most ``idleCapacity`` sessions without a turn running are kept; beyond that the least
/// recently used is dropped, and comes back from the store when next used (as after a restart: its
/// transcript and summary are stored, only the last `/context` report and the token calibration
/// are lost). A lock rather than an actor guards the table: it is touched twice per turn, and a
/// turn should not hop onto a shared actor and back just to find its session.
final class ChatSessions: Sendable {
    struct Entry {
        var session: AgentSession
        var lastUsed: UInt64
        var running = 0
    }

    /// Sessions kept in memory while no turn runs in them.
    static let idleCapacity = 64
    private let sessions = Mutex<(entries: [String: Entry], clock: UInt64)>(([:], 0))
    let factory: ChatSessionFactory
    var model: any ChatModel { factory.model }
    let contextLimit: Int?
    /// Returns the heap to the system after a burst of concurrent turns, closing the extra database
    /// connections the burst opened first.
    let trimmer: MemoryTrimmer

    init(factory: ChatSessionFactory, contextLimit: Int?) {
        self.factory = factory
        self.contextLimit = contextLimit
        self.trimmer = MemoryTrimmer(burst: 4) { factory.releaseMemory() }
    }

    /// The session called `name`, created when it is not in memory; `running` marks a turn in it
    /// (end it with ``finished(_:)``) so it is not dropped meanwhile.
    func session(_ name: String, running: Bool = false) -> AgentSession {
        sessions.withLock { table in
            table.clock += 1
            if var entry = table.entries[name] {
                entry.lastUsed = table.clock
                if running { entry.running += 1 }
                table.entries[name] = entry
                return entry.session
            }
            let session = factory.session(named: name)
            table.entries[name] = Entry(session: session, lastUsed: table.clock, running: running ? 1 : 0)
            Self.dropIdle(beyond: Self.idleCapacity, from: &table.entries)
            return session
        }
    }

    /// Ends a turn begun with `session(name, running: true)`.
    func finished(_ name: String) {
        sessions.withLock { table in
            table.entries[name]?.running -= 1
            Self.dropIdle(beyond: Self.idleCapacity, from: &table.entries)
        }
    }

    /// Drops the least recently used idle sessions while more than `capacity` are idle.
    static func dropIdle(beyond capacity: Int, from entries: inout [String: Entry]) {
        guard entries.count > capacity else { return }
        let idle = entries.filter { $0.value.running == 0 }
        guard idle.count > capacity else { return }
        for (name, _) in idle.sorted(by: { $0.value.lastUsed < $1.value.lastUsed }).prefix(idle.count - capacity) {
            entries[name] = nil
        }
    }

    /// How many sessions are in memory (for tests).
    var count: Int { sessions.withLock { $0.entries.count } }

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
        sessions.withLock { _ = $0.entries.removeValue(forKey: name) }
        return ChatResetResult(session: name, existed: try factory.deleteTranscript(of: name))
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
        let session = session(name, running: true)
        defer { finished(name) }
        let turn = try await session.send(params.message) { event in
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
                await context.notify(ChatNotice.method, ChatNotice(session: name, kind: .notice, text: text))
            case .setAside(let text):
                await context.notify(ChatNotice.method, ChatNotice(session: name, kind: .setAside, text: text))
            case .compacted(let messages, let tokens):
                context.logger.info("compacted a conversation", metadata: ["session.id": "\(name)", "agent.messages": "\(messages)"])
                await context.notify(
                    ChatNotice.method,
                    ChatNotice(
                        session: name, kind: .compaction,
                        text: "summarised \(messages) earlier messages into about \(tokens) tokens to fit the context window",
                        messages: messages, tokens: tokens))
            }
        }
        // The last text goes out with the reply, in the same write.
        if let text = deltas.take() { context.notifyWithReply(ChatDelta.method, ChatDelta(session: name, text: text)) }
        let elapsed = ContinuousClock.now - started
        context.logger.info(
            "chat turn", metadata: ["session.id": "\(name)", "llm.model": "\(model.name)", "agent.steps": "\(turn.steps)"])
        return ChatSendResult(
            session: name, reply: turn.reply, model: model.name, steps: turn.steps, toolCalls: turn.toolCalls,
            finishReason: turn.finishReason.rawValue, promptTokens: turn.usage?.promptTokens,
            completionTokens: turn.usage?.completionTokens,
            elapsedSeconds: Self.seconds(elapsed), modelSeconds: Self.seconds(turn.modelTime), cachedTokens: turn.usage?.cachedTokens,
            firstTokenSeconds: turn.firstTokenTime.map(Self.seconds))
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
