import Foundation
import Testing
import TutorTesting
import TutorToolAdapters
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

    @Test("a scripted endpoint that tutors well, calling the tutoring tools, passes every check of the hint-ladder scenario")
    func goodScriptedTutor() async throws {
        func call(_ id: String, _ name: String, _ arguments: String) -> FakeReply {
            .stream([.toolCall(index: 0, id: id, name: name, arguments: arguments), .finish("tool_calls")])
        }
        func say(_ text: String) -> FakeReply { .stream([.text(text), .finish("stop")]) }
        let server = try await FakeOpenAIServer.start()
        server.enqueue([
            call("1", ToolName.askQuestion.rawValue, "{}"),
            say("[RAG basics] What are the three steps of RAG? Answer in your own words, or ask for a hint."),
            call("2", ToolName.giveHint.rawValue, "{}"),
            say("Hint 1 of 3: think about where the model's evidence comes from. What has to happen before it writes?"),
            call("3", ToolName.giveHint.rawValue, "{}"),
            say("Hint 2 of 3: the answer's shape is R... r... c..., a... it to the p..., g... the a.... Want to try?"),
            call("4", ToolName.checkAnswer.rawValue, #"{"reveal": true}"#),
            say("The answer: Retrieve relevant content, add it to the prompt, generate the answer. Shall I record it as again?"),
            call("5", ToolName.recordReview.rawValue, #"{"card_id": "rag-basics#0", "rating": 1}"#),
            say("Recorded as again: it comes back in a few minutes."),
        ])
        let daemon = try await TemporaryDaemon.start(extraEnvironment: [
            "TUTOR_LLM_BASE_URL": server.baseURL, "TUTOR_LLM_MODEL": "fake-model",
        ])
        defer { daemon.removeFiles() }
        let result = try await daemon.runCLI(["eval", "--json", Self.fixtures + "/scenarios/hint-ladder.yaml"], timeout: .seconds(120))
        try await daemon.stop()
        try await server.shutdown()
        #expect(result.status == 0, "\(result.stderr)")
        let run = try WireCodec.makeDecoder().decode(EvalRunResult.self, from: Data(result.stdout.utf8))
        #expect(run.scenarios.count == 1 && run.scenarios[0].error == nil)
        for score in run.scores { #expect(score.passed == score.total, "\(score.dimension): \(score.passed)/\(score.total)") }
        // The tools really ran: the card was graded through the model's call.
        let requests = server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }
        #expect(requests.count == 10)
    }

    @Test("a scenario stopped by an endpoint error fails every check it covers, under its name; an unreadable one fails too; eval exits 1")
    func erroredScenariosCountAsFailed() async throws {
        let server = try await FakeOpenAIServer.start()
        server.loopWhenExhausted([
            .json(
                status: 400, body: #"{"error":{"message":"the request exceeds the available context size","type":"invalid_request_error"}}"#
            )
        ])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-eval-broken-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let broken = folder + "/broken.yaml"
        try "name: broken\nturns: [not a turn\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let daemon = try await TemporaryDaemon.start(extraEnvironment: [
            "TUTOR_LLM_BASE_URL": server.baseURL, "TUTOR_LLM_MODEL": "fake-model", "TUTOR_LLM_MAX_ATTEMPTS": "1",
        ])
        defer { daemon.removeFiles() }
        let result = try await daemon.runCLI(
            ["eval", "--json", Self.fixtures + "/scenarios/hint-ladder.yaml", broken], timeout: .seconds(120))
        let text = try await daemon.runCLI(["eval", Self.fixtures + "/scenarios/hint-ladder.yaml"], timeout: .seconds(120))
        try await daemon.stop()
        try await server.shutdown()

        #expect(result.status == 1, "an errored scenario fails the run: \(result.stderr)")
        #expect(result.stderr.contains("hint-ladder"), "\(result.stderr)")
        let run = try WireCodec.makeDecoder().decode(EvalRunResult.self, from: Data(result.stdout.utf8))
        #expect(run.scenarios.map(\.name) == ["hint-ladder", broken], "the scenario's own name once it parsed")
        let hintLadder = try #require(run.scenarios.first)
        #expect(hintLadder.error?.contains("context") == true, "\(hintLadder.error ?? "no error")")
        // Its five turns expect five tool calls and four kinds of pedagogy checks: all counted, all failed.
        #expect(hintLadder.checks.count >= 10 && hintLadder.checks.allSatisfy { !$0.passed })
        #expect(run.scenarios[1].error?.contains("is not a valid scenario") == true)
        let scores = Dictionary(uniqueKeysWithValues: run.scores.map { ($0.dimension, ($0.passed, $0.total)) })
        #expect(scores["tool use"].map { $0 == (0, 5) } == true, "\(scores)")
        #expect(scores["pedagogy"].map { $0.0 == 0 && $0.1 > 0 } == true, "\(scores)")
        #expect(scores["ran to the end"].map { $0 == (0, 2) } == true, "\(scores)")

        #expect(text.status == 1)
        #expect(text.stdout.contains("ERROR  hint-ladder"), "\(text.stdout)")
        #expect(text.stdout.contains("tool use            0/5  0 %"), "\(text.stdout)")
    }
}
