import ArgumentParser
import TutorClient
import TutorWire

/// `tutor status`: is the daemon up, where are its files, which model does it use.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the daemon's state.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let status = try await global.call(StatusMethod.self, NoParams())
        if global.json { return try printJSON(status) }
        let model =
            status.endpoint == nil
            ? "offline (built-in model; set TUTOR_LLM_BASE_URL to use an endpoint)"
            : "\(status.model) at \(status.endpoint ?? "?")"
        let notes = try await global.call(NotesStatusMethod.self, NoParams())
        let search =
            notes.mode == "hybrid"
            ? "hybrid: BM25 and embeddings from \(notes.embeddingModel ?? "?") (\(notes.embeddedChunks) of \(notes.noteChunks + notes.catalogueChunks) passages embedded)"
            : "keyword (BM25) only; set TUTOR_EMBEDDING_MODEL to add embeddings"
        printTable([
            (
                "tutord",
                "\(status.version) (protocol \(status.protocolVersion)), pid \(status.pid), up \(formatDuration(status.uptimeSeconds))"
            ),
            ("socket", status.socketPath),
            ("data", status.dataDirectory),
            ("database", "\(status.databasePath) (schema \(status.schemaVersion): \(status.schemaMigration))"),
            ("model", model),
            ("goals", "\(status.counts.goals)"),
            ("tasks", "\(status.counts.tasks)"),
            ("notes", "\(notes.noteDocuments) files, \(notes.noteChunks) passages; \(notes.folders.count) folder(s) registered"),
            ("search", search),
        ])
    }
}

/// `tutor stop`: ask the daemon to finish what it is doing and exit.
struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the daemon gracefully.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let socket = global.paths.socketPath
        guard await DaemonLauncher.isReachable(socketPath: socket) else {
            if global.json { return try printJSON(["stopped": false, "running": false]) }
            print("tutord is not running (nothing answers at \(socket)).")
            return
        }
        let result = try await global.call(ShutdownMethod.self, NoParams(), autostart: false)
        // Wait (bounded) until the process is gone, so scripts can rely on the daemon having exited.
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, DaemonLauncher.isAlive(pid: result.pid) {
            try await Task.sleep(for: .milliseconds(20))
        }
        if DaemonLauncher.isAlive(pid: result.pid) {
            throw ClientError(.daemon, "tutord (pid \(result.pid)) accepted the stop request but is still running after 10 s; see its log")
        }
        if global.json { return try printJSON(result) }
        print("tutord (pid \(result.pid)) stopped.")
    }
}

func printTable(_ rows: [(String, String)]) {
    let width = rows.map(\.0.count).max() ?? 0
    for (key, value) in rows {
        print(key.padded(to: width) + "  " + value)
    }
}

func formatDuration(_ seconds: Double) -> String {
    let total = Int(seconds)
    if total < 60 { return "\(total)s" }
    if total < 3600 { return "\(total / 60)m \(total % 60)s" }
    if total < 86_400 { return "\(total / 3600)h \(total % 3600 / 60)m" }
    return "\(total / 86_400)d \(total % 86_400 / 3600)h"
}
