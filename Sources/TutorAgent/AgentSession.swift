import Foundation
import Synchronization
import TutorJSON
import TutorModel

/// Where a session's transcript lives between turns and across restarts.
///
/// The requirements run on the caller's executor (`nonisolated(nonsending)`): the session calls
/// them several times a turn, and a store that answers synchronously should not cost a hop off the
/// session's actor and back each time.
public protocol TranscriptStore: Sendable {
    /// The session's messages, oldest first (no system prompt).
    nonisolated(nonsending) func messages(session: String) async throws -> [ChatMessage]
    /// Appends messages to the session, in one write.
    nonisolated(nonsending) func append(_ messages: [ChatMessage], session: String) async throws
    /// The session's running summary and how many of its first messages it covers, if compacted.
    nonisolated(nonsending) func summary(session: String) async throws -> (text: String, covers: Int)?
    /// Records a compaction: the new summary and how many messages it now covers.
    nonisolated(nonsending) func saveSummary(_ text: String, covers: Int, session: String) async throws
    /// The messages and the summary together (a store can read them at once).
    nonisolated(nonsending) func load(session: String) async throws -> (messages: [ChatMessage], summary: (text: String, covers: Int)?)
}

extension TranscriptStore {
    public nonisolated(nonsending) func load(
        session: String
    ) async throws -> (
        messages: [ChatMessage], summary: (text: String, covers: Int)?
    ) {
        (try await messages(session: session), try await summary(session: session))
    }
}

/// Something the agent did during a turn, streamed to the learner as it happens.
public enum AgentEvent: Sendable, Equatable {
    case text(String)
    case toolStarted(name: String, arguments: String)
    case toolFinished(name: String, ok: Bool, summary: String)
    case notice(String)
    /// An open question or grade was set aside for the learner's new request (said once).
    case setAside(String)
    /// Older messages were summarised to keep the conversation inside the context window.
    case compacted(messages: Int, summaryTokens: Int)
}

/// How a turn ended.
public struct AgentTurn: Sendable, Equatable {
    public var reply: String
    public var steps: Int
    public var toolCalls: Int
    public var finishReason: FinishReason
    /// True when the step limit stopped the turn before the model finished.
    public var stoppedAtStepLimit: Bool
    public var usage: Usage?
    /// Time spent waiting on the model (request to completion, summed over steps); the rest of a
    /// turn's time is the agent's own overhead plus tools.
    public var modelTime: Duration = .zero
    /// From the turn's first request to the model until its first streamed event (text or a tool
    /// call): what the learner waits before anything happens. Nil when the model was not asked.
    public var firstTokenTime: Duration?
}

/// Limits that keep a turn bounded.
public struct AgentLimits: Sendable, Equatable {
    /// Model calls per turn.
    public var maximumSteps = 8
    public var toolTimeout: Duration = .seconds(30)
    public init() {}
}

