import Foundation
import Synchronization
import TutorJSON
import TutorModel

/// The typed input of a tool, with the JSON Schema the model is shown for it, declared together
/// (beside the coding keys) so the two cannot drift apart.
public protocol ToolArguments: Decodable, Sendable {
    /// What the model may send: an object schema whose properties are this type's coding keys.
    static var schema: JSONSchema { get }
}

/// Arguments of tools that take none.
public struct NoArguments: ToolArguments {
    public static let schema = JSONSchema.object(properties: [:], required: [])
}

/// A capability the agent can call: a name, a one-line purpose, a JSON Schema for its input, and
/// typed arguments and output.
public protocol Tool: Sendable {
    associatedtype Arguments: Decodable & Sendable
    associatedtype Output: Encodable & Sendable

    /// The name models call it by (snake_case).
    var name: String { get }
    /// One line saying what it does and when to use it.
    var purpose: String { get }
    var inputSchema: JSONSchema { get }

    /// What running it can do beyond reading (default `.read`).
    var effect: ToolEffect { get }
    /// Whether its output carries text from outside the tutor (the learner's files, web pages),
    /// which may hold instructions that are not the learner's (default false).
    var returnsUntrustedText: Bool { get }
    /// Whether it removes or overwrites some of the learner's records rather than only adding to
    /// them (default false); MCP clients see it as `destructiveHint`.
    var overwrites: Bool { get }

    /// Runs the tool. Errors it throws go back to the model as a tool error with their description.
    func run(_ arguments: Arguments) async throws -> Output
}

extension Tool {
    public var effect: ToolEffect { .read }
    public var returnsUntrustedText: Bool { false }
    public var overwrites: Bool { false }
}

extension Tool where Arguments: ToolArguments {
    /// The schema the arguments type declares.
    public var inputSchema: JSONSchema { Arguments.schema }
}

/// What a tool knows about the call it serves.
public enum ToolContext {
    /// The chat session the tool runs for, set by ``AgentSession`` for the length of a turn (nil
    /// outside a chat).
    @TaskLocal public static var session: String?
}

/// A tool output that writes its own JSON, the same text the tool registry's `JSONEncoder` would
/// write, sparing the generic encoder for outputs made on every turn; nil leaves it to the encoder.
public protocol JSONTextOutput {
    func jsonText() -> [UInt8]?
}

/// What a tool call can change. After untrusted text entered a turn, calls that change the
/// learner's data or send data out wait for the learner's explicit confirmation.
public enum ToolEffect: Sendable, Equatable {
    /// Only reads.
    case read
    /// Changes the learner's data (marks tasks done, logs time, stores goals and grades).
    case write
    /// Sends data outside the machine.
    case outward
}

/// What a tool call produced, as the model will read it.
public enum ToolResult: Sendable, Equatable {
    /// The output, as JSON text.
    case success(String)
    /// What went wrong and how to fix it, for the model to read and retry.
    case failure(String)

    /// The text handed to the model.
    public var content: String {
        switch self {
        case .success(let json): json
        case .failure(let message): "{\"error\":\(Self.quoted(message))}"
        }
    }

