import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

/// Where a first-run setup in a chat stands, and what to ask next.
public struct PlacementStepView: Codable, Sendable {
    /// `background`, `hours`, `availability`, `goal`, `probe`, or `done`.
    public var step: String
    /// What to ask the learner now (nil once done).
    public var ask: String?
    /// Why the last answer was not taken, and how to give one that is.
    public var problem: String?
    /// The goal the learner switched to in the middle of the setup, if they just did.
    public var goalChanged: String?
    /// The weekly hours the learner changed to after answering that question, if they just did.
    public var hoursChanged: Double?
    /// The goal the tutor chose because the learner had none in mind ("no idea"): the whole road.
    public var goalAssumed: String?
    /// True when this call began the setup; false when it found one under way and changed nothing
    /// (the learner asked something else meanwhile); nil on answers.
    public var started: Bool?
    /// The background read from the learner's introduction ("I'm a data scientist"), so it is not
    /// asked again: `programmer`, `data-scientist` or `beginner`.
    public var backgroundTaken: String?
    /// On the foundation question just answered: the verdict and the roadmap's answer.
    public var checked: ProbeCheck?
    /// For `probe`: which question this is, of how many.
    public var probe: Int?
    public var probes: Int?
    /// Once done: what was saved and the learner's realistic timeline.
    public var result: Saved?
    public var note: String

    /// What a finished setup saved, kept short for a model's context window (the goal's tasks
    /// are in the store; `list_tasks` reads them).
    public struct Saved: Codable, Sendable {
        public var profile: ProfileView
        public var known: [String]
        public var partlyKnown: [String]
        public var goal: String
        public var tasks: Int
        public var summary: String
    }

    public struct ProbeCheck: Codable, Sendable {
        public var verdict: String
        public var answer: String
    }
}

extension PlacementService {
    // MARK: Placement as a conversation

    /// Foundation questions asked in a chat setup (fewer than `tutor assess`, to keep it brisk).
    static let chatProbeCount = 3

