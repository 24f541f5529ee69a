import Foundation
import Testing
import TutorWire

@testable import TutorDaemon

@Suite("Configuration")
struct ConfigurationTests {
    /// A temporary config folder with `yaml` written as config.yaml (0600 unless `mode` says otherwise).
    private func environment(yaml: String?, mode: Int = 0o600, extra: [String: String] = [:]) throws -> ([String: String], String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/config/tutor", withIntermediateDirectories: true)
        let file = root + "/config/tutor/config.yaml"
        if let yaml {
            try yaml.write(toFile: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        }
        var environment = [
            "HOME": root, "XDG_CONFIG_HOME": root + "/config", "XDG_DATA_HOME": root + "/data", "XDG_RUNTIME_DIR": root + "/run",
        ]
        environment.merge(extra) { $1 }
        return (environment, file)
    }

    private func entry(_ configuration: DaemonConfiguration, _ key: String) -> (value: String?, source: String) {
        let found = configuration.report.entries.first { $0.key == key }
        return (found?.value, found?.source ?? "missing")
    }

    @Test("defaults < config.yaml < environment < flags, and each key says where it came from")
    func precedence() async throws {
        let (env, file) = try environment(
            yaml: """
                llm:
                  base_url: http://127.0.0.1:11434/v1
                  model: from-file
                  context_window: 32768
                  max_output_tokens: 700
                daemon:
                  shutdown_timeout: 3
                  idle_timeout: 120
                """,
            extra: ["TUTOR_LLM_MODEL": "from-env", "TUTOR_IDLE_TIMEOUT": "60"]
        )
        let configuration = try await DaemonConfiguration.load(environment: env, flags: ["daemon.idle_timeout": "30"])
        #expect(configuration.report.configFile == file)
        #expect(configuration.report.configFileLoaded)
        #expect(configuration.llm.baseURL == "http://127.0.0.1:11434/v1")
        #expect(entry(configuration, "llm.base_url").source == "file")
        #expect(configuration.llm.model == "from-env")
        #expect(entry(configuration, "llm.model").source == "environment")
        #expect(configuration.llm.contextWindow == 32768)
        #expect(configuration.llm.maxOutputTokens == 700)
        #expect(configuration.shutdownTimeout == .seconds(3))
        #expect(configuration.idleTimeout == .seconds(30))
        #expect(entry(configuration, "daemon.idle_timeout").source == "flag")
        #expect(entry(configuration, "daemon.max_connections") == ("32", "default"))
        #expect(entry(configuration, "llm.embedding_model") == (nil, "unset"))
        #expect(entry(configuration, "paths.socket").source == "default")
    }

    @Test("config show prints webhook and endpoint URLs without passwords, query tokens or Slack and Discord path tokens")
    func urlsShownWithoutSecrets() async throws {
        let cases: [(url: String, shown: String, secrets: [String])] = [
            (
                "https://alice:pw-s3cret-91@ntfy.example.org/tutor?auth=tok-q-77", "https://ntfy.example.org/tutor?…",
                ["pw-s3cret-91", "tok-q-77"]
            ),
            (
                "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/xoxb1234abcd5678efgh", "https://hooks.slack.com/services/…/…/…",
                ["T0123ABCD", "B0456EFGH", "xoxb1234abcd5678efgh"]
            ),
            (
                "https://discord.com/api/webhooks/112233445566778899/Zx9_secretDiscordToken-abc", "https://discord.com/api/webhooks/…/…",
                ["112233445566778899", "Zx9_secretDiscordToken-abc"]
            ),
        ]
        for (url, shown, secrets) in cases {
            let (env, _) = try environment(
                yaml: nil,
                extra: ["TUTOR_NOTIFY_WEBHOOK_URL": url, "TUTOR_LLM_BASE_URL": "http://proxy-user:proxy-pass-5@127.0.0.1:8080/v1"])
            let configuration = try await DaemonConfiguration.load(environment: env)
            #expect(configuration.notifications.webhookURL == url, "the daemon still uses the whole URL")
            #expect(entry(configuration, "notify.webhook_url").value == shown)
            #expect(entry(configuration, "llm.base_url").value == "http://127.0.0.1:8080/v1")
            let encoded = String(decoding: try JSONEncoder().encode(configuration.report), as: UTF8.self)
            for secret in secrets + ["proxy-pass-5"] { #expect(!encoded.contains(secret), "\(secret) shown") }
        }
    }

    @Test("an alias bomb, a 300 KB config and a mistyped TUTOR_CONFIG are refused at once with the file and the fix")
    func hostileConfigFiles() async throws {
        // 466 bytes that expand to 9^9 values through aliases.
        var bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for (name, previous) in zip(["b", "c", "d", "e", "f", "g", "h", "i"], ["a", "b", "c", "d", "e", "f", "g", "h"]) {
            bomb += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        let (bombEnv, bombFile) = try environment(yaml: bomb)
        let started = ContinuousClock.now
        let bombError = await #expect(throws: DaemonError.self) { try await DaemonConfiguration.load(environment: bombEnv) }
        #expect(ContinuousClock.now - started < .seconds(5), "refused before parsing, not after expanding")
        #expect(bombError?.message.contains("\(bombFile) uses a YAML anchor or alias") == true, "\(bombError?.message ?? "")")

        let big = "# padding\n" + String(repeating: "# a comment line that makes the file large\n", count: 8000) + "log:\n  level: info\n"
        let (bigEnv, bigFile) = try environment(yaml: big)
        let bigError = await #expect(throws: DaemonError.self) { try await DaemonConfiguration.load(environment: bigEnv) }
        #expect(bigError?.message.contains("the config file \(bigFile) is \(big.utf8.count) bytes") == true, "\(bigError?.message ?? "")")

        let (env, file) = try environment(yaml: nil, extra: [:])
        var mistyped = env
        mistyped["TUTOR_CONFIG"] = file + ".yml"
        let typoError = await #expect(throws: DaemonError.self) { try await DaemonConfiguration.load(environment: mistyped) }
        #expect(typoError?.message.contains("TUTOR_CONFIG names the config file \(file).yml, which does not exist") == true)
        // The default file may be missing: that is no configuration, not an error.
        _ = try await DaemonConfiguration.load(environment: env)
        // Quoted & and * are values, not anchors.
        let (quotedEnv, _) = try environment(yaml: "llm:\n  model: \"*star&\"  # a comment with *alias\n")
        #expect(try await DaemonConfiguration.load(environment: quotedEnv).llm.model == "*star&")
    }

    @Test("the API key comes from TUTOR_LLM_API_KEY, else OPENAI_API_KEY, and is always redacted")
    func apiKey() async throws {
        let (env, _) = try environment(yaml: nil, extra: ["OPENAI_API_KEY": "sk-fallback-123"])
        let fallback = try await DaemonConfiguration.load(environment: env)
        #expect(fallback.llm.apiKey == "sk-fallback-123")
        #expect(entry(fallback, "llm.api_key") == ("<redacted>", "environment"))

        var both = env
        both["TUTOR_LLM_API_KEY"] = "sk-primary-456"
        let primary = try await DaemonConfiguration.load(environment: both)
        #expect(primary.llm.apiKey == "sk-primary-456")
        let encoded = String(decoding: try JSONEncoder().encode(primary.report), as: UTF8.self)
        #expect(!encoded.contains("sk-primary-456"))
        #expect(!encoded.contains("sk-fallback-123"))
    }

    @Test("a config file readable by others that holds the API key draws a warning")
    func worldReadableSecret() async throws {
        let (env, file) = try environment(yaml: "llm:\n  api_key: sk-in-file\n", mode: 0o644)
        let configuration = try await DaemonConfiguration.load(environment: env)
        #expect(configuration.llm.apiKey == "sk-in-file")
        #expect(configuration.warnings.contains { $0.contains("chmod 600 \(file)") })
    }

    @Test("an unknown key draws a warning with the key it probably meant")
    func unknownKey() async throws {
        let (env, _) = try environment(yaml: "llm:\n  base_ulr: http://localhost:8080/v1\n")
        let configuration = try await DaemonConfiguration.load(environment: env)
        #expect(configuration.warnings.contains { $0.contains("'llm.base_ulr'") && $0.contains("'llm.base_url'") })
        #expect(configuration.llm.baseURL == nil)
    }

    @Test(
        "invalid values are startup errors naming the key, where it came from, and the fix",
        arguments: [
            ("llm:\n  context_window: lots\n", [String: String](), ["llm.context_window", "whole number"]),
            ("daemon:\n  shutdown_timeout: -1\n", [:], ["daemon.shutdown_timeout", "config.yaml"]),
            ("llm:\n  base_url: localhost:11434\n", [:], ["llm.base_url", "http(s) URL"]),
            ("", ["TUTOR_LOG_LEVEL": "loud"], ["log.level", "environment", "trace, debug"]),
            ("", ["TUTOR_LLM_MAX_OUTPUT_TOKENS": "lots"], ["llm.max_output_tokens", "from 16", "TUTOR_LLM_MAX_OUTPUT_TOKENS"]),
            ("llm:\n  max_output_tokens: 0\n", [:], ["llm.max_output_tokens", "config.yaml", "whole number from 16"]),
            ("llm: [unclosed\n", [:], ["config.yaml", "not valid YAML"]),
        ]
    )
    func invalid(yaml: String, extra: [String: String], expected: [String]) async throws {
        let (env, _) = try environment(yaml: yaml, extra: extra)
        do {
            _ = try await DaemonConfiguration.load(environment: env)
            Issue.record("accepted \(yaml) \(extra)")
        } catch {
            for fragment in expected {
                #expect(error.message.contains(fragment), "\(error.message) should mention \(fragment)")
            }
        }
    }

    @Test("an unreadable config file is an error naming the file")
    func unreadable() async throws {
        guard getuid() != 0 else { return }  // root reads anything; the permission check cannot be observed
        let (env, file) = try environment(yaml: "llm:\n  model: x\n", mode: 0o000)
        do {
            _ = try await DaemonConfiguration.load(environment: env)
            Issue.record("read an unreadable file")
        } catch {
            #expect(error.message.contains(file))
        }
    }
}
