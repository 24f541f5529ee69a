import ArgumentParser
import Foundation
import TutorTesting

/// `tutor mcp` as an MCP client starts it: spawn, `initialize`, `tools/list`, one read call
/// (`progress_summary`), each waiting for its answer, against a daemon that is already up.
struct MCPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mcp-roundtrip")
    @Option var runs = 30

    func run() async throws { print(try await Self.measure(runs: runs).row) }

    static func measure(runs: Int) async throws -> Measurement {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_LOG_LEVEL": "warning"])
        defer { daemon.removeFiles() }
        _ = try once(daemon)  // warm the daemon's caches and the file system
        var samples: [Duration] = []
        for _ in 0..<runs { samples.append(try once(daemon)) }
        try await daemon.stop()
        let sorted = samples.sorted()
        return Measurement(
            name: "`tutor mcp` spawn + initialize + tools/list + progress_summary call, daemon up (\(runs) runs)",
            figures: [("p50", millis(percentile(sorted, 0.5))), ("max", millis(sorted.last ?? .zero))],
            target: "≤ 50 ms"
        )
    }

    /// One session: the time from spawning `tutor mcp` to the read call's answer.
    static func once(_ daemon: TemporaryDaemon) throws -> Duration {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TemporaryDaemon.binaryFolder + "/tutor")
        process.arguments = ["mcp"]
        process.environment = daemon.environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        var reader = LineReader(handle: output.fileHandleForReading)
        let clock = ContinuousClock()
        let started = clock.now
        try process.run()
        let steps = [
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"0"}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"# + "\n"
                + #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"progress_summary","arguments":{}}}"#,
        ]
        for step in steps {
            input.fileHandleForWriting.write(Data((step + "\n").utf8))
            guard let line = reader.next(), line.contains("\"result\"") else { throw TestingError("tutor mcp failed at: \(step)") }
        }
        let elapsed = clock.now - started
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return elapsed
    }
}
