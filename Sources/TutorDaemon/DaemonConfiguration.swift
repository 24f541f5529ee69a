import Configuration
import Foundation
import Logging
import Synchronization
import SystemPackage
import TutorSecrets
import TutorWire

#if canImport(Glibc)
import Glibc
#endif

/// Everything `tutord` is configured with, resolved as defaults < config.yaml < environment < flags.
///
/// Reading goes through swift-configuration: one `ConfigReader` over an in-memory provider for flags,
/// the environment (each key mapped to its documented variable), the YAML file and the defaults. An
/// access reporter records which provider answered each key, so `tutor config show` can say where
/// every value came from.
public struct DaemonConfiguration: Sendable {
    public var paths: TutorPaths
    /// Where each path came from (`flag`, `environment` or `default`).
    public var pathSources: [String: String]
    public var llm: LLMSettings
    public var logLevel: Logger.Level
    public var shutdownTimeout: Duration
    public var idleTimeout: Duration
    public var maxConnections: Int
    public var maxInFlightPerConnection: Int
    /// Where the scheduler's messages go.
    public var notifications = NotificationSettings()
    /// The resolved keys with their sources, secrets redacted, as `config.show` reports them.
    public var report: ConfigShowResult
    /// Whether test-only methods such as `debug.sleep` are served (`TUTOR_DEBUG_METHODS=1`).
    public var debugMethods = false
    /// Things worth a warning in the log (unknown keys, a world-readable file holding a secret).
    public var warnings: [String]

    /// The database file inside the data folder.
    public var databasePath: String { paths.dataDirectory + "/tutor.sqlite" }

    /// The endpoint settings; nil `baseURL` means the built-in offline model.
    public struct LLMSettings: Sendable, Equatable {
        public var baseURL: String?
        public var model: String?
        public var apiKey: String?
        public var contextWindow: Int?
        /// The most tokens a reply may take (`max_tokens`); nil leaves it to the window's reserve.
        public var maxOutputTokens: Int?
        public var embeddingModel: String?
        public var connectTimeout: Duration = .seconds(10)
        public var responseTimeout: Duration = .seconds(300)
        public var firstTokenTimeout: Duration = .seconds(600)
        public var stallTimeout: Duration = .seconds(30)
        public var maxAttempts = 3
        /// Sent with every request; a header of the same name replaces the default.
        public var extraHeaders: [String: String] = [:]
    }
}

/// One configuration key: its dotted name in config.yaml, the variables that set it, its default and kind.
struct ConfigKeyDefinition: Sendable {
    enum Kind: Sendable {
        case string
        case int(ClosedRange<Int>)
        case seconds(ClosedRange<Double>)
        case logLevel, url, bool, path, headers
    }
    var key: String
    var environment: [String]
    var defaultValue: String?
    var kind: Kind
    var secret: Bool = false
    var summary: String
}

