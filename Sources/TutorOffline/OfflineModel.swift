import Foundation
import TutorAgent
import TutorApp
import TutorCatalogue
import TutorDialogue
import TutorJSON
import TutorModel
import TutorPrompts
import TutorStore
import TutorToolAdapters
import TutorTools
import TutorWire

/// The built-in model that needs no network: it reads the learner's message with simple rules,
/// calls the same tools a real model would, and writes its answer from their results.
///
/// What a message asks for is decided by the ``DialogueRouter`` (shared with the daemon's
/// planner); this model makes the calls it decides on and writes the answer from their results:
/// the week's plan, tasks and why they come in that order, progress, the forecast, study time
/// (logged, corrected, undone), finished tasks, goals, hours and free time, explanations, and
/// quizzes. Anything else gets a short list of what it can do and how to connect a model.
///
/// Every answer it writes comes from a template in its ``PromptLibrary`` (`offline-*`).
public struct OfflineModel: ChatModel {
    public let name = "offline"
    public var writesFreeText: Bool { false }
    let catalogue: Catalogue
    let prompts: PromptLibrary
    /// A chat session's state as the tools keep it in the store (open question, setup, profile).
    let state: @Sendable (String) -> ChatState?

    /// An offline model speaking through the bundled templates, without user overrides.
    public init(catalogue: Catalogue) { self.init(catalogue: catalogue, prompts: .bundled) }

    /// - Parameter state: reads a session's state; a model without it sees none (no open
    ///   question, no setup to run).
    public init(catalogue: Catalogue, prompts: PromptLibrary, state: @escaping @Sendable (String) -> ChatState? = { _ in nil }) {
        self.catalogue = catalogue
        self.prompts = prompts
        self.state = state
    }

    /// The same model reading chat state through `state` (another store's, as the eval's).
    public func readingState(_ state: @escaping @Sendable (String) -> ChatState?) -> OfflineModel {
        OfflineModel(catalogue: catalogue, prompts: prompts, state: state)
    }

    var replies: OfflineReplies { OfflineReplies(prompts: prompts) }

    /// What the offline model can do and how to connect a real model (template `offline-help`).
    public var help: String { prompts.render("offline-help") }

    public func contextWindow() async -> Int? { nil }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, any Error> {
        let completion =
            request.purpose == .summary
            ? answer(Self.extractiveSummary(request.messages.last?.content ?? ""))
            : respond(
                to: request.messages, canSearchNotes: request.tools.contains { $0.name == ToolName.searchNotes.rawValue }
            )
        return AsyncThrowingStream { continuation in
            if let text = completion.message.content {
                // Stream line by line, as a model would stream tokens.
                var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                let last = lines.popLast() ?? ""
                for line in lines { continuation.yield(.text(line + "\n")) }
                if !last.isEmpty { continuation.yield(.text(last)) }
            }
            for call in completion.message.toolCalls ?? [] { continuation.yield(.toolCallStarted(id: call.id, name: call.name)) }
            continuation.yield(.completed(completion))
            continuation.finish()
        }
    }

    // MARK: Deciding

    var router: DialogueRouter { DialogueRouter(catalogue: catalogue) }

    /// After tool results, the answer written from them; after the learner's message, what the
    /// ``DialogueRouter`` decides given what the chat waits for (the same decision the daemon's
    /// planner takes before the model is asked, so with a planner this path only writes replies).
    func respond(to messages: [ChatMessage], canSearchNotes: Bool = false) -> ChatCompletion {
        if let last = messages.last, last.role == .tool {
            return compose(afterToolsIn: messages)
        }
        let text = messages.last(where: { $0.role == .user })?.content ?? ""
        let chat = ToolContext.session.flatMap(state)
        let decision = router.decide(text, awaiting: Awaiting(chat), canSearchNotes: canSearchNotes)
        if !decision.calls.isEmpty { return call(decision.calls.map { ($0.tool, $0.arguments) }) }
        switch decision.reply {
        case .help, nil: return answer(help)
        case .thanks: return answer(prompts.render("offline-ack"))
        case .unknown: return answer(prompts.render("offline-unknown"))
        case .offScript: return answer(prompts.render("offline-off-script"))
        case .setupAside:
            let thanked = decision.intent == .thanks
            return answer(chat?.placement.map { replies.setupAside($0, catalogue: catalogue, thanked: thanked) } ?? help)
        case .rateFirst:
            let rating = chat?.exercise?.suggestedRating ?? 1
            return answer(prompts.render("offline-rate-first", ["grade": DialoguePlanner.ratingNames[max(1, min(4, rating)) - 1]]))
        }
    }

    // MARK: Composing answers from tool results

    /// After a step of tool calls: either one more step (a plan for next week when this one is
    /// full, the entry a search found, a check question after an explanation), or the answer,
    /// written from every tool result since the learner's message, in order.
    func compose(afterToolsIn messages: [ChatMessage]) -> ChatCompletion {
        let turn = Self.toolResults(inTurnOf: messages)
        if let next = followUp(turn) { return calling([next]) }
        return answer(writtenAnswer(messages, turn: turn))
    }

    /// The step that should follow the last one, if any.
    func followUp(_ turn: [TurnResult]) -> ToolCall? {
        for result in turn where result.step == turn.last?.step && result.output.error == nil {
            // A hit is shown only when the words really name it, not when they share a stray word.
            if result.tool == .catalogueSearch,
                let hits = (try? result.output.view(CatalogueSearchResult.self).hits)?.filter({ $0.score >= IntentReader.minimumTopicScore }
                ),
                let hit = hits.first(where: { $0.kind == "skill" }) ?? hits.first
            {
                return Self.toolCall(.catalogueShow, ["id": .string(hit.id)])
            }
            // Check understanding before moving on: one question on the skill just explained
            // (unless one is open, or a test-out, set aside for this request: it is still waiting).
            if result.tool == .catalogueShow, let entry = try? result.output.view(CatalogueEntryView.self), entry.kind == "skill",
                entry.quizItems > 0, ToolContext.session.flatMap(state).map({ $0.exercise == nil && $0.testOut == nil }) ?? true
            {
                return Self.toolCall(.askQuestion, ["skill_id": .string(entry.id)])
            }
        }
        return nil
    }

