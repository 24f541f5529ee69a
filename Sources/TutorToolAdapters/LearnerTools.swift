import Foundation
import TutorAgent
import TutorApp
import TutorTools
import TutorWire

/// The tutor's tools for the agent, each a thin, schema-checked call into ``LearnerService`` that
/// returns the same views the CLI shows.
public enum LearnerTools {
    /// A registry holding every tool of the tutor: the one place tools are registered. It holds
    /// `search_notes` when retrieval is given, and `add_quiz_item` when a model that can write
    /// questions (named `quizWriter`) is in the loop.
    public static func registry(_ service: LearnerService, notes: NotesService? = nil, quizWriter: String? = nil) -> ToolRegistry {
        var registry = ToolRegistry()
        registry.register(CatalogueSearchTool(service: service))
        registry.register(CatalogueShowTool(service: service))
        registry.register(ProgressSummaryTool(service: service))
        registry.register(LogStudyTool(service: service))
        registry.register(ListTasksTool(service: service))
        registry.register(CompleteTaskTool(service: service))
        registry.register(AddGoalTool(service: service))
        registry.register(WeeklyPlanTool(service: service))
        registry.register(ForecastTool(service: service))
        registry.register(DueReviewsTool(service: service))
        registry.register(AskQuestionTool(service: service))
        registry.register(GiveHintTool(service: service))
        registry.register(CheckAnswerTool(service: service))
        registry.register(SkipQuestionTool(service: service))
        registry.register(RecordReviewTool(service: service))
        registry.register(PlacementStartTool(service: service))
        registry.register(PlacementAnswerTool(service: service))
        registry.register(PlacementCancelTool(service: service))
        registry.register(ProposePlanTool(service: service))
        registry.register(AcceptPlanTool(service: service))
        registry.register(UpdateProfileTool(service: service))
        registry.register(CorrectLogTool(service: service))
        registry.register(ExplainOrderTool(service: service))
        registry.register(TestOutTool(service: service))
        registry.register(ReopenTasksTool(service: service))
        registry.register(ChangeGoalTool(service: service))
        registry.register(RecordEvidenceTool(service: service))
        if let notes { registry.register(SearchNotesTool(notes: notes)) }
        if let quizWriter { registry.register(AddQuizItemTool(service: service, model: quizWriter)) }
        return registry
    }
}

struct CatalogueSearchTool: TutorTool {
    static let tool = ToolName.catalogueSearch
    let purpose = "Find roadmap skills, projects, stages and tracks matching words; use it before naming a skill id."
    let service: LearnerService
    struct Arguments: ToolArguments {
        var query: String
        var limit: Int?
        static let schema = JSONSchema.object(
            properties: [
                "query": .string(description: "Words to look for, e.g. \"vector database\".", minLength: 1),
                "limit": .integer(description: "At most this many results (default 10).", minimum: 1, maximum: 50),
            ], required: ["query"])
    }
    func run(_ arguments: Arguments) async throws -> CatalogueSearchResult {
        try service.searchCatalogue(CatalogueSearchParams(query: arguments.query, limit: arguments.limit))
    }
}

struct CatalogueShowTool: TutorTool {
    static let tool = ToolName.catalogueShow
    let purpose = "Read one roadmap entry in full (description, prerequisites, hours, checklist, resources) by its id."
    let service: LearnerService
    struct Arguments: ToolArguments {
        var id: String
        static let schema = JSONSchema.object(
            properties: ["id": .string(description: "A skill, project, stage or track id from \(ToolName.catalogueSearch).", minLength: 1)],
            required: ["id"])
    }
    func run(_ arguments: Arguments) async throws -> CatalogueEntryView {
        try service.showCatalogueEntry(CatalogueShowParams(id: arguments.id))
    }
}

struct ProgressSummaryTool: TutorTool {
    static let tool = ToolName.progressSummary
    let purpose = "The learner's progress per stage and per active skill: mastery and hours logged against estimates."
    let service: LearnerService
    func run(_ arguments: NoArguments) async throws -> ProgressResult {
        // Only the skills with some activity: a whole-roadmap goal would otherwise list them all.
        var result = try service.progress()
        result.skills = result.skills.filter { $0.status != "not-started" || $0.minutesLogged > 0 }
        return result
    }
}

struct LogStudyTool: TutorTool {
    static let tool = ToolName.logStudy
    let purpose = "Record time the learner says they studied, optionally on one skill."
    let effect = ToolEffect.write
    let service: LearnerService
    struct Arguments: ToolArguments {
        var minutes: Int
        var skill: String?
        var note: String?
        static let schema = JSONSchema.object(
            properties: [
                "minutes": .integer(description: "Minutes studied.", minimum: 1, maximum: 1440),
                "skill": .string(description: "The skill id studied, if one."),
                "note": .string(description: "What they did, in a few words."),
            ], required: ["minutes"])
    }
    func run(_ arguments: Arguments) async throws -> StudyLogResult {
        try service.logStudy(StudyLogParams(minutes: arguments.minutes, skill: arguments.skill, note: arguments.note))
    }
}

