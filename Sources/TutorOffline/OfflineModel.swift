import Foundation
import TutorAgent
import TutorCatalogue
import TutorJSON
import TutorModel
import TutorPrompts
import TutorStore
import TutorToolAdapters

/// The built-in model that needs no network: it reads the learner's message with simple rules,
/// calls the same tools a real model would, and writes its answer from their results.
///
/// It handles: this week's plan, what to do next, progress, the forecast, logging study time,
/// finishing a task, adding a goal, explaining a roadmap topic, and quizzes (question, answer,
/// self-grade). Anything else gets a short list of what it can do and how to connect a model.
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
            : respond(to: request.messages, canSearchNotes: request.tools.contains { $0.name == ToolName.searchNotes.rawValue })
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

    func respond(to messages: [ChatMessage], canSearchNotes: Bool = false) -> ChatCompletion {
        if let last = messages.last, last.role == .tool {
            return compose(afterToolsIn: messages)
        }
        let text = messages.last(where: { $0.role == .user })?.content ?? ""
        if let session = ToolContext.session, let chat = state(session) {
            if let step = setup(text, chat: chat) { return step }
            if let open = chat.exercise, let step = tutoring(text, open: open) { return step }
        }
        return decide(text, canSearchNotes: canSearchNotes)
    }

    /// The first-run setup: while it runs every reply goes to it (or stops it); a learner without
    /// a profile who greets, asks for a plan or states a goal is taken into it.
    func setup(_ original: String, chat: ChatState) -> ChatCompletion? {
        let text = original.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        if chat.placementStep != nil {
            if ["cancel", "stop", "later", "not now", "skip setup", "skip the setup"].contains(where: { text.hasPrefix($0) }) {
                return call(.placementCancel, [:])
            }
            if let draft = chat.placement, Self.isRequest(text) {
                // A question or request, not an answer: say it can wait, and ask the setup's question again.
                return answer(replies.setupAside(draft, catalogue: catalogue))
            }
            return call(.placementAnswer, ["text": .string(original.trimmingCharacters(in: .whitespacesAndNewlines))])
        }
        guard !chat.hasProfile else { return nil }
        let greeting =
            text.isEmpty
            || ["hi", "hello", "hey", "start", "get started", "set up", "setup"].contains(
                text.trimmingCharacters(in: CharacterSet(charactersIn: "!.? ")))
        let planning = ["plan", "schedule", "what should i study", "where do i start", "where should i start", "how do i start"]
            .contains { text.contains($0) }
        let goal = ["i want to", "my goal", "i'd like to", "i would like to", "become an ai engineer"].contains { text.contains($0) }
        guard greeting || planning || goal else { return nil }
        return call(.placementStart, goal ? ["goal": .string(original.trimmingCharacters(in: .whitespacesAndNewlines))] : [:])
    }

    /// Whether `text` (lowercased) asks for something rather than answering a question: how the
    /// setup tells "explain embeddings" from an answer to its own question.
    static func isRequest(_ text: String) -> Bool {
        [
            "help", "explain", "what is", "what's", "what are", "what should", "how do i", "how does", "how long", "how am i",
            "tell me", "quiz", "show me", "can you", "could you", "where do", "log ", "done with", "i studied",
        ].contains { text.hasPrefix($0) }
    }

    /// What to do with the learner's message while a question is open: a hint when they are stuck,
    /// the answer only when they ask for it outright, the same question again when they try to move
    /// on to another topic, their grade once the answer was checked; any other request (a plan,
    /// logging time) goes through as usual, and everything else is their answer. Nil leaves the
    /// message to ``decide(_:canSearchNotes:)``.
    func tutoring(_ original: String, open: ExerciseRecord) -> ChatCompletion? {
        let text = original.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        func has(_ phrases: [String]) -> Bool { phrases.contains { text.contains($0) } }
        func starts(_ phrases: [String]) -> Bool { phrases.contains { text.hasPrefix($0) } }
        if open.phase == "answered" {
            if let rating = Self.rating(in: text) {
                return call(.recordReview, ["card_id": .string(open.cardId), "rating": .int(Int64(rating))])
            }
            if starts(["ok", "yes", "sure", "fine", "fair", "agreed", "record it", "sounds right", "right"]) {
                return call(.recordReview, ["card_id": .string(open.cardId), "rating": .int(Int64(open.suggestedRating ?? 1))])
            }
            return nil
        }
        if has(Self.answerRequests) { return call(.checkAnswer, ["reveal": true]) }
        if has(Self.hintRequests) || text == "help" || text == "?" { return call(.giveHint, [:]) }
        if starts(["skip", "pass", "let's skip", "lets skip"]) { return call(.skipQuestion, [:]) }
        if starts(Self.commands) { return nil }
        if starts(Self.movingOn) {
            // Reminded once already: leave the question in the reviews and do what was asked.
            guard open.reminded else { return call(.askQuestion, [:]) }
            let next = decide(original).message.toolCalls ?? []
            return calling([Self.toolCall(.skipQuestion, [:])] + next)
        }
        return call(.checkAnswer, ["answer": .string(original.trimmingCharacters(in: .whitespacesAndNewlines))])
    }

    /// Phrases asking for the answer outright.
    static let answerRequests = [
        "show me the answer", "show the answer", "tell me the answer", "give me the answer", "just tell me", "what's the answer",
        "what is the answer", "i give up", "reveal", "the answer please",
    ]
    /// Phrases of a learner who is stuck.
    static let hintRequests = [
        "hint", "clue", "i'm stuck", "im stuck", "stuck", "no idea", "don't know", "dont know", "not sure", "help me",
    ]
    /// Requests that are not about the open question (they leave it open).
    static let commands = [
        "log ", "i studied", "studied ", "i spent", "spent ", "i did ", "i worked", "plan", "show my plan", "my plan", "schedule",
        "what should i study", "progress", "how am i doing", "how far", "forecast", "how long", "when will i", "timeline", "tasks",
        "my tasks", "next task", "what's next", "whats next", "done with", "i finished", "finished task", "completed task",
        "task ", "add goal", "add a goal", "my goal", "new goal", "i want to",
    ]
    /// Requests to move on to another topic or question: the open question is asked again first.
    static let movingOn = [
        "what is", "what's", "what are", "explain", "tell me about", "teach me", "define", "how does", "how do", "quiz",
        "test me", "ask me", "another question", "next question", "next topic", "move on",
    ]

    func decide(_ original: String, canSearchNotes: Bool = false) -> ChatCompletion {
        let text = original.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        func has(_ words: String...) -> Bool { words.contains { text.contains($0) } }

        if text.isEmpty || has("help", "what can you do") || ["hi", "hello", "hey"].contains(text) {
            return answer(help)
        }
        if has("quiz", "test me", "review", "flashcard", "ask me a question") {
            return call(.askQuestion, [:])
        }
        if let minutes = Self.minutes(in: text), has("log", "studied", "spent", "did ", "worked", "practised", "practiced") {
            var arguments: [String: JSONValue] = ["minutes": .int(Int64(minutes))]
            if let skill = skill(mentionedIn: original) { arguments["skill"] = .string(skill) }
            return call(.logStudy, arguments)
        }
        if has("done", "finished", "completed"), let id = Self.number(after: ["task", "#"], in: text) ?? Self.lastNumber(in: text) {
            var arguments: [String: JSONValue] = ["id": .int(Int64(id))]
            if let minutes = Self.minutes(in: text) { arguments["minutes"] = .int(Int64(minutes)) }
            return call(.completeTask, arguments)
        }
        // "Can I become an AI engineer in 2 weeks?" is a question about time, not a new goal.
        let asksAboutTime =
            text.range(of: #"\bin\s+(\d+|a|one|two|three|few)\s+(days?|weeks?|months?)\b"#, options: .regularExpression) != nil
        if asksAboutTime || has("forecast", "how long", "when will i", "timeline", "how many months", "how many years") {
            if let hours = Self.number(before: ["h a week", "hours a week", "hours per week", "h/week", "hours/week"], in: text) {
                return call(.forecast, ["hours_per_week": .double(hours)])
            }
            return call(.forecast, [:])
        }
        if has("progress", "how am i doing", "how far") {
            return call(.progressSummary, [:])
        }
        if has("plan", "schedule", "this week", "study this week", "what should i study") {
            return call(.weeklyPlan, [:])
        }
        if has("next", "task", "to do", "todo") {
            return call(.listTasks, ["limit": 5])
        }
        if has("goal", "i want to", "become", "i'd like to learn", "i would like to learn") {
            var goal = original
            for prefix in ["add goal", "add a goal", "my goal is", "i want to", "i'd like to learn", "i would like to learn"] {
                if let range = goal.range(of: prefix, options: .caseInsensitive) { goal = String(goal[range.upperBound...]) }
            }
            goal = goal.trimmingCharacters(in: CharacterSet(charactersIn: " :.!?\n"))
            return call(.addGoal, ["text": .string(goal.isEmpty ? original : goal)])
        }
        for prefix in ["what is", "what's", "what are", "explain", "tell me about", "how does", "how do", "teach me", "define"] {
            if let range = text.range(of: prefix) {
                let topic = String(text[range.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: " ?.!:\n"))
                if !topic.isEmpty { return explain(topic, canSearchNotes: canSearchNotes) }
            }
        }
        // Bare words are explained only when they name a topic: a reply such as "no idea" or "sounds
        // good" finds some roadmap entry that happens to use the word, which is no reason to teach it.
        let bare = text.trimmingCharacters(in: CharacterSet(charactersIn: " .!?\n"))
        let thanks = ["ok", "okay", "thanks", "thank you", "thx", "cool", "nice", "great", "good", "sounds good", "sure", "fine"]
        if thanks.contains(bare) || bare.hasPrefix("thanks") || bare.hasPrefix("thank you") {
            return answer(prompts.render("offline-ack"))
        }
        let smallTalk = ["yes", "no", "no idea", "i don't know", "i dont know", "not sure", "later", "hard", "easy", "again", "what now"]
        if !smallTalk.contains(bare), let hit = catalogue.search(Self.topicWords(original), limit: 1).first,
            hit.score >= Self.minimumTopicScore
        {
            return explain(original, canSearchNotes: canSearchNotes)
        }
        return answer(prompts.render("offline-unknown"))
    }

    /// Words of a request that say what kind of help is wanted, not what about: left out of a
    /// search, they would rank an entry that mentions "hints" above the one the learner named.
    static let requestWords: Set<String> = [
        "give", "me", "a", "an", "the", "hint", "hints", "help", "with", "for", "on", "about", "exercise", "exercises",
        "task", "tasks", "question", "questions", "example", "examples", "please", "some", "more", "my", "i", "need",
        "can", "you", "explain", "understand", "stuck", "again",
    ]

    /// `text` without its ``requestWords``; the whole text when nothing else is left.
    static func topicWords(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).filter {
            !requestWords.contains($0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "?.!,:;")))
        }
        return words.isEmpty ? text : words.joined(separator: " ")
    }

    /// The catalogue-search score bare words (less ``requestWords``) need to be taken as a topic to
    /// explain: a topic's name scores 10 or more; words that only start a roadmap word
    /// ("mon-fri 19:00" → "monitoring") below 1.
    static let minimumTopicScore = 1.0

    /// Looks `topic` up in the roadmap and, when note search is available, in the learner's notes, in one step.
    func explain(_ topic: String, canSearchNotes: Bool) -> ChatCompletion {
        let topic = Self.topicWords(topic)
        var calls: [(ToolName, [String: JSONValue])] = [(.catalogueSearch, ["query": .string(topic), "limit": 5])]
        if canSearchNotes { calls.append((.searchNotes, ["query": .string(topic), "k": 2, "source": "notes"])) }
        return call(calls)
    }

    // MARK: Composing answers from tool results

    /// After a step of tool calls: either one more step (a plan for next week when this one is
    /// full, the entry a search found, a check question after an explanation), or the answer,
    /// written from every tool result since the learner's message, in order.
    func compose(afterToolsIn messages: [ChatMessage]) -> ChatCompletion {
        let turn = Self.toolResults(inTurnOf: messages)
        guard !turn.isEmpty else { return answer(prompts.render("offline-done")) }
        for result in turn where result.step == turn.last?.step && result.json["error"] == nil {
            let json = result.json
            if result.tool == .catalogueSearch {
                let hits = json["hits"]?.array ?? []
                if let hit = hits.first(where: { $0["kind"]?.string == "skill" }) ?? hits.first, let id = hit["id"]?.string {
                    return call(.catalogueShow, ["id": .string(id)])
                }
            }
            // Check understanding before moving on: one question on the skill just explained.
            if result.tool == .catalogueShow, json["kind"]?.string == "skill", let id = json["id"]?.string,
                json["quizItems"]?.int ?? 0 > 0
            {
                return call(.askQuestion, ["skill_id": .string(id)])
            }
        }
        var parts: [String] = []
        let asking = turn.contains { $0.tool == .askQuestion && $0.json["question"] != nil }
        let lastPlan = turn.last { $0.tool == .weeklyPlan }?.index
        let passages = Self.notePassages(inTurnOf: messages)
        for result in turn {
            if let error = result.json["error"]?.string {
                parts.append(replies.error(error))
                continue
            }
            // A question skipped on the way to something else: that answer speaks for the turn.
            // Of several plans (this week full, then the next), the last.
            if result.tool == .skipQuestion && turn.count > 1 || result.tool == .weeklyPlan && result.index != lastPlan { continue }
            if let reply = replies.render(result.tool, json: result.json, asking: asking, notesFound: !passages.isEmpty) {
                parts.append(reply)
            }
        }
        // What the learner's own notes say about the topic, with citations, after the roadmap's
        // words and before a check question, so the question stays the last thing said.
        if !passages.isEmpty {
            let query = messages.last(where: { $0.role == .user })?.content ?? ""
            parts.insert(replies.notes(passages, query: query), at: max(0, parts.count - (asking ? 1 : 0)))
        }
        return answer(parts.isEmpty ? prompts.render("offline-done") : parts.joined(separator: "\n\n"))
    }

    /// One tool call of this turn with its result.
    struct TurnResult {
        var index: Int
        /// The position of the model message that made the call.
        var step: Int
        var tool: ToolName
        var arguments: String
        var json: [String: JSONValue]
    }

    /// Every tool call since the learner's last message, in order, with its parsed result.
    static func toolResults(inTurnOf messages: [ChatMessage]) -> [TurnResult] {
        let start = messages.lastIndex(where: { $0.role == .user }) ?? 0
        var results: [TurnResult] = []
        for (position, message) in messages.enumerated().dropFirst(start) where message.role == .assistant {
            for call in message.toolCalls ?? [] {
                guard let tool = ToolName(rawValue: call.name),
                    let content = messages[position...].first(where: { $0.role == .tool && $0.toolCallID == call.id })?.content,
                    let json = JSONValue.parse(content)?.object
                else { continue }
                results.append(TurnResult(index: results.count, step: position, tool: tool, arguments: call.arguments, json: json))
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

    /// The note passages ``ToolName/searchNotes`` returned since the learner's last message.
    static func notePassages(inTurnOf messages: [ChatMessage]) -> [JSONValue] {
        let start = messages.lastIndex(where: { $0.role == .user }) ?? 0
        var passages: [JSONValue] = []
        for message in messages[start...] where message.role == .tool {
            guard let json = JSONValue.parse(message.content ?? ""), json["notice"] != nil, let found = json["passages"]?.array
            else { continue }
            passages += found
        }
        return passages
    }

    /// A skill the text names, by id or by a confident search match.
    func skill(mentionedIn text: String) -> String? {
        for word in text.split(whereSeparator: { $0 == " " || $0 == "," }) {
            if let id = catalogue.canonicalID(String(word)), catalogue.skill(id) != nil { return id }
        }
        var topic = text
        for marker in [" on ", " about ", " studying ", " learning "] {
            if let range = text.range(of: marker, options: .caseInsensitive) { topic = String(text[range.upperBound...]) }
        }
        return catalogue.search(topic, limit: 1).first { $0.kind == .skill }?.id
    }

    static func rating(in text: String) -> Int? {
        let text = text.lowercased()
        for (words, rating) in [
            (["again", "wrong", "forgot", "no idea", "1"], 1), (["hard", "2"], 2), (["good", "right", "3"], 3), (["easy", "4"], 4),
        ] {
            if words.contains(where: { text.contains($0) }) { return rating }
        }
        return nil
    }

    /// Minutes in phrases such as "90 minutes", "1.5 hours", "2h", "45 min".
    static func minutes(in text: String) -> Int? {
        let tokens = text.replacingOccurrences(of: "h", with: " h ").replacingOccurrences(of: "m", with: " m ")
            .split(whereSeparator: { $0 == " " })
        var total = 0.0, found = false
        for (index, token) in tokens.enumerated() {
            guard let value = Double(token), index + 1 < tokens.count else { continue }
            let unit = tokens[index + 1]
            if unit == "h" {
                total += value * 60
                found = true
            } else if unit == "m" {
                total += value
                found = true
            }
        }
        return found && total > 0 ? Int(total.rounded()) : nil
    }

    static func number(after markers: [String], in text: String) -> Int? {
        for marker in markers {
            guard let range = text.range(of: marker) else { continue }
            let digits = text[range.upperBound...].drop(while: { $0 == " " || $0 == "#" }).prefix(while: \.isNumber)
            if let value = Int(digits) { return value }
        }
        return nil
    }

    static func number(before markers: [String], in text: String) -> Double? {
        for marker in markers {
            guard let range = text.range(of: marker) else { continue }
            let before = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            let digits = before.reversed().prefix(while: { $0.isNumber || $0 == "." })
            if let value = Double(String(digits.reversed())) { return value }
        }
        return nil
    }

    static func lastNumber(in text: String) -> Int? {
        text.split(whereSeparator: { !$0.isNumber }).last.flatMap { Int($0) }
    }

    /// Without a model, a summary is what the learner asked, in order (it is only a memory aid).
    static func extractiveSummary(_ transcript: String) -> String {
        let asked = transcript.split(separator: "\n").filter { $0.hasPrefix("user: ") }.map { $0.dropFirst(6).prefix(120) }
        let earlier = transcript.split(separator: "\n").first { $0.hasPrefix("Earlier summary: ") }.map { String($0.dropFirst(17)) }
        let list = asked.suffix(12).map { "\"\($0)\"" }.joined(separator: "; ")
        return [earlier, asked.isEmpty ? nil : "Earlier the learner asked: \(list)."].compactMap { $0 }.joined(separator: " ")
    }
}