    /// The tutor's own answer from this turn's tool results (every result since the learner's
    /// message, in order): what the offline model says, and what a model's reply is checked against.
    public func writtenAnswer(from messages: [ChatMessage]) -> String {
        writtenAnswer(messages, turn: Self.toolResults(inTurnOf: messages))
    }

    func writtenAnswer(_ messages: [ChatMessage], turn: [TurnResult]) -> String {
        guard !turn.isEmpty else { return prompts.render("offline-done") }
        var parts: [String] = []
        let asking = turn.contains { $0.tool == .askQuestion && (try? $0.output.view(AskedQuestionView.self))?.question != nil }
        let lastPlan = turn.last { $0.tool == .weeklyPlan }?.index
        let passages = Self.notePassages(in: turn)
        for result in turn {
            if let error = result.output.error {
                parts.append(replies.error(error))
                continue
            }
            // A question skipped on the way to something else: that answer speaks for the turn.
            // Of several plans (this week full, then the next), the last.
            if result.tool == .skipQuestion && turn.count > 1 || result.tool == .weeklyPlan && result.index != lastPlan { continue }
            do {
                if let reply = try replies.render(result.tool, result.output, asking: asking, notesFound: !passages.isEmpty) {
                    parts.append(reply)
                }
            } catch {
                // Only a reply that reads another type than its tool returns gets here: say so, never guess.
                parts.append(replies.error("the tutor could not read what \(result.tool) returned"))
            }
        }
        // What the learner's own notes say about the topic, with citations, after the roadmap's
        // words and before a check question, so the question stays the last thing said.
        let asked = messages.last(where: { $0.role == .user })?.content ?? ""
        if !passages.isEmpty {
            parts.insert(replies.notes(passages, query: asked), at: max(0, parts.count - (asking ? 1 : 0)))
        }
        // "Skip that, how do I log time?": the how-to follows the skip.
        if turn.contains(where: { $0.tool == .skipQuestion }), router.reader.read(asked).then == .help { parts.append(help) }
        return parts.isEmpty ? prompts.render("offline-done") : parts.joined(separator: "\n\n")
    }

    /// One tool call of this turn with its result.
    struct TurnResult {
        var index: Int
        /// The position of the model message that made the call.
        var step: Int
        var tool: ToolName
        var arguments: String
        var output: ToolOutput
    }

    /// Every tool call since the learner's last message, in order, with its parsed result.
    static func toolResults(inTurnOf messages: [ChatMessage]) -> [TurnResult] {
        let start = messages.lastIndex(where: { $0.role == .user }) ?? 0
        var results: [TurnResult] = []
        for (position, message) in messages.enumerated().dropFirst(start) where message.role == .assistant {
            for call in message.toolCalls ?? [] {
                guard let tool = ToolName(rawValue: call.name),
                    let content = messages[position...].first(where: { $0.role == .tool && $0.toolCallID == call.id })?.content,
                    let output = ToolOutput(parsing: content)
                else { continue }
                results.append(TurnResult(index: results.count, step: position, tool: tool, arguments: call.arguments, output: output))
            }
        }
        return results
    }

    // MARK: Helpers

    func answer(_ text: String) -> ChatCompletion {
        ChatCompletion(message: .assistant(text), finishReason: .stop, usage: nil)
    }

    func call(_ tool: ToolName, _ arguments: [String: JSONValue]) -> ChatCompletion { call([(tool, arguments)]) }

    /// One step calling several tools at once.
    func call(_ calls: [(tool: ToolName, arguments: [String: JSONValue])]) -> ChatCompletion {
        calling(calls.map { Self.toolCall($0.tool, $0.arguments) })
    }

    func calling(_ toolCalls: [ToolCall]) -> ChatCompletion {
        ChatCompletion(message: .assistant(nil, toolCalls: toolCalls), finishReason: .toolCalls, usage: nil)
    }

    static func toolCall(_ tool: ToolName, _ arguments: [String: JSONValue]) -> ToolCall {
        let text = JSONValue.object(arguments).encodedString()
        let id = "offline-\(tool)-\(abs(text.hashValue % 100_000))"
        return ToolCall(id: id, name: tool.rawValue, arguments: text)
    }

    /// The note passages ``ToolName/searchNotes`` returned in `turn`.
    static func notePassages(in turn: [TurnResult]) -> [RetrievedPassages.Passage] {
        turn.filter { $0.tool == .searchNotes }.flatMap { (try? $0.output.view(RetrievedPassages.self))?.passages ?? [] }
    }

    /// Without a model, a summary is what the learner asked, in order (it is only a memory aid).
    static func extractiveSummary(_ transcript: String) -> String {
        let asked = transcript.split(separator: "\n").filter { $0.hasPrefix("user: ") }.map { $0.dropFirst(6).prefix(120) }
        let earlier = transcript.split(separator: "\n").first { $0.hasPrefix("Earlier summary: ") }.map { String($0.dropFirst(17)) }
        let list = asked.suffix(12).map { "\"\($0)\"" }.joined(separator: "; ")
        return [earlier, asked.isEmpty ? nil : "Earlier the learner asked: \(list)."].compactMap { $0 }.joined(separator: " ")
    }
}
