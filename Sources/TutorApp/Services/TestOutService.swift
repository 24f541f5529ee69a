import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore

/// Where a test-out stands, as the learner is told: the question to answer, or how it ended and
/// what that did to their list.
public struct TestOutView: Codable, Sendable, Equatable {
    /// The last answer, checked.
    public struct Checked: Codable, Sendable, Equatable {
        /// `correct`, `partly` or `incorrect`.
        public var verdict: String
        public var answer: String
    }

    /// `asking` (a question waits for the answer), `passed`, `failed` or `stopped`; or, when none
    /// could start: `unknown-skill`, `not-on-list` (no task of the skill), `already-off` (its tasks
    /// are all finished), `no-questions` (fewer than two check questions); `none-open` when no
    /// test-out is running.
    public var outcome: String
    public var skillId: String?
    public var skillTitle: String?
    /// The question waiting for the learner's answer (when `asking`).
    public var question: String?
    /// Its number, from 1.
    public var number: Int?
    /// Questions at most, and right answers needed to pass.
    public var of: Int
    public var needed: Int
    public var correct: Int
    public var answered: Int
    public var checked: Checked?
    /// The question asked again (the learner came back to it).
    public var repeated: Bool
    /// What a pass took off the learner's list.
    public var tasksTakenOff: Int
    public var minutesTakenOff: Int
    /// The skill's open tasks, kept after a fail or a stop.
    public var tasksKept: Int
    /// What to go over after a fail: the skill's checklist.
    public var review: [String]
    /// Skills the words might have meant, for `unknown-skill`.
    public var suggestions: [String]
    public var note: String
}

/// "I already know X": a short test on a skill's check questions that takes the skill's tasks off
/// the learner's list when they pass. The questions are the skill's quiz items (the roadmap's,
/// then those a model wrote), asked one at a time; passing takes ``needed`` right answers, never
/// one, out of at most ``maximumQuestions``, and the test ends as soon as passing is no longer
/// possible.
public struct TestOutService: AppService {
    public let context: AppContext

    public init(context: AppContext) { self.context = context }

    /// Questions asked at most, and right answers needed to pass.
    public static let maximumQuestions = 3
    public static let needed = 2
    /// How a test-out's evidence starts, on the tasks it took off and the skill's state.
    public static let evidencePrefix = "tested out"

    /// Starts a test-out on the skill `words` name, in `session` (one open there before is stopped).
    public func start(session: String, skill words: String) throws -> TestOutView {
        guard let skill = try resolve(words) else {
            let hits = catalogue.search(SkillWords.clean(words), limit: 3).filter { $0.kind == .skill }
            return empty(
                "unknown-skill", nil, suggestions: hits.map(\.title),
                note: "No roadmap skill matches '\(words)'. Ask which skill they mean (suggestions, if any), by its name.")
        }
        let tasks = try store.tasks().filter { $0.skillId == skill.id }
        guard !tasks.isEmpty else {
            return empty("not-on-list", skill, note: "The skill is not on the learner's list: there is nothing to take off.")
        }
        guard tasks.contains(where: { $0.status == "pending" || $0.status == "learning" }) else {
            return empty("already-off", skill, note: "Every task of this skill is already finished or skipped.")
        }
        let cards = try questionCards(of: skill)
        guard cards.count >= Self.needed else {
            return empty(
                "no-questions", skill,
                note:
                    "This skill has fewer than \(Self.needed) check questions, so it cannot be tested out; the learner can mark its tasks done with complete_task once they have shown the work."
            )
        }
        let testOut = try store.startTestOut(TestOutRecord(session: session, skillId: skill.id, cards: cards, startedAt: now()))
        return try view(testOut, skill: skill, checked: nil, repeated: false)
    }

    /// The session's open test-out's question again; `none-open` when none is running.
    public func current(session: String) throws -> TestOutView {
        guard let open = try store.openTestOut(session: session), let skill = catalogue.skill(open.skillId) else {
            return empty("none-open", nil, note: "No test-out is running. \"I already know SKILL\" starts one.")
        }
        return try view(open, skill: skill, checked: nil, repeated: true)
    }

    /// The open test-out's current question and its skill, for a grader; nil when none is open.
    public func openQuestion(session: String) throws -> (skill: Skill, item: QuizItem)? {
        guard let open = try store.openTestOut(session: session), let card = open.currentCard,
            let (skill, item, _) = try reviewService.item(forCard: card)
        else { return nil }
        return (skill, item)
    }

    /// Checks the learner's answer to the open test-out's question; the test passes, fails or asks
    /// the next question.
    ///
    /// - Parameter graded: the grade already given (by ``RubricGrader``); nil grades offline.
    public func answer(session: String, text: String, check graded: AnswerCheck? = nil) throws -> TestOutView {
        guard var open = try store.openTestOut(session: session), let card = open.currentCard,
            let (skill, item, _) = try reviewService.item(forCard: card)
        else { throw Self.badInput("no test-out is running in this chat; test_out with a skill starts one") }
        let given = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !given.isEmpty else { throw Self.badInput("pass the learner's answer as 'answer'") }
        let check = graded ?? AnswerCheck.grade(given, item: item, skill: skill)
        open.verdicts.append(check.verdict.rawValue)
        open.updatedAt = now()
        let checked = TestOutView.Checked(verdict: check.verdict.rawValue, answer: item.answer)
        let correct = open.verdicts.filter { $0 == AnswerCheck.Verdict.correct.rawValue }.count
        let left = open.cards.count - open.verdicts.count
        if correct >= Self.needed {
            let evidence = "\(Self.evidencePrefix): \(correct) of \(open.verdicts.count) check questions right"
            let state = SkillStateRecord(
                skillId: skill.id, mastery: Double(correct) / Double(open.verdicts.count), status: "mastered",
                evidence: [evidence], updatedAt: now())
            let taken = try store.passTestOut(
                open, evidence: evidence, skillState: state, planWeek: try currentWeek().description, at: now())
            open.status = "passed"
            open.tasksSkipped = taken.count
            open.minutesSkipped = taken.map { max(0, $0.estimateMinutes - $0.actualMinutes) }.reduce(0, +)
        } else if correct + left < Self.needed {
            open.status = "failed"
            try store.saveTestOut(open)
        } else {
            try store.saveTestOut(open)
        }
        return try view(open, skill: skill, checked: checked, repeated: false)
    }

