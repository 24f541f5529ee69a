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

/// `tutor eval SCENARIO…`: run scripted learner scenarios against the configured model (or the
/// offline one) and score tool use, plan validity, grounding, honesty about time and pedagogy.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the tutor on scripted learner scenarios (YAML files or folders of them).",
        discussion: "Each scenario runs in a throwaway store: your own data is not touched.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Scenario files (.yaml) or folders holding them.", completion: .file()) var paths: [String]

    func run() async throws {
        var scenarios: [EvalScenarioText] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else { throw ClientError(.usage, "\(path) does not exist") }
            let files =
                (info.st_mode & S_IFMT) == S_IFDIR
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter {
                    $0.hasSuffix(".yaml") || $0.hasSuffix(".yml")
                }
                .sorted().map { path + "/" + $0 } : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { throw ClientError(.usage, "cannot read \(file)") }
                scenarios.append(EvalScenarioText(file: file, yaml: String(decoding: data, as: UTF8.self)))
            }
        }
        guard !scenarios.isEmpty else { throw ClientError(.usage, "no scenario files (.yaml) in \(paths.joined(separator: ", "))") }
        let result = try await global.call(EvalRunMethod.self, EvalRunParams(scenarios: scenarios))
        if global.json {
            try printJSON(result)
        } else {
            printReport(result)
        }
        // A scenario that could not run is a failure of the run, not a gap in it.
        let errored = result.scenarios.filter { $0.error != nil }
        if !errored.isEmpty {
            let names = errored.map(\.name).joined(separator: ", ")
            let count = errored.count == 1 ? "1 scenario" : "\(errored.count) scenarios"
            writeError("tutor: \(count) stopped with an error and counted as failed: \(names)")
            throw ExitCode(1)
        }
    }

    private func printReport(_ result: EvalRunResult) {
        print("Model: \(result.model) — \(result.scenarios.count) scenario\(result.scenarios.count == 1 ? "" : "s")\n")
        for scenario in result.scenarios {
            let passed = scenario.checks.filter(\.passed).count
            let mark = scenario.error != nil ? "ERROR" : passed == scenario.checks.count ? "ok" : "\(passed)/\(scenario.checks.count)"
            print("\(mark.padded(to: 6)) \(scenario.name)")
            if let error = scenario.error { print("       \(error)") }
            for check in scenario.checks where !check.passed { print("       ✗ \(check.dimension): \(check.detail)") }
        }
        let seconds = result.scenarios.flatMap { $0.turnSeconds ?? [] }.sorted()
        if !seconds.isEmpty {
            let median = seconds[seconds.count / 2], slowest = seconds[seconds.count - 1]
            print(
                "\n\(seconds.count) turn\(seconds.count == 1 ? "" : "s"): median \(oneDecimal(median)) s, slowest \(oneDecimal(slowest)) s")
        }
        print("\n" + "dimension".padded(to: 20) + "score")
        for score in result.scores {
            let share = score.total == 0 ? "—" : "\(Int((Double(score.passed) / Double(score.total) * 100).rounded())) %"
            print(score.dimension.padded(to: 20) + "\(score.passed)/\(score.total)  \(share)")
        }
    }
}
