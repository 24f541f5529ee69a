import ArgumentParser
import TutorClient
import TutorWire

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Flag(help: "Print one JSON document (one JSON object per line for streams) and nothing else on stdout.")
    var json = false

    @Option(help: "The daemon's socket (default: $TUTOR_SOCKET, else $XDG_RUNTIME_DIR/tutor/tutord.sock).")
    var socket: String?

    @Flag(help: "Do not start tutord when no daemon answers.")
    var noAutostart = false

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var paths: TutorPaths {
        var environment = self.environment
        if let socket { environment["TUTOR_SOCKET"] = socket }
        return TutorPaths.resolve(environment: environment)
    }

    /// Runs `body` on one connection to the daemon: connects once, and when nothing answers starts
    /// `tutord` (unless `--no-autostart` or `autostart` is false) and connects again.
    func withConnection<T>(autostart: Bool = true, _ body: (TutorConnection) async throws -> T) async throws -> T {
        let socketPath = paths.socketPath
        if let problem = TutorPaths.socketPathProblem(socketPath) { throw ClientError(.usage, problem) }
        var connected = false
        do {
            return try await TutorConnection.with(socketPath: socketPath) { connection in
                connected = true
                return try await body(connection)
            }
        } catch let error as ClientError where error.code == .unreachable && !connected {
            try await startDaemon(autostart: autostart)
            return try await TutorConnection.with(socketPath: socketPath, body)
        }
    }

    /// Starts `tutord` in the background after a connection found no daemon, and waits for its socket.
    func startDaemon(autostart: Bool) async throws {
        let paths = self.paths
        guard autostart, !noAutostart else {
            throw ClientError(
                .unreachable,
                "no tutord answers at \(paths.socketPath). Start it with `tutord` (or run tutor without --no-autostart)."
            )
        }
        guard let executable = DaemonLauncher.locateDaemon(environment: environment) else {
            throw ClientError(
                .unreachable,
                "no tutord answers at \(paths.socketPath), and no tutord executable was found beside tutor or on PATH. Build it with `swift build` or put it on PATH."
            )
        }
        var arguments: [String] = []
        if let socket { arguments += ["--socket", socket] }
        _ = try await DaemonLauncher.start(
            executable: executable,
            arguments: arguments,
            socketPath: paths.socketPath,
            logPath: paths.dataDirectory + "/tutord.log"
        )
        if !json { writeError("(started tutord in the background; its log is \(paths.dataDirectory)/tutord.log)") }
    }

    /// Calls one method on the daemon over a connection of its own, starting the daemon when needed.
    /// Commands that make several calls use ``withConnection(autostart:_:)`` instead.
    func call<M: RPCMethod>(
        _ method: M.Type,
        _ params: M.Params,
        autostart: Bool = true,
        onNotification: (String, Data) async throws -> Void = { _, _ in }
    ) async throws -> M.Result {
        try await withConnection(autostart: autostart) { connection in
            try await connection.call(method, params, onNotification: onNotification)
        }
    }
}

/// Writes a line to standard error.
func writeError(_ text: String) {
    fflush(nil)  // what `print` buffered goes first, when both streams go to one file
    var line = TerminalText.sanitized(text) + "\n"
    line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

/// Writes text to standard output without a newline, flushed at once (for streamed replies).
func writeOut(_ text: String) {
    fflush(nil)  // what `print` buffered goes first
    var text = TerminalText.sanitized(text)
    text.withUTF8 { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
}

extension String {
    /// The string padded with spaces to `width` characters (never truncated).
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// Prints `value` as one pretty JSON document.
func printJSON(_ value: some Encodable) throws {
    let encoder = WireCodec.makeEncoder(pretty: true)
    Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
