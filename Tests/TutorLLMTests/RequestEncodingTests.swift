import Testing
import TutorJSON
import TutorModel

@testable import TutorLLM

@Suite("Chat request encoding")
struct RequestEncodingTests {
    private let weatherTool = ToolDefinition(
        name: "lookup",
        description: "Looks a term up.",
        parametersJSON: #"{"type":"object","properties":{"term":{"type":"string"}},"required":["term"]}"#
    )

    @Test func streamingOptionsModelAndSampling() throws {
        let request = ChatRequest(messages: [.user("hi")], temperature: nil, maxTokens: 256)
        let body = try ChatRequestEncoding.body(for: request, model: "m1", defaultTemperature: 0.3)
        #expect(body["model"] == .string("m1"))
        #expect(body["stream"] == .bool(true))
        #expect(body["stream_options"] == .object(["include_usage": .bool(true)]))
        #expect(body["temperature"] == .double(0.3))
        #expect(body["max_tokens"]?.int == 256)
        #expect(body["tools"] == nil)

        let overridden = try ChatRequestEncoding.body(
            for: ChatRequest(messages: [.user("hi")], temperature: 0.9), model: "m1", defaultTemperature: 0.3)
        #expect(overridden["temperature"] == .double(0.9))
        let unset = try ChatRequestEncoding.body(for: ChatRequest(messages: [.user("hi")]), model: "m1", defaultTemperature: nil)
        #expect(unset["temperature"] == nil)
    }

    @Test("a response schema goes out as response_format json_schema; without one, none is sent")
    func responseSchema() throws {
        let schema = #"{"type":"object","properties":{"grade":{"type":"string"}},"required":["grade"]}"#
        let body = try ChatRequestEncoding.body(
            for: ChatRequest(messages: [.user("hi")], purpose: .grade, responseSchema: schema), model: "m", defaultTemperature: nil)
        let format = try #require(body["response_format"])
        #expect(format["type"] == .string("json_schema"))
        #expect(format["json_schema"]?["schema"] == JSONValue.parse(schema))
        #expect(format["json_schema"]?["strict"] == .bool(true))
        #expect(
            try ChatRequestEncoding.body(for: ChatRequest(messages: [.user("hi")]), model: "m", defaultTemperature: nil)["response_format"]
                == nil)
    }

    @Test("a request's purpose stays with the tutor: a summary request's body is the same as a reply's")
    func purposeIsNotSent() throws {
        let messages: [ChatMessage] = [.system("Summarise this conversation."), .user("user: what is RAG?")]
        let summary = try ChatRequestEncoding.body(
            for: ChatRequest(messages: messages, purpose: .summary), model: "m", defaultTemperature: nil)
        #expect(summary == (try ChatRequestEncoding.body(for: ChatRequest(messages: messages), model: "m", defaultTemperature: nil)))
        #expect(summary["messages"]?.array?.first?["content"] == .string("Summarise this conversation."))
    }

    @Test func assistantWithToolCallsSendsEmptyStringContent() throws {
        let call = ToolCall(id: "call_1", name: "lookup", arguments: #"{"term":"actor"}"#)
        let messages: [ChatMessage] = [
            .system("be brief"), .user("what is an actor?"), .assistant(nil, toolCalls: [call]),
            .tool(callID: "call_1", content: "an isolated reference type"), .assistant("An isolated type."),
        ]
        let body = try ChatRequestEncoding.body(for: ChatRequest(messages: messages), model: "m", defaultTemperature: nil)
        let encoded = try #require(body["messages"]?.array)
        #expect(encoded.count == 5)
        #expect(encoded[0] == .object(["role": .string("system"), "content": .string("be brief")]))
        #expect(encoded[2]["role"] == .string("assistant"))
        #expect(encoded[2]["content"] == .string(""))
        #expect(
            encoded[2]["tool_calls"]
                == .array([
                    .object([
                        "id": .string("call_1"), "type": .string("function"),
                        "function": .object(["name": .string("lookup"), "arguments": .string(#"{"term":"actor"}"#)]),
                    ])
                ]))
        #expect(
            encoded[3]
                == .object(["role": .string("tool"), "content": .string("an isolated reference type"), "tool_call_id": .string("call_1")]))
        #expect(encoded[4] == .object(["role": .string("assistant"), "content": .string("An isolated type.")]))
    }

    @Test func toolsShape() throws {
        let body = try ChatRequestEncoding.body(
            for: ChatRequest(messages: [.user("x")], tools: [weatherTool]), model: "m", defaultTemperature: nil)
        let tools = try #require(body["tools"]?.array)
        #expect(tools.count == 1)
        #expect(tools[0]["type"] == .string("function"))
        let function = try #require(tools[0]["function"])
        #expect(function["name"] == .string("lookup"))
        #expect(function["description"] == .string("Looks a term up."))
        #expect(function["parameters"] == JSONValue.parse(weatherTool.parametersJSON))
        #expect(function["parameters"]?["required"] == .array([.string("term")]))
    }

    @Test func serialisedBytesAreStableJSON() throws {
        let bytes = try ChatRequestEncoding.bodyBytes(
            for: ChatRequest(messages: [.assistant(nil, toolCalls: [ToolCall(id: "c", name: "n", arguments: "")])]),
            model: "m",
            defaultTemperature: nil
        )
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""content":"""#))
        #expect(text.contains(#""arguments":"{}""#))
        #expect(text.contains(#""stream_options":{"include_usage":true}"#))
        #expect(!text.contains("null"))
    }

    @Test func invalidToolParametersAreRejected() {
        let bad = ToolDefinition(name: "broken", description: "", parametersJSON: "{not json")
        #expect(throws: InvalidToolDefinitionError(toolName: "broken")) {
            _ = try ChatRequestEncoding.body(for: ChatRequest(messages: [], tools: [bad]), model: "m", defaultTemperature: nil)
        }
    }

    @Test func aSplicedBodyEqualsTheWholeEncoding() throws {
        let tool = ToolDefinition(
            name: "lookup", description: "Looks a term up.", parametersJSON: #"{"type":"object","properties":{}}"#)
        let request = ChatRequest(messages: [.system("s"), .user("hi")], tools: [tool], temperature: 0.2, maxTokens: 64)
        let whole = try ChatRequestEncoding.bodyBytes(for: request, model: "m", defaultTemperature: nil)
        #expect(String(decoding: whole, as: UTF8.self).contains(#""max_tokens":64,"#))
        let spliced = try ChatRequestEncoding.bodyBytes(
            for: request, model: "m", defaultTemperature: nil, toolsBytes: try ChatRequestEncoding.toolsBytes([tool]))
        #expect(spliced == whole)
        let none = ChatRequest(messages: [.user("hi")])
        #expect(
            try ChatRequestEncoding.bodyBytes(for: none, model: "m", defaultTemperature: nil, toolsBytes: [])
                == ChatRequestEncoding.bodyBytes(for: none, model: "m", defaultTemperature: nil))
    }
}
