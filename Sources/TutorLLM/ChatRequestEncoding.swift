import TutorJSON
import TutorModel

/// A tool whose `parametersJSON` is not a JSON object.
public struct InvalidToolDefinitionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var toolName: String

    public var description: String { "The parameters of tool '\(toolName)' are not a JSON object." }
}

/// Builds the JSON body of an OpenAI-compatible chat-completions request. Pure.
enum ChatRequestEncoding {
    /// The request body as a JSON value: model, messages, tools, `"stream": true` and
    /// `"stream_options": {"include_usage": true}`, temperature, max_tokens and response_format when set.
    static func body(for request: ChatRequest, model: String, defaultTemperature: Double?) throws -> JSONValue {
        try body(for: request, model: model, defaultTemperature: defaultTemperature, encodedTools: try request.tools.map(tool))
    }

    /// The request body with the tools already encoded (``tool(_:)`` of each of `request.tools`).
    static func body(for request: ChatRequest, model: String, defaultTemperature: Double?, encodedTools: [JSONValue]) throws -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(model),
            "messages": .array(request.messages.map(message)),
            "stream": .bool(true),
            "stream_options": .object(["include_usage": .bool(true)]),
        ]
        if !encodedTools.isEmpty {
            body["tools"] = .array(encodedTools)
        }
        if let temperature = request.temperature ?? defaultTemperature {
            body["temperature"] = .double(temperature)
        }
        if let maxTokens = request.maxTokens {
            body["max_tokens"] = .int(Int64(maxTokens))
        }
        if let schema = request.responseSchema.flatMap({ JSONValue.parse($0.trimmingWhitespace) }), schema.object != nil {
            body["response_format"] = .object([
                "type": .string("json_schema"),
                "json_schema": .object(["name": .string("answer"), "schema": schema, "strict": .bool(true)]),
            ])
        }
        return .object(body)
    }

    /// The serialised body.
    static func bodyBytes(for request: ChatRequest, model: String, defaultTemperature: Double?) throws -> [UInt8] {
        try body(for: request, model: model, defaultTemperature: defaultTemperature).encodedBytes()
    }

    /// The serialised body with the tools already serialised (``toolsBytes(_:)`` of `request.tools`):
    /// an agent sends the same tools with every request, and their schemas are most of its bytes.
    /// `"tools"` sorts after every other key, so it goes last and the keys stay sorted.
    static func bodyBytes(for request: ChatRequest, model: String, defaultTemperature: Double?, toolsBytes: [UInt8]) throws -> [UInt8] {
        var bytes = try body(for: request, model: model, defaultTemperature: defaultTemperature, encodedTools: []).encodedBytes()
        guard !toolsBytes.isEmpty, bytes.last == UInt8(ascii: "}") else { return bytes }
        bytes.removeLast()
        bytes.append(contentsOf: #","tools":"#.utf8)
        bytes.append(contentsOf: toolsBytes)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// The tools in OpenAI shape, serialised as a JSON array; empty (no bytes) for no tools.
    static func toolsBytes(_ tools: [ToolDefinition]) throws -> [UInt8] {
        tools.isEmpty ? [] : try JSONValue.array(try tools.map(tool)).encodedBytes()
    }

    /// One message in OpenAI shape. An assistant message with tool calls carries `"content": ""`
    /// (not null, not omitted: the form every server accepts); a tool message carries `tool_call_id`.
    static func message(_ message: ChatMessage) -> JSONValue {
        var object: [String: JSONValue] = ["role": .string(message.role.rawValue)]
        let toolCalls = message.toolCalls ?? []
        if message.role == .assistant, !toolCalls.isEmpty {
            object["content"] = .string(message.content ?? "")
            object["tool_calls"] = .array(
                toolCalls.map { call in
                    .object([
                        "id": .string(call.id),
                        "type": .string("function"),
                        "function": .object([
                            "name": .string(call.name),
                            "arguments": .string(call.arguments.isEmpty ? "{}" : call.arguments),
                        ]),
                    ])
                }
            )
        } else {
            object["content"] = .string(message.content ?? "")
        }
        if message.role == .tool, let id = message.toolCallID {
            object["tool_call_id"] = .string(id)
        }
        return .object(object)
    }

    /// One tool in OpenAI shape: `{"type":"function","function":{"name","description","parameters"}}`.
    static func tool(_ tool: ToolDefinition) throws -> JSONValue {
        let trimmed = tool.parametersJSON.trimmingWhitespace
        let parameters: JSONValue
        if trimmed.isEmpty {
            parameters = .object(["type": .string("object"), "properties": .object([:])])
        } else if let parsed = JSONValue.parse(trimmed), parsed.object != nil {
            parameters = parsed
        } else {
            throw InvalidToolDefinitionError(toolName: tool.name)
        }
        return .object([
            "type": .string("function"),
            "function": .object([
                "name": .string(tool.name),
                "description": .string(tool.description),
                "parameters": parameters,
            ]),
        ])
    }
}