    /// Stops the session's open test-out ("never mind"): nothing on the list changes.
    public func stop(session: String) throws -> TestOutView {
        guard var open = try store.openTestOut(session: session), let skill = catalogue.skill(open.skillId) else {
            return empty("none-open", nil, note: "No test-out was running; nothing changed.")
        }
        open.status = "stopped"
        open.updatedAt = now()
        try store.saveTestOut(open)
        return try view(open, skill: skill, checked: nil, repeated: false)
    }

    /// Marks the session's open test-out as set aside for another request: it stays open. Returns
    /// its skill and question the first time (the learner is told once), nil after that or when
    /// none is open.
    public func setAside(session: String) throws -> (skill: String, question: String)? {
        guard var open = try store.openTestOut(session: session), !open.reminded, let card = open.currentCard,
            let (skill, item, _) = try reviewService.item(forCard: card)
        else { return nil }
        open.reminded = true
        open.updatedAt = now()
        try store.saveTestOut(open)
        return (skill.title, item.question)
    }

    // MARK: Parts

    /// The skill `words` name: an id or alias, else the best title match, preferring one the
    /// learner has open tasks for ("python" is the Python skill on their list).
    func resolve(_ words: String) throws -> Skill? {
        let cleaned = SkillWords.clean(words)
        for candidate in [words, cleaned] + cleaned.split(separator: " ").map(String.init) {
            if let id = catalogue.canonicalID(candidate), let skill = catalogue.skill(id) { return skill }
        }
        let hits = catalogue.search(cleaned, limit: 8).filter { $0.kind == .skill && $0.score >= 10 }
        guard !hits.isEmpty else { return nil }
        let open = Set(try store.tasks(statuses: ["pending", "learning"]).compactMap(\.skillId))
        let best = hits.first.map(\.score) ?? 0
        let chosen = hits.first { open.contains($0.id) && $0.score >= best / 2 } ?? hits[0]
        return catalogue.skill(chosen.id)
    }

    /// The cards of the questions to ask: the roadmap's first, then those a model wrote.
    func questionCards(of skill: Skill) throws -> [String] {
        let cards = skill.quiz.indices.map { "\(skill.id)#\($0)" } + (try store.quizItems(skillId: skill.id).map(\.id))
        return Array(cards.prefix(Self.maximumQuestions))
    }

    func view(_ testOut: TestOutRecord, skill: Skill, checked: TestOutView.Checked?, repeated: Bool) throws -> TestOutView {
        let correct = testOut.verdicts.filter { $0 == AnswerCheck.Verdict.correct.rawValue }.count
        let kept = try store.tasks(statuses: ["pending", "learning"]).filter { $0.skillId == skill.id }.count
        var view = TestOutView(
            outcome: testOut.status == "open" ? "asking" : testOut.status, skillId: skill.id, skillTitle: skill.title, question: nil,
            number: nil, of: testOut.cards.count, needed: Self.needed, correct: correct, answered: testOut.verdicts.count,
            checked: checked, repeated: repeated, tasksTakenOff: testOut.tasksSkipped, minutesTakenOff: testOut.minutesSkipped,
            tasksKept: testOut.status == "passed" ? 0 : kept, review: [], suggestions: [], note: "")
        switch testOut.status {
        case "open":
            if let card = testOut.currentCard, let (_, item, _) = try reviewService.item(forCard: card) {
                view.question = item.question
                view.number = testOut.verdicts.count + 1
            }
            view.note =
                "Ask this question as it is and wait for the answer; give no hint and not the answer. Pass the learner's words to test_out as 'answer'; 'stop' ends the test-out."
        case "passed":
            view.note =
                "Tell the learner they passed and what was taken off their list (tasks and hours); the plan is made afresh without them."
        case "failed":
            view.review = skill.checklist
            view.note = "Say kindly that this one is not a pass yet, that the tasks stay, and suggest what to review (review)."
        default:
            view.note = "The test-out was stopped; nothing on the list changed."
        }
        return view
    }

    func empty(_ outcome: String, _ skill: Skill?, suggestions: [String] = [], note: String) -> TestOutView {
        TestOutView(
            outcome: outcome, skillId: skill?.id, skillTitle: skill?.title, question: nil, number: nil, of: 0, needed: Self.needed,
            correct: 0, answered: 0, checked: nil, repeated: false, tasksTakenOff: 0, minutesTakenOff: 0, tasksKept: 0, review: [],
            suggestions: suggestions, note: note)
    }
}

/// The words of "the linear algebra part" that name a skill: without articles and filler.
enum SkillWords {
    static let filler: Set<String> = [
        "the", "a", "an", "my", "part", "parts", "bit", "stuff", "section", "skill", "module", "basics", "already", "it", "all", "of",
        "that", "this", "one", "topic", "please",
    ]

    static func clean(_ words: String) -> String {
        let kept = words.lowercased().split { !$0.isLetter && !$0.isNumber && $0 != "-" }.map(String.init).filter { !filler.contains($0) }
        return kept.isEmpty ? words : kept.joined(separator: " ")
    }
}
