import ArgumentParser
import TutorWire

/// `tutor config`: what the daemon is configured with.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect the daemon's configuration.",
        subcommands: [Show.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print every key's effective value and where it came from (secrets redacted)."
        )

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let report = try await global.call(ConfigShowMethod.self, NoParams())
            if global.json { return try printJSON(report) }
            print("config file: \(report.configFile)\(report.configFileLoaded ? "" : " (not present; defaults apply)")")
            let keyWidth = report.entries.map(\.key.count).max() ?? 0
            let valueWidth = min(report.entries.map { ($0.value ?? "-").count }.max() ?? 0, 48)
            for entry in report.entries {
                let key = entry.key.padded(to: keyWidth)
                let value = (entry.value ?? "-").padded(to: valueWidth)
                print("\(key)  \(value)  [\(entry.source)]  \(entry.environment)")
            }
        }
    }
}
