import Foundation
import Logging
import Testing
import TutorAgent
import TutorApp
import TutorCatalogue
import TutorJSON
import TutorRetrieval
import TutorStore
import TutorToolAdapters
import TutorTools

/// Each tool is declared once: its name from ``ToolName``, its schema beside its arguments type.
/// These tests keep the declarations honest: every name registered, and every schema read by its
/// arguments type exactly as it says.
@Suite("Tool declarations")
struct ToolDeclarationTests {
    /// The registry with every tool (notes search and quiz writing included), over a fresh store.
    private func withEveryTool(_ body: (ToolRegistry) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-declarations-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        let service = LearnerService(store: store, catalogue: try Catalogue.bundled())
        let notes = NotesService(index: NotesIndex(store: store, embeddings: nil, logger: Logger(label: "test")))
        try body(LearnerTools.registry(service, notes: notes, quizWriter: "scripted"))
        try store.close()
    }

    @Test("the registration function registers every tool name once, and no tool without one")
    func everyNameRegistered() throws {
        try withEveryTool { registry in
            #expect(registry.names.sorted() == ToolName.allCases.map(\.rawValue).sorted())
        }
    }

    @Test("a tool's schema and its arguments type agree: what the schema allows decodes, every property is read, required means required")
    func schemaMatchesArguments() throws {
        try withEveryTool { registry in
            for tool in ToolName.allCases {
                let schema = try #require(registry.describe(tool.rawValue)?.schema)
                guard case .object(let properties, let required, _) = schema else {
                    Issue.record("\(tool): the arguments' schema must be an object")
                    continue
                }
                let full = properties.mapValues(Self.sample)
                #expect(schema.problems(in: .object(full)).isEmpty, "\(tool): the sample is valid")
                #expect(throws: Never.self, "\(tool): every argument the schema allows decodes") {
                    try registry.decodeArguments(of: tool.rawValue, from: .object(full))
                }
                let minimal = full.filter { required.contains($0.key) }
                #expect(throws: Never.self, "\(tool): the required arguments alone decode (an optional one is optional in the type too)") {
                    try registry.decodeArguments(of: tool.rawValue, from: .object(minimal))
                }
                for (key, property) in properties {
                    var wrong = full
                    wrong[key] = Self.mismatch(property)
                    #expect(throws: DecodingError.self, "\(tool): '\(key)' is in the schema, so the arguments type reads it") {
                        try registry.decodeArguments(of: tool.rawValue, from: .object(wrong))
                    }
                }
                for key in required {
                    var missing = full
                    missing[key] = nil
                    #expect(throws: DecodingError.self, "\(tool): '\(key)' is required, so the arguments type needs it") {
                        try registry.decodeArguments(of: tool.rawValue, from: .object(missing))
                    }
                }
            }
        }
    }

    /// A value the schema accepts: the first allowed string, the minimum number, one array item, every property.
    static func sample(_ schema: JSONSchema) -> JSONValue {
        switch schema {
        case .object(let properties, _, _): .object(properties.mapValues(sample))
        case .string(_, let enumValues, let minLength): .string(enumValues?.first ?? String(repeating: "x", count: max(1, minLength ?? 1)))
        case .integer(_, let minimum, _): .int(Int64(minimum ?? 1))
        case .number(_, let minimum, _): .double(minimum ?? 1)
        case .boolean: .bool(true)
        case .array(let items, _): .array([sample(items)])
        }
    }

    /// A value no type that reads `schema` can decode.
    static func mismatch(_ schema: JSONSchema) -> JSONValue {
        if case .object = schema { return .string("x") }
        return .object(["x": .bool(true)])
    }
}