/// One chat session: the loop that sends the conversation to the model, runs the tools it asks
/// for (independent calls concurrently, each bounded in time), and repeats until the model answers
/// or the step limit is reached. The transcript is appended to the store in one transaction per
/// step that changed data (the model's message with its tool calls and the tools' results together);
/// steps that only read are written with the next one, at the latest when the turn ends.
///
/// A turn's decisions are a ``TurnMachine``; the session performs its steps (model requests,
/// summaries, tools, transcript writes, events) and reports back.
public actor AgentSession {
    public let name: String
    let model: any ChatModel
    let tools: ToolRegistry
    let transcript: any TranscriptStore
    let systemPrompt: nonisolated(nonsending) @Sendable () async -> SystemPrompt
    let limits: AgentLimits
    let notices: AgentNotices
    /// The configured bound on an answer's tokens (`llm.max_output_tokens`), if any.
    let maximumOutput: Int?
    /// The context window and what the session learnt about it; set on the first turn unless the
    /// limit is given.
    var context: ContextState?
    /// The configured window, which wins over what the endpoint says.
    let configuredLimit: Int?
    /// What the endpoint said about the model; nil until asked on the first turn, and asked again
    /// on each turn while it could not be reached (the window then is the 8,192-token fallback).
    var discovery: ModelDiscovery?
    /// Calls held for the learner's confirmation in the last turn (see ``TurnMachine/ran(_:)``).
    var held: [ToolCall] = []
    /// Decides the calls the tutor makes itself for a message, before the model is asked.
    let planner: (any TurnPlanner)?
    /// This turn's first request to the model and its first streamed event (time to first token).
    var firstRequest: (sent: ContinuousClock.Instant, firstEvent: ContinuousClock.Instant?)?

    /// - Parameters:
    ///   - contextLimit: the configured window (wins); nil asks the model, else 8192.
    ///   - maximumOutput: the configured bound on an answer's tokens; nil bounds a reply by the
    ///     room the window reserves for it (see ``ContextWindow/init(limit:maximumOutput:)``).
    ///   - notices: the learner-facing notices (rendered from templates by the caller).
    public init(
        name: String, model: any ChatModel, tools: ToolRegistry, transcript: any TranscriptStore,
        limits: AgentLimits = AgentLimits(), contextLimit: Int? = nil, maximumOutput: Int? = nil, summariserPrompt: String? = nil,
        notices: AgentNotices, planner: (any TurnPlanner)? = nil,
        systemPrompt: nonisolated(nonsending) @escaping @Sendable () async -> SystemPrompt
    ) {
        if let summariserPrompt { self.summariserPrompt = summariserPrompt }
        self.name = name
        self.model = model
        self.tools = tools
        self.transcript = transcript
        self.limits = limits
        self.notices = notices
        self.systemPrompt = systemPrompt
        self.maximumOutput = maximumOutput
        self.planner = planner
        self.configuredLimit = contextLimit
        self.context = contextLimit.map { ContextState(window: ContextWindow(limit: $0, maximumOutput: maximumOutput)) }
    }

    /// The instruction used to summarise older turns (the `summariser` prompt).
    var summariserPrompt =
        "Summarise this conversation for your own memory: the learner's goals, decisions, facts they shared, open questions and anything promised. Plain sentences, at most \(OutputBound.summaryWords) words."

    /// Tokens per section of the last request against the limit (what `/context` shows).
    public func contextReport() -> ContextReport? { context?.lastReport }

    /// Runs one learner turn; `onEvent` receives text and tool activity as they happen. Tools run
    /// with ``ToolContext/session`` set to this session's name.
    public func send(_ text: String, onEvent: nonisolated(nonsending) @Sendable (AgentEvent) async -> Void) async throws -> AgentTurn {
        try await ToolContext.$session.withValue(name) { try await turn(text, onEvent: onEvent) }
    }

    func turn(_ text: String, onEvent: nonisolated(nonsending) @Sendable (AgentEvent) async -> Void) async throws -> AgentTurn {
        if !held.isEmpty {
            let calls = held
            held = []
            if Self.isConfirmation(text) { return try await runConfirmed(calls, message: text, onEvent: onEvent) }
            await onEvent(.notice(notices.heldChangeNotMade(calls.map(\.name))))
        }
        let stored = try await transcript.load(session: name)
        // The learner's message is written with the turn's first write, in one transaction; if
        // the turn ends before that (an error, a cancellation), on its own on the way out.
        let user = ChatMessage.user(text)
        let context = await currentContext(onEvent: onEvent)
        firstRequest = nil
        let plan = await planner?.plan(text, session: name) ?? TurnPlan()
        if let setAside = plan.setAside { await onEvent(.setAside(setAside)) }
        // The learner's memory is read once per turn: tools that change it report their changes.
        var machine = TurnMachine(
            history: stored.messages + [user], unwritten: [user], summary: stored.summary, systemPrompt: await systemPrompt(),
            tools: tools, limits: limits, notices: notices, context: context, grounding: plan.calls,
            withheldTools: plan.withheldTools, check: plan.check, answersItself: plan.answersItself, ownReply: plan.reply)
        defer { self.context = machine.context }
        do {
            var turn: AgentTurn
            if plan.check == nil {
                turn = try await drive(&machine, onEvent: onEvent)
            } else {
                // A reply to be checked is held back until it is, then said whole.
                turn = try await drive(&machine) { event in
                    if case .text = event { return }
                    await onEvent(event)
                }
                if !turn.reply.isEmpty { await onEvent(.text(turn.reply)) }
            }
            if let (sent, first) = firstRequest, let first { turn.firstTokenTime = first - sent }
            return turn
        } catch {
            if !machine.unwritten.isEmpty { try? await transcript.append(machine.unwritten, session: name) }
            throw error
        }
    }

    /// The session's context state. The endpoint is asked about its model on the first turn, and
    /// again on later turns while it could not be reached, so a window that came from the fallback
    /// is replaced by the endpoint's own once it is back; a configured window wins. The learner
    /// hears once if the endpoint does not list the configured model.
    func currentContext(onEvent: nonisolated(nonsending) @Sendable (AgentEvent) async -> Void) async -> ContextState {
        if let context, let discovery, discovery.reached { return context }
        let found = await model.discover()
        let previous = discovery
        discovery = found
        if !found.otherModels.isEmpty, previous?.otherModels.isEmpty != false {
            await onEvent(.notice(notices.modelNotListed(model.name, found.otherModels)))
        }
        let limit = configuredLimit ?? found.contextWindow ?? ContextWindow.defaultLimit
        guard var state = context else {
            let fresh = ContextState(window: ContextWindow(limit: limit, maximumOutput: maximumOutput))
            context = fresh
            return fresh
        }
        if state.window.limit != limit {
            // What the session learnt about the tokenizer and the template still holds; the window's
            // sections are worked out afresh.
            state.window = ContextWindow(limit: limit, maximumOutput: maximumOutput)
            state.warnedSmallWindow = false
            context = state
        }
        return state
    }

    /// Performs the machine's steps until the turn finishes, reporting each outcome back.
    func drive(
        _ machine: inout TurnMachine, onEvent: nonisolated(nonsending) @Sendable (AgentEvent) async -> Void
    ) async throws
        -> AgentTurn
    {
        while true {
            guard let step = machine.next() else { preconditionFailure("the turn asked for no step in state \(machine.state)") }
            switch step {
            case .event(let event):
                await onEvent(event)
            case .summarise(let previous, let messages):
                try Task.checkCancellation()
                machine.summarised(try await summarise(previous: previous, messages: messages))
            case .saveSummary(let text, let covers):
                try await transcript.saveSummary(text, covers: covers, session: name)
            case .request(let request):
                try Task.checkCancellation()
                // What `/context` shows is current while the model answers.
                context = machine.context
                let started = ContinuousClock.now
                let outcome = try await stream(request, onEvent: onEvent)
                machine.received(outcome, after: ContinuousClock.now - started)
            case .runTools(let calls, let held):
                self.held += held
                machine.ran(calls.isEmpty ? [] : await run(calls, onEvent: onEvent))
            case .persist(let messages):
                do {
                    try await transcript.append(messages, session: name)
                } catch {
                    machine.unwritten = messages + machine.unwritten
                    throw error
                }
            case .finish(let turn):
                return turn
            case .cancelled:
                throw CancellationError()
            case .failed(let error):
                throw error
            }
        }
    }

    /// Streams one request, passing its text on as it arrives; errors the turn cannot recover
    /// from (neither the model's nor a cancellation) are thrown.
    func stream(
        _ request: ChatRequest, onEvent: nonisolated(nonsending) @Sendable (AgentEvent) async -> Void
    ) async throws
        -> ModelOutcome
    {
        var completion: ChatCompletion?
        var text = ""
        var calls: [String] = []
        if firstRequest == nil { firstRequest = (ContinuousClock.now, nil) }
        do {
            for try await event in model.stream(request) {
                if firstRequest?.firstEvent == nil { firstRequest?.firstEvent = ContinuousClock.now }
                switch event {
                case .text(let delta):
                    text += delta
                    await onEvent(.text(delta))
                case .toolCallStarted(_, let name):
                    calls.append(name)
                case .completed(let finished):
                    completion = finished
                }
            }
        } catch {
            if !text.isEmpty, error is CancellationError || Task.isCancelled { return .cancelled(text: text) }
            guard let error = error as? LLMError else { throw error }
            return .failed(error, text: text, calls: calls)
        }
        if let completion { return .completed(completion, text: text) }
        // A cancelled consumer sees the stream end quietly: keep what arrived, marked.
        if Task.isCancelled { return .cancelled(text: text) }
        throw LLMError(.truncated, hint: "the model stream ended without an answer; try again")
    }

    /// Whether the learner's reply confirms held changes.
    static func isConfirmation(_ text: String) -> Bool {
        let words = text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        return ["yes", "y", "yes please", "confirm", "confirmed", "ok", "okay", "go ahead", "do it", "allow", "approve"].contains(words)
    }

    /// Runs changes the learner confirmed, without asking the model again, and records them.
    func runConfirmed(
        _ calls: [ToolCall], message: String, onEvent: nonisolated(nonsending) @Sendable (AgentEvent) async -> Void
    )
        async throws -> AgentTurn
    {
        let results = await run(calls, onEvent: onEvent)
        let outcomes = zip(calls, results).map { call, result in
            "\(call.name): " + ((result.content ?? "").hasPrefix("{\"error\"") ? "failed — \(result.content ?? "")" : "done")
        }
        let reply = "As you confirmed: " + outcomes.joined(separator: "; ") + "."
        await onEvent(.text(reply))
        try await transcript.append(
            [.user(message), .assistant(nil, toolCalls: calls)] + results + [.assistant(reply)], session: name)
        return AgentTurn(reply: reply, steps: 0, toolCalls: calls.count, finishReason: .stop, stoppedAtStepLimit: false)
    }

    /// Runs the calls concurrently, each with a timeout; results come back in call order.
    func run(_ calls: [ToolCall], onEvent: nonisolated(nonsending) @Sendable (AgentEvent) async -> Void) async -> [ChatMessage] {
        for call in calls { await onEvent(.toolStarted(name: call.name, arguments: call.arguments)) }
        let tools = self.tools, timeout = limits.toolTimeout
        // On the session's executor: a tool that does not suspend runs without a hop (see `ToolDeadline`).
        @Sendable nonisolated(nonsending) func bounded(_ call: ToolCall) async -> ToolResult {
            switch await ToolDeadline.run(timeout: timeout, { await tools.call(call.name, arguments: call.arguments) }) {
            case .finished(let result): result
            case .timedOut: .failure("\(call.name) took longer than \(timeout) and was stopped")
            case .cancelled: .failure("\(call.name) was cancelled")
            }
        }
        let results: [ToolResult]
        if calls.count == 1 {
            // One call (the usual case) needs no group around its race.
            results = [await bounded(calls[0])]
        } else {
            results = await withTaskGroup(of: (Int, ToolResult).self) { group in
                for (index, call) in calls.enumerated() {
                    group.addTask { (index, await bounded(call)) }
                }
                var collected: [(Int, ToolResult)] = []
                for await result in group { collected.append(result) }
                return collected.sorted { $0.0 < $1.0 }.map(\.1)
            }
        }
        var messages: [ChatMessage] = []
        for (call, result) in zip(calls, results) {
            let ok: Bool
            if case .success = result { ok = true } else { ok = false }
            await onEvent(.toolFinished(name: call.name, ok: ok, summary: Self.summary(result)))
            messages.append(.tool(callID: call.id, content: result.content))
        }
        return messages
    }

    /// Asks the model for a summary of `messages` (with the previous summary folded in), bounded
    /// to ``OutputBound/summaryTokens`` (the machine cuts a longer one to its word budget).
    func summarise(previous: String?, messages: [ChatMessage]) async throws -> String {
        var lines: [String] = []
        if let previous { lines.append("Earlier summary: \(previous)") }
        // The learner's state as it stood is the tutor's note, not the conversation: left out.
        for message in messages where message.role != .system {
            let content = message.content ?? message.toolCalls?.map { "called \($0.name)(\($0.arguments))" }.joined(separator: ", ") ?? ""
            lines.append("\(message.role.rawValue): \(content.count > 600 ? String(content.prefix(600)) + "…" : content)")
        }
        let bound = min(OutputBound.summaryTokens, context?.window.reservedForAnswer ?? OutputBound.summaryTokens)
        let request = ChatRequest(
            messages: [.system(summariserPrompt), .user(lines.joined(separator: "\n"))], maxTokens: bound, purpose: .summary)
        return try await model.completeText(request)
    }

    /// A long tool result cut to fit: JSON stays JSON (long strings cut in the middle, long
    /// lists keep their ends), so a model still reads its structure; other text is cut in the middle.
    static func shrunk(_ message: ChatMessage, toCharacters cap: Int = 2000) -> ChatMessage {
        guard message.role == .tool, let content = message.content, content.count > cap else { return message }
        var copy = message
        if let value = JSONValue.parse(content), let data = try? shortened(value, strings: cap / 5).encodedBytes(),
            data.count < content.utf8.count
        {
            copy.content = String(decoding: data, as: UTF8.self)
        } else {
            let keep = cap * 9 / 20
            copy.content =
                String(content.prefix(keep)) + " … [\(content.count - 2 * keep) characters cut to fit the context window] … "
                + String(content.suffix(keep))
        }
        return copy
    }

    /// `value` with strings longer than `strings` characters cut in the middle and lists of more
    /// than eight items cut to their ends.
    static func shortened(_ value: JSONValue, strings: Int) -> JSONValue {
        switch value {
        case .string(let text) where text.count > strings:
            let keep = strings * 9 / 20
            return .string(String(text.prefix(keep)) + " … [\(text.count - 2 * keep) characters cut] … " + String(text.suffix(keep)))
        case .array(let list) where list.count > 8:
            return .array(
                list.prefix(5).map { shortened($0, strings: strings) } + [.string("… [\(list.count - 7) items cut] …")]
                    + list.suffix(2).map { shortened($0, strings: strings) })
        case .array(let list):
            return .array(list.map { shortened($0, strings: strings) })
        case .object(let object):
            return .object(object.mapValues { shortened($0, strings: strings) })
        default:
            return value
        }
    }

    static func summary(_ result: ToolResult) -> String {
        switch result {
        case .success(let json): json.count > 120 ? String(json.prefix(117)) + "…" : json
        case .failure(let message): message
        }
    }
}