extension DaemonConfiguration {
    /// Every key the daemon reads, in the order `config show` lists them.
    static let definitions: [ConfigKeyDefinition] = [
        .init(
            key: "llm.base_url", environment: ["TUTOR_LLM_BASE_URL"], defaultValue: nil, kind: .url,
            summary: "OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1; unset runs the offline model"),
        .init(
            key: "llm.model", environment: ["TUTOR_LLM_MODEL"], defaultValue: nil, kind: .string,
            summary: "model name the endpoint serves"),
        .init(
            key: "llm.api_key", environment: ["TUTOR_LLM_API_KEY", "OPENAI_API_KEY"], defaultValue: nil, kind: .string,
            secret: true, summary: "API key sent as a bearer token; never logged or shown"),
        .init(
            key: "llm.context_window", environment: ["TUTOR_LLM_CONTEXT_WINDOW"], defaultValue: nil,
            kind: .int(512...10_000_000), summary: "model context window in tokens; unset asks the endpoint, else 8192"),
        .init(
            key: "llm.max_output_tokens", environment: ["TUTOR_LLM_MAX_OUTPUT_TOKENS"], defaultValue: nil,
            kind: .int(16...1_000_000),
            summary: "most tokens a reply may take (max_tokens, half the window at most); unset: an eighth of the window, 256 to 2048"),
        .init(
            key: "llm.embedding_model", environment: ["TUTOR_EMBEDDING_MODEL"], defaultValue: nil, kind: .string,
            summary: "embedding model for note search; unset uses keyword search alone"),
        .init(
            key: "llm.connect_timeout", environment: ["TUTOR_LLM_CONNECT_TIMEOUT"], defaultValue: "10", kind: .seconds(0.1...600),
            summary: "seconds to establish a connection to the endpoint"),
        .init(
            key: "llm.response_timeout", environment: ["TUTOR_LLM_RESPONSE_TIMEOUT"], defaultValue: "300", kind: .seconds(0.1...3600),
            summary: "seconds from sending a request to the response head (Ollama sends it with the first token)"),
        .init(
            key: "llm.first_token_timeout", environment: ["TUTOR_LLM_FIRST_TOKEN_TIMEOUT"], defaultValue: "600",
            kind: .seconds(0.1...7200),
            summary: "seconds from the response head to the first token, while the server reads the prompt (heartbeats do not extend it)"),
        .init(
            key: "llm.stall_timeout", environment: ["TUTOR_LLM_STALL_TIMEOUT"], defaultValue: "30", kind: .seconds(0.1...3600),
            summary: "longest silence (SSE comments count as data) between chunks of an answer after its first token"),
        .init(
            key: "llm.max_attempts", environment: ["TUTOR_LLM_MAX_ATTEMPTS"], defaultValue: "3", kind: .int(1...10),
            summary: "attempts per request, first included; retries only before the first streamed byte"),
        .init(
            key: "llm.extra_headers", environment: ["TUTOR_LLM_EXTRA_HEADERS"], defaultValue: nil, kind: .headers,
            secret: true, summary: "extra request headers, \"Name: value; Other: value\" (e.g. for a proxy)"),
        .init(
            key: "notify.inbox", environment: ["TUTOR_NOTIFY_INBOX"], defaultValue: "true", kind: .bool,
            summary: "show the scheduler's messages in `tutor inbox` and when a chat starts"),
        .init(
            key: "notify.desktop", environment: ["TUTOR_NOTIFY_DESKTOP"], defaultValue: "true", kind: .bool,
            summary: "desktop notifications through notify-send, when installed"),
        .init(
            key: "notify.webhook_url", environment: ["TUTOR_NOTIFY_WEBHOOK_URL"], defaultValue: nil, kind: .url,
            summary: "POST each message as JSON here (ntfy, a chat app's incoming webhook); retried with backoff"),
        .init(
            key: "notify.plan_folder", environment: ["TUTOR_NOTIFY_PLAN_FOLDER"], defaultValue: nil, kind: .path,
            summary: "write each weekly plan here as plan-YYYY-Www.md and .ics"),
        .init(
            key: "log.level", environment: ["TUTOR_LOG_LEVEL"], defaultValue: "info", kind: .logLevel,
            summary: "trace, debug, info, notice, warning, error or critical"),
        .init(
            key: "daemon.shutdown_timeout", environment: ["TUTOR_SHUTDOWN_TIMEOUT"], defaultValue: "5",
            kind: .seconds(0.1...300), summary: "seconds in-flight requests get to finish on shutdown"),
        .init(
            key: "daemon.idle_timeout", environment: ["TUTOR_IDLE_TIMEOUT"], defaultValue: "600",
            kind: .seconds(1...86_400), summary: "seconds an idle connection stays open"),
        .init(
            key: "daemon.max_connections", environment: ["TUTOR_MAX_CONNECTIONS"], defaultValue: "32",
            kind: .int(1...10_000), summary: "connections served at once; more are refused"),
        .init(
            key: "daemon.max_in_flight", environment: ["TUTOR_MAX_IN_FLIGHT"], defaultValue: "8",
            kind: .int(1...1_000), summary: "requests one connection may have running at once"),
    ]

