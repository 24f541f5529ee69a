import ArgumentParser
import Logging
import TutorDaemon

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `tutord`: parse flags, bootstrap logging, run the daemon.
@main
struct Tutord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tutord",
        abstract: "The Tutor daemon: keeps your study plan and serves `tutor` over a Unix socket.",
        discussion: "Configuration: defaults < config.yaml < environment < flags. `tutor config show` lists every key."
    )

    @Option(help: "Unix socket to serve (default: $TUTOR_SOCKET, else $XDG_RUNTIME_DIR/tutor/tutord.sock).")
    var socket: String?

    @Option(help: "Data folder (default: $TUTOR_DATA_DIR, else $XDG_DATA_HOME/tutor).")
    var dataDir: String?

    @Option(help: "Config file (default: $TUTOR_CONFIG, else $XDG_CONFIG_HOME/tutor/config.yaml).")
    var config: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Option(name: .customLong("set"), help: "Set a config key, e.g. --set llm.model=llama3.1 (repeatable).")
    var settings: [String] = []

    mutating func run() async throws {
        var flags: [String: String] = [:]
        if let socket { flags["socket"] = socket }
        if let dataDir { flags["data_dir"] = dataDir }
        if let config { flags["config"] = config }
        if let logLevel { flags["log.level"] = logLevel }
        for setting in settings {
            guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
                throw ValidationError("--set takes KEY=VALUE, e.g. --set llm.model=llama3.1; got \"\(setting)\".")
            }
            flags[String(setting[..<equals])] = String(setting[setting.index(after: equals)...])
        }

        let configuration: DaemonConfiguration
        do {
            configuration = try await DaemonConfiguration.load(environment: ProcessInfo.processInfo.environment, flags: flags)
        } catch {
            writeStandardError("tutord: \(error)")
            throw ExitCode(78)  // EX_CONFIG
        }
        ReloadableLogHandler.level = configuration.logLevel
        LoggingSystem.bootstrap { label in ReloadableLogHandler(label: label) }
        let logger = Logger(label: "tutord")
        for warning in configuration.warnings { logger.warning("\(warning)") }
        do {
            // SIGHUP reads the same sources again: the file, the environment and these flags.
            let frozenFlags = flags
            try await Daemon.run(configuration: configuration, logger: logger, scenarios: Evaluations()) {
                try await DaemonConfiguration.load(environment: ProcessInfo.processInfo.environment, flags: frozenFlags)
            }
        } catch let error as DaemonError {
            writeStandardError("tutord: \(error.message)")
            throw ExitCode(error.code == .alreadyRunning ? 75 : 1)
        }
    }
}

/// Writes a line to standard error (before logging is set up, and for start-up failures).
func writeStandardError(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