/// Runs a tool call in its own task and cancels it once `timeout` has passed or the caller is
/// cancelled, then waits for it to stop. A timer stands in for a racing sleeper task: a call costs
/// one task, not three. The task starts on the caller's thread (`Task.immediate`), so a tool that
/// does not suspend finishes without a hop to another thread and back.
enum ToolDeadline {
    enum Outcome: Sendable, Equatable {
        case finished(ToolResult)
        case timedOut
        case cancelled
    }

    /// The first outcome wins; a deadline or a cancellation also cancels the call's task.
    final class Decision: Sendable {
        private let state = Mutex<(outcome: Outcome?, task: Task<Void, Never>?)>((nil, nil))

        /// Keeps the call's task; cancels it at once if a deadline or cancellation came first.
        func attach(_ task: Task<Void, Never>) {
            let cancel = state.withLock { state -> Bool in
                state.task = task
                guard let outcome = state.outcome else { return false }
                if case .finished = outcome { return false }
                return true
            }
            if cancel { task.cancel() }
        }

        /// Records `outcome` unless one is already recorded; cancels the call unless it finished.
        func decide(_ outcome: Outcome) {
            let task = state.withLock { state -> Task<Void, Never>? in
                guard state.outcome == nil else { return nil }
                state.outcome = outcome
                if case .finished = outcome { return nil }
                return state.task
            }
            task?.cancel()
        }