    /// Starts (or resumes) the first-run setup in `session`; a goal the learner already stated is
    /// kept, and so is a background their introduction (`introduction`) makes clear.
    public func placementStart(
        session: String, goal: String? = nil, introduction: String? = nil, hoursPerWeek: Double? = nil
    ) throws -> PlacementStepView {
        let stated = goal?.trimmingCharacters(in: .whitespacesAndNewlines)
        let resolved = stated.flatMap { try? GoalDecomposer.resolve($0, catalogue: catalogue, background: .programmer) }
        if let hoursPerWeek, var draft = try store.placementDraft(session: session) {
            // A change of mind about the hours once asked: kept, and the setup goes on.
            let hours = try Self.hours(in: String(hoursPerWeek))
            draft.hoursPerWeek = hours
            if draft.step == "hours" { draft.step = "availability" }
            draft.updatedAt = now()
            try store.savePlacementDraft(draft)
            var view = try stepView(draft, problem: nil, checked: nil)
            view.hoursChanged = hours
            return view
        }
        if var draft = try store.placementDraft(session: session) {
            // A change of mind about the goal in the middle of the setup: kept, and the setup goes on.
            guard let stated, !stated.isEmpty else {
                var view = try stepView(draft, problem: nil, checked: nil)
                view.started = false
                return view
            }
            guard resolved != nil else {
                return try stepView(
                    draft,
                    problem:
                        "\"\(stated)\" is not a goal I can find on the roadmap; the setup goes on with \(draft.goal.map { "\"\($0)\"" } ?? "the goal you give at the end")",
                    checked: nil)
            }
            if draft.step == "goal" { draft.step = "probe" }
            draft.goal = stated
            draft.updatedAt = now()
            try store.savePlacementDraft(draft)
            var view = try stepView(draft, problem: nil, checked: nil)
            view.goalChanged = stated
            return view
        }
        var draft = PlacementDraftRecord(session: session, step: "background", goal: nil, startedAt: now())
        if let stated, !stated.isEmpty, resolved != nil { draft.goal = stated }
        let background = introduction.flatMap(Self.backgroundStated(in:))
        if let background {
            draft.background = background.rawValue
            draft.step = "hours"
        }
        try store.savePlacementDraft(draft)
        var view = try stepView(draft, problem: nil, checked: nil)
        view.started = true
        view.backgroundTaken = background?.rawValue
        return view
    }

    /// Takes the learner's answer to the current step. An answer that cannot be used leaves the
    /// step where it is and says why; after the last foundation question, everything is saved
    /// (profile, known skills, goal) and the timeline returned.
    public func placementAnswer(session: String, text: String) throws -> PlacementStepView {
        guard var draft = try store.placementDraft(session: session) else {
            throw Self.badInput("no setup is running in this chat; placement_start begins one")
        }
        let answer = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var checked: PlacementStepView.ProbeCheck?
        var assumed: String?
        do {
            switch draft.step {
            case "background":
                draft.background = try Self.background(in: answer).rawValue
                draft.step = "hours"
            case "hours":
                draft.hoursPerWeek = try Self.hours(in: answer)
                draft.step = "availability"
            case "availability":
                draft.availability = try Self.availability(in: answer)
                draft.step = draft.goal == nil ? "goal" : "probe"
            case "goal":
                let goal = try goal(in: answer, background: Background(rawValue: draft.background ?? "") ?? .programmer)
                draft.goal = goal.text
                assumed = goal.assumed ? goal.text : nil
                draft.step = "probe"
            case "probe":
                let index = draft.answers.count
                guard draft.questions.indices.contains(index), let skill = catalogue.skill(draft.questions[index]),
                    let item = skill.quiz.first
                else { break }
                let rating: Int
                let lower = answer.lowercased()
                if lower == "?"
                    || Self.skipWords.contains(where: { lower.contains($0) })
                {
                    rating = 1
                    checked = .init(verdict: "skipped", answer: item.answer)
                } else {
                    let check = AnswerCheck.grade(answer, item: item, skill: skill)
                    rating = check.verdict == .correct ? 4 : check.verdict == .partly ? 3 : 1
                    checked = .init(verdict: check.verdict.rawValue, answer: item.answer)
                }
                draft.answers.append(.init(skillId: skill.id, rating: rating))
            default:
                break
            }
        } catch let error as AppError {
            return try stepView(draft, problem: error.message, checked: nil)
        }
        if draft.step == "probe", draft.questions.isEmpty {
            let probe = try placementProbe(PlacementProbeParams(background: draft.background ?? "programmer", count: Self.chatProbeCount))
            draft.questions = probe.questions.map(\.skillId)
        }
        if draft.step == "probe", draft.answers.count >= draft.questions.count {
            let result = try placementFinish(
                PlacementFinishParams(
                    background: draft.background ?? "programmer", hoursPerWeek: draft.hoursPerWeek ?? 5, availability: draft.availability,
                    timeZone: try store.profile()?.timeZone ?? TimeZone.current.identifier, goal: draft.goal ?? "become an AI engineer",
                    answers: draft.answers.map { PlacementAnswer(skillId: $0.skillId, rating: $0.rating) }))
            try store.deletePlacementDraft(session: session)
            return PlacementStepView(
                step: "done", checked: checked,
                result: .init(
                    profile: result.profile, known: result.known, partlyKnown: result.partlyKnown, goal: result.goal.goal.title,
                    tasks: result.goal.goal.tasksTotal, summary: result.summary),
                note: "Setup is saved. Tell the learner their realistic timeline (result.summary) and offer this week's plan.")
        }
        draft.updatedAt = now()
        try store.savePlacementDraft(draft)
        var view = try stepView(draft, problem: nil, checked: checked)
        view.goalAssumed = assumed
        return view
    }

    /// Answers to a foundation question that say the learner does not know it.
    static let skipWords = [
        "no idea", "don't know", "dont know", "do not know", "not sure", "dunno", "idk", "no clue", "not a clue", "forgot", "skip",
        "pass",
    ]

    /// The goal everyone on this road shares, taken when a learner has none in mind yet.
    static let wholeRoad = "become an AI engineer"

    /// The goal in an answer to "what do you want to reach?". A hedge around a goal counts
    /// ("maybe data science?"); an answer with no goal in it ("no idea", "you choose") takes the
    /// whole road, said as assumed, which the learner can change later.
    func goal(in answer: String, background: Background) throws -> (text: String, assumed: Bool) {
        let lower = answer.lowercased()
        let unsure = [
            "no idea", "not sure", "unsure", "dunno", "don't know", "dont know", "idk", "no clue", "anything", "whatever",
            "you choose", "you decide", "up to you", "no goal", "nothing specific", "no preference", "not yet", "no plan",
        ]
        let hedged = unsure.contains { lower.contains($0) } || lower.trimmingCharacters(in: .whitespaces) == "?"
        var stripped = lower
        for hedge in unsure + ["maybe", "perhaps", "probably", "i guess", "i think", "i suppose"] {
            stripped = stripped.replacingOccurrences(of: hedge, with: " ")
        }
        // What is left of "I dunno, maybe agents?" once the hedges are out: the words, not "i , agents".
        stripped =
            stripped.split { $0.isWhitespace || ($0.isPunctuation && $0 != "-") }.filter { $0 != "i" }.joined(separator: " ")
        if stripped.count >= 3, (try? checkGoal(stripped, background: background)) != nil {
            return (hedged ? stripped : answer, false)
        }
        if hedged { return (Self.wholeRoad, true) }
        try checkGoal(answer, background: background)
        return (answer, false)
    }

    /// Abandons the session's setup; nothing it gathered is saved.
    public func placementCancel(session: String) throws -> Bool { try store.deletePlacementDraft(session: session) }

    func stepView(_ draft: PlacementDraftRecord, problem: String?, checked: PlacementStepView.ProbeCheck?) throws -> PlacementStepView {
        let ask: String
        var probe: Int?
        switch draft.step {
        case "background": ask = "Their background: programmer, data scientist, or new to programming?"
        case "hours": ask = "How many hours a week they can study, honestly?"
        case "availability": ask = "When they are free each week, as windows like \"mon-fri 19:00-21:00; sat 09:00-12:00\"?"
        case "goal": ask = "What they want to reach (a roadmap stage such as first-apps, or their own words)?"
        default:
            let index = draft.answers.count
            probe = index + 1
            ask = draft.questions.indices.contains(index) ? catalogue.skill(draft.questions[index])?.quiz.first?.question ?? "" : ""
        }
        return PlacementStepView(
            step: draft.step, ask: ask, problem: problem, checked: checked, probe: probe,
            probes: draft.step == "probe" ? draft.questions.count : nil,
            note: problem == nil
                ? "Ask this, one question only, and pass the learner's reply to placement_answer."
                : "Say what was wrong in plain words and ask again.")
    }

    /// The background a learner describes in their own words.
    static func background(in text: String) throws -> Background {
        let lower = text.lowercased()
        let beginner = ["beginner", "new to", "no programming", "never", "not a programmer", "non-programmer", "none", "no experience"]
        if beginner.contains(where: { lower.contains($0) }) { return .beginner }
        if ["data scien", "data-scien", "analyst", "statistic", "ml engineer"].contains(where: { lower.contains($0) }) {
            return .dataScientist
        }
        // "I know a bit of python": some code, not yet a programmer's footing.
        let languages = ["python", "javascript", "java", "typescript", "c++", "c#", "golang", "rust", "ruby", "php", "sql", "html"]
        // Short names only as words: "go" in "I write go", not in "good".
        let words = Set(lower.split { !$0.isLetter && !$0.isNumber && $0 != "+" && $0 != "#" }.map(String.init))
        let shortNames: Set<String> = ["go", "c", "kotlin", "swift", "scala", "elixir", "perl", "bash", "js", "ts", "dart", "r"]
        if languages.contains(where: { lower.contains($0) }) || !words.isDisjoint(with: shortNames) {
            let little = ["a bit", "a little", "little", "some ", "basic", "beginner", "learning", "just started", "only know", "not much"]
            return little.contains(where: { lower.contains($0) }) ? .beginner : .programmer
        }
        let work = [
            "programmer", "developer", "engineer", "software", "coder", "code", "coding", "dev", "backend", "frontend", "full stack",
            "fullstack", "web apps", "i program",
        ]
        if work.contains(where: { lower.contains($0) }) {
            return .programmer
        }
        let student = ["student", "studying", "school", "university", "college", "bootcamp", "graduate"]
        if student.contains(where: { lower.contains($0) }) {
            throw badInput("a student is a fine start: do you write code yet? Say programmer if you do, or new to programming if not")
        }
        let unsure = ["no idea", "not sure", "dunno", "don't know", "dont know", "idk", "no clue"]
        if unsure.contains(where: { lower.contains($0) }) || lower.trimmingCharacters(in: .whitespaces) == "?" {
            throw badInput("that's fine: do you write any code today? Say programmer if you do, or new to programming if not")
        }
        throw badInput("say programmer, data scientist, or new to programming")
    }

    /// The background an introduction states outright ("I'm a data scientist", "I'm new to
    /// coding"), or nil: an introduction is not an answer to the question, so words that only
    /// suggest one ("I am never giving up") do not count.
    static func backgroundStated(in text: String) -> Background? {
        guard let background = try? background(in: text) else { return nil }
        let lower = text.lowercased()
        let plainlyNew = ["beginner", "new to", "no programming", "not a programmer", "non-programmer", "no experience"]
        return background != .beginner || plainlyNew.contains(where: { lower.contains($0) }) ? background : nil
    }

    /// Hours a week in an answer such as "8", "about 6 hours" or "7.5".
    static func hours(in text: String) throws -> Double {
        guard let hours = firstNumber(in: text) else { throw badInput("say a number of hours a week, such as 8") }
        guard hours >= 0.5, hours <= 80 else { throw badInput("hours a week must be from 0.5 to 80, not \(hours)") }
        return hours
    }

    /// Free-time windows in an answer: separated by ";", a new line or " and ", each one parsed.
    static func availability(in text: String) throws -> [String] {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw badInput("say when you are free, such as \"weeknights after 8pm and saturday mornings\"")
        }
        do {
            return try AvailabilityPhrase.windows(in: text)
        } catch {
            throw badInput("\(error)")
        }
    }

    /// Fails with what to say instead unless `goal` resolves to something on the roadmap.
    func checkGoal(_ goal: String, background: Background) throws {
        do {
            _ = try GoalDecomposer.resolve(goal, catalogue: catalogue, background: background)
        } catch {
            throw Self.badInput("\(error.description); a roadmap stage such as first-apps, or words such as \"become an AI engineer\"")
        }
    }

    /// `placement.check`: one answer of `tutor assess` checked as soon as it is given, read the
    /// same way as in the chat's setup, so a mistake is asked again rather than failing the end.
    public func placementCheck(_ params: PlacementCheckParams) throws -> PlacementCheckResult {
        let text = params.text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch params.field {
        case "background":
            return PlacementCheckResult(value: try Self.background(in: text).rawValue)
        case "hours":
            return PlacementCheckResult(value: "\(try Self.hours(in: text))")
        case "availability":
            return PlacementCheckResult(value: try Self.availability(in: text).joined(separator: "; "))
        case "timeZone":
            guard TimeZone(identifier: text) != nil else {
                throw Self.badInput("unknown time zone '\(text)'; use an IANA name such as Europe/Paris or America/New_York")
            }
            return PlacementCheckResult(value: text)
        case "goal":
            guard !text.isEmpty else { throw Self.badInput("say what you want to reach, e.g. \"become an AI engineer\" or \"first-apps\"") }
            try checkGoal(text, background: Background(rawValue: params.background ?? "") ?? .programmer)
            return PlacementCheckResult(value: text)
        default:
            throw Self.badInput("unknown field '\(params.field)'; use background, hours, availability, timeZone or goal")
        }
    }

    /// The first number in `text`, in digits or in words ("ten hours", found by a newcomer).
    static func firstNumber(in text: String) -> Double? {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == ".") }).lazy
            .compactMap { Double($0) ?? Lexicon.numberWords[String($0)] }.first
    }
}
