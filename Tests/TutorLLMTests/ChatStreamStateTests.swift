import Testing
import TutorJSON
import TutorModel

@testable import TutorLLM

@Suite("Chat stream state")
struct ChatStreamStateTests {
    private func run(_ datas: [String]) throws -> (events: [ChatEvent], state: ChatStreamState) {
        var state = ChatStreamState()
        var events: [ChatEvent] = []
        for data in datas { events += try state.handle(SSEEvent(data: data)) }
        return (events, state)
    }

    @Test func textThenFinishThenUsageWithEmptyChoices() throws {
        let (events, state) = try run([
            #"{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#,
            #"{"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}"#,
            #"{"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}"#,
            #"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}"#,
            "[DONE]",
        ])
        #expect(events == [.text("Hel"), .text("lo")])
        #expect(state.isDone)
        let completion = try state.completion(endpoint: "e")
        #expect(
            completion
                == ChatCompletion(message: .assistant("Hello"), finishReason: .stop, usage: Usage(promptTokens: 12, completionTokens: 2)))
    }

    @Test func usageOnAChunkWithChoices() throws {
        let (_, state) = try run([
            #"{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#
        ])
        let completion = try state.completion(endpoint: "e")
        #expect(completion.usage == Usage(promptTokens: 3, completionTokens: 1))
        #expect(completion.finishReason == .length)
    }

    @Test func toolCallsAnnouncedOnceAndAssembled() throws {
        let (events, state) = try run([
            #"{"choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_9","type":"function","function":{"name":"lookup","arguments":""}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"term\":"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"actor\"}"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
        ])
        #expect(events == [.toolCallStarted(id: "call_9", name: "lookup")])
        let completion = try state.completion(endpoint: "e")
        #expect(completion.message.content == nil)
        #expect(completion.message.toolCalls == [ToolCall(id: "call_9", name: "lookup", arguments: #"{"term":"actor"}"#)])
        #expect(completion.finishReason == .toolCalls)
    }

    @Test func argumentsSentAsAnObjectAreSerialised() throws {
        let (_, state) = try run([
            #"{"choices":[{"delta":{"tool_calls":[{"id":"a","function":{"name":"f","arguments":{"k":1}}}]},"finish_reason":"tool_calls"}]}"#
        ])
        #expect(try state.completion(endpoint: "e").message.toolCalls?.first?.arguments == #"{"k":1}"#)
    }

    @Test func errorObjectInStream() {
        #expect {
            _ = try run([#"{"error":{"message":"upstream overloaded","type":"server_error","code":null}}"#])
        } throws: { error in
            let error = error as? LLMError
            return error?.code == .streamError && error?.serverMessage == "upstream overloaded"
        }
    }

    @Test func malformedChunkNamesTheText() {
        let bad = "{\"choices\": [" + String(repeating: "z", count: 400)
        #expect {
            _ = try run([bad])
        } throws: { error in
            guard let error = error as? LLMError, error.code == .malformedResponse else { return false }
            return error.hint.contains("{\"choices\": [zzz") && (error.serverMessage?.count ?? 0) <= 201
        }
    }

    @Test func truncatedWithoutContentThrows() throws {
        let state = ChatStreamState()
        #expect(throws: LLMError.self) { _ = try state.completion(endpoint: "e") }
        let (_, partial) = try run([#"{"choices":[{"delta":{"content":"half an ans"}}]}"#])
        let completion = try partial.completion(endpoint: "e")
        #expect(completion.finishReason == .truncated)
        #expect(completion.message.content == "half an ans")
    }

    @Test func doneWithoutFinishReasonIsAStop() throws {
        let (_, state) = try run([#"{"choices":[{"delta":{"content":"ok"}}]}"#, "[DONE]"])
        #expect(try state.completion(endpoint: "e").finishReason == .stop)
    }

    @Test func finishReasonsMapped() {
        #expect(ChatStreamState.finishReason("stop") == .stop)
        #expect(ChatStreamState.finishReason("length") == .length)
        #expect(ChatStreamState.finishReason("tool_calls") == .toolCalls)
        #expect(ChatStreamState.finishReason("content_filter") == .contentFilter)
        #expect(ChatStreamState.finishReason("function_call") == .toolCalls)
        #expect(ChatStreamState.finishReason("weird") == .stop)
    }

    @Test func contextWindowFromModelEntries() throws {
        func entries(_ json: String) throws -> [JSONValue] { try #require(JSONValue.parse(json)?["data"]?.array) }
        let vLLM = try entries(#"{"data":[{"id":"a","max_model_len":32768},{"id":"b","max_model_len":4096}]}"#)
        #expect(OpenAICompatibleModel.contextWindow(in: vLLM, model: "b") == 4096)
        #expect(OpenAICompatibleModel.contextWindow(in: vLLM, model: "c") == nil)
        let llama = try entries(#"{"data":[{"id":"model.gguf","meta":{"n_ctx_train":131072,"n_ctx":8192}}]}"#)
        #expect(OpenAICompatibleModel.contextWindow(in: llama, model: "anything") == 8192)
        let lmStudio = try entries(#"{"data":[{"id":"m","context_length":16384}]}"#)
        #expect(OpenAICompatibleModel.contextWindow(in: lmStudio, model: "m") == 16384)
        let bare = try entries(#"{"data":[{"id":"m"}]}"#)
        #expect(OpenAICompatibleModel.contextWindow(in: bare, model: "m") == nil)
    }
}
