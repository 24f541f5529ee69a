#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The model boundary: what the agent sends a chat model and what comes back, independent of any
/// provider. `OpenAICompatibleModel` speaks it to OpenAI-compatible endpoints; the built-in offline
/// model speaks it without a network. Knows nothing of tutoring.

/// One message of a conversation, in the shape OpenAI-compatible APIs use.
public struct ChatMessage: Codable, Sendable, Equatable {
    public enum Role: String, Codable, Sendable { case system, user, assistant, tool }

    public var role: Role
    /// Text; nil for an assistant message that only calls tools.
    public var content: String?
    /// Tool calls an assistant message makes.
    public var toolCalls: [ToolCall]?
    /// For a tool message: the id of the call it answers.
    public var toolCallID: String?

    public init(role: Role, content: String?, toolCalls: [ToolCall]? = nil, toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: text) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: text) }
    public static func assistant(_ text: String?, toolCalls: [ToolCall]? = nil) -> ChatMessage {
        ChatMessage(role: .assistant, content: text, toolCalls: toolCalls)
    }
    public static func tool(callID: String, content: String) -> ChatMessage {
        ChatMessage(role: .tool, content: content, toolCallID: callID)
    }
}

/// A call the model asks for: the tool's name and its arguments as JSON text (parsed and validated
/// by the agent, never trusted).
public struct ToolCall: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// A tool the model may call: name, description and a JSON Schema for the arguments, as JSON text.
public struct ToolDefinition: Sendable, Equatable {
    public var name: String
    public var description: String
    /// The JSON Schema object, serialised.
    public var parametersJSON: String

    public init(name: String, description: String, parametersJSON: String) {
        self.name = name
        self.description = description
        self.parametersJSON = parametersJSON
    }
}

/// One request to a chat model.
public struct ChatRequest: Sendable, Equatable {
    /// What the request is for. A model may read it (the offline model answers a summary request
    /// with an extract); it is never sent to an endpoint.
    public enum Purpose: Sendable, Equatable {
        /// A step of a chat turn: answer the learner or call tools.
        case reply
        /// Summarise older turns of a conversation to keep it inside the context window.
        case summary
        /// A short text for the learner outside a chat (the weekly plan's note).
        case note
        /// A structured grade of a learner's answer against a rubric (JSON, see `RubricGrader`).
        case grade
    }

    public var messages: [ChatMessage]
    public var tools: [ToolDefinition]
    public var temperature: Double?
    /// The most tokens the answer may take, sent as `max_tokens` (see ``OutputBound``).
    public var maxTokens: Int?
    public var purpose: Purpose
    /// A JSON schema the answer must follow (a JSON object's text), sent as `response_format`
    /// (`json_schema`): servers that constrain decoding (llama.cpp, Ollama, vLLM) then return
    /// parseable JSON even from a small model.
    public var responseSchema: String?

    public init(
        messages: [ChatMessage], tools: [ToolDefinition] = [], temperature: Double? = nil, maxTokens: Int? = nil,
        purpose: Purpose = .reply, responseSchema: String? = nil
    ) {
        self.messages = messages
        self.tools = tools
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.purpose = purpose
        self.responseSchema = responseSchema
    }
}

/// How long an answer may run, by purpose: every request carries its bound as `max_tokens`, so a
/// model that does not stop on its own cannot run on until the window fills. A reply's bound is the
/// room its context budget keeps for the answer (``maxTokens`` set by the agent); these are the
/// bounds of the requests whose answers have a length of their own.
public enum OutputBound {
    /// Words a summary of older turns may have: the summariser prompt asks for at most this many,
    /// and a longer summary is cut to it before it is stored.
    public static let summaryWords = 200
    /// Tokens a summary may take: its words at 1.5 tokens a word (English runs about 1.3).
    public static let summaryTokens = 300
    /// Tokens a short note for the learner may take (the weekly note: a few sentences).
    public static let noteTokens = 400
    /// Tokens a rubric grade may take: a small JSON object with the key points missed.
    public static let gradeTokens = 200
}

