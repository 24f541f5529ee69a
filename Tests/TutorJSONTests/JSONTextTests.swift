import Foundation
import Testing
import TutorJSON

@Suite("JSON text: the hand-written parser and writer")
struct JSONTextTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try #require(
            JSONValue.parse(#" {"a": [1, -2.5, 3e2, 0, -0.125E-1], "b": {"c": null, "d": true, "e": false}, "s": "x"} "#))
        #expect(value["a"] == .array([.int(1), .double(-2.5), .double(300), .int(0), .double(-0.0125)]))
        #expect(value["b"] == .object(["c": .null, "d": .bool(true), "e": .bool(false)]))
        #expect(value["s"] == .string("x"))
        #expect(JSONValue.parse("[]") == .array([]))
        #expect(JSONValue.parse("{}") == .object([:]))
        #expect(JSONValue.parse("\"top\"") == .string("top"))
        #expect(JSONValue.parse("12345678901234567890")?.int == nil)
        #expect(JSONValue.parse("12345678901234567890") == .double(12_345_678_901_234_567_890))
    }

    @Test("integers stay exact beyond 2^53, up to the 64-bit limits")
    func integersStayExact() throws {
        for text in ["9007199254740993", "-9007199254740993", "9223372036854775807", "-9223372036854775808", "123456789012345678"] {
            let value = try #require(JSONValue.parse(text))
            #expect(value == .int(Int64(text)!))
            #expect(value.encodedString() == text)
        }
        // A Double would have rounded this id to ...992.
        #expect(JSONValue.parse(#"{"id":9007199254740993}"#)?["id"]?.int == 9_007_199_254_740_993)
        #expect(JSONValue.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
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

    @Test("invalid UTF-8 and nesting deeper than the limit are refused, so parsing cannot exhaust the stack")
    func rejectsInvalidUTF8AndDeepNesting() {
        #expect(JSONValue.parse([UInt8(ascii: "\""), 0xFF, UInt8(ascii: "\"")]) == nil)
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(JSONValue.parse(deep) == nil)
        let objects = String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        #expect(JSONValue.parse(objects) == nil)
        let limit = JSONValue.maximumNestingDepth
        #expect(JSONValue.parse(String(repeating: "[", count: limit) + String(repeating: "]", count: limit)) != nil)
        #expect(JSONValue.parse(String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)) == nil)
    }

    @Test func writesCompactSortedJSONThatFoundationReadsBack() throws {
        let value = JSONValue.object([
            "z": .int(3), "a": .string("q\"uote\\ / \n\u{1} é"), "m": .array([.null, .bool(true), .double(0.5), .int(-7)]),
        ])
        let text = value.encodedString()
        #expect(text == #"{"a":"q\"uote\\ / \n\u0001 é","m":[null,true,0.5,-7],"z":3}"#)
        #expect(JSONValue.parse(text) == value)
        let foundation = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(foundation["a"] as? String == "q\"uote\\ / \n\u{1} é")
        #expect(throws: EncodingError.self) { try JSONValue.double(.infinity).encodedBytes() }
    }

    @Test("every control character is escaped and non-ASCII text is written as UTF-8, as JSONEncoder writes them")
    func escapesLikeJSONEncoder() throws {
        let text = (0..<32).map { String(UnicodeScalar(UInt8($0))) }.joined() + "\"\\/ é中😀\u{7F}\u{2028}"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(text), as: UTF8.self)
        #expect(JSONValue.string(text).encodedString() == expected)
        #expect(expected.contains(#"\u0000"#) && expected.contains(#"\u001f"#) && expected.contains("é中😀"))
        #expect(JSONValue.parse(expected) == .string(text))
    }

    @Test("whole doubles are written without a fraction, as JSONEncoder writes them")
    func doublesLikeJSONEncoder() throws {
        for number in [0.5, 3.0, -7.0, 1e-9, 1e22, 1234.5678, 9_007_199_254_740_992.0] {
            let expected = String(decoding: try JSONEncoder().encode([number]), as: UTF8.self)
            #expect(JSONValue.array([.double(number)]).encodedString() == expected)
        }
    }

    @Test("a value survives writing and parsing again")
    func roundTrip() throws {
        let value: JSONValue = [
            "name": "Ada", "tags": ["a", "b"], "count": 42, "ratio": 0.25, "nested": ["deep": [.null, true, false]],
            "empty": [:], "none": [], "big": .int(.max), "small": .int(.min),
        ]
        let bytes = try value.encodedBytes()
        #expect(JSONValue.parse(bytes) == value)
        let unsorted = try value.encodedBytes(sortedKeys: false)
        #expect(JSONValue.parse(unsorted) == value)
    }

    @Test("the builder writes the same text as a whole value")
    func builderMatchesValue() {
        var writer = JSONTextWriter()
        writer.object { json in
            json.key("a")
            json.value(1)
            json.key("b")
            json.array { list in
                list.value("x")
                list.value(true)
                list.value(2.5)
                list.value(JSONValue.null)
            }
            json.member("c", nil as String?)
            json.member("d", "y")
        }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"a":1,"b":["x",true,2.5,null],"d":"y"}"#)
        #expect(!writer.failed)
        var broken = JSONTextWriter()
        broken.value(Double.nan)
        #expect(broken.failed)
    }
}
