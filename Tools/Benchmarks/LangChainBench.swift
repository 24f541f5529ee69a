import ArgumentParser
import Foundation
import TutorTesting

/// A LangChain `create_agent` loop (`langchain_agent.py`) on the same fake endpoint and the same
/// two replies as `tutor-bench agent`'s tool-calling turn, measured the same way: each turn's wall
/// time (taken inside the Python process) less the endpoint's own time on its two requests.
struct LangChainBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "langchain",
        abstract: "LangChain's agent loop on the agent benchmark's fake endpoint (needs a Python with langchain).")

    @Option(help: "The Python that has langchain and langchain-openai (Tools/run-benchmarks.sh makes one).")
    var python = ".build/bench-venv/bin/python"

    @Option(help: "Measured turns (after 20 warm-up turns).")
    var turns = 200

    func run() async throws {
        print(try await Self.measure(python: python, turns: turns).row)
    }

    static func measure(python: String, turns: Int = 200) async throws -> Measurement {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("langchain_agent.py").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestingError("no Python at \(python): run Tools/run-benchmarks.sh, which installs langchain into .build/bench-venv")
        }
        let server = try await FakeOpenAIServer.start()
        defer { Task { try? await server.shutdown() } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, server.baseURL]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var reader = LineReader(handle: output.fileHandleForReading)
        var overheads: [Duration] = []
        for index in 0..<(turns + 20) {
            server.enqueue(
                .stream([.toolCall(index: 0, id: "call_\(index)", name: "forecast", arguments: "{}"), .finish("tool_calls")]),
                .stream([.text("Here is your forecast."), .finish("stop")]))
            let served = server.chatServiceTime
            input.fileHandleForWriting.write(Data("\n".utf8))
            guard let line = reader.next(), let seconds = Double(line) else {
                throw TestingError("the LangChain agent stopped after \(index) turns (is langchain installed for \(python)?)")
            }
            if index >= 20 { overheads.append(.nanoseconds(Int64(seconds * 1e9)) - (server.chatServiceTime - served)) }
        }
        try input.fileHandleForWriting.close()
        let sorted = overheads.sorted()
        return Measurement(
            name:
                "LangChain create_agent (langchain 1.5, langchain-openai, streaming) on the same fake endpoint and replies: turn wall time less the endpoint's own time (\(turns) turns)",
            figures: [("p50", micros(percentile(sorted, 0.5))), ("p99", micros(percentile(sorted, 0.99)))],
            target: "tutord's turn ≥ 5× below")
    }
}

/// Reads lines from a pipe, one at a time, blocking.
struct LineReader {
    let handle: FileHandle
    var buffer = Data()

    init(handle: FileHandle) { self.handle = handle }

    mutating func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }
}
