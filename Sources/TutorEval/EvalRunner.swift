import Foundation
import TutorAgent
import TutorApp
import TutorCatalogue
import TutorChatSession
import TutorLearning
import TutorModel
import TutorPrompts
import TutorStore
import TutorWire

/// Runs scenarios against a model, each in its own throwaway store (the learner's data is never
/// touched), through the same agent loop, tools and prompts as a real chat, and scores each turn.
public struct EvalRunner: Sendable {
    let catalogue: Catalogue
    let model: any ChatModel
    let prompts: PromptLibrary

    public init(catalogue: Catalogue, model: any ChatModel, prompts: PromptLibrary) {
        self.catalogue = catalogue
        self.model = model
        self.prompts = prompts
    }

    /// The score row counting the scenarios that ran to their end: a scenario that could not be
    /// read or stopped with an error is one failure here, beside its expectations' failures.
    public static let completedRow = "ran to the end"

    /// Parses and runs every scenario; one that cannot be read or run is reported, not thrown, and
    /// counts as failed: a scenario that stopped with an error fails every check of the turns it did
    /// not finish (in the dimensions those turns cover), and one that does not parse is one failed
    /// check in the `completedRow`, under its file's name.
    public func run(_ texts: [EvalScenarioText]) async -> EvalRunResult {
        var views: [EvalScenarioView] = []
        // A daemon shutting down cancels the run: the scenarios done so far are the result.
        for text in texts where !Task.isCancelled {
            let scenario: Scenario
            do {
                scenario = try Scenario.parse(yaml: text.yaml, file: text.file)
            } catch {
                views.append(EvalScenarioView(name: text.file, checks: [], error: "\(error)"))
                continue
            }
            let outcome = await run(scenario)
            views.append(
                EvalScenarioView(
                    name: scenario.name,
                    checks: outcome.checks.map { EvalCheckView(dimension: $0.dimension.rawValue, passed: $0.passed, detail: $0.detail) },
                    error: outcome.error, turnSeconds: outcome.turnSeconds))
        }
        let all = views.flatMap(\.checks)
        var scores = Dimension.allCases.map { dimension in
            let checks = all.filter { $0.dimension == dimension.rawValue }
            return EvalScoreView(dimension: dimension.rawValue, passed: checks.filter(\.passed).count, total: checks.count)
        }
        scores.append(EvalScoreView(dimension: Self.completedRow, passed: views.filter { $0.error == nil }.count, total: views.count))
        return EvalRunResult(model: model.name, scenarios: views, scores: scores)
    }

    /// What running one scenario gave: its checks, how long each finished turn took (seconds), and
    /// the error that stopped it, if one did.
    struct Outcome {
        var checks: [Check] = []
        var turnSeconds: [Double] = []
        var error: String?
    }

    /// Runs one scenario. An error stops it: the turns it did not finish then fail every check
    /// their expectations hold, each saying why.
    func run(_ scenario: Scenario) async -> Outcome {
        var outcome = Outcome()
        do {
            try await run(scenario, into: &outcome)
        } catch {
            outcome.error = "\(error)"
            let finished = outcome.turnSeconds.count
            let unfinished = scenario.turns.dropFirst(finished).compactMap(\.expect)
            let empty = TurnRecord(reply: "", tools: [])
            for expectation in unfinished {
                outcome.checks += Scorers.score(expectation, turn: empty, plan: nil).map { check in
                    Check(dimension: check.dimension, passed: false, detail: "not scored: the scenario stopped with an error (\(error))")
                }
            }
        }
        return outcome
    }

    /// Runs one scenario, adding each finished turn's checks and time to `outcome` as it goes.
    private func run(_ scenario: Scenario, into outcome: inout Outcome) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-eval-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/eval.sqlite")
        defer { try? store.close() }
        let sessions = ChatSessionFactory(
            model: model, context: AppContext(store: store, catalogue: catalogue), notes: nil, prompts: prompts)
        let service = sessions.service
        let persona = scenario.persona
        if persona.hasProfile {
            _ = try service.setProfile(
                ProfileSetParams(
                    background: persona.background, hoursPerWeek: persona.hours, availability: persona.available,
                    timeZone: persona.timeZone))
        }
        if let goal = persona.goal, persona.hasProfile { _ = try service.addGoal(GoalAddParams(text: goal)) }
        for (skill, minutes) in persona.logged.sorted(by: { $0.key < $1.key }) {
            _ = try service.logStudy(StudyLogParams(minutes: minutes, skill: skill))
        }
        // The same assembly as the daemon's chats; the offline model reads this scenario's store.
        let session = sessions.session(named: "eval")
        for turn in scenario.turns {
            try Task.checkCancellation()
            let tools = ToolLog()
            let started = ContinuousClock.now
            let result = try await session.send(turn.say) { event in
                if case .toolFinished(let name, let ok, _) = event { await tools.add(name, ok) }
            }
            let took = ContinuousClock.now - started
            let record = TurnRecord(reply: result.reply, tools: await tools.all)
            if let expectation = turn.expect {
                outcome.checks += Scorers.score(expectation, turn: record, plan: expectation.planValid == true ? try planFacts(store) : nil)
            }
            outcome.turnSeconds.append(Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)
        }
    }

    /// The stored plan of the current week, as the plan-validity scorer reads it (nil when none is stored).
    func planFacts(_ store: Store) throws -> PlanFacts? {
        guard let profile = try store.profile() else { return nil }
        let zone = TimeZone(identifier: profile.timeZone) ?? .gmt
        let week = ISOWeek.containing(Date(), in: zone)
        let candidates = [week, week.next]
        for candidate in candidates {
            guard let stored = try store.plan(week: candidate.description),
                let plan = try? WireCodec.makeDecoder().decode(WeeklyPlan.self, from: Data(stored.sessions.utf8))
            else { continue }
            let windows = try profile.availability.flatMap { try AvailabilityWindow.parse($0) }
            return PlanFacts(
                sessions: plan.sessions.map { ($0.start, $0.end) }, plannedMinutes: plan.plannedMinutes, budgetMinutes: plan.budgetMinutes,
                windows: windows, timeZone: zone)
        }
        return nil
    }
}

/// Tool activity of one turn, collected from the agent's events.
actor ToolLog {
    private(set) var all: [(name: String, ok: Bool)] = []
    func add(_ name: String, _ ok: Bool) { all.append((name, ok)) }
}
