import TutorJSON

/// The JSON an MCP client reads to start `tutor mcp`, for `tutor mcp --print-config`.
public enum MCPClientConfig {
    /// The clients whose configuration format is known.
    public static let clients = ["claude-desktop", "vscode", "goose"]

    /// The snippet for `client`: Claude Desktop's `mcpServers` (also what Goose imports and
    /// Cursor reads), or VS Code's `servers` with `type: stdio`; nil for an unknown client.
    public static func snippet(client: String, executable: String, arguments: [String]) -> String? {
        let args = JSONValue.array(arguments.map { .string($0) })
        let server: JSONValue
        switch client {
        case "claude-desktop", "goose":
            server = .object(["mcpServers": .object(["tutor": .object(["command": .string(executable), "args": args])])])
        case "vscode":
            server = .object([
                "servers": .object(["tutor": .object(["type": "stdio", "command": .string(executable), "args": args])])
            ])
        default:
            return nil
        }
        return server.encodedString()
    }
}
