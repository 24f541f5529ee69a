import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import TutorApp
import TutorCatalogue
import TutorLLM
import TutorLearning
import TutorModel
import TutorPrompts

/// `tutor-bench grading`: the grading set (`Tests/Fixtures/grading`) through the offline grader
/// and, given an OpenAI-compatible endpoint, through the rubric grader; prints agreement with the
/// labels and the confusion matrix of each, per part.
struct GradingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grading", abstract: "Grading agreement with the labelled set: offline, and model-assisted against an endpoint.")
    @Option(help: "The folder of the grading set.") var set = "Tests/Fixtures/grading"
    @Option(help: "An OpenAI-compatible endpoint (e.g. http://127.0.0.1:8093/v1); without it, the offline grader only.")
    var endpoint: String?
    @Option(help: "The model name sent to the endpoint.") var model = "SmolLM2-135M-Instruct"
    @Option(help: "Grade only the first N cases of each part.") var limit: Int?

    func run() async throws {
        let catalogue = try Catalogue.bundled()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var logger = Logger(label: "tutor-bench.grading")
        logger.logLevel = .error
        let grader = endpoint.map { url in
            RubricGrader(
                model: OpenAICompatibleModel(
                    configuration: OpenAICompatibleConfiguration(baseURL: url, model: model, temperature: 0), httpClient: client,
                    logger: logger),
                prompts: .bundled)
        }
        do {
            for part in ["tuning", "held-out"] {
                let cases = try GradingSet.load(URL(fileURLWithPath: "\(set)/\(part).json")).cases.prefix(limit ?? .max)
                try await Self.grade(Array(cases), part: part, catalogue: catalogue, grader: grader)
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    static func grade(_ cases: [GradingCase], part: String, catalogue: Catalogue, grader: RubricGrader?) async throws {
        var offline = GradingTally(), alone = GradingTally(), combined = GradingTally(), raised = GradingTally()
        var parsed = 0
        var seconds = 0.0
        let clock = ContinuousClock()
        for item in cases {
            guard let skill = catalogue.skill(item.skill), let index = item.quizIndex, skill.quiz.indices.contains(index) else {
                throw ValidationError("\(item.id): no catalogue question \(item.card)")
            }
            let quiz = skill.quiz[index]
            guard let grader else {
                offline.add(item.id, label: item.grade, verdict: AnswerCheck.grade(item.answer, item: quiz, skill: skill).verdict)
                continue
            }
            let started = clock.now
            let result = await grader.grade(item.answer, item: quiz, skill: skill)
            seconds += (clock.now - started) / .seconds(1)
            offline.add(item.id, label: item.grade, verdict: result.offline.verdict)
            combined.add(item.id, label: item.grade, verdict: result.check.verdict)
            // The model on its own, the offline grader standing in when its output did not parse.
            alone.add(item.id, label: item.grade, verdict: result.model?.verdict ?? result.offline.verdict)
            let raise = result.model.map { RubricGrader.combine(offline: result.offline, model: $0, policy: .raiseToPartly) }
            raised.add(item.id, label: item.grade, verdict: (raise ?? result.offline).verdict)
            if result.model != nil { parsed += 1 }
        }
        print(offline.report(title: "offline grader, \(part) (\(cases.count) cases)"))
        guard let grader else { return }
        print(alone.report(title: "model alone (\(grader.model.name)), \(part)"))
        print(combined.report(title: "model may only lower the offline grade (shipped), \(part)"))
        print(raised.report(title: "model may lower, or raise incorrect to partly, \(part)"))
        print(
            "model output parsed: \(parsed)/\(cases.count); mean time per grade \(String(format: "%.2f", seconds / Double(max(1, cases.count)))) s\n"
        )
    }
}