    static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONTextWriter.writeString(text, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The tools an agent may call, by name; validates arguments against each schema before running.
public struct ToolRegistry: Sendable {
    struct Entry: Sendable {
        var purpose: String
        var schema: JSONSchema
        var effect: ToolEffect
        var untrusted: Bool
        var overwrites: Bool
        var decode: @Sendable (JSONValue) throws -> Void
        var call: @Sendable (JSONValue) async throws -> Data
    }

    /// The definitions, built at first use and kept (a registry is built once and then only read).
    final class DefinitionCache: Sendable {
        let definitions = Mutex<(definitions: [ToolDefinition], characters: [Int])?>(nil)
    }

    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private var cache = DefinitionCache()

    /// The tools as the model is told about them: schemas serialised once, not for every request.
    public var definitions: [ToolDefinition] { built.definitions }

    /// The characters of each definition (name, description and schema), counted once, for
    /// estimating how many tokens the tools take.
    public var definitionCharacters: [Int] { built.characters }

    private var built: (definitions: [ToolDefinition], characters: [Int]) {
        cache.definitions.withLock { cached in
            if let cached { return cached }
            let definitions = order.compactMap { name -> ToolDefinition? in
                guard let entry = entries[name] else { return nil }
                return ToolDefinition(name: name, description: entry.purpose, parametersJSON: entry.schema.jsonText)
            }
            let built = (definitions, definitions.map { ($0.name + $0.description + $0.parametersJSON).count })
            cached = built
            return built
        }
    }

    public init() {}

    /// Adds a tool; a later tool with the same name replaces the earlier one.
    public mutating func register<T: Tool>(_ tool: T) {
        if entries[tool.name] == nil { order.append(tool.name) }
        entries[tool.name] = Entry(
            purpose: tool.purpose, schema: tool.inputSchema, effect: tool.effect, untrusted: tool.returnsUntrustedText,
            overwrites: tool.overwrites,
            decode: { _ = try JSONValueDecoder().decode(T.Arguments.self, from: $0) }
        ) { arguments in
            let arguments = try JSONValueDecoder().decode(T.Arguments.self, from: arguments)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            let output = try await tool.run(arguments)
            if let direct = output as? any JSONTextOutput, let text = direct.jsonText() { return Data(text) }
            return try encoder.encode(output)
        }
        cache = DefinitionCache()
    }

    /// Tool names in registration order.
    public var names: [String] { order }

    /// What tool `name` can change (`.read` for unknown tools, which fail anyway).
    public func effect(of name: String) -> ToolEffect { entries[name]?.effect ?? .read }

    /// Whether tool `name` returns text from outside the tutor.
    public func returnsUntrustedText(_ name: String) -> Bool { entries[name]?.untrusted ?? false }

    /// Whether tool `name` removes or overwrites records (false for unknown tools).
    public func overwrites(_ name: String) -> Bool { entries[name]?.overwrites ?? false }

    /// The purpose and schema of a tool.
    public func describe(_ name: String) -> (purpose: String, schema: JSONSchema)? {
        entries[name].map { ($0.purpose, $0.schema) }
    }

    /// Decodes `arguments` into tool `name`'s typed arguments without validating or running anything:
    /// how a test proves that a tool's schema and its arguments type agree.
    /// - Throws: `DecodingError` when the arguments type cannot read them; nothing for an unknown tool.
    public func decodeArguments(of name: String, from arguments: JSONValue) throws {
        try entries[name]?.decode(arguments)
    }

    /// Calls tool `name` with the arguments as the model wrote them (JSON text). Never throws: an
    /// unknown tool, invalid JSON, arguments that break the schema, or a failing tool all come back
    /// as `.failure` with a message that says what to fix.
    public func call(_ name: String, arguments: String) async -> ToolResult {
        guard let entry = entries[name] else {
            return .failure("there is no tool '\(name)'; the tools are \(order.joined(separator: ", "))")
        }
        let text = arguments.trimmingCharacters(in: .whitespacesAndNewlines)
        // Parsed once, by the bounded parser: it refuses nesting deep enough to exhaust a thread's
        // stack. The same value is then validated and decoded.
        guard let parsed = JSONValue.parse(text.isEmpty ? "{}" : text) else {
            return .failure("the arguments are not valid JSON (or nest too deeply); send a JSON object such as {\"query\": \"rag\"}")
        }
        let problems = entry.schema.problems(in: parsed)
        guard problems.isEmpty else {
            return .failure("invalid arguments for \(name): \(problems.joined(separator: "; "))")
        }
        do {
            return .success(String(decoding: try await entry.call(parsed), as: UTF8.self))
        } catch let error as DecodingError {
            return .failure("invalid arguments for \(name): \(Self.reason(error))")
        } catch let error as any LocalizedError {
            // Errors meant for people (the service's) carry their message without codes.
            return .failure(error.errorDescription ?? "\(error)")
        } catch {
            return .failure("\(name) failed: \(error)")
        }
    }

    /// What a decoding error says about the arguments (the decoder names the member and the fix).
    private static func reason(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            context.debugDescription
        @unknown default:
            "\(error)"
        }
    }
}