struct ListTasksTool: TutorTool {
    static let tool = ToolName.listTasks
    let purpose = "List the learner's tasks in plan order, by default the open ones."
    let service: LearnerService
    struct Arguments: ToolArguments {
        var status: [String]?
        var limit: Int?
        static let schema = JSONSchema.object(
            properties: [
                "status": .array(
                    items: .string(enumValues: ["pending", "learning", "done", "skipped"]), description: "Only these statuses."),
                "limit": .integer(description: "At most this many (default 20).", minimum: 1, maximum: 200),
            ], required: [])
    }
    func run(_ arguments: Arguments) async throws -> TaskListResult {
        try service.tasks(TaskListParams(status: arguments.status ?? ["pending", "learning"], limit: arguments.limit ?? 20))
    }
}

struct CompleteTaskTool: TutorTool {
    static let tool = ToolName.completeTask
    let purpose = "Mark a task done when the learner says they finished it, with the minutes and evidence they give."
    let effect = ToolEffect.write
    let service: LearnerService
    struct Arguments: ToolArguments {
        var id: Int64
        var minutes: Int?
        var evidence: String?
        static let schema = JSONSchema.object(
            properties: [
                "id": .integer(description: "The task id from \(ToolName.listTasks).", minimum: 1),
                "minutes": .integer(description: "Minutes it took.", minimum: 0, maximum: 1440),
                "evidence": .string(description: "A path, URL or note showing the work."),
            ], required: ["id"])
    }
    func run(_ arguments: Arguments) async throws -> TaskView {
        try service.completeTask(TaskDoneParams(id: arguments.id, minutes: arguments.minutes, evidence: arguments.evidence))
    }
}

struct AddGoalTool: TutorTool {
    static let tool = ToolName.addGoal
    let purpose = "Add a goal (a skill, stage, project or track id, or the learner's own words) and break it into tasks."
    let effect = ToolEffect.write
    let service: LearnerService
    struct Arguments: ToolArguments {
        var text: String
        var replace: Bool?
        static let schema = JSONSchema.object(
            properties: [
                "text": .string(description: "The goal, e.g. \"rag-basics\" or \"become an AI engineer\".", minLength: 1),
                "replace": .boolean(
                    description: "True when the learner said it replaces their current goal (\"RAG instead\"): those are dropped, kept."),
            ],
            required: ["text"])
    }
    func run(_ arguments: Arguments) async throws -> GoalAddedView {
        GoalAddedView(try service.addGoal(GoalAddParams(text: arguments.text, replace: arguments.replace)))
    }
}

/// What the model sees of a goal added (``AddGoalTool``, ``AcceptPlanTool``): the goal, how many
/// tasks it added and the first few (the full list of a whole-roadmap goal is hundreds of tasks,
/// far too much for a context window).
public struct GoalAddedView: Codable, Sendable {
    public var goal: GoalView
    public var matchedBy: String
    public var newTasks: Int
    public var sharedTasks: Int
    public var firstTasks: [TaskView]
    /// The goals this one replaced (dropped, kept), by title.
    public var replaced: [String]?

    init(_ result: GoalAddResult) {
        self.goal = result.goal
        self.matchedBy = result.matchedBy
        self.newTasks = result.addedTasks.count
        self.sharedTasks = result.sharedTasks
        self.firstTasks = Array(result.addedTasks.prefix(8))
        self.replaced = result.replaced.map { $0.map(\.title) }
    }
}

struct WeeklyPlanTool: TutorTool {
    static let tool = ToolName.weeklyPlan
    let purpose = "This week's study plan (or another ISO week's): sessions in the learner's free time with their tasks."
    let service: LearnerService
    struct Arguments: ToolArguments {
        var week: String?
        var regenerate: Bool?
        static let schema = JSONSchema.object(
            properties: [
                "week": .string(description: "ISO week like 2026-W49; this week when omitted."),
                "regenerate": .boolean(description: "Plan afresh instead of returning the stored plan."),
            ], required: [])
    }
    func run(_ arguments: Arguments) async throws -> PlanResult {
        // The sessions are what the model needs; the Markdown and iCalendar renderings are for files.
        var plan = try service.weeklyPlan(PlanParams(week: arguments.week, regenerate: arguments.regenerate))
        plan.markdown = ""
        plan.iCalendar = ""
        return plan
    }
}

extension ForecastResult: JSONTextOutput {}

struct ForecastTool: TutorTool {
    static let tool = ToolName.forecast
    let purpose = "Realistic dates for each roadmap milestone at the learner's pace, or at another number of hours a week."
    let service: LearnerService
    struct Arguments: ToolArguments {
        var hoursPerWeek: Double?
        enum CodingKeys: String, CodingKey { case hoursPerWeek = "hours_per_week" }
        static let schema = JSONSchema.object(
            properties: [
                "hours_per_week": .number(description: "Forecast as if studying this many hours a week.", minimum: 0.5, maximum: 80)
            ],
            required: [])
    }
    func run(_ arguments: Arguments) async throws -> ForecastResult {
        try service.forecast(ForecastParams(hoursPerWeek: arguments.hoursPerWeek))
    }
}

