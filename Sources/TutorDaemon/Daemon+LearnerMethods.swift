import Synchronization
import TutorTools
import TutorWire

extension Daemon {
    /// Registers the learner's methods: profile, goals, tasks, study log, plans, progress, forecast,
    /// catalogue, reviews, export and import. Each is a thin call into ``LearnerService``.
    static func registerLearnerMethods(on router: inout Router, service: LearnerService) {
        router.register(ProfileShowMethod.self) { _, _ in try service.profile() }
        router.register(ProfileSetMethod.self) { params, _ in try service.setProfile(params) }
        router.register(GoalAddMethod.self) { params, _ in try service.addGoal(params) }
        router.register(GoalListMethod.self) { _, _ in try service.goals() }
        router.register(TaskListMethod.self) { params, _ in try service.tasks(params) }
        router.register(TaskDoneMethod.self) { params, _ in try service.completeTask(params) }
        router.register(StudyLogMethod.self) { params, _ in try service.logStudy(params) }
        router.register(PlanWeekMethod.self) { params, _ in try service.weeklyPlan(params) }
        router.register(ProgressMethod.self) { _, _ in try service.progress() }
        router.register(ForecastMethod.self) { params, _ in try service.forecast(params) }
        router.register(CatalogueSearchMethod.self) { params, _ in try service.searchCatalogue(params) }
        router.register(CatalogueShowMethod.self) { params, _ in try service.showCatalogueEntry(params) }
        router.register(ReviewNextMethod.self) { _, _ in try service.nextReview() }
        router.register(ReviewGradeMethod.self) { params, _ in try service.gradeReview(params) }
        router.register(ExportMethod.self) { params, _ in try service.export(params) }
        router.register(ImportMethod.self) { params, _ in try service.importData(params) }
        router.register(PlacementProbeMethod.self) { params, _ in try service.placementProbe(params) }
        router.register(PlacementFinishMethod.self) { params, _ in try service.placementFinish(params) }
        router.register(PlacementCheckMethod.self) { params, _ in try service.placementCheck(params) }
    }
}

extension Daemon {
    /// Registers retrieval: `notes.ingest` (progress streamed at most every 100 ms, plus the first
    /// and last step), `notes.search` and `notes.status`.
    static func registerNotesMethods(on router: inout Router, notes: NotesService) {
        router.register(NotesIngestMethod.self) { params, context in
            let throttle = ProgressThrottle(interval: .milliseconds(100))
            return try await notes.ingest(params) { step in
                guard throttle.shouldSend(final: step.phase != "indexing" || step.filesDone == step.filesTotal) else { return }
                await context.notify(NotesIngestMethod.progressNotification, step)
            }
        }
        router.register(NotesSearchMethod.self) { params, _ in try await notes.search(params) }
        router.register(NotesStatusMethod.self) { _, _ in try notes.status() }
    }
}

/// Lets a progress event through when `interval` has passed since the last one, or when it matters.
final class ProgressThrottle: Sendable {
    private let last = Mutex<ContinuousClock.Instant?>(nil)
    let interval: Duration

    init(interval: Duration) { self.interval = interval }

    func shouldSend(final: Bool) -> Bool {
        let now = ContinuousClock.now
        return last.withLock { last in
            guard final || last.map({ now - $0 >= interval }) ?? true else { return false }
            last = now
            return true
        }
    }
}
