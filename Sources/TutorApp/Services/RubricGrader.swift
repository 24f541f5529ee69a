import Foundation
import TutorCatalogue
import TutorLearning
import TutorModel
import TutorPrompts

/// With a language model configured, a rubric-based second opinion on an answer: the question,
/// its reference answer and key points go in (template `grade-answer`, purpose `.grade`), a JSON
/// grade with the key points missed comes out. The offline grader (``AnswerCheck``) always runs
/// too: it is the verdict when the model fails or its output does not parse, and it bounds the
/// model's: the model may only lower a grade, so "correct" is never given to an answer the offline
/// grader did not find correct (Docs/eval.md has the figures behind this choice).
public struct RubricGrader: Sendable {
    /// What the model said, once parsed.
    public struct ModelGrade: Sendable, Equatable {
        public var verdict: AnswerCheck.Verdict
        public var missing: [String]

        public init(verdict: AnswerCheck.Verdict, missing: [String]) {
            self.verdict = verdict
            self.missing = missing
        }
    }

    /// The grade given, with both opinions behind it.
    public struct Result: Sendable, Equatable {
        public var check: AnswerCheck
        public var offline: AnswerCheck
        /// Nil when the model failed or its output did not parse.
        public var model: ModelGrade?
    }

    public let model: any ChatModel
    let prompts: PromptLibrary

    public init(model: any ChatModel, prompts: PromptLibrary) {
        self.model = model
        self.prompts = prompts
    }

    /// Grades `answer` to a catalogue question of `skill`.
    public func grade(_ answer: String, item: QuizItem, skill: Skill) async -> Result {
        let offline = AnswerCheck.grade(answer, item: item, skill: skill)
        let request = ChatRequest(
            messages: [.system(Self.prompt(item, prompts: prompts)), .user(answer)], temperature: 0,
            maxTokens: OutputBound.gradeTokens, purpose: .grade, responseSchema: Self.schema)
        guard let text = try? await model.completeText(request), let said = Self.parse(text) else {
            return Result(check: offline, offline: offline, model: nil)
        }
        return Result(check: Self.combine(offline: offline, model: said), offline: offline, model: said)
    }

    /// The shape of the model's answer.
    static let schema = """
        {"type": "object", "properties": {"grade": {"type": "string", "enum": ["correct", "partly", "incorrect"]},
        "missing": {"type": "array", "items": {"type": "string"}}}, "required": ["grade", "missing"]}
        """

    /// The system prompt for `item`: key points shown with their wordings joined by "or".
    static func prompt(_ item: QuizItem, prompts: PromptLibrary) -> String {
        let points = (item.keyPoints ?? []).map { point in
            point.replacingOccurrences(of: "~", with: "").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                .joined(separator: " or ")
        }
        return prompts.render(
            "grade-answer", ["question": item.question, "reference": item.answer, "why": item.why, "keyPoints": points])
    }

    /// The grade in a model's reply: the first JSON object in it (code fences and text around it
    /// are tolerated) with a `grade` of correct, partly or incorrect.
    public static func parse(_ text: String) -> ModelGrade? {
        guard let start = text.firstIndex(of: "{"), let end = text.lastIndex(of: "}"), start < end,
            let object = try? JSONSerialization.jsonObject(with: Data(text[start...end].utf8)) as? [String: Any],
            let grade = (object["grade"] as? String)?.lowercased().trimmingCharacters(in: .whitespaces),
            let verdict = AnswerCheck.Verdict(rawValue: grade == "partial" ? "partly" : grade)
        else { return nil }
        return ModelGrade(verdict: verdict, missing: (object["missing"] as? [Any])?.compactMap { $0 as? String } ?? [])
    }

    /// How far the model's verdict may move the offline grader's.
    public enum Policy: Sendable {
        /// The model may only lower a grade: "correct" is given only where the offline grader gave it.
        case lowerOnly
        /// As `lowerOnly`, and the model may also raise "incorrect" to "partly".
        case raiseToPartly
    }

    /// The model's verdict within the offline grader's bounds (see ``Policy``).
    public static func combine(offline: AnswerCheck, model: ModelGrade, policy: Policy = .lowerOnly) -> AnswerCheck {
        let rank: [AnswerCheck.Verdict: Int] = [.incorrect: 0, .partly: 1, .correct: 2]
        var verdict = model.verdict
        if rank[verdict, default: 0] > rank[offline.verdict, default: 0] {
            verdict = policy == .raiseToPartly && offline.verdict == .incorrect ? .partly : offline.verdict
        }
        guard verdict != offline.verdict else { return offline }
        return AnswerCheck(
            verdict: verdict, coverage: offline.coverage, missing: model.missing.isEmpty ? offline.missing : model.missing)
    }
}
