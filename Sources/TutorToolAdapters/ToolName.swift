import TutorAgent

/// Every tool the tutor offers a model, by the snake_case name models call it: the one place a
/// tool's name is written. The offline model's replies switch over it without a `default`, so a
/// tool added here without an offline reply does not compile.
public enum ToolName: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case catalogueSearch = "catalogue_search"
    case catalogueShow = "catalogue_show"
    case progressSummary = "progress_summary"
    case logStudy = "log_study"
    case listTasks = "list_tasks"
    case completeTask = "complete_task"
    case addGoal = "add_goal"
    case weeklyPlan = "weekly_plan"
    case forecast
    case dueReviews = "due_reviews"
    case askQuestion = "ask_question"
    case giveHint = "give_hint"
    case checkAnswer = "check_answer"
    case skipQuestion = "skip_question"
    case recordReview = "record_review"
    case placementStart = "placement_start"
    case placementAnswer = "placement_answer"
    case placementCancel = "placement_cancel"
    case proposePlan = "propose_plan"
    case acceptPlan = "accept_plan"
    case searchNotes = "search_notes"
    case addQuizItem = "add_quiz_item"
    case updateProfile = "update_profile"
    case correctLog = "correct_log"
    case explainOrder = "explain_order"
    case testOut = "test_out"
    case reopenTasks = "reopen_tasks"
    case changeGoal = "change_goal"
    case recordEvidence = "record_evidence"

    /// The name as models call it, so a purpose can say "the id from \(ToolName.catalogueSearch)".
    public var description: String { rawValue }
}

/// One tool of the tutor, declared once in one type: its ``ToolName`` (`static let tool`), its
/// `purpose`, its `effect` and `returnsUntrustedText` when they are not the defaults, and its
/// `Arguments`, which declare their JSON Schema beside their coding keys (``ToolArguments``).
/// ``LearnerTools/registry(_:notes:quizWriter:)`` registers every one.
protocol TutorTool: Tool where Arguments: ToolArguments {
    static var tool: ToolName { get }
}

extension TutorTool {
    var name: String { Self.tool.rawValue }
}
