import Foundation
import Testing

@testable import TutorLLM

@Suite("JSON text: the hand-written parser and writer")
struct JSONTextTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try #require(
            JSONValue.parse(#" {"a": [1, -2.5, 3e2, 0, -0.125E-1], "b": {"c": null, "d": true, "e": false}, "s": "x"} "#))
        #expect(value["a"] == .array([.number(1), .number(-2.5), .number(300), .number(0), .number(-0.0125)]))
        #expect(value["b"] == .object(["c": .null, "d": .bool(true), "e": .bool(false)]))
        #expect(value["s"] == .string("x"))
        #expect(JSONValue.parse("[]") == .array([]))
        #expect(JSONValue.parse("{}") == .object([:]))
        #expect(JSONValue.parse("\"top\"") == .string("top"))
        #expect(JSONValue.parse("12345678901234567890")?.int == nil)
        #expect(JSONValue.parse("12345678901234567890") == .number(12_345_678_901_234_567_890))
    }

    @Test func decodesEscapesAndUnicode() {
        #expect(JSONValue.parse(#""a\"b\\c\/d\n\t\r\b\f""#) == .string("a\"b\\c/d\n\t\r\u{8}\u{C}"))
        #expect(JSONValue.parse(#""\u00e9\u4e2d""#) == .string("é中"))
        #expect(JSONValue.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(JSONValue.parse("\"héllo 😀\"") == .string("héllo 😀"))
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "[1 2]",
        "{\"a\" 1}", "\"unterminated", "\"bad \\x escape\"", "\"\\ud83d alone\"", "\"\\ude00\"", "\"tab\there\"", "1 2",
        "NaN", "Infinity", "1e400", "{\"a\":1}x",
    ])
    func rejectsWhatIsNotJSON(_ text: String) {
        #expect(JSONValue.parse(text) == nil, "accepted \(text)")
    }

    @Test func rejectsInvalidUTF8AndDeepNesting() {
        #expect(JSONValue.parse([UInt8(ascii: "\""), 0xFF, UInt8(ascii: "\"")]) == nil)
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(JSONValue.parse(deep) == nil)
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(JSONValue.parse(fine) != nil)
    }

    @Test func writesCompactSortedJSONThatFoundationReadsBack() throws {
        let value = JSONValue.object([
            "z": .number(3), "a": .string("q\"uote\\ / \n\u{1} é"), "m": .array([.null, .bool(true), .number(0.5), .number(-7)]),
        ])
        let text = value.encodedString()
        #expect(text == #"{"a":"q\"uote\\ / \n\u0001 é","m":[null,true,0.5,-7],"z":3}"#)
        #expect(JSONValue.parse(text) == value)
        let foundation = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(foundation["a"] as? String == "q\"uote\\ / \n\u{1} é")
        #expect(throws: EncodingError.self) { try JSONValue.number(.infinity).encodedBytes() }
    }

    @Test func aSplicedBodyEqualsTheWholeEncoding() throws {
        let tool = ToolDefinition(
            name: "lookup", description: "Looks a term up.", parametersJSON: #"{"type":"object","properties":{}}"#)
        let request = ChatRequest(messages: [.system("s"), .user("hi")], tools: [tool], temperature: 0.2, maxTokens: 64)
        let whole = try ChatRequestEncoding.bodyBytes(for: request, model: "m", defaultTemperature: nil)
        let spliced = try ChatRequestEncoding.bodyBytes(
            for: request, model: "m", defaultTemperature: nil, toolsBytes: try ChatRequestEncoding.toolsBytes([tool]))
        #expect(spliced == whole)
        let none = ChatRequest(messages: [.user("hi")])
        #expect(
            try ChatRequestEncoding.bodyBytes(for: none, model: "m", defaultTemperature: nil, toolsBytes: [])
                == ChatRequestEncoding.bodyBytes(for: none, model: "m", defaultTemperature: nil))
    }
}
