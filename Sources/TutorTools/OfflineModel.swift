import Foundation
import TutorCatalogue
import TutorLLM
import TutorLearning

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
    let catalogue: Catalogue
    let prompts: PromptLibrary

    /// An offline model speaking through the bundled templates, without user overrides.
    public init(catalogue: Catalogue) { self.init(catalogue: catalogue, prompts: .bundled) }

    public init(catalogue: Catalogue, prompts: PromptLibrary) {
        self.catalogue = catalogue
        self.prompts = prompts
    }

    var replies: OfflineReplies { OfflineReplies(prompts: prompts) }

    /// What the offline model can do and how to connect a real model (template `offline-help`).
    public var help: String { prompts.render("offline-help") }

    public func contextWindow() async -> Int? { nil }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, any Error> {
        let completion = respond(to: request.messages, canSearchNotes: request.tools.contains { $0.name == "search_notes" })
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
        if let system = messages.first, system.role == .system, system.content?.hasPrefix("[summarize]") == true {
            return answer(Self.extractiveSummary(messages.last?.content ?? ""))
        }
        if let last = messages.last, last.role == .tool {
            return compose(afterToolsIn: messages)
        }
        let text = messages.last(where: { $0.role == .user })?.content ?? ""
        let previous = messages.last(where: { $0.role == .assistant })?.content ?? ""
        if let card = marker("card", in: previous), messages.last?.role == .user {
            return reveal(card: card, in: messages)
        }
        if let card = marker("grading", in: previous), let rating = Self.rating(in: text) {
            return call("record_review", ["card_id": card, "rating": rating])
        }
        return decide(text, canSearchNotes: canSearchNotes)
    }

    func decide(_ original: String, canSearchNotes: Bool = false) -> ChatCompletion {
        let text = original.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        func has(_ words: String...) -> Bool { words.contains { text.contains($0) } }

        if text.isEmpty || has("help", "what can you do") || ["hi", "hello", "hey"].contains(text) {
            return answer(help)
        }
        if has("quiz", "test me", "review", "flashcard", "ask me a question") {
            return call("due_reviews", [:])
        }
        if let minutes = Self.minutes(in: text), has("log", "studied", "spent", "did ", "worked", "practised", "practiced") {
            var arguments: [String: Any] = ["minutes": minutes]
            if let skill = skill(mentionedIn: original) { arguments["skill"] = skill }
            return call("log_study", arguments)
        }
        if has("done", "finished", "completed"), let id = Self.number(after: ["task", "#"], in: text) ?? Self.lastNumber(in: text) {
            var arguments: [String: Any] = ["id": id]
            if let minutes = Self.minutes(in: text) { arguments["minutes"] = minutes }
            return call("complete_task", arguments)
        }
        // "Can I become an AI engineer in 2 weeks?" is a question about time, not a new goal.
        let asksAboutTime =
            text.range(of: #"\bin\s+(\d+|a|one|two|three|few)\s+(days?|weeks?|months?)\b"#, options: .regularExpression) != nil
        if asksAboutTime || has("forecast", "how long", "when will i", "timeline", "how many months", "how many years") {
            if let hours = Self.number(before: ["h a week", "hours a week", "hours per week", "h/week", "hours/week"], in: text) {
                return call("forecast", ["hours_per_week": hours])
            }
            return call("forecast", [:])
        }
        if has("progress", "how am i doing", "how far") {
            return call("progress_summary", [:])
        }
        if has("plan", "schedule", "this week", "study this week", "what should i study") {
            return call("weekly_plan", [:])
        }
        if has("next", "task", "to do", "todo") {
            return call("list_tasks", ["limit": 5])
        }
        if has("goal", "i want to", "become", "i'd like to learn", "i would like to learn") {
            var goal = original
            for prefix in ["add goal", "add a goal", "my goal is", "i want to", "i'd like to learn", "i would like to learn"] {
                if let range = goal.range(of: prefix, options: .caseInsensitive) { goal = String(goal[range.upperBound...]) }
            }
            goal = goal.trimmingCharacters(in: CharacterSet(charactersIn: " :.!?\n"))
            return call("add_goal", ["text": goal.isEmpty ? original : goal])
        }
        for prefix in ["what is", "what's", "what are", "explain", "tell me about", "how does", "how do", "teach me", "define"] {
            if let range = text.range(of: prefix) {
                let topic = String(text[range.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: " ?.!:\n"))
                if !topic.isEmpty { return explain(topic, canSearchNotes: canSearchNotes) }
            }
        }
        if !catalogue.search(original, limit: 1).isEmpty {
            return explain(original, canSearchNotes: canSearchNotes)
        }
        return answer(prompts.render("offline-unknown"))
    }

    /// Looks `topic` up in the roadmap and, when note search is available, in the learner's notes, in one step.
    func explain(_ topic: String, canSearchNotes: Bool) -> ChatCompletion {
        var calls = [("catalogue_search", ["query": topic, "limit": 5] as [String: Any])]
        if canSearchNotes { calls.append(("search_notes", ["query": topic, "k": 2, "source": "notes"])) }
        return call(calls)
    }

    // MARK: Composing answers from tool results

    func compose(afterToolsIn messages: [ChatMessage]) -> ChatCompletion {
        guard let assistantIndex = messages.lastIndex(where: { $0.role == .assistant && !($0.toolCalls ?? []).isEmpty }) else {
            return answer(prompts.render("offline-done"))
        }
        let calls = messages[assistantIndex].toolCalls ?? []
        let results = messages[(assistantIndex + 1)...].filter { $0.role == .tool }
        var parts: [String] = []
        for call in calls {
            guard let content = results.first(where: { $0.toolCallID == call.id })?.content,
                let json = try? JSONSerialization.jsonObject(with: Data(content.utf8)) as? [String: Any]
            else { continue }
            if let error = json["error"] as? String {
                parts.append(replies.error(error))
                continue
            }
            if call.name == "weekly_plan", ((json["sessions"] as? [Any]) ?? []).isEmpty, !call.arguments.contains("\"week\""),
                let week = (json["week"] as? String).flatMap({ try? ISOWeek.parse($0) })
            {
                // Nothing fits in what is left of this week: plan the next one instead.
                return self.call("weekly_plan", ["week": week.next.description])
            }
            if call.name == "catalogue_search" {
                let hits = (json["hits"] as? [[String: Any]]) ?? []
                if let hit = hits.first(where: { ($0["kind"] as? String) == "skill" }) ?? hits.first, let id = hit["id"] as? String {
                    return self.call("catalogue_show", ["id": id])
                }
                if Self.notePassages(inTurnOf: messages).isEmpty { parts.append(prompts.render("offline-not-found")) }
                continue
            }
            if call.name == "search_notes" { continue }
            parts.append(replies.render(tool: call.name, json: json))
        }
        // What the learner's own notes say about the topic, with citations, after the roadmap's words.
        let passages = Self.notePassages(inTurnOf: messages)
        if !passages.isEmpty {
            let query = messages.last(where: { $0.role == .user })?.content ?? ""
            parts.append(replies.notes(passages, query: query))
        }
        return answer(parts.isEmpty ? prompts.render("offline-done") : parts.joined(separator: "\n\n"))
    }

    func reveal(card: String, in messages: [ChatMessage]) -> ChatCompletion {
        for message in messages.reversed() where message.role == .tool {
            guard let json = try? JSONSerialization.jsonObject(with: Data((message.content ?? "").utf8)) as? [String: Any],
                let item = json["item"] as? [String: Any], item["cardId"] as? String == card
            else { continue }
            let text = replies.answer(card: card, answer: item["answer"] as? String ?? "", why: item["why"] as? String ?? "")
            return answer(text)
        }
        return decide(messages.last?.content ?? "")
    }

    // MARK: Helpers

    func answer(_ text: String) -> ChatCompletion {
        ChatCompletion(message: .assistant(text), finishReason: .stop, usage: nil)
    }

    func call(_ name: String, _ arguments: [String: Any]) -> ChatCompletion { call([(name, arguments)]) }

    /// One step calling several tools at once.
    func call(_ calls: [(name: String, arguments: [String: Any])]) -> ChatCompletion {
        let toolCalls = calls.map { name, arguments in
            let data = (try? JSONSerialization.data(withJSONObject: arguments, options: [.sortedKeys])) ?? Data("{}".utf8)
            let id = "offline-\(name)-\(abs(String(decoding: data, as: UTF8.self).hashValue % 100_000))"
            return ToolCall(id: id, name: name, arguments: String(decoding: data, as: UTF8.self))
        }
        return ChatCompletion(message: .assistant(nil, toolCalls: toolCalls), finishReason: .toolCalls, usage: nil)
    }

    /// The note passages `search_notes` returned since the learner's last message.
    static func notePassages(inTurnOf messages: [ChatMessage]) -> [[String: Any]] {
        let start = messages.lastIndex(where: { $0.role == .user }) ?? 0
        var passages: [[String: Any]] = []
        for message in messages[start...] where message.role == .tool {
            guard let json = try? JSONSerialization.jsonObject(with: Data((message.content ?? "").utf8)) as? [String: Any],
                json["notice"] != nil, let found = json["passages"] as? [[String: Any]]
            else { continue }
            passages += found
        }
        return passages
    }

    func marker(_ name: String, in text: String) -> String? {
        guard let range = text.range(of: "(\(name): "), let end = text[range.upperBound...].firstIndex(of: ")") else { return nil }
        return String(text[range.upperBound..<end])
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
