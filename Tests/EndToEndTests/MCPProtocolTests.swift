import Foundation
import Testing
import TutorTesting
import TutorWire

/// `tutor mcp` fed raw lines on stdin, as a careless or broken client would send them: each gets
/// the JSON-RPC answer the spec asks for, and the server exits cleanly at end of input.
@Suite("tutor mcp protocol conformance", .serialized)
struct MCPProtocolTests {
    static let initialize =
        #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"0"}}}"#
    static let initialized = #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#

    /// The lines `tutor mcp` printed, parsed, by id (a null id as "null").
    private func replies(_ stdout: String) throws -> [String: [String: Any]] {
        var byID: [String: [String: Any]] = [:]
        for line in stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            #expect(object["jsonrpc"] as? String == "2.0", "\(line)")
            let id = object["id"].map { $0 is NSNull ? "null" : "\($0)" } ?? "none"
            byID[id, default: [:]] = object
        }
        return byID
    }

    /// The minutes logged, as `tutor progress --json` reports them.
    private func minutesLogged(_ daemon: TemporaryDaemon) async throws -> Int {
        let progress = try await daemon.runCLI(["progress", "--json"])
        return try WireCodec.makeDecoder().decode(ProgressResult.self, from: Data(progress.stdout.utf8)).minutesLogged
    }

    private func code(_ reply: [String: Any]?) -> Int? { (reply?["error"] as? [String: Any])?["code"] as? Int }

    @Test("malformed JSON, a non-request, an unknown method and bad params get their errors; the server exits 0 at end of input")
    func malformedInput() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let lines = [
            Self.initialize, Self.initialized,
            "{this is not json",
            #"{"jsonrpc":"2.0","id":7,"params":{}}"#,
            #"[1,2"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tutor/teach-me"}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"log_study","arguments":{"minutes":0}}}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"ping"}"#,
        ]
        let result = try await daemon.runCLI(["mcp"], stdin: lines.joined(separator: "\n") + "\n", timeout: .seconds(30))
        #expect(result.status == 0, "\(result.stderr)")
        let byID = try replies(result.stdout)
        #expect((byID["1"]?["result"] as? [String: Any])?["protocolVersion"] as? String == "2025-06-18")
        #expect(code(byID["null"]) == -32700, "a line that is not JSON: parse error, id null")
        #expect(code(byID["7"]) == -32600, "an object with no method: invalid request")
        #expect(code(byID["2"]) == -32601, "an unknown method")
        #expect(code(byID["3"]) == -32602, "minutes below 1")
        #expect(byID["4"]?["result"] != nil, "ping still answered after the bad lines")
        #expect(try await minutesLogged(daemon) == 0, "the refused call logged nothing")
        try await daemon.stop()
    }

    @Test("a client that sends a write and closes at once still gets it done and answered; the server exits 0")
    func closeMidCall() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let call = #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"log_study","arguments":{"minutes":30}}}"#
        let result = try await daemon.runCLI(
            ["mcp"], stdin: [Self.initialize, Self.initialized, call].joined(separator: "\n") + "\n", timeout: .seconds(30))
        #expect(result.status == 0, "\(result.stderr)")
        let byID = try replies(result.stdout)
        let answer = try #require(byID["5"]?["result"] as? [String: Any], "\(result.stdout)")
        #expect(answer["isError"] as? Bool == false)
        #expect(try await minutesLogged(daemon) == 30, "the write landed")
        try await daemon.stop()
    }

    @Test("a line over 4 MiB is refused with an error and skipped; the next request is answered")
    func oversizedLine() async throws {
        let daemon = try TemporaryDaemon()
        defer { daemon.removeFiles() }
        let huge = #"{"jsonrpc":"2.0","id":9,"method":"ping","params":{"pad":""# + String(repeating: "a", count: 5 << 20) + #""}}"#
        let ping = #"{"jsonrpc":"2.0","id":10,"method":"ping"}"#
        let result = try await daemon.runCLI(
            ["mcp", "--no-autostart"], stdin: [Self.initialize, huge, ping].joined(separator: "\n") + "\n", timeout: .seconds(30))
        #expect(result.status == 0, "\(result.stderr)")
        let byID = try replies(result.stdout)
        #expect(code(byID["null"]) == -32600)
        #expect(((byID["null"]?["error"] as? [String: Any])?["message"] as? String)?.contains("4 MiB") == true)
        #expect(byID["9"] == nil, "the oversized request is not run")
        #expect(byID["10"]?["result"] != nil)
    }

    @Test("end of input with nothing asked: the server exits 0 and prints nothing")
    func emptyInput() async throws {
        let daemon = try TemporaryDaemon()
        defer { daemon.removeFiles() }
        let result = try await daemon.runCLI(["mcp", "--no-autostart"], stdin: "", timeout: .seconds(30))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("--print-config names this tutor by its absolute path, in the shape each client reads")
    func printConfig() async throws {
        let daemon = try TemporaryDaemon()
        defer { daemon.removeFiles() }
        let claude = try await daemon.runCLI(["mcp", "--print-config"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(claude.stdout.utf8)) as? [String: Any])
        let server = try #require((object["mcpServers"] as? [String: Any])?["tutor"] as? [String: Any])
        let command = try #require(server["command"] as? String)
        #expect(command.hasPrefix("/") && command.hasSuffix("/tutor"))
        #expect(FileManager.default.isExecutableFile(atPath: command))
        #expect(server["args"] as? [String] == ["mcp"])
        let vscode = try await daemon.runCLI(["mcp", "--print-config", "--client", "vscode"])
        #expect(vscode.stdout.contains(#""servers":{"tutor":{"#) && vscode.stdout.contains(#""type":"stdio""#))
        let unknown = try await daemon.runCLI(["mcp", "--print-config", "--client", "emacs"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("claude-desktop, vscode, goose"))
    }
}