        var decided: Outcome? { state.withLock { $0.outcome } }
    }

    /// The deadlines of running calls, behind one timer armed for the earliest. Arming a dispatch
    /// timer per call cost about 20 µs; calls share a timeout, so a new deadline is almost always
    /// later than one already armed, and registering it only takes the lock.
    final class Deadlines: Sendable {
        struct Entry {
            var deadline: ContinuousClock.Instant
            // Weakly: a finished call must not be kept (with its result) until its deadline.
            weak var decision: Decision?
        }
        private let state = Mutex<(entries: [Entry], armedFor: ContinuousClock.Instant?)>(([], nil))

        func add(_ decision: Decision, at deadline: ContinuousClock.Instant) {
            let arm = state.withLock { state -> Bool in
                state.entries.append(Entry(deadline: deadline, decision: decision))
                guard let armed = state.armedFor, armed <= deadline else {
                    state.armedFor = deadline
                    return true
                }
                return false
            }
            if arm { schedule(at: deadline) }
        }

        private func schedule(at deadline: ContinuousClock.Instant) {
            let (seconds, attoseconds) = (deadline - .now).components
            let nanoseconds = max(0, min(Double(seconds) * 1e9 + Double(attoseconds) / 1e9, 1e15))
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) { self.fire() }
        }

