import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TutorTesting

/// AsyncHTTPClient alone, in a process of its own: the floor under the HTTP part of a chat turn.
/// `tutor-bench agent` starts it against its fake endpoint with the daemon's own request bodies.
struct HTTPReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http-replay",
        abstract: "Sends the given chat bodies in sequence, round after round; prints each round's time in ns (used by `agent`).")
    @Option var url: String
    @Option(help: "A JSON file holding an array of request bodies, sent in order each round.") var bodies: String
    @Option var rounds = 220

    func run() async throws {
        let texts = try JSONDecoder().decode([String].self, from: Data(contentsOf: URL(fileURLWithPath: bodies)))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let clock = ContinuousClock()
        var times: [Duration] = []
        do {
            for _ in 0..<rounds {
                let started = clock.now
                for text in texts {
                    var request = HTTPClientRequest(url: url)
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.headers.add(name: "Accept", value: "text/event-stream")
                    request.body = .bytes(ByteBuffer(string: text))
                    let response = try await client.execute(request, timeout: .seconds(30))
                    guard response.status == .ok else { throw TestingError("the endpoint answered \(response.status)") }
                    for try await _ in response.body {}
                }
                times.append(clock.now - started)
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        print(times.map { "\($0.components.seconds * 1_000_000_000 + $0.components.attoseconds / 1_000_000_000)" }.joined(separator: "\n"))
    }

    /// Runs `rounds` replays of `bodies` in a child process; returns each round's time less the
    /// endpoint's own time on its requests.
    static func measure(server: FakeOpenAIServer, bodies: [String], rounds: Int) async throws -> [Duration] {
        let file = NSTemporaryDirectory() + "tutor-bench-bodies-\(getpid()).json"
        try JSONEncoder().encode(bodies).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        // One round more than measured: the endpoint records a request just after its last byte is
        // out, and the child may exit before the last round's records are in.
        for _ in 0...rounds {
            server.enqueue(
                .stream([.toolCall(index: 0, id: "call_replay", name: "forecast", arguments: "{}"), .finish("tool_calls")]),
                .stream([.text("Here is your forecast."), .finish("stop")]))
        }
        let before = server.chatServiceTimes.count
        let result = try await TemporaryDaemon.run(
            executable: TemporaryDaemon.binaryFolder + "/tutor-bench",
            arguments: ["http-replay", "--url", server.baseURL + "/chat/completions", "--bodies", file, "--rounds", "\(rounds + 1)"],
            environment: ProcessInfo.processInfo.environment, timeout: .seconds(300))
        guard result.status == 0 else { throw TestingError("http-replay failed: \(result.stderr)") }
        let times = result.stdout.split(separator: "\n").compactMap { Int64($0) }.map { Duration.nanoseconds($0) }.prefix(rounds)
        let served = Array(server.chatServiceTimes.dropFirst(before).prefix(rounds * bodies.count))
        guard times.count == rounds, served.count == rounds * bodies.count else {
            throw TestingError("http-replay: \(times.count) rounds timed and \(served.count) requests served, expected \(rounds)")
        }
        return Array(times).enumerated().map { round, time in
            time - served[(round * bodies.count)..<((round + 1) * bodies.count)].reduce(.zero, +)
        }
    }
}
