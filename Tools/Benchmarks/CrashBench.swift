import ArgumentParser
import Foundation
import TutorTesting

/// `tutor-bench crash`: many SIGKILL rounds during concurrent writes (see ``CrashHarness``).
struct CrashBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "crash")
    @Option(help: "Rounds: each starts tutord, writes, kills it at a random moment and checks the store.") var rounds = 50
    @Option(help: "The latest kill, in milliseconds after the writers start.") var maxDelay = 500

    func run() async throws {
        print(try await Self.measure(rounds: rounds, maxDelay: maxDelay).row)
    }

    static func measure(rounds: Int = 50, maxDelay: Int = 500) async throws -> Measurement {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_LOG_LEVEL": "warning", "TUTOR_NOTIFY_DESKTOP": "false"])
        defer { daemon.removeFiles() }
        try await CrashHarness.prepare(daemon)
        var failed = 0
        var total: [String: Int] = [:]
        for number in 0..<rounds {
            let delay = Int.random(in: 20...max(20, maxDelay))
            let round = try await CrashHarness.round(daemon, number: number, killAfter: .milliseconds(delay))
            if !round.problems.isEmpty { failed += 1 }
            for (kind, count) in round.acknowledged { total[kind, default: 0] += count }
            FileHandle.standardError.write(Data("round \(number + 1): \(round)\n".utf8))
        }
        try await daemon.stop()
        let writes = total.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return Measurement(
            name:
                "SIGKILL during concurrent writes (study logs, tasks, plans, chat turns, ingests), \(rounds) rounds, kill 20–\(maxDelay) ms in",
            figures: [("rounds with a lost or inconsistent write", "\(failed)"), ("acknowledged writes checked", writes)],
            target: "0")
    }
}
