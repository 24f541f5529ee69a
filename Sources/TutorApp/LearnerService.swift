import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

/// Every service of the application layer over one ``AppContext``, and the operations the agent's
/// tools call, by their names. New code calls the service that owns the records (`profileService`,
/// `goalService`, …); this facade keeps the tools' call sites as they are.
public final class LearnerService: Sendable {
    let context: AppContext
    public let profileService: ProfileService
    public let goalService: GoalService
    public let planService: PlanService
    public let reviewService: ReviewService
    public let testOutService: TestOutService
    public let placementService: PlacementService
    public let catalogueService: CatalogueService
    public let exportService: ExportService
    public let checklistService: ChecklistService
    /// The roadmap as a graph with the learner's state on it.
    public let roadmapService: RoadmapService
    /// The HTML progress report.
    public let reportService: ReportService
    /// Grades answers with the model against a rubric; nil grades them offline.
    public let grader: RubricGrader?

    public init(context: AppContext, grader: RubricGrader? = nil) {
        self.context = context
        self.grader = grader
        profileService = ProfileService(context: context)
        goalService = GoalService(context: context)
        planService = PlanService(context: context)
        reviewService = ReviewService(context: context)
        testOutService = TestOutService(context: context)
        placementService = PlacementService(context: context)
        catalogueService = CatalogueService(context: context)
        exportService = ExportService(context: context)
        checklistService = ChecklistService(context: context)
        roadmapService = RoadmapService(context: context)
        reportService = ReportService(context: context)
    }

    /// - Parameters:
    ///   - now: the clock (injected so plans, reviews and forecasts are deterministic in tests).
    public convenience init(
        store: Store, catalogue: Catalogue, fsrs: FSRSParameters = FSRSParameters(), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(context: AppContext(store: store, catalogue: catalogue, fsrs: fsrs, now: now))
    }

    /// Changes whenever the learner's data does: caches of what is rendered from it compare it.
    public var dataVersion: UInt64 { context.store.learnerDataVersion }

    // MARK: The tools' operations, by their names