struct ProposePlanTool: TutorTool {
    static let tool = ToolName.proposePlan
    let purpose =
        "For a goal in the learner's own words, propose tasks tied to roadmap skills and projects (prerequisites first); the tutor checks them and explains any problem."
    let service: LearnerService
    struct Arguments: ToolArguments {
        var goal: String
        var tasks: [ProposedPlanTask]
        static let schema = JSONSchema.object(
            properties: [
                "goal": .string(description: "The goal in the learner's words.", minLength: 1),
                "tasks": .array(
                    items: .object(
                        properties: [
                            "skill_id": .string(description: "A roadmap skill id (from \(ToolName.catalogueSearch))."),
                            "project_id": .string(description: "A roadmap project id, for a build task."),
                            "kind": .string(enumValues: ["learn", "practice", "check", "project"]),
                            "minutes": .integer(minimum: 15, maximum: 6000),
                        ], required: ["kind", "minutes"]),
                    description: "The tasks in order, prerequisites first."),
            ], required: ["goal", "tasks"])
    }
    func run(_ arguments: Arguments) async throws -> ProposalResult {
        try service.proposePlan(goal: arguments.goal, tasks: arguments.tasks)
    }
}

struct AcceptPlanTool: TutorTool {
    static let tool = ToolName.acceptPlan
    let purpose = "Store a checked proposal as the learner's goal and tasks; only after the learner has agreed to it."
    let effect = ToolEffect.write
    let service: LearnerService
    struct Arguments: ToolArguments {
        var proposalId: String
        enum CodingKeys: String, CodingKey { case proposalId = "proposal_id" }
        static let schema = JSONSchema.object(
            properties: ["proposal_id": .string(description: "The id \(ToolName.proposePlan) returned.", minLength: 1)],
            required: ["proposal_id"])
    }
    func run(_ arguments: Arguments) async throws -> GoalAddedView {
        GoalAddedView(try service.acceptPlan(proposalId: arguments.proposalId))
    }
}

struct ReopenTasksTool: TutorTool {
    static let tool = ToolName.reopenTasks
    let purpose = "Reopen finished tasks (ids), or keep only the last day's done tasks the learner meant (meant)."
    let effect = ToolEffect.write
    let overwrites = true
    let service: LearnerService
    struct Arguments: ToolArguments {
        var ids: [Int64]?
        var meant: [Int64]?
        static let schema = JSONSchema.object(
            properties: [
                "ids": .array(items: .integer()),
                "meant": .array(items: .integer()),
            ], required: [])
    }
    func run(_ arguments: Arguments) async throws -> TaskReopening {
        if let meant = arguments.meant, !meant.isEmpty {
            return try service.correctFinishedTasks(meant: meant)
        }
        return try service.reopenTasks(ids: arguments.ids ?? [])
    }
}

struct ChangeGoalTool: TutorTool {
    static let tool = ToolName.changeGoal
    let purpose = "Pause, resume or drop a goal (by number or title words)."
    let effect = ToolEffect.write
    let overwrites = true
    let service: LearnerService
    struct Arguments: ToolArguments {
        var action: String
        var goal: String?
        static let schema = JSONSchema.object(
            properties: [
                "action": .string(enumValues: GoalService.goalActions),
                "goal": .string(),
            ], required: ["action"])
    }
    func run(_ arguments: Arguments) async throws -> GoalStatusChange {
        try service.changeGoal(action: arguments.action, goal: arguments.goal)
    }
}

/// Evidence for a hands-on checklist item ("here is my MCP server: URL"), which counts toward the
/// skill's mastery beside its quiz.
struct RecordEvidenceTool: TutorTool {
    static let tool = ToolName.recordEvidence
    let purpose =
        "Record what the learner built or ran for a hands-on checklist item of a skill: a link, a file path or a command's output. Item numbers are the checklist's, from 1 (catalogue_show lists the checklist)."
    let effect = ToolEffect.write
    let service: LearnerService
    struct Arguments: ToolArguments {
        var skill: String
        var item: Int
        var evidence: String
        static let schema = JSONSchema.object(
            properties: [
                "skill": .string(description: "The skill id, e.g. \"mcp-basics\".", minLength: 1),
                "item": .integer(description: "The checklist item's number, from 1.", minimum: 1, maximum: 50),
                "evidence": .string(description: "A link, an absolute file path, or a command's output.", minLength: 1),
            ], required: ["skill", "item", "evidence"])
    }
    func run(_ arguments: Arguments) async throws -> ChecklistView {
        try service.checklistService.mark(ChecklistMarkParams(skill: arguments.skill, item: arguments.item, evidence: arguments.evidence))
    }
}
