import Foundation
import TutorAgent
import TutorApp
import TutorModel
import TutorToolAdapters
import TutorWire

/// Checks a model's reply in a turn the tutor grounded: a reply that is empty, that states a
/// number found nowhere in the learner's data, that leaves out the figures a data request is
/// about, that does not put the question the tutor has to ask, or that explains something other
/// than the roadmap entry looked up, is replaced by the tutor's own answer from the same tool
/// results (the offline model's).
///
/// The check is about facts, not style: a good model's own wording passes, as long as a hint, a
/// verdict or a change made keeps a third of the tutor's own words for it.
public struct GroundedReplyCheck: ReplyCheck {
    let offline: OfflineModel

    public init(offline: OfflineModel) { self.offline = offline }

    public func ownAnswer(turn: [ChatMessage]) -> String { offline.writtenAnswer(from: turn) }

    public func review(_ reply: String, turn: [ChatMessage]) -> String? {
        let results = OfflineModel.toolResults(inTurnOf: turn)
        guard !results.isEmpty else { return nil }
        let own = ownAnswer(turn: turn)
        let facts = own + "\n" + turn.filter { $0.role == .tool }.compactMap(\.content).joined(separator: "\n")
        return Self.problem(in: reply, own: own, facts: facts, results: results) == nil ? nil : own
    }

    /// Tools whose results are figures the learner asked for.
    static let dataTools: Set<ToolName> = [
        .weeklyPlan, .forecast, .progressSummary, .logStudy, .correctLog, .completeTask, .listTasks, .updateProfile, .reopenTasks,
        .changeGoal, .testOut,
    ]

    /// Tools whose result the learner has to read in words close to the tutor's own (SmolLM2 answered
    /// a hint with "you are not allowed to provide a second answer", a right answer with "your
    /// review is excellent", and "log 2 hours on python" with a lesson on dictionaries that happened
    /// to say 120).
    static let wordedTools: Set<ToolName> = [
        .giveHint, .checkAnswer, .recordReview, .skipQuestion, .listTasks, .completeTask, .correctLog, .reopenTasks, .changeGoal,
        .testOut, .explainOrder, .logStudy, .addGoal, .recordEvidence,
    ]

    /// Why `reply` cannot stand, or nil when it agrees with the facts.
    static func problem(in reply: String, own: String, facts: String, results: [OfflineModel.TurnResult]) -> String? {
        let text = reply.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count >= 2 else { return "empty" }
        let known = numbers(in: facts)
        let said = numbers(in: text)
        if let foreign = said.first(where: { !known.contains($0) }) { return "\(foreign) is not in the learner's data" }
        // A duration is its number and its unit: "10 weeks" is not the forecast's "10 months".
        let knownDurations = durations(in: facts)
        if let foreign = durations(in: text).first(where: { !knownDurations.contains($0) }) {
            return "\(foreign.value) \(foreign.unit) is not in the learner's data"
        }
        let ownFigures = numbers(in: own)
        // A model that went on to call tools of its own took its own path; it is held to the numbers only.
        let modelCalled = Set(results.map(\.step)).count > 1
        if !modelCalled, results.contains(where: { dataTools.contains($0.tool) }), !ownFigures.isEmpty, said.isDisjoint(with: ownFigures) {
            return "it leaves out the figures"
        }
        // A forecast is its ranges: one figure echoed back ("The user provided a list of 15 hours",
        // SmolLM2's whole answer to "what if I did 15 hours?") answers nothing.
        if !modelCalled, results.contains(where: { $0.tool == .forecast }), ownFigures.count >= 3,
            said.intersection(ownFigures).count < 2, durations(in: text).isEmpty
        {
            return "it leaves out the forecast's ranges"
        }
        if let question = questionToAsk(results), overlap(of: question, in: text) < 0.5 {
            return "it does not ask the question"
        }
        // A hint, a verdict, a grade, a change made: what the learner has to read is in the tutor's
        // own answer, short and specific; a reply that shares too little of it says something else.
        if !modelCalled, results.contains(where: { wordedTools.contains($0.tool) }), overlap(of: own, in: text) < 0.3 {
            return "it does not say what the tools returned"
        }
        // An explanation has to be about the entry the tutor looked up: its name, or the roadmap's words on it.
        if !modelCalled, let entry = explained(results), overlap(of: entry.title, in: text) < 0.5,
            overlap(of: entry.description, in: text) < 0.2
        {
            return "it does not explain \(entry.title)"
        }
        return nil
    }

    /// The roadmap entry the tutor looked up to explain this turn, if any.
    static func explained(_ results: [OfflineModel.TurnResult]) -> CatalogueEntryView? {
        results.lazy.filter { $0.tool == .catalogueShow && $0.output.error == nil }
            .compactMap { try? $0.output.view(CatalogueEntryView.self) }.first
    }

    /// The question the tutor has to put to the learner this turn (a setup step, a quiz), if any.
    static func questionToAsk(_ results: [OfflineModel.TurnResult]) -> String? {
        for result in results.reversed() where result.output.error == nil {
            switch result.tool {
            case .placementStart, .placementAnswer: if let ask = (try? result.output.view(PlacementStepView.self))?.ask { return ask }
            case .askQuestion: if let question = (try? result.output.view(AskedQuestionView.self))?.question?.question { return question }
            case .testOut: if let question = (try? result.output.view(TestOutView.self))?.question { return question }
            default: continue
            }
        }
        return nil
    }

    /// The share of `question`'s longer words that `text` contains.
    static func overlap(of question: String, in text: String) -> Double {
        func words(_ text: String) -> Set<String> {
            Set(text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init).filter { $0.count > 3 })
        }
        let wanted = words(question)
        guard !wanted.isEmpty else { return 1 }
        return Double(wanted.intersection(words(text)).count) / Double(wanted.count)
    }

    /// The durations in `text` as value and unit ("6 hours" and "6 h" are the same), for the units
    /// a timeline is stated in (days to years; hours and minutes are checked as numbers).
    static func durations(in text: String) -> Set<Duration> {
        var found = Set<Duration>()
        for match in text.lowercased().matches(of: /(\d+(?:\.\d+)?)\s*(days?|weeks?|months?|years?)\b/) {
            guard let value = Double(match.output.1) else { continue }
            found.insert(Duration(value: value, unit: String(match.output.2.hasSuffix("s") ? match.output.2.dropLast() : match.output.2)))
        }
        return found
    }

    struct Duration: Hashable {
        var value: Double
        var unit: String
    }

    /// The numbers in `text`, as values ("5.0" and "5" are the same), leaving out list markers
    /// ("1." at the start of a line) and single digits, which steps and counts make common, unless
    /// a unit of time follows them ("6 months") or they number a task ("#3").
    static func numbers(in text: String) -> Set<Double> {
        var found = Set<Double>()
        for line in text.split(separator: "\n") {
            var line = Substring(line.trimmingCharacters(in: .whitespaces))
            if let marker = line.firstRange(of: /^\d{1,2}[.)]\s/) { line = line[marker.upperBound...] }
            for match in line.matches(of: /(#?)(\d+(?:\.\d+)?)(\s*(?:h|hours?|hrs?|min|minutes?|days?|weeks?|months?|years?)\b)?/) {
                guard let value = Double(match.output.2) else { continue }
                // A task's number ("#3") is a figure however small.
                if value >= 10 || match.output.2.contains(".") || match.output.3 != nil || !match.output.1.isEmpty {
                    found.insert(value)
                }
            }
        }
        return found
    }
}