    public func profile() throws -> ProfileView { try profileService.profile() }
    public func setProfile(_ changes: ProfileSetParams) throws -> ProfileView { try profileService.setProfile(changes) }
    public func addGoal(_ params: GoalAddParams) throws -> GoalAddResult { try goalService.addGoal(params) }
    public func goals() throws -> GoalListResult { try goalService.goals() }
    public func tasks(_ params: TaskListParams) throws -> TaskListResult { try goalService.tasks(params) }
    public func completeTask(_ params: TaskDoneParams) throws -> TaskView { try goalService.completeTask(params) }
    public func logStudy(_ params: StudyLogParams) throws -> StudyLogResult { try goalService.logStudy(params) }
    public func correctLatestLog(minutes: Int?) throws -> StudyLogCorrection { try goalService.correctLatestLog(minutes: minutes) }
    public func reopenTasks(ids: [Int64]) throws -> TaskReopening { try goalService.reopenTasks(ids: ids) }
    public func correctFinishedTasks(meant: [Int64]) throws -> TaskReopening { try goalService.correctFinishedTasks(meant: meant) }
    public func changeGoal(action: String, goal: String?) throws -> GoalStatusChange {
        try goalService.changeGoal(action: action, goal: goal)
    }
    public func taskOrder(limit: Int, skill: String? = nil, before: String? = nil) throws -> TaskOrderView {
        try planService.taskOrder(limit: limit, skill: skill, before: before)
    }
    public func proposePlan(goal: String, tasks: [ProposedPlanTask]) throws -> ProposalResult {
        try goalService.proposePlan(goal: goal, tasks: tasks)
    }
    public func acceptPlan(proposalId: String) throws -> GoalAddResult { try goalService.acceptPlan(proposalId: proposalId) }
    public func weeklyPlan(_ params: PlanParams) throws -> PlanResult { try planService.weeklyPlan(params) }
    public func progress() throws -> ProgressResult { try planService.progress() }
    public func forecast(_ params: ForecastParams) throws -> ForecastResult { try planService.forecast(params) }
    public func searchCatalogue(_ params: CatalogueSearchParams) throws -> CatalogueSearchResult {
        try catalogueService.searchCatalogue(params)
    }
    public func showCatalogueEntry(_ params: CatalogueShowParams) throws -> CatalogueEntryView {
        try catalogueService.showCatalogueEntry(params)
    }
    public func nextReview() throws -> ReviewNextResult { try reviewService.nextReview() }
    public func gradeReview(_ params: ReviewGradeParams) throws -> ReviewGradeResult { try reviewService.gradeReview(params) }
    public func openMisconceptions() throws -> [MisconceptionView] { try reviewService.openMisconceptions() }
    public func askQuestion(session: String, skillId: String? = nil) throws -> QuestionView? {
        try reviewService.askQuestion(session: session, skillId: skillId)
    }
    public func hint(session: String) throws -> HintView { try reviewService.hint(session: session) }
    /// Checks the learner's answer to the open question: with a ``grader``, against the rubric by
    /// the model (within the offline grader's bounds), else offline.
    public func checkAnswer(session: String, answer: String?, reveal: Bool) async throws -> AnswerCheckView {
        var check: AnswerCheck?
        if let grader, !reveal, let given = answer?.trimmingCharacters(in: .whitespacesAndNewlines), !given.isEmpty,
            let (skill, item) = try reviewService.openQuestion(session: session)
        {
            check = await grader.grade(given, item: item, skill: skill).check
        }
        return try reviewService.checkAnswer(session: session, answer: answer, reveal: reveal, check: check)
    }
    /// A test-out in `session`: started on `skill`, the learner's `answer` checked (with a
    /// ``grader``, against the rubric by the model, else offline), stopped, or its question again.
    public func testOut(session: String, skill: String?, answer: String?, stop: Bool) async throws -> TestOutView {
        if stop { return try testOutService.stop(session: session) }
        if let skill, !skill.trimmingCharacters(in: .whitespaces).isEmpty {
            return try testOutService.start(session: session, skill: skill)
        }
        guard let given = answer?.trimmingCharacters(in: .whitespacesAndNewlines), !given.isEmpty else {
            return try testOutService.current(session: session)
        }
        var check: AnswerCheck?
        if let grader, let (skill, item) = try testOutService.openQuestion(session: session) {
            check = await grader.grade(given, item: item, skill: skill).check
        }
        return try testOutService.answer(session: session, text: given, check: check)
    }
    public func setQuestionAside(session: String) throws -> Bool { try reviewService.setQuestionAside(session: session) }
    public func skipQuestion(session: String) throws -> Bool { try reviewService.skipQuestion(session: session) }
    public func gradeReview(_ params: ReviewGradeParams, session: String) throws -> GradedAnswerView {
        try reviewService.gradeReview(params, session: session)
    }
    public func addQuizItem(skillId: String, question: String, answer: String, why: String, source: String) throws -> QuizItemView {
        try reviewService.addQuizItem(skillId: skillId, question: question, answer: answer, why: why, source: source)
    }
    public func placementStart(
        session: String, goal: String? = nil, introduction: String? = nil, hoursPerWeek: Double? = nil
    ) throws -> PlacementStepView {
        try placementService.placementStart(session: session, goal: goal, introduction: introduction, hoursPerWeek: hoursPerWeek)
    }
    public func placementAnswer(session: String, text: String) throws -> PlacementStepView {
        try placementService.placementAnswer(session: session, text: text)
    }
    public func placementCancel(session: String) throws -> Bool { try placementService.placementCancel(session: session) }
    public func placementProbe(_ params: PlacementProbeParams) throws -> PlacementProbeResult {
        try placementService.placementProbe(params)
    }
    public func placementFinish(_ params: PlacementFinishParams) throws -> PlacementResult { try placementService.placementFinish(params) }
    public func placementCheck(_ params: PlacementCheckParams) throws -> PlacementCheckResult {
        try placementService.placementCheck(params)
    }
    public func export(_ params: ExportParams) throws -> ExportResult { try exportService.export(params) }
    public func importData(_ params: ImportParams) async throws -> ImportResult { try await exportService.importData(params) }
}
