import Foundation
import Testing
import TutorJSON

@Suite("Decoding typed values from a parsed JSON value")
struct JSONValueDecoderTests {
    struct Item: Decodable, Equatable {
        var term: String
        var weight: Double
    }

    struct Arguments: Decodable, Equatable {
        var query: String
        var limit: Int?
        var exact: Bool?
        var items: [Item]
        var tags: [String]?
        var skillId: String?

        enum CodingKeys: String, CodingKey {
            case query, limit, exact, items, tags
            case skillId = "skill_id"
        }
    }

    func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONValueDecoder().decode(type, from: try #require(JSONValue.parse(text)))
    }

    /// The message a failed decode carries (what a model reads back).
    func failure<T: Decodable>(_ type: T.Type, _ text: String) throws -> String {
        do {
            _ = try decode(type, text)
        } catch let error as DecodingError {
            switch error {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
                .dataCorrupted(let context):
                return context.debugDescription
            @unknown default: return "\(error)"
            }
        }
        Issue.record("\(text) decoded")
        return ""
    }

    @Test("nested structs, arrays, renamed keys and optionals decode")
    func nestedValues() throws {
        let arguments = try decode(
            Arguments.self,
            #"{"query": "rag", "limit": 5, "items": [{"term": "a", "weight": 1}, {"term": "b", "weight": 0.5}], "skill_id": "s1", "tags": null}"#
        )
        #expect(
            arguments
                == Arguments(
                    query: "rag", limit: 5, exact: nil, items: [Item(term: "a", weight: 1), Item(term: "b", weight: 0.5)], tags: nil,
                    skillId: "s1"))
        #expect(try decode([Int?].self, "[1, null, 3]") == [1, nil, 3])
        #expect(try decode([String: [Int]].self, #"{"a": [1, 2], "b": []}"#) == ["a": [1, 2], "b": []])
        #expect(try decode(JSONValue.self, #"{"k": [1, "x"]}"#) == ["k": [1, "x"]])
    }

    @Test("whole numbers decode into integers, any number into a Double, exactly beyond 2^53")
    func numbers() throws {
        #expect(try decode(Int.self, "3.0") == 3)
        #expect(try decode(Double.self, "3") == 3)
        #expect(try decode(Int64.self, "9007199254740993") == 9_007_199_254_740_993)
        #expect(try failure(Int.self, "2.5").contains("whole number"))
        #expect(try failure(UInt8.self, "300") == "the value must be a whole number between 0 and 255")
    }

    @Test("dates decode from ISO 8601 strings, as the tool registry's JSONDecoder read them")
    func dates() throws {
        struct When: Decodable { var at: Date }
        #expect(try decode(When.self, #"{"at": "2026-03-02T09:30:00Z"}"#).at == Date(timeIntervalSince1970: 1_772_443_800))
        #expect(try failure(When.self, #"{"at": "next tuesday"}"#).contains("'at' must be an ISO 8601 date"))
    }

    @Test("wrong types, nulls and missing members say which member and what it should be")
    func errorMessages() throws {
        #expect(try failure(Arguments.self, #"{"query": 5, "items": []}"#) == "'query' must be a string, not a number")
        #expect(try failure(Arguments.self, #"{"query": "q"}"#) == "'items' is required")
        #expect(try failure(Arguments.self, #"{"query": null, "items": []}"#) == "'query' is required, not null")
        #expect(
            try failure(Arguments.self, #"{"query": "q", "items": [{"term": "a", "weight": "heavy"}]}"#)
                == "'items[0].weight' must be a number, not a string")
        #expect(try failure(Arguments.self, #"{"query": "q", "items": {}}"#) == "'items' must be an array, not an object")
        #expect(
            try failure(Arguments.self, #"{"query": "q", "items": [], "exact": "yes"}"#) == "'exact' must be true or false, not a string")
        #expect(try failure(Arguments.self, "[]") == "the value must be an object, not an array")
    }
}
