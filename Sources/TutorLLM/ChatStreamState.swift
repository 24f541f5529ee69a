import TutorJSON
import TutorModel

/// Follows one streamed chat completion, event by event: yields text and tool-call starts, and
/// assembles the final message. Pure: the model feeds it decoded SSE events.
struct ChatStreamState: Sendable {
    private(set) var text = ""
    private var assembler = ToolCallAssembler()
    private(set) var finishReason: FinishReason?
    private(set) var usage: Usage?
    /// `[DONE]` was received: nothing more will come.
    private(set) var isDone = false

    /// Whether any text or tool call has arrived (and so may have been shown).
    var hasContent: Bool { !text.isEmpty || !assembler.isEmpty }

    /// Handles one event; returns what to yield.
    mutating func handle(_ event: SSEEvent) throws(LLMError) -> [ChatEvent] {
        let data = event.data.trimmingWhitespace
        if data == "[DONE]" {
            isDone = true
            return []
        }
        if data.isEmpty { return [] }
        guard let json = JSONValue.parse(data), json.object != nil else {
            if event.type == "error" {
                throw LLMError(.streamError, serverMessage: ErrorMapping.clip(data), hint: Self.streamErrorHint)
            }
            throw LLMError(
                .malformedResponse,
                serverMessage: ErrorMapping.clip(data, to: 200),
                hint: "The endpoint sent a stream chunk that is not a JSON object: \(ErrorMapping.clip(data, to: 200))"
            )
        }
        if let server = ErrorMapping.serverError(fromJSON: json), json["choices"] == nil || event.type == "error" {
            var hint = Self.streamErrorHint
            if ErrorMapping.isContextLengthError(server) {
                hint = "The conversation does not fit the model's context window; start a new session or send less text."
            }
            throw LLMError(.streamError, serverMessage: server.message, hint: hint)
        }

        if let usage = json["usage"], usage.object != nil {
            let prompt = usage["prompt_tokens"]?.looseInt ?? usage["input_tokens"]?.looseInt
            let completion = usage["completion_tokens"]?.looseInt ?? usage["output_tokens"]?.looseInt
            if prompt != nil || completion != nil {
                let cached = usage["prompt_tokens_details"]?["cached_tokens"]?.looseInt ?? self.usage?.cachedTokens
                self.usage = Usage(promptTokens: prompt ?? 0, completionTokens: completion ?? 0, cachedTokens: cached)
            }
        }
        // llama.cpp reports its prompt cache in `timings` (`cache_n` tokens reused, `prompt_n` processed).
        if let cached = json["timings"]?["cache_n"]?.looseInt {
            var usage = self.usage ?? Usage(promptTokens: 0, completionTokens: 0)
            usage.cachedTokens = cached
            if usage.promptTokens == 0, let processed = json["timings"]?["prompt_n"]?.looseInt { usage.promptTokens = cached + processed }
            self.usage = usage
        }

        var events: [ChatEvent] = []
        for choice in json["choices"]?.array ?? [] {
            // Only the first choice is followed (requests never ask for more than one).
            if let index = choice["index"]?.looseInt, index != 0 { continue }
            let delta = choice["delta"] ?? choice["message"]
            if let content = delta?["content"]?.string, !content.isEmpty {
                text += content
                events.append(.text(content))
            }
            for call in delta?["tool_calls"]?.array ?? [] {
                let function = call["function"]
                let arguments: String? =
                    switch function?["arguments"] {
                    case .none, .null: nil
                    case .string(let text): text
                    case .some(let other): other.encodedString()  // Some servers send the object itself.
                    }
                let fragment = ToolCallDelta(
                    index: call["index"]?.looseInt,
                    id: call["id"]?.string,
                    name: function?["name"]?.string,
                    arguments: arguments
                )
                if let started = assembler.add(fragment) {
                    events.append(.toolCallStarted(id: started.id, name: started.name))
                }
            }
            if let reason = choice["finish_reason"]?.string {
                finishReason = Self.finishReason(reason)
            }
        }
        return events
    }

    /// The completion once the stream has ended. Throws `.truncated` if it ended early with nothing
    /// received; with partial content the completion is marked `.truncated` instead.
    func completion(endpoint: String) throws(LLMError) -> ChatCompletion {
        let calls = assembler.finish()
        let reason: FinishReason
        if let finishReason {
            reason = finishReason
        } else if isDone {
            reason = calls.isEmpty ? .stop : .toolCalls
        } else if hasContent {
            reason = .truncated
        } else {
            throw LLMError(
                .truncated,
                hint: "The stream from \(endpoint) ended before the answer started; the server may have crashed or restarted."
            )
        }
        let message = ChatMessage(role: .assistant, content: text.isEmpty ? nil : text, toolCalls: calls.isEmpty ? nil : calls)
        return ChatCompletion(message: message, finishReason: reason, usage: usage)
    }

    static let streamErrorHint = "The endpoint reported an error in the middle of the answer; try again."

    /// Maps a provider's finish reason; unknown ones count as a normal stop.
    static func finishReason(_ raw: String) -> FinishReason {
        switch raw {
        case "stop", "eos", "end_turn", "stop_sequence": .stop
        case "length", "max_tokens": .length
        case "tool_calls", "function_call", "tool_use": .toolCalls
        case "content_filter": .contentFilter
        default: .stop
        }
    }
}
