import Foundation
import Testing
import TutorStore
import TutorTesting
import TutorWire

/// `tutor chat` against a real model nobody here wrote: SmolLM2-135M-Instruct served by llama.cpp's
/// `llama-server --jinja` (installed by `Tools/install-real-model.sh`, which `Tools/test.sh` and CI
/// run). Skipped, saying why, only where that install could not be made.
@Suite(
    "Chat with a real local model (SmolLM2 on llama-server)", .serialized,
    .enabled(if: RealModelServer.isInstalled, "the real model is not installed: run `bash Tools/install-real-model.sh`"))
struct RealModelTests {
    /// The daemon's own bound on an answer (sent as `max_tokens`) keeps each answer, and the test,
    /// short: SmolLM2 otherwise writes until its window is full. At the default bound (512 tokens of
    /// a 4,096 window) the two turns take about four minutes on two shared cores instead of one.
    static let maximumOutput = 96

    /// A daemon talking to `model`, each answer bounded to ``maximumOutput``.
    static func daemon(on model: RealModelServer) async throws -> TemporaryDaemon {
        try await TemporaryDaemon.start(extraEnvironment: [
            "TUTOR_LLM_BASE_URL": model.baseURL, "TUTOR_LLM_MODEL": "smollm2", "TUTOR_LLM_RESPONSE_TIMEOUT": "120",
            "TUTOR_LLM_MAX_OUTPUT_TOKENS": "\(maximumOutput)",
        ])
    }

    @Test("a turn streams the real model's words, is kept in the session, and the next turn carries it")
    func realTurns() async throws {
        let model = try await RealModelServer.start()
        defer { model.stop() }
        let daemon = try await Self.daemon(on: model)
        defer { daemon.removeFiles() }

        let status = try await daemon.runCLI(["status", "--json"])
        let reported = try JSONDecoder().decode(StatusResult.self, from: Data(status.stdout.utf8))
        #expect(reported.model == "smollm2")
        #expect(reported.endpoint == model.baseURL)

        let first = try await daemon.runCLI(["chat", "--json", "-m", "Say hello to a new student."], timeout: .seconds(240))
        #expect(first.status == 0, "\(first.stderr)\n\(daemon.log.suffix(2000))\n\(model.logTail())")
        let lines = first.stdout.split(separator: "\n").map { Data($0.utf8) }
        let deltas = lines.compactMap { try? JSONDecoder().decode(DeltaLine.self, from: $0) }.filter { $0.type == "delta" }
        #expect(!deltas.isEmpty, "the answer streams: \(first.stdout.prefix(500))")
        let result = try #require(lines.last.flatMap { try? JSONDecoder().decode(ChatSendResult.self, from: $0) })
        #expect(!result.reply.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(result.model == "smollm2")
        #expect((result.promptTokens ?? 0) > 0, "llama-server reports usage")
        #expect((result.completionTokens ?? 0) <= Self.maximumOutput, "the answer keeps to its bound")

        // The second request carries the first exchange: its prompt is longer than the first one's.
        // (Not "thanks": the tutor answers thanks itself, without the model.)
        let second = try await daemon.runCLI(["chat", "--json", "-m", "Tell me more."], timeout: .seconds(240))
        #expect(second.status == 0, "\(second.stderr)")
        let next = try #require(
            second.stdout.split(separator: "\n").last.flatMap { try? JSONDecoder().decode(ChatSendResult.self, from: Data($0.utf8)) })
        #expect((next.promptTokens ?? 0) > (result.promptTokens ?? 0), "\(next.promptTokens ?? 0) vs \(result.promptTokens ?? 0)")
        try await daemon.stop()
    }

    @Test("a real model that never calls a tool still answers from the learner's data, and a change asked for is made once")
    func groundedFacts() async throws {
        let model = try await RealModelServer.start()
        defer { model.stop() }
        let daemon = try await Self.daemon(on: model)
        defer { daemon.removeFiles() }
        _ = try await daemon.runCLI(["profile", "set", "--background", "programmer", "--hours", "8", "--available", "daily 19:00-21:00"])
        _ = try await daemon.runCLI(["goal", "add", "first-apps"])
        let forecast = try await daemon.runCLI(["forecast"]).stdout

        let asked = try await daemon.runCLI(["chat", "-m", "how long until I can build RAG apps?"], timeout: .seconds(240))
        #expect(asked.status == 0, "\(asked.stderr)")
        // Every duration the reply states is one the forecast holds, and it states at least one.
        let stated = Self.durations(in: asked.stdout)
        #expect(!stated.isEmpty && stated.isSubset(of: Self.durations(in: forecast)), "\(asked.stdout)\n---\n\(forecast)")

        let logged = try await daemon.runCLI(["chat", "-m", "log 45 minutes on python"], timeout: .seconds(240))
        #expect(logged.status == 0, "\(logged.stderr)")
        #expect(logged.stdout.contains("45"), "\(logged.stdout)")
        try await daemon.stop()
        let store = try Store(path: daemon.dataDirectory + "/tutor.sqlite")
        defer { try? store.close() }
        #expect(try store.studyLog().map(\.minutes) == [45], "logged exactly once, whatever the model did")
    }

    /// The eval smoke CI runs on the real model: a few scenarios of the suite, whose tool use and
    /// honesty about time must hold whatever the model writes (the tutor grounds them itself). The
    /// whole suite against SmolLM2, beside the offline model, is `Tools/eval-real-model.sh`.
    static let smokeScenarios = ["shortcut-two-weeks", "several-tasks-done", "correct-and-undo-log", "why-this-order"]

    @Test("a few eval scenarios against the real model: no scenario fails to run, every tool check and honesty check holds")
    func evalSmoke() async throws {
        let model = try await RealModelServer.start()
        defer { model.stop() }
        let daemon = try await Self.daemon(on: model)
        defer { daemon.removeFiles() }
        let files = Self.smokeScenarios.map { EvalTests.fixtures + "/scenarios/\($0).yaml" }
        let run = try await daemon.runCLI(["eval", "--json"] + files, timeout: .seconds(600))
        #expect(run.status == 0, "\(run.stderr)\n\(model.logTail())")
        let result = try WireCodec.makeDecoder().decode(EvalRunResult.self, from: Data(run.stdout.utf8))
        #expect(result.model == "smollm2")
        #expect(result.scenarios.count == Self.smokeScenarios.count)
        #expect(result.scenarios.allSatisfy { $0.error == nil && !$0.checks.isEmpty }, "\(result.scenarios.compactMap(\.error))")
        for dimension in ["tool use", "honesty about time"] {
            let failed = result.scenarios.flatMap { scenario in
                scenario.checks.filter { $0.dimension == dimension && !$0.passed }.map { "\(scenario.name): \($0.detail)" }
            }
            #expect(failed.isEmpty, "\(dimension): \(failed)")
        }
        try await daemon.stop()
    }

    /// "5 months", "2.1 years": the durations a text states, as written.
    static func durations(in text: String) -> Set<String> {
        Set(text.matches(of: /(\d+(?:\.\d+)?)\s*(months?|years?)/).map { "\($0.output.1) \($0.output.2.hasPrefix("month") ? "m" : "y")" })
    }

    private struct DeltaLine: Decodable {
        var type: String
        var text: String
    }
}