/// Why a completion ended.
public enum FinishReason: String, Codable, Sendable, Equatable {
    case stop
    case length
    case toolCalls = "tool_calls"
    case contentFilter = "content_filter"
    /// The stream ended without a finish reason or `[DONE]`: the answer may be cut short.
    case truncated
}

/// Token counts as the endpoint reported them.
public struct Usage: Codable, Sendable, Equatable {
    public var promptTokens: Int
    public var completionTokens: Int
    /// Of `promptTokens`, those the server took from its prompt cache, when it says
    /// (`usage.prompt_tokens_details.cached_tokens`, or llama.cpp's `timings.cache_n`).
    public var cachedTokens: Int?

    public init(promptTokens: Int, completionTokens: Int, cachedTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedTokens = cachedTokens
    }
}

/// The finished answer: the assembled assistant message, why it ended, and usage if reported.
public struct ChatCompletion: Sendable, Equatable {
    public var message: ChatMessage
    public var finishReason: FinishReason
    public var usage: Usage?

    public init(message: ChatMessage, finishReason: FinishReason, usage: Usage?) {
        self.message = message
        self.finishReason = finishReason
        self.usage = usage
    }
}

/// What a streaming chat call yields: text as it arrives, then exactly one completion.
public enum ChatEvent: Sendable, Equatable {
    case text(String)
    /// A tool call has started (its name is known); its arguments arrive with the completion.
    case toolCallStarted(id: String, name: String)
    case completed(ChatCompletion)
}

/// A chat model: streams events for a request. Cancelling the consuming task cancels the call.
public protocol ChatModel: Sendable {
    /// The model's name as configured (`offline` for the built-in one).
    var name: String { get }
    /// Whether the model writes text of its own (a language model), so it can be asked for quiz
    /// items or a weekly note. False for a rule-based model whose replies come from templates.
    var writesFreeText: Bool { get }
    /// The context window the endpoint reports for this model, if it reports one.
    nonisolated(nonsending) func contextWindow() async -> Int?
    /// What the endpoint says about this model: its window, whether it lists the model, and whether
    /// it could be asked at all. The default reads ``contextWindow()`` and assumes the model is served.
    nonisolated(nonsending) func discover() async -> ModelDiscovery
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, any Error>
}

/// What an endpoint said about the configured model when asked for its model list.
public struct ModelDiscovery: Sendable, Equatable {
    /// The context window it reports for the model; nil when it reports none or was not reached.
    public var contextWindow: Int?
    /// The models it lists when the configured name is not among them (empty when it is listed, or
    /// when the list is empty or was not read). Some servers (llama.cpp) answer whatever the name.
    public var otherModels: [String]
    /// False when the list could not be read (the server was down, or has no list): what it says may
    /// change, so the caller asks again later (the model remembers a failure for a while).
    public var reached: Bool

    public init(contextWindow: Int?, otherModels: [String] = [], reached: Bool = true) {
        self.contextWindow = contextWindow
        self.otherModels = otherModels
        self.reached = reached
    }
}

extension ChatModel {
    public var writesFreeText: Bool { true }

    public nonisolated(nonsending) func discover() async -> ModelDiscovery {
        ModelDiscovery(contextWindow: await contextWindow())
    }

    /// The whole text of one answer to `request` (streamed, then joined).
    public func completeText(_ request: ChatRequest) async throws -> String {
        var text = ""
        for try await event in stream(request) {
            switch event {
            case .text(let delta): text += delta
            case .completed(let completion): if text.isEmpty { text = completion.message.content ?? "" }
            case .toolCallStarted: break
            }
        }
        return String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

/// An embedding model: vectors for texts, in order.
public protocol EmbeddingModel: Sendable {
    var name: String { get }
    func embed(_ texts: [String]) async throws -> [[Float]]
}