    /// Resolves the configuration.
    ///
    /// - Parameters:
    ///   - environment: the process environment (injected so tests control it).
    ///   - flags: values given on the command line, by dotted key (`socket`, `data_dir` and `config` set paths).
    /// - Throws: ``DaemonError`` naming the file, the key and the problem when the file or a value is invalid.
    public static func load(
        environment: [String: String],
        flags: [String: String] = [:]
    ) async throws(DaemonError) -> DaemonConfiguration {
        var warnings: [String] = []
        let resolved = resolvePaths(environment: environment, flags: flags)
        let paths = resolved.paths
        if let problem = TutorPaths.socketPathProblem(paths.socketPath) {
            throw DaemonError(.invalidConfiguration, problem)
        }

        // The file: missing is fine (unless named explicitly), unreadable, huge or malformed is not.
        let fileLoaded = access(paths.configFile, F_OK) == 0
        if !fileLoaded, let source = resolved.sources["config"], source != "default" {
            let named = source == "flag" ? "--config" : "TUTOR_CONFIG"
            throw DaemonError(
                .invalidConfiguration,
                "\(named) names the config file \(paths.configFile), which does not exist. Fix the path, or leave \(named) out to use "
                    + "the default file.")
        }
        if fileLoaded, let problem = configFileProblem(paths.configFile) {
            throw DaemonError(.invalidConfiguration, problem)
        }
        if fileLoaded && access(paths.configFile, R_OK) != 0 {
            throw DaemonError(
                .invalidConfiguration,
                "cannot read the config file \(paths.configFile): permission denied. Fix its permissions (chmod 600) or point TUTOR_CONFIG elsewhere."
            )
        }
        let fileProvider: any ConfigProvider
        if fileLoaded && isEmptyYAML(file: paths.configFile) {
            // A file of only comments is a valid, empty configuration.
            fileProvider = InMemoryProvider(name: "file", values: [:])
        } else {
            do {
                fileProvider = try await FileProvider<YAMLSnapshot>(
                    parsingOptions: .init(secretsSpecifier: .specific(["llm.api_key"])),
                    filePath: FilePath(paths.configFile),
                    allowMissing: true
                )
            } catch {
                throw DaemonError(
                    .invalidConfiguration,
                    "the config file \(paths.configFile) is not valid YAML (\(describeYAMLError(error))). Fix it, or move it aside to use the defaults."
                )
            }
        }
        if fileLoaded {
            warnings += unknownKeyWarnings(file: paths.configFile)
        }

        // Flags and defaults as in-memory providers; the environment mapped key by key.
        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        var defaultValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for definition in definitions {
            let key = AbsoluteConfigKey(definition.key.split(separator: ".").map(String.init))
            if let flag = flags[definition.key] {
                flagValues[key] = ConfigValue(.string(flag), isSecret: definition.secret)
            }
            if let value = definition.defaultValue {
                defaultValues[key] = ConfigValue(.string(value), isSecret: false)
            }
        }
        let environmentProvider = EnvironmentVariablesProvider(
            environmentVariables: environment,
            secretsSpecifier: .specific(["TUTOR_LLM_API_KEY", "OPENAI_API_KEY"])
        )
        var providers: [any ConfigProvider] = [InMemoryProvider(name: "flags", values: flagValues)]
        var sources = ["flag"]
        for depth in 0..<2 {
            providers.append(
                KeyMappingProvider(upstream: environmentProvider) { key in
                    let dotted = key.components.joined(separator: ".")
                    let names = definitions.first { $0.key == dotted }?.environment ?? []
                    let name = depth < names.count ? names[depth] : "TUTOR_UNMAPPED_\(depth)"
                    return AbsoluteConfigKey([name.lowercased()])
                })
            sources.append("environment")
        }
        providers.append(fileProvider)
        sources.append("file")
        providers.append(InMemoryProvider(name: "defaults", values: defaultValues))
        sources.append("default")

        let recorder = SourceRecorder()
        let reader = ConfigReader(providers: providers, accessReporter: recorder)
        var raw: [String: String] = [:]
        for definition in definitions {
            // Strings first: every kind is validated below with a message naming the key.
            if let value = reader.string(forKey: ConfigKey(definition.key), isSecret: definition.secret) {
                raw[definition.key] = value.trimmingCharacters(in: .whitespaces)
            }
            if let failure = recorder.failure(for: definition.key) {
                let origin = failure.source == "file" ? "in \(paths.configFile)" : "from the \(failure.source)"
                throw DaemonError(
                    .invalidConfiguration,
                    "the value of '\(definition.key)' \(origin) cannot be read as text (\(failure.message)). Write it as a plain value."
                )
            }
        }

        func source(of key: String) -> String {
            guard let index = recorder.providerIndex(for: key) else { return "unset" }
            return sources[index]
        }
        func origin(of key: String) -> String {
            switch source(of: key) {
            case "file": "in \(paths.configFile)"
            case "environment": "from the environment"
            case "flag": "from the command line"
            default: "by default"
            }
        }
        func invalid(_ definition: ConfigKeyDefinition, _ value: String, _ rule: String) -> DaemonError {
            let name = definition.environment.first ?? definition.key
            return DaemonError(
                .invalidConfiguration,
                "'\(definition.key)' \(origin(of: definition.key)) is \"\(value)\"; \(rule) (\(name))."
            )
        }
        func validated(_ definition: ConfigKeyDefinition) throws(DaemonError) -> String? {
            guard let value = raw[definition.key], !value.isEmpty else { return nil }
            let name = definition.environment.first ?? definition.key
            switch definition.kind {
            case .string:
                return value
            case .url:
                guard let url = URL(string: value), let scheme = url.scheme, ["http", "https"].contains(scheme.lowercased()),
                    url.host != nil
                else {
                    throw DaemonError(
                        .invalidConfiguration,
                        "'\(definition.key)' \(origin(of: definition.key)) is \"\(value)\", which is not an http(s) URL. Use a base URL such as http://127.0.0.1:11434/v1 (\(name))."
                    )
                }
                return value
            case .int(let range):
                guard let number = Int(value), range.contains(number) else {
                    throw invalid(definition, value, "it must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                }
                return value
            case .seconds(let range):
                guard let number = Double(value), range.contains(number) else {
                    throw invalid(definition, value, "it must be a number of seconds from \(range.lowerBound) to \(range.upperBound)")
                }
                return value
            case .bool:
                switch value.lowercased() {
                case "true", "yes", "on", "1": return "true"
                case "false", "no", "off", "0": return "false"
                default: throw invalid(definition, value, "use true or false")
                }
            case .headers:
                guard Self.parseHeaders(value) != nil else {
                    throw invalid(definition, value, "write headers as \"Name: value; Other-Name: value\"")
                }
                return value
            case .path:
                var path = value
                if path == "~" || path.hasPrefix("~/"), let home = environment["HOME"] { path = home + path.dropFirst() }
                guard path.hasPrefix("/") else {
                    throw invalid(definition, value, "it must be an absolute path such as ~/Documents/study-plans")
                }
                return path
            case .logLevel:
                guard Logger.Level(rawValue: value.lowercased()) != nil else {
                    throw invalid(definition, value, "use one of trace, debug, info, notice, warning, error, critical")
                }
                return value.lowercased()
            }
        }

        var values: [String: String] = [:]
        for definition in definitions {
            values[definition.key] = try validated(definition)
        }

        if source(of: "llm.api_key") == "file", fileIsReadableByOthers(paths.configFile) {
            warnings.append(
                "\(paths.configFile) holds llm.api_key but other users can read it; run `chmod 600 \(paths.configFile)` or move the key to TUTOR_LLM_API_KEY."
            )
        }

        var entries = definitions.map { definition in
            let value = values[definition.key]
            return ConfigShowResult.Entry(
                key: definition.key,
                value: shown(value, of: definition),
                source: value == nil ? "unset" : source(of: definition.key),
                environment: definition.environment.joined(separator: ", "),
                secret: definition.secret,
                summary: definition.summary
            )
        }
        entries.insert(
            contentsOf: [
                .init(
                    key: "paths.config", value: paths.configFile, source: resolved.sources["config"] ?? "default",
                    environment: "TUTOR_CONFIG", secret: false, summary: "this configuration file"),
                .init(
                    key: "paths.data_dir", value: paths.dataDirectory, source: resolved.sources["data_dir"] ?? "default",
                    environment: "TUTOR_DATA_DIR", secret: false, summary: "database and daemon files (0700)"),
                .init(
                    key: "paths.socket", value: paths.socketPath, source: resolved.sources["socket"] ?? "default",
                    environment: "TUTOR_SOCKET", secret: false, summary: "Unix socket the CLI talks to (0600)"),
            ], at: 0)

        var configuration = DaemonConfiguration(
            paths: paths,
            pathSources: resolved.sources,
            llm: LLMSettings(
                baseURL: values["llm.base_url"],
                model: values["llm.model"],
                apiKey: values["llm.api_key"],
                contextWindow: values["llm.context_window"].flatMap { Int($0) },
                maxOutputTokens: values["llm.max_output_tokens"].flatMap { Int($0) },
                embeddingModel: values["llm.embedding_model"],
                connectTimeout: .seconds(Double(values["llm.connect_timeout"] ?? "10") ?? 10),
                responseTimeout: .seconds(Double(values["llm.response_timeout"] ?? "300") ?? 300),
                firstTokenTimeout: .seconds(Double(values["llm.first_token_timeout"] ?? "600") ?? 600),
                stallTimeout: .seconds(Double(values["llm.stall_timeout"] ?? "30") ?? 30),
                maxAttempts: Int(values["llm.max_attempts"] ?? "3") ?? 3,
                extraHeaders: values["llm.extra_headers"].flatMap(Self.parseHeaders) ?? [:]
            ),
            logLevel: Logger.Level(rawValue: values["log.level"] ?? "info") ?? .info,
            shutdownTimeout: .seconds(Double(values["daemon.shutdown_timeout"] ?? "5") ?? 5),
            idleTimeout: .seconds(Double(values["daemon.idle_timeout"] ?? "600") ?? 600),
            maxConnections: Int(values["daemon.max_connections"] ?? "32") ?? 32,
            maxInFlightPerConnection: Int(values["daemon.max_in_flight"] ?? "8") ?? 8,
            report: ConfigShowResult(configFile: paths.configFile, configFileLoaded: fileLoaded, entries: entries),
            warnings: warnings
        )
        configuration.debugMethods = environment["TUTOR_DEBUG_METHODS"] == "1"
        configuration.notifications = NotificationSettings(
            inbox: values["notify.inbox"] != "false", desktop: values["notify.desktop"] != "false",
            webhookURL: values["notify.webhook_url"], planFolder: values["notify.plan_folder"])
        return configuration
    }

    /// `Name: value; Other: value` as a dictionary; nil when a part has no name or colon.
    static func parseHeaders(_ text: String) -> [String: String]? {
        var headers: [String: String] = [:]
        for part in text.split(separator: ";") where !part.allSatisfy(\.isWhitespace) {
            guard let colon = part.firstIndex(of: ":") else { return nil }
            let name = part[..<colon].trimmingCharacters(in: .whitespaces)
            let value = part[part.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
            headers[name] = value
        }
        return headers
    }

    /// The paths, from flags over the environment over XDG defaults, with where each came from.
    static func resolvePaths(
        environment: [String: String],
        flags: [String: String]
    ) -> (paths: TutorPaths, sources: [String: String]) {
        var environment = environment
        var sources: [String: String] = [:]
        for (flag, variable) in [("config", "TUTOR_CONFIG"), ("data_dir", "TUTOR_DATA_DIR"), ("socket", "TUTOR_SOCKET")] {
            if let value = flags[flag], !value.isEmpty {
                environment[variable] = value
                sources[flag] = "flag"
            } else if let value = environment[variable], !value.isEmpty {
                sources[flag] = "environment"
            } else {
                sources[flag] = "default"
            }
        }
        return (TutorPaths.resolve(environment: environment), sources)
    }

    /// A value as `config show` prints it: a secret as `<redacted>`, a URL without its
    /// credentials, query or path tokens (a webhook's password or Slack token).
    static func shown(_ value: String?, of definition: ConfigKeyDefinition) -> String? {
        guard let value else { return nil }
        if definition.secret { return "<redacted>" }
        if case .url = definition.kind { return RedactedURL.shown(value) }
        return value
    }

    private static func fileIsReadableByOthers(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return info.st_mode & 0o044 != 0
    }

    private static func describeYAMLError(_ error: any Error) -> String {
        let text = "\(error)"
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}

/// Remembers, for each key read, which provider answered it and any error a provider raised.
private final class SourceRecorder: AccessReporter, Sendable {
    private let state = Mutex<[String: (index: Int?, error: (source: String, message: String)?)]>([:])

    func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.joined(separator: ".")
        var index: Int?
        var failure: (String, String)?
        for (position, provider) in event.providerResults.enumerated() {
            switch provider.result {
            case .success(let lookup) where lookup.value != nil:
                if index == nil { index = position }
            case .failure(let error):
                if failure == nil { failure = (position >= 3 ? "file" : "environment", "\(error)") }
            default: break
            }
        }
        if let conversion = event.conversionError, failure == nil {
            failure = (index.map { $0 >= 3 ? "file" : "environment" } ?? "file", "\(conversion)")
        }
        state.withLock { $0[key] = (index, failure.map { (source: $0.0, message: $0.1) }) }
    }

    func providerIndex(for key: String) -> Int? { state.withLock { $0[key]?.index ?? nil } }
    func failure(for key: String) -> (source: String, message: String)? { state.withLock { $0[key]?.error ?? nil } }
}
