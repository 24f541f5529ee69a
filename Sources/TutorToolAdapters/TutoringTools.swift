import Foundation
import TutorAgent
import TutorApp
import TutorStore
import TutorTools
import TutorWire

// The tutoring tools keep each chat's open question in the store: asked, hinted, answered, graded.
// The first four change only that conversation state (like the transcript), not the learner's
// data, so they run without confirmation even after untrusted text; grading and new questions
// change the learner's data and are writes.

/// The session the running tool serves; "default" outside a chat (tests calling tools directly).
var currentSession: String { ToolContext.session ?? "default" }

/// What the offline model knows of a chat besides its messages: the state the tools keep.
public struct ChatState: Sendable, Equatable {
    /// The open question, if any.
    public var exercise: ExerciseRecord?
    /// The first-run setup in progress, if any.
    public var placement: PlacementDraftRecord?
    /// Whether the learner has a profile (no setup is offered then).
    public var hasProfile: Bool
    /// The test-out running, if any ("I already know X").
    public var testOut: TestOutRecord?

    /// The step of a first-run setup in progress, if any.
    public var placementStep: String? { placement?.step }

    public init(
        exercise: ExerciseRecord? = nil, placement: PlacementDraftRecord? = nil, hasProfile: Bool = true, testOut: TestOutRecord? = nil
    ) {
        self.exercise = exercise
        self.placement = placement
        self.hasProfile = hasProfile
        self.testOut = testOut
    }

    /// The state of `session` in `store`; nil when it cannot be read.
    public static func read(_ store: Store, session: String) -> ChatState? {
        do {
            let state = try store.tutoringState(session: session, misconceptions: 0)
            return ChatState(
                exercise: state.exercise, placement: state.draft, hasProfile: try store.profile() != nil,
                testOut: try store.openTestOut(session: session))
        } catch {
            return nil
        }
    }
}

struct AskQuestionTool: TutorTool {
    static let tool = ToolName.askQuestion
    let purpose =
        "Put one question to the learner: of a skill just explained (to check understanding), else the most overdue review. Returns the question without its answer; while one is open, returns that one again."
    let service: LearnerService
    struct Arguments: ToolArguments {
        var skillId: String?
        enum CodingKeys: String, CodingKey { case skillId = "skill_id" }
        static let schema = JSONSchema.object(
            properties: ["skill_id": .string(description: "Ask about this skill (after explaining it); omit for a review quiz.")],
            required: [])
    }
    func run(_ arguments: Arguments) async throws -> AskedQuestionView {
        if let question = try service.askQuestion(session: currentSession, skillId: arguments.skillId) {
            return AskedQuestionView(question: question, note: nil)
        }
        return AskedQuestionView(
            question: nil,
            note: "Nothing to ask yet: questions come with the skills the learner studies. Suggest logging study on a skill first.")
    }
}

/// What ``AskQuestionTool`` returns: the question put to the learner, or, when there is none to
/// ask, a note saying why.
public struct AskedQuestionView: Codable, Sendable {
    public var question: QuestionView?
    public var note: String?
}

struct DueReviewsTool: TutorTool {
    static let tool = ToolName.dueReviews
    let purpose =
        "How many review questions are due, and the next one's question (its answer stays with the tutor: put it to the learner with \(ToolName.askQuestion))."
    let service: LearnerService
    struct Item: Encodable, Sendable {
        var cardId: String
        var skillId: String
        var skillTitle: String
        var question: String
    }
    struct Output: Encodable, Sendable {
        var dueCount: Int
        var item: Item?
    }
    func run(_ arguments: NoArguments) async throws -> Output {
        let next = try service.nextReview()
        return Output(
            dueCount: next.dueCount,
            item: next.item.map { Item(cardId: $0.cardId, skillId: $0.skillId, skillTitle: $0.skillTitle, question: $0.question) })
    }
}

struct GiveHintTool: TutorTool {
    static let tool = ToolName.giveHint
    let purpose = "The next hint for the open question, when the learner is stuck: each hint gives away a little more, never the answer."
    let service: LearnerService
    func run(_ arguments: NoArguments) async throws -> HintView { try service.hint(session: currentSession) }
}

struct CheckAnswerTool: TutorTool {
    static let tool = ToolName.checkAnswer
    let purpose =
        "Check the learner's answer to the open question against the model answer (or, with reveal, show the answer they asked for outright); returns the verdict, the answer and a suggested grade."
    let service: LearnerService
    struct Arguments: ToolArguments {
        var answer: String?
        var reveal: Bool?
        static let schema = JSONSchema.object(
            properties: [
                "answer": .string(description: "The learner's answer, in their words."),
                "reveal": .boolean(description: "True only when the learner asks for the answer outright."),
            ], required: [])
    }
    func run(_ arguments: Arguments) async throws -> AnswerCheckView {
        try await service.checkAnswer(session: currentSession, answer: arguments.answer, reveal: arguments.reveal ?? false)
    }
}

struct SkipQuestionTool: TutorTool {
    static let tool = ToolName.skipQuestion
    let purpose = "Close the open question without a grade, when the learner wants to move on."
    let service: LearnerService
    struct Output: Encodable, Sendable { var skipped: Bool }
    func run(_ arguments: NoArguments) async throws -> Output { Output(skipped: try service.skipQuestion(session: currentSession)) }
}

