import Foundation
import TutorLLM

/// Where a session's transcript lives between turns and across restarts.
public protocol TranscriptStore: Sendable {
    /// The session's messages, oldest first (no system prompt).
    func messages(session: String) async throws -> [ChatMessage]
    /// Appends messages to the session, in one write.
    func append(_ messages: [ChatMessage], session: String) async throws
}

/// Something the agent did during a turn, streamed to the learner as it happens.
public enum AgentEvent: Sendable, Equatable {
    case text(String)
    case toolStarted(name: String, arguments: String)
    case toolFinished(name: String, ok: Bool, summary: String)
    case notice(String)
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
/// or the step limit is reached. The transcript is appended to the store after every step.
public actor AgentSession {
    public let name: String
    let model: any ChatModel
    let tools: ToolRegistry
    let transcript: any TranscriptStore
    let systemPrompt: @Sendable () async -> String
    let limits: AgentLimits

    public init(
        name: String, model: any ChatModel, tools: ToolRegistry, transcript: any TranscriptStore,
        limits: AgentLimits = AgentLimits(), systemPrompt: @escaping @Sendable () async -> String
    ) {
        self.name = name
        self.model = model
        self.tools = tools
        self.transcript = transcript
        self.limits = limits
        self.systemPrompt = systemPrompt
    }

    /// Runs one learner turn; `onEvent` receives text and tool activity as they happen.
    public func send(_ text: String, onEvent: @Sendable (AgentEvent) async -> Void) async throws -> AgentTurn {
        var history = try await transcript.messages(session: name)
        let user = ChatMessage.user(text)
        try await transcript.append([user], session: name)
        history.append(user)
        let definitions = tools.names.compactMap { name -> ToolDefinition? in
            guard let (purpose, schema) = tools.describe(name),
                let data = try? JSONSerialization.data(withJSONObject: schema.jsonObject, options: [.sortedKeys])
            else { return nil }
            return ToolDefinition(name: name, description: purpose, parametersJSON: String(decoding: data, as: UTF8.self))
        }
        var steps = 0, toolCalls = 0
        var reply = ""
        var usage: Usage?
        while true {
            try Task.checkCancellation()
            steps += 1
            let request = ChatRequest(messages: [.system(await systemPrompt())] + history, tools: definitions)
            var completion: ChatCompletion?
            var stepText = ""
            for try await event in model.stream(request) {
                switch event {
                case .text(let delta):
                    stepText += delta
                    await onEvent(.text(delta))
                case .toolCallStarted:
                    break
                case .completed(let finished):
                    completion = finished
                }
            }
            guard let completion else {
                throw LLMError(.truncated, hint: "the model stream ended without an answer; try again")
            }
            usage = completion.usage ?? usage
            var assistant = completion.message
            if assistant.content == nil, !stepText.isEmpty { assistant.content = stepText }
            history.append(assistant)
            try await transcript.append([assistant], session: name)
            reply += assistant.content ?? ""

            let calls = assistant.toolCalls ?? []
            if calls.isEmpty || completion.finishReason == .length || completion.finishReason == .contentFilter {
                return AgentTurn(
                    reply: reply, steps: steps, toolCalls: toolCalls, finishReason: completion.finishReason, stoppedAtStepLimit: false,
                    usage: usage)
            }
            toolCalls += calls.count
            let results = await run(calls, onEvent: onEvent)
            history += results
            try await transcript.append(results, session: name)
            if steps >= limits.maximumSteps {
                let notice =
                    "I stopped after \(steps) steps without finishing, to keep this turn bounded. Ask again, or ask a narrower question."
                await onEvent(.notice(notice))
                let closing = ChatMessage.assistant(notice)
                history.append(closing)
                try await transcript.append([closing], session: name)
                return AgentTurn(
                    reply: reply + (reply.isEmpty ? "" : "\n") + notice, steps: steps, toolCalls: toolCalls, finishReason: .stop,
                    stoppedAtStepLimit: true, usage: usage)
            }
        }
    }

    /// Runs the calls concurrently, each with a timeout; results come back in call order.
    func run(_ calls: [ToolCall], onEvent: @Sendable (AgentEvent) async -> Void) async -> [ChatMessage] {
        for call in calls { await onEvent(.toolStarted(name: call.name, arguments: call.arguments)) }
        let tools = self.tools, timeout = limits.toolTimeout
        let results = await withTaskGroup(of: (Int, ToolResult).self) { group in
            for (index, call) in calls.enumerated() {
                group.addTask {
                    let result = await withTaskGroup(of: ToolResult?.self) { race in
                        race.addTask { await tools.call(call.name, arguments: call.arguments) }
                        race.addTask {
                            try? await Task.sleep(for: timeout)
                            return Task.isCancelled ? nil : .failure("\(call.name) took longer than \(timeout) and was stopped")
                        }
                        let first = await race.next() ?? nil
                        race.cancelAll()
                        return first ?? .failure("\(call.name) was cancelled")
                    }
                    return (index, result)
                }
            }
            var collected: [(Int, ToolResult)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
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

    static func summary(_ result: ToolResult) -> String {
        switch result {
        case .success(let json): json.count > 120 ? String(json.prefix(117)) + "…" : json
        case .failure(let message): message
        }
    }
}
