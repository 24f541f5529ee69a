import ArgumentParser
import TutorClient
import TutorMCP
import TutorWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `tutor mcp`: the tutor as an MCP server on stdin/stdout, for assistants and editors (Docs/mcp.md).
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the tutor's tools, plan and progress to MCP clients (Claude Desktop, Goose, VS Code) over stdio.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print the JSON an MCP client needs to start this server, and exit.") var printConfig = false
    @Option(help: "The client for --print-config: claude-desktop, vscode or goose.") var client = "claude-desktop"

    func run() async throws {
        if printConfig { return try printClientConfig() }
        let global = self.global
        let link = DaemonLink(socketPath: global.paths.socketPath) { try await global.startDaemon(autostart: true) }
        try await TutorMCPServer(link: link, version: Tutor.configuration.version).run()
    }

    /// The snippet with the absolute path of the running `tutor`, and `--socket` when one was given.
    private func printClientConfig() throws {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        var arguments = ["mcp"]
        if let socket = global.socket { arguments += ["--socket", socket] }
        guard let snippet = MCPClientConfig.snippet(client: client, executable: executable, arguments: arguments) else {
            throw ClientError(.usage, "unknown client '\(client)'; use one of \(MCPClientConfig.clients.joined(separator: ", ")).")
        }
        print(snippet)
    }
}
