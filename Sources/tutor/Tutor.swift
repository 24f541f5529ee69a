import ArgumentParser
import TutorClient

#if canImport(Glibc)
import Glibc
#endif

/// `tutor`: the command-line face of Tutor. It parses, calls `tutord`, and renders; nothing more.
@main
struct Tutor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tutor",
        abstract: "Your study coach on the long road to becoming an AI engineer.",
        discussion: """
            tutor talks to the tutord daemon over a Unix socket and starts it when needed.
            Exit codes: 0 success, 1 error reported by the daemon, 2 usage error, 3 daemon unreachable
            (or its socket not safely yours).
            Shell completions: tutor --generate-completion-script bash|zsh|fish
            """,
        version: "0.1.0",
        subcommands: [
            ChatCommand.self, AssessCommand.self, EvalCommand.self, StatusCommand.self, ProfileCommand.self, GoalCommand.self,
            TasksCommand.self,
            TaskCommand.self,
            LogCommand.self, PlanCommand.self, ProgressCommand.self, ForecastCommand.self, RoadmapCommand.self, ReportCommand.self,
            CatalogueCommand.self, ChecklistCommand.self, IngestCommand.self,
            SearchCommand.self, ReviewCommand.self, JobsCommand.self, InboxCommand.self,
            ExportCommand.self, ImportCommand.self, ConfigCommand.self, StopCommand.self, ServiceCommand.self, MCPCommand.self,
        ],
        defaultSubcommand: nil
    )

    /// Parses and runs, mapping failures to the documented exit codes (2 for usage, not 64).
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            writeError(fullMessage(for: error))
            Glibc.exit(2)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
            Glibc.exit(0)
        } catch let error as ClientError {
            writeError("tutor: \(error.message)")
            Glibc.exit(error.exitCode)
        } catch let error as ExitCode {
            Glibc.exit(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            writeError(fullMessage(for: error))
            Glibc.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
