import Foundation

/// A model listed by `GET /v1/models`.
public struct FakeModel: Sendable {
    public var id: String
    /// Reported as `context_length` and `max_model_len` when set.
    public var contextLength: Int?

    public init(id: String, contextLength: Int? = nil) {
        self.id = id
        self.contextLength = contextLength
    }
}

/// One HTTP request the fake server received.
public struct FakeRecordedRequest: Sendable {
    public var method: String
    /// The request target as sent, including any query string.
    public var path: String
    public var headers: [(String, String)]
    public var body: String

    public init(method: String, path: String, headers: [(String, String)], body: String) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// The body decoded as a JSON object, when it is one.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }
}

/// One event of a scripted SSE stream.
public enum FakeChunk: Sendable {
    /// A delta with `content`.
    case text(String)
    /// A `tool_calls` delta; nil fields are omitted (`type` is sent only with an `id`).
    case toolCall(index: Int?, id: String?, name: String?, arguments: String)
    /// A chunk with an empty delta and this `finish_reason`.
    case finish(String)
    /// A usage chunk; `"choices": []` when `emptyChoices`.
    case usage(prompt: Int, completion: Int, emptyChoices: Bool)
    /// An error object sent inside the stream: `data: {"error":{...}}`.
    case error(message: String, type: String, code: String?)
    /// Exactly this text as one event's data (newlines become several `data:` lines).
    case raw(String)
    /// An SSE comment line `: text`.
    case comment(String)
}

/// How a scripted stream ends.
public enum FakeStreamEnd: Sendable {
    /// `data: [DONE]`, then the body ends properly; the connection stays open for keep-alive.
    case done
    /// The body ends properly without `[DONE]`, then the server closes the connection.
    case noDone
    /// Nothing more is sent; the connection stays open for this long (or until the client leaves or the
    /// server shuts down), then closes without ending the body.
    case stall(Duration)
    /// The connection is reset (TCP RST) without ending the body.
    case drop
}

/// Which server's wording to imitate in error bodies.
public enum FakeDialect: Sendable {
    case openAI
    case llamaCpp
    case vLLM
    case ollama
}

/// A scripted reply to `POST /v1/chat/completions`.
public enum FakeReply: Sendable {
    /// An SSE stream (`Content-Type: text/event-stream`, chunked). `headDelay` waits before the response head,
    /// `chunkDelay` between events; `crlf` ends lines with CRLF; `splitWrites` cuts events into small pieces at odd
    /// byte boundaries, each its own write; `multilineData` spreads each JSON event over several `data:` lines.
    case stream(
        [FakeChunk],
        end: FakeStreamEnd = .done,
        headDelay: Duration = .zero,
        chunkDelay: Duration = .zero,
        crlf: Bool = false,
        splitWrites: Bool = false,
        multilineData: Bool = false
    )
    /// A JSON reply with any status; `headers` are added (a `Content-Type` here replaces the default).
    case json(status: Int, body: String, headers: [(String, String)] = [])
    /// A `text/plain` reply.
    case text(status: Int, body: String)
    /// Reads the request, then closes the connection without replying.
    case dropConnection

    /// A non-streaming `chat.completion` (model `fake-model`).
    public static func completion(
        text: String?,
        toolCalls: [(id: String, name: String, arguments: String)] = [],
        finish: String = "stop",
        prompt: Int = 10,
        completion: Int = 5
    ) -> FakeReply {
        var message: [(String, FakeJSON)] = [("role", "assistant"), ("content", text.map { .string($0) } ?? .null)]
        if !toolCalls.isEmpty {
            let calls: [FakeJSON] = toolCalls.map { call in
                .object([
                    ("id", .string(call.id)), ("type", "function"),
                    ("function", .object([("name", .string(call.name)), ("arguments", .string(call.arguments))])),
                ])
            }
            message.append(("tool_calls", .array(calls)))
        }
        let body: FakeJSON = .object([
            ("id", "chatcmpl-fake"),
            ("object", "chat.completion"),
            ("created", .int(Int(Date().timeIntervalSince1970))),
            ("model", "fake-model"),
            (
                "choices",
                .array([.object([("index", .int(0)), ("message", .object(message)), ("finish_reason", .string(finish))])])
            ),
            ("usage", FakeJSON.usage(prompt: prompt, completion: completion)),
        ])
        return .json(status: 200, body: body.text)
    }

    /// 429 `rate_limit_exceeded`, with `Retry-After` when given.
    public static func rateLimited(retryAfterSeconds: Int?) -> FakeReply {
        let body = FakeJSON.openAIError(
            message: "Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again later.",
            type: "requests",
            code: "rate_limit_exceeded"
        )
        return .json(status: 429, body: body.text, headers: retryAfterSeconds.map { [("Retry-After", String($0))] } ?? [])
    }

    /// An OpenAI-style 5xx (503 says the engine is overloaded).
    public static func serverError(status: Int) -> FakeReply {
        let message =
            status == 503
            ? "The engine is currently overloaded, please try again later"
            : "The server had an error while processing your request. Sorry about that!"
        return .json(status: status, body: FakeJSON.openAIError(message: message, type: "server_error", code: nil).text)
    }

    /// 401 `invalid_api_key`.
    public static func unauthorized() -> FakeReply {
        let body = FakeJSON.openAIError(
            message: "Incorrect API key provided: sk-fake***. You can find your API key at https://platform.openai.com/account/api-keys.",
            type: "invalid_request_error",
            code: "invalid_api_key"
        )
        return .json(status: 401, body: body.text)
    }

    /// 404 `model_not_found`, OpenAI dialect.
    public static func unknownModel(_ name: String) -> FakeReply {
        let body = FakeJSON.openAIError(
            message: "The model `\(name)` does not exist or you do not have access to it.",
            type: "invalid_request_error",
            code: "model_not_found"
        )
        return .json(status: 404, body: body.text)
    }

    /// 400 for a prompt of 9000 tokens against a context of 8192, worded as `dialect` does it.
    public static func contextLengthExceeded(dialect: FakeDialect) -> FakeReply {
        let body: FakeJSON
        switch dialect {
        case .openAI:
            body = .openAIError(
                message:
                    "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens. "
                    + "Please reduce the length of the messages.",
                type: "invalid_request_error",
                code: "context_length_exceeded",
                param: "messages"
            )
        case .llamaCpp:
            body = .object([
                (
                    "error",
                    .object([
                        ("code", .int(400)),
                        ("message", "the request exceeds the available context size, try increasing it"),
                        ("type", "exceed_context_size_error"),
                        ("n_prompt_tokens", .int(9000)),
                        ("n_ctx", .int(8192)),
                    ])
                )
            ])
        case .vLLM:
            body = .object([
                (
                    "error",
                    .object([
                        (
                            "message",
                            .string(
                                "This model's maximum context length is 8192 tokens. However, your request has 9000 input tokens. "
                                    + "Please reduce the length of the input messages. (parameter=input_tokens, value=9000)"
                            )
                        ),
                        ("type", "BadRequestError"),
                        ("param", "input_tokens"),
                        ("code", .int(400)),
                    ])
                )
            ])
        case .ollama:
            body = .openAIError(message: "the input length exceeds the context length", type: "invalid_request_error", code: nil)
        }
        return .json(status: 400, body: body.text)
    }
}
