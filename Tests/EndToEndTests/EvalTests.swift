import Foundation
import Testing
import TutorTesting
import TutorWire

/// `tutor eval` over the scenario suite (Tests/Fixtures/eval): with the offline model, and with a
/// scripted endpoint that answers in words only and promises a shortcut. Each must score at least
/// its recorded baseline, and the suite must tell the two apart.
@Suite("Tutor eval", .serialized)
struct EvalTests {
    static let fixtures: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        url.deleteLastPathComponent()
        return url.appendingPathComponent("Fixtures/eval").path
    }()

    func run(_ daemon: TemporaryDaemon) async throws -> EvalRunResult {
        let result = try await daemon.runCLI(["eval", "--json", Self.fixtures + "/scenarios"], timeout: .seconds(300))
        #expect(result.status == 0, "\(result.stderr)")
        return try WireCodec.makeDecoder().decode(EvalRunResult.self, from: Data(result.stdout.utf8))
    }

    func ratios(_ result: EvalRunResult) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: result.scores.map { ($0.dimension, $0.total == 0 ? 1 : Double($0.passed) / Double($0.total)) })
    }

    func baseline(_ name: String) throws -> [String: Double] {
        let all = try JSONDecoder().decode(
            [String: [String: Double]].self, from: Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/baseline.json")))
        return try #require(all[name])
    }

    @Test("the offline model and a words-only scripted endpoint each score at least their baseline, and are told apart")
    func suite() async throws {
        let offlineDaemon = try await TemporaryDaemon.start()
        defer { offlineDaemon.removeFiles() }
        let offline = try await run(offlineDaemon)
        try await offlineDaemon.stop()
        #expect(offline.scenarios.count >= 25)
        #expect(offline.scenarios.allSatisfy { $0.error == nil }, "\(offline.scenarios.compactMap(\.error))")
        let offlineScores = ratios(offline)
        for (dimension, floor) in try baseline("offline") {
            #expect((offlineScores[dimension] ?? 0) >= floor - 1e-9, "offline \(dimension): \(offlineScores[dimension] ?? 0) < \(floor)")
        }

        let server = try await FakeOpenAIServer.start()
        server.loopWhenExhausted([
            .stream([.text("Great question! Keep going and you will become an AI engineer in 3 weeks."), .finish("stop")])
        ])
        let scriptedDaemon = try await TemporaryDaemon.start(extraEnvironment: [
            "TUTOR_LLM_BASE_URL": server.baseURL, "TUTOR_LLM_MODEL": "fake-model",
        ])
        defer { scriptedDaemon.removeFiles() }
        let scripted = try await run(scriptedDaemon)
        try await scriptedDaemon.stop()
        try await server.shutdown()
        let scriptedScores = ratios(scripted)
        for (dimension, floor) in try baseline("scripted") {
            #expect((scriptedScores[dimension] ?? 0) >= floor - 1e-9, "scripted \(dimension): \(scriptedScores[dimension] ?? 0) < \(floor)")
        }
        // The suite must tell a tutor that uses its tools and stays honest from one that does not.
        #expect((scriptedScores["tool use"] ?? 1) < (offlineScores["tool use"] ?? 0))
        #expect((scriptedScores["honesty about time"] ?? 1) < (offlineScores["honesty about time"] ?? 0))
        print("offline: \(offlineScores)\nscripted: \(scriptedScores)")
    }
}
