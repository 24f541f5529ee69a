import TutorCatalogue
import TutorDaemon
import TutorEval
import TutorModel
import TutorPrompts
import TutorWire

/// `eval.run` for this daemon: TutorEval's runner, handed to the daemon through its
/// ``ScenarioRunner`` protocol, so the daemon library does not depend on scenarios and scorers.
struct Evaluations: ScenarioRunner {
    func run(_ scenarios: [EvalScenarioText], model: any ChatModel, catalogue: Catalogue, prompts: PromptLibrary) async -> EvalRunResult {
        await EvalRunner(catalogue: catalogue, model: model, prompts: prompts).run(scenarios)
    }
}