struct RecordReviewTool: TutorTool {
    static let tool = ToolName.recordReview
    let purpose =
        "Record the grade of the learner's answer (1 again, 2 hard, 3 good, 4 easy; the learner has the last word) and schedule the question's next review."
    let effect = ToolEffect.write
    let service: LearnerService
    struct Arguments: ToolArguments {
        var cardId: String
        var rating: Int
        enum CodingKeys: String, CodingKey {
            case cardId = "card_id"
            case rating
        }
        static let schema = JSONSchema.object(
            properties: [
                "card_id": .string(description: "The card id from \(ToolName.askQuestion).", minLength: 1),
                "rating": .integer(description: "1 again, 2 hard, 3 good, 4 easy.", minimum: 1, maximum: 4),
            ], required: ["card_id", "rating"])
    }
    func run(_ arguments: Arguments) async throws -> GradedAnswerView {
        try service.gradeReview(ReviewGradeParams(cardId: arguments.cardId, rating: arguments.rating), session: currentSession)
    }
}

struct AddQuizItemTool: TutorTool {
    static let tool = ToolName.addQuizItem
    let purpose =
        "Add a new review question about a skill, written from the roadmap's text on it (read it with \(ToolName.catalogueShow) first); the tutor checks that the answer is grounded in that text and that the question is new."
    let effect = ToolEffect.write
    let service: LearnerService
    let model: String
    struct Arguments: ToolArguments {
        var skillId: String
        var question: String
        var answer: String
        var why: String
        enum CodingKeys: String, CodingKey {
            case skillId = "skill_id"
            case question, answer, why
        }
        static let schema = JSONSchema.object(
            properties: [
                "skill_id": .string(description: "The roadmap skill id.", minLength: 1),
                "question": .string(description: "One question about understanding, not trivia.", minLength: 10),
                "answer": .string(description: "The answer, at most three sentences, using the roadmap text's words.", minLength: 1),
                "why": .string(description: "One sentence: which part of the roadmap text supports the answer."),
            ], required: ["skill_id", "question", "answer", "why"])
    }
    func run(_ arguments: Arguments) async throws -> QuizItemView {
        try service.addQuizItem(
            skillId: arguments.skillId, question: arguments.question, answer: arguments.answer, why: arguments.why, source: model)
    }
}

struct PlacementStartTool: TutorTool {
    static let tool = ToolName.placementStart
    let purpose =
        "Begin (or resume) the first-run setup for a learner with no profile: background, weekly hours, free time, goal, then three foundation questions."
    let service: LearnerService
    struct Arguments: ToolArguments {
        var goal: String?
        var introduction: String?
        var hoursPerWeek: Double?
        enum CodingKeys: String, CodingKey {
            case goal, introduction
            case hoursPerWeek = "hours_per_week"
        }
        static let schema = JSONSchema.object(
            properties: [
                "goal": .string(description: "A goal the learner already stated, in their words."),
                "hours_per_week": .number(description: "Weekly hours the learner changed to during the setup.", minimum: 0.5, maximum: 80),
                "introduction": .string(
                    description: "What the learner said about themselves, in their words (their background is then not asked again)."),
            ], required: [])
    }
    func run(_ arguments: Arguments) async throws -> PlacementStepView {
        try service.placementStart(
            session: currentSession, goal: arguments.goal, introduction: arguments.introduction, hoursPerWeek: arguments.hoursPerWeek)
    }
}

struct PlacementAnswerTool: TutorTool {
    static let tool = ToolName.placementAnswer
    let purpose =
        "Pass the learner's reply to the current setup question; returns the next question, or, after the last, the saved profile, goal and timeline."
    let effect = ToolEffect.write
    let service: LearnerService
    struct Arguments: ToolArguments {
        var text: String
        static let schema = JSONSchema.object(
            properties: ["text": .string(description: "The learner's reply, in their words.", minLength: 1)], required: ["text"])
    }
    func run(_ arguments: Arguments) async throws -> PlacementStepView {
        try service.placementAnswer(session: currentSession, text: arguments.text)
    }
}

struct PlacementCancelTool: TutorTool {
    static let tool = ToolName.placementCancel
    let purpose = "Stop the first-run setup when the learner wants to do it later; nothing it gathered is saved."
    let service: LearnerService
    struct Output: Encodable, Sendable { var cancelled: Bool }
    func run(_ arguments: NoArguments) async throws -> Output { Output(cancelled: try service.placementCancel(session: currentSession)) }
}

struct TestOutTool: TutorTool {
    static let tool = ToolName.testOut
    let purpose = "The learner says they know a skill: test them out of it. Start with skill, pass each answer, stop ends it."
    let effect = ToolEffect.write
    let service: LearnerService
    struct Arguments: ToolArguments {
        var skill: String?
        var answer: String?
        var stop: Bool?
        static let schema = JSONSchema.object(
            properties: [
                "skill": .string(),
                "answer": .string(),
                "stop": .boolean(),
            ], required: [])
    }
    func run(_ arguments: Arguments) async throws -> TestOutView {
        try await service.testOut(
            session: currentSession, skill: arguments.skill, answer: arguments.answer, stop: arguments.stop == true)
    }
}
