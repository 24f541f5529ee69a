import Foundation
import Testing
import TutorTesting
import TutorToolAdapters
import TutorWire

/// The API key (and other secrets) never leave the daemon: a whole session at debug log level,
/// with every command's output and the log searched for them.
@Suite("Secrets stay secret", .serialized)
struct SecretsTests {
    @Test("a full session at debug level: the key and secret headers appear in no output, log, export or message")
    func keyNeverShown() async throws {
        let key = "sk-secret-4f7a9c2e1b"
        let headerSecret = "proxy-token-8d3e5a"
        let server = try await FakeOpenAIServer.start()
        let daemon = try await TemporaryDaemon.start(extraEnvironment: [
            "TUTOR_LLM_BASE_URL": server.baseURL, "TUTOR_LLM_MODEL": "fake-model", "TUTOR_LLM_API_KEY": key,
            "TUTOR_LLM_EXTRA_HEADERS": "X-Proxy-Token: \(headerSecret)", "TUTOR_LOG_LEVEL": "trace", "TUTOR_EMBEDDING_MODEL": "embed",
            "TUTOR_NOTIFY_DESKTOP": "false",
        ])
        defer { daemon.removeFiles() }
        server.loopWhenExhausted([.stream([.text("Noted."), .finish("stop")])])
        server.enqueue(
            .stream([.toolCall(index: 0, id: "c1", name: ToolName.progressSummary.rawValue, arguments: "{}"), .finish("tool_calls")]),
            .stream([.text("You are on track."), .finish("stop")]),
            .serverError(status: 500))
        let notes = daemon.root + "/notes"
        try FileManager.default.createDirectory(atPath: notes, withIntermediateDirectories: true)
        try "# RAG\nRetrieval first, then generation.\n".write(toFile: notes + "/rag.md", atomically: true, encoding: .utf8)

        var outputs: [String] = []
        for arguments in [
            ["profile", "set", "--hours", "6", "--available", "mon-fri 19:00-20:00"], ["goal", "add", "first-apps"],
            ["chat", "-m", "how am I doing?"], ["chat", "-m", "and now?"], ["chat", "--json", "-m", "tell me more"],
            ["ingest", notes], ["search", "retrieval"], ["status"], ["status", "--json"], ["config", "show"], ["config", "show", "--json"],
            ["export"], ["export", "--format", "markdown"], ["jobs", "run", "weekly-plan"], ["inbox", "--all"], ["jobs", "--json"],
        ] {
            let result = try await daemon.runCLI(arguments)
            outputs.append(result.stdout + result.stderr)
        }
        try await daemon.stop()
        let everything = outputs.joined(separator: "\n") + daemon.log
        #expect(!everything.contains(key), "the API key leaked")
        #expect(!everything.contains(headerSecret), "a secret header leaked")
        #expect(everything.contains("<redacted>"), "config show says the key is set without showing it")
        // The endpoint did receive them: they are used, just never shown.
        let requests = server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }
        #expect(requests.first?.header("Authorization") == "Bearer \(key)")
        #expect(requests.first?.header("X-Proxy-Token") == headerSecret)
        // The files the daemon wrote hold no secret either.
        for name in (try? FileManager.default.subpathsOfDirectory(atPath: daemon.dataDirectory)) ?? [] {
            guard let data = FileManager.default.contents(atPath: daemon.dataDirectory + "/" + name) else { continue }
            #expect(!String(decoding: data, as: UTF8.self).contains(key), "\(name) holds the key")
        }
        try await server.shutdown()
    }

    @Test("a webhook URL's password, query token and Slack-style path token appear in no config show, inbox message or log")
    func webhookSecretsRedacted() async throws {
        let secrets = ["hook-pass-5e1d", "T0123ABCD", "B0456EFGH", "xoxbSecretPathToken42", "query-token-9f2a"]
        // Nothing listens on port 9: the delivery fails and leaves a message in the inbox.
        let url = "http://alice:\(secrets[0])@127.0.0.1:9/services/\(secrets[1])/\(secrets[2])/\(secrets[3])?token=\(secrets[4])"
        let daemon = try await TemporaryDaemon.start(extraEnvironment: [
            "TUTOR_NOTIFY_WEBHOOK_URL": url, "TUTOR_LOG_LEVEL": "trace", "TUTOR_NOTIFY_DESKTOP": "false",
        ])
        defer { daemon.removeFiles() }
        var outputs: [String] = []
        for arguments in [
            ["profile", "set", "--hours", "5", "--available", "mon-fri 19:00-20:00"], ["jobs", "run", "weekly-plan"],
            ["config", "show"], ["config", "show", "--json"], ["status", "--json"],
        ] {
            let result = try await daemon.runCLI(arguments)
            outputs.append(result.stdout + result.stderr)
        }
        var inbox = ""
        for _ in 0..<200 {
            inbox = try await daemon.runCLI(["inbox", "--all"]).stdout
            if inbox.contains("webhook delivery failed") || inbox.contains("A webhook delivery failed") { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await daemon.stop()
        #expect(inbox.contains("Sending a notice to http://127.0.0.1:9/services/…/…/…?… failed"), "\(inbox)")
        #expect(outputs[2].contains("http://127.0.0.1:9/services/…/…/…?…"), "config show: \(outputs[2])")
        let everything = outputs.joined(separator: "\n") + inbox + daemon.log
        for secret in secrets { #expect(!everything.contains(secret), "\(secret) leaked") }
    }
}
