import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

/// Placement: the few questions that find where a new learner stands, and saving what they show
/// (profile, known skills, goal) in one go; as a form (`tutor assess`) or as a conversation
/// (`PlacementService+Chat.swift`).
public struct PlacementService: AppService {
    public let context: AppContext

    public init(context: AppContext) { self.context = context }

    /// A few questions from the roadmap's own quiz items, one per foundation skill, spread over the
    /// foundations the learner's track does not already assume.
    public func placementProbe(_ params: PlacementProbeParams) throws -> PlacementProbeResult {
        let background = try Self.parseBackground(params.background)
        let count = params.count ?? 5
        guard (1...10).contains(count) else { throw Self.badInput("'count' must be from 1 to 10") }
        let track = catalogue.track(for: background)
        let assumed = Set(track?.assumedKnown ?? [])
        let candidates = catalogue.skills.filter { $0.stage == .foundations && !$0.quiz.isEmpty && !assumed.contains($0.id) }
        // Spread the picks over the stage (it is in learning order), so early and late foundations are both probed.
        let picks: [Skill]
        if candidates.count <= count {
            picks = candidates
        } else {
            let step = Double(candidates.count) / Double(count)
            picks = (0..<count).map { candidates[Int(Double($0) * step)] }
        }
        return PlacementProbeResult(
            track: track?.id ?? "",
            questions: picks.map { skill in
                let item = skill.quiz[0]
                return PlacementQuestion(
                    skillId: skill.id, skillTitle: skill.title, question: item.question, answer: item.answer, why: item.why)
            })
    }

    /// Saves what placement learned: the profile, the skills the learner knew (mastered when they
    /// knew it easily, learning when mostly), and the goal, whose tasks then skip what is known.
    /// Everything is checked before anything is written.
    public func placementFinish(_ params: PlacementFinishParams) throws -> PlacementResult {
        let background = try Self.parseBackground(params.background)
        for answer in params.answers {
            guard catalogue.skill(answer.skillId) != nil else {
                throw Self.badInput("'\(answer.skillId)' is not a roadmap skill; answer the questions `placement.probe` gave")
            }
            guard (1...4).contains(answer.rating) else {
                throw Self.badInput("a rating must be from 1 (no idea) to 4 (easily), not \(answer.rating)")
            }
        }
        let goalText = params.goal.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !goalText.isEmpty else { throw Self.badInput("say what you want to reach, e.g. \"become an AI engineer\" or \"first-apps\"") }
        do {
            _ = try GoalDecomposer.resolve(goalText, catalogue: catalogue, background: background)
        } catch {
            throw Self.badInput(error.description, cause: error)
        }
        let profile = try profileService.setProfile(
            ProfileSetParams(
                background: background.rawValue, hoursPerWeek: params.hoursPerWeek, availability: params.availability,
                timeZone: params.timeZone))
        var known: [String] = []
        var partly: [String] = []
        let existing = Dictionary(uniqueKeysWithValues: try store.skillStates().map { ($0.skillId, $0) })
        for answer in params.answers where answer.rating >= 3 {
            let mastered = answer.rating == 4
            let mastery = mastered ? 0.85 : 0.5
            if let current = existing[answer.skillId], current.mastery >= mastery { continue }
            try store.saveSkillState(
                SkillStateRecord(
                    skillId: answer.skillId, mastery: mastery, status: mastered ? "mastered" : "learning",
                    evidence: [mastered ? "placement: answered easily" : "placement: mostly knew it"], updatedAt: now()))
            if mastered { known.append(answer.skillId) } else { partly.append(answer.skillId) }
        }
        let goal = try goalService.addGoal(GoalAddParams(text: goalText))
        let forecast = try planService.forecast(ForecastParams())
        return PlacementResult(
            profile: profile, known: known, partlyKnown: partly, goal: goal, forecast: forecast,
            summary: Self.timelineSummary(forecast, known: known.count))
    }

    static func parseBackground(_ text: String) throws -> Background {
        guard let background = Background(rawValue: text.lowercased()) else {
            throw badInput("unknown background '\(text)'; use programmer, data-scientist or beginner")
        }
        return background
    }

    /// Plain sentences on the timeline: the next milestones in months, honest about what they assume.
    static func timelineSummary(_ forecast: ForecastResult, known: Int) -> String {
        func months(_ milestone: MilestoneView) -> String {
            let from = milestone.monthsFrom, to = milestone.monthsTo
            if to < 24 { return "\(Int(from.rounded()))–\(Int(to.rounded())) months" }
            if from >= 24 { return "\(Int((from / 12).rounded()))–\(Int((to / 12).rounded())) years" }
            return "\(Int(from.rounded())) months to \(Int((to / 12).rounded())) years"
        }
        var lines: [String] = []
        let pace = forecast.hoursPerWeek == forecast.hoursPerWeek.rounded() ? "\(Int(forecast.hoursPerWeek))" : "\(forecast.hoursPerWeek)"
        if known > 0 { lines.append("You already know \(known) foundation skill(s); their tasks are left out of your plan.") }
        for milestone in forecast.milestones.prefix(3) {
            lines.append("\(milestone.title): about \(months(milestone)) at \(pace) h a week.")
        }
        lines.append(
            "These are realistic ranges, not promises: they assume steady weeks, and they adjust to the hours you actually log (`tutor forecast`)."
        )
        return lines.joined(separator: "\n")
    }
}
