import TutorAgent
import TutorJSON
import TutorWire

/// The agent's own tools for programs outside the chat (`tools.list`, `tools.call`, used by
/// `tutor mcp`): the same registry, the same schemas, the same validation.
struct ToolGateway: Sendable {
    let tools: ToolRegistry
    /// The chat session the tools see for calls made this way (tutoring state is per session).
    static let session = "mcp"

    /// Every tool with its schema and what it can change.
    func list() -> ToolsListResult {
        ToolsListResult(
            tools: tools.names.compactMap { name in
                guard let (purpose, schema) = tools.describe(name) else { return nil }
                return ToolDescriptionView(
                    name: name, title: Self.title(of: name), description: purpose, inputSchema: schema.jsonValue,
                    effect: Self.word(tools.effect(of: name)), overwrites: tools.overwrites(name),
                    returnsUntrustedText: tools.returnsUntrustedText(name))
            })
    }

    /// Runs one tool. An unknown tool or arguments that break its schema are an `invalidParams`
    /// error naming the fix; a tool that runs and fails is a result with `isError`.
    func call(_ params: ToolsCallParams) async throws -> ToolsCallResult {
        let method = ToolsCallMethod.name
        guard let (_, schema) = tools.describe(params.name) else {
            throw RPCError.invalidParams(
                method, "there is no tool '\(params.name)'; the tools are \(tools.names.joined(separator: ", "))")
        }
        let arguments = params.arguments ?? .object([:])
        guard case .object = arguments else {
            throw RPCError.invalidParams(method, "'arguments' must be a JSON object, such as {\"minutes\": 30}")
        }
        let problems = schema.problems(in: arguments)
        guard problems.isEmpty else {
            throw RPCError.invalidParams(method, "invalid arguments for \(params.name): \(problems.joined(separator: "; "))")
        }
        let result = await ToolContext.$session.withValue(Self.session) {
            await tools.call(params.name, arguments: arguments.encodedString())
        }
        let failed = if case .failure = result { true } else { false }
        return ToolsCallResult(
            name: params.name, effect: Self.word(tools.effect(of: params.name)), isError: failed, output: result.content,
            untrusted: tools.returnsUntrustedText(params.name))
    }

    /// `log_study` → `Log study`.
    static func title(of name: String) -> String {
        let words = name.split(separator: "_").joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// The effect as the wire writes it.
    static func word(_ effect: ToolEffect) -> String {
        switch effect {
        case .read: "read"
        case .write: "write"
        case .outward: "outward"
        }
    }
}