        /// Times out the calls past their deadline, forgets finished ones, and arms for the next.
        private func fire() {
            let now = ContinuousClock.now
            let (expired, next) = state.withLock { state -> ([Decision], ContinuousClock.Instant?) in
                var expired: [Decision] = []
                state.entries.removeAll { entry in
                    guard let decision = entry.decision, decision.decided == nil else { return true }
                    if entry.deadline <= now {
                        expired.append(decision)
                        return true
                    }
                    return false
                }
                let earliest = state.entries.map(\.deadline).min()
                // Another timer is armed for an earlier time still to come: it will arm the next.
                if let armed = state.armedFor, armed > now, let earliest, armed <= earliest { return (expired, nil) }
                state.armedFor = earliest
                return (expired, earliest)
            }
            for decision in expired { decision.decide(.timedOut) }
            if let next { schedule(at: next) }
        }
    }

    static let deadlines = Deadlines()

    static nonisolated(nonsending) func run(timeout: Duration, _ body: @escaping @Sendable () async -> ToolResult) async -> Outcome {
        // Whichever comes first — the call's end, the deadline, the caller's cancellation — decides.
        let decision = Decision()
        deadlines.add(decision, at: .now + min(timeout, .seconds(1_000_000)))
        let task = Task.immediate {
            return decision.decide(.finished(await body()))
        }
        decision.attach(task)
        await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            decision.decide(.cancelled)
        }
        return decision.decided ?? .cancelled
    }
}
