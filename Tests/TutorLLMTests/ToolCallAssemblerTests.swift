import Testing
import TutorModel

@testable import TutorLLM

@Suite("ToolCallAssembler")
struct ToolCallAssemblerTests {
    @Test func standardOpenAIStream() {
        var assembler = ToolCallAssembler()
        #expect(assembler.add(ToolCallDelta(index: 0, id: "call_a", name: "lookup", arguments: "")) == .init(id: "call_a", name: "lookup"))
        #expect(assembler.add(ToolCallDelta(index: 0, arguments: "{\"q\":")) == nil)
        #expect(assembler.add(ToolCallDelta(index: 0, arguments: "\"swift\"}")) == nil)
        #expect(assembler.finish() == [ToolCall(id: "call_a", name: "lookup", arguments: "{\"q\":\"swift\"}")])
    }

    @Test func missingIndexUsesIDThenLastCall() {
        var assembler = ToolCallAssembler()
        #expect(assembler.add(ToolCallDelta(id: "a", name: "first", arguments: "{")) != nil)
        _ = assembler.add(ToolCallDelta(arguments: "}"))  // no index, no id: the last call
        #expect(assembler.add(ToolCallDelta(id: "b", name: "second", arguments: "[")) != nil)
        _ = assembler.add(ToolCallDelta(id: "a", arguments: " "))  // by id
        _ = assembler.add(ToolCallDelta(arguments: "]"))
        #expect(
            assembler.finish() == [
                ToolCall(id: "a", name: "first", arguments: "{} "),
                ToolCall(id: "b", name: "second", arguments: "[]"),
            ])
    }

    @Test func repeatedIndexWithRepeatedIDAndNameDoesNotDuplicateTheName() {
        var assembler = ToolCallAssembler()
        var started: [ToolCallAssembler.Started] = []
        for piece in ["{\"a\"", ":1", "}"] {
            if let start = assembler.add(ToolCallDelta(index: 0, id: "c1", name: "set_goal", arguments: piece)) { started.append(start) }
        }
        #expect(started == [.init(id: "c1", name: "set_goal")])
        #expect(assembler.finish() == [ToolCall(id: "c1", name: "set_goal", arguments: "{\"a\":1}")])
    }

    @Test func gappedIndices() {
        var assembler = ToolCallAssembler()
        _ = assembler.add(ToolCallDelta(index: 0, id: "x", name: "one", arguments: "{}"))
        _ = assembler.add(ToolCallDelta(index: 2, id: "y", name: "two", arguments: "{\"k\":"))
        _ = assembler.add(ToolCallDelta(index: 2, arguments: "2}"))
        #expect(
            assembler.finish() == [
                ToolCall(id: "x", name: "one", arguments: "{}"),
                ToolCall(id: "y", name: "two", arguments: "{\"k\":2}"),
            ])
    }

    @Test func twoCallsInterleaved() {
        var assembler = ToolCallAssembler()
        _ = assembler.add(ToolCallDelta(index: 0, id: "a", name: "alpha", arguments: ""))
        _ = assembler.add(ToolCallDelta(index: 1, id: "b", name: "beta", arguments: ""))
        _ = assembler.add(ToolCallDelta(index: 0, arguments: "{\"x\":"))
        _ = assembler.add(ToolCallDelta(index: 1, arguments: "{\"y\":"))
        _ = assembler.add(ToolCallDelta(index: 1, arguments: "2}"))
        _ = assembler.add(ToolCallDelta(index: 0, arguments: "1}"))
        #expect(
            assembler.finish() == [
                ToolCall(id: "a", name: "alpha", arguments: "{\"x\":1}"),
                ToolCall(id: "b", name: "beta", arguments: "{\"y\":2}"),
            ])
    }

    @Test func sameIndexWithDifferentIDsAreTwoCalls() {
        var assembler = ToolCallAssembler()
        _ = assembler.add(ToolCallDelta(index: 0, id: "a", name: "alpha", arguments: "{}"))
        _ = assembler.add(ToolCallDelta(index: 0, id: "b", name: "beta", arguments: "{}"))
        #expect(assembler.finish().map(\.name) == ["alpha", "beta"])
    }

    @Test func emptyArgumentsBecomeEmptyObject() {
        var assembler = ToolCallAssembler()
        _ = assembler.add(ToolCallDelta(index: 0, id: "a", name: "now", arguments: ""))
        _ = assembler.add(ToolCallDelta(index: 0, arguments: nil))
        #expect(assembler.finish() == [ToolCall(id: "a", name: "now", arguments: "{}")])
    }

    @Test func missingIDGetsASyntheticOneThatStaysStable() {
        var assembler = ToolCallAssembler()
        let started = assembler.add(ToolCallDelta(index: 0, name: "now"))
        #expect(started == .init(id: "call_0", name: "now"))
        #expect(assembler.finish() == [ToolCall(id: "call_0", name: "now", arguments: "{}")])
    }

    @Test func nameStreamedInPiecesIsJoined() {
        var assembler = ToolCallAssembler()
        _ = assembler.add(ToolCallDelta(index: 0, id: "a", name: "get_", arguments: ""))
        _ = assembler.add(ToolCallDelta(index: 0, name: "weather", arguments: "{}"))
        #expect(assembler.finish().map(\.name) == ["get_weather"])
    }
}
