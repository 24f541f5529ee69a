import Logging
import Synchronization
import TutorApp
import TutorStore
import TutorWire

#if canImport(Glibc)
import Glibc
#endif

/// What the daemon's methods call, made once at start by ``Daemon/run(configuration:logger:schedulerClock:scenarios:reload:onListening:)``.
struct DaemonComponents: Sendable {
    let configuration: DaemonConfiguration
    let store: Store
    let started: ContinuousClock.Instant
    let shutdown: ShutdownTrigger
    /// The application's services.
    let app: LearnerService
    let notes: NotesService
    let chats: ChatSessions
    let scheduler: Scheduler
    /// The agent's tools, for `tools.list` and `tools.call`.
    let tools: ToolGateway
    /// Committed writes, for `events.subscribe`.
    let changes: ChangeFeed
    /// `eval.run`; nil leaves the method out.
    let evaluate: (@Sendable ([EvalScenarioText]) async -> EvalRunResult)?
}

extension Daemon {
    /// Brings the learner's goals in line with a newer built-in catalogue (see
    /// `CatalogueService.followCatalogue`); a failure is logged and tried again at the next start.
    static func followCatalogue(_ service: CatalogueService, logger: Logger) {
        do {
            guard let followed = try service.followCatalogue() else { return }
            logger.info(
                "following catalogue \(followed.to)",
                metadata: [
                    "catalogue.from": "\(followed.from ?? "none")", "catalogue.new_skills": "\(followed.newSkills.count)",
                ])
        } catch {
            logger.error("could not bring the goals in line with catalogue: \(error)")
        }
    }

    /// Every method the daemon serves, each with its handler: the one place a method is registered.
    ///
    /// A new RPC method: declare it in TutorWire (`Methods+*.swift`), add its operation to the
    /// service that owns the records, and add one line here.
    static func registerMethods(on router: inout Router, _ components: DaemonComponents) {
        let (store, app, notes, chats, scheduler) = (
            components.store, components.app, components.notes, components.chats, components.scheduler
        )
        registerCoreMethods(on: &router, components)

        // The learner's records, each handled by the service that owns them.
        router.register(ProfileShowMethod.self) { _, _ in try app.profileService.profile() }
        router.register(ProfileSetMethod.self) { params, _ in try app.profileService.setProfile(params) }
        router.register(GoalAddMethod.self) { params, _ in try app.goalService.addGoal(params) }
        router.register(GoalListMethod.self) { _, _ in try app.goalService.goals() }
        router.register(TaskListMethod.self) { params, _ in try app.goalService.tasks(params) }
        router.register(TaskDoneMethod.self) { params, _ in try app.goalService.completeTask(params) }
        router.register(StudyLogMethod.self) { params, _ in try app.goalService.logStudy(params) }
        router.register(StudyListMethod.self) { params, _ in try app.goalService.studyEntries(params) }
        router.register(StudyCorrectMethod.self) { params, _ in try app.goalService.correctLog(params) }
        router.register(GoalChangeMethod.self) { params, _ in try app.goalService.changeGoal(action: params.action, goal: params.goal) }
        router.register(TaskReopenMethod.self) { params, _ in try app.goalService.reopenTasks(ids: params.ids) }
        router.register(TaskSkipMethod.self) { params, _ in try app.goalService.skipTask(params) }
        router.register(PlanWeekMethod.self) { params, _ in try app.planService.weeklyPlan(params) }
        router.register(ProgressMethod.self) { _, _ in try app.planService.progress() }
        router.register(ForecastMethod.self) { params, _ in try app.planService.forecast(params) }
        router.register(RoadmapMethod.self) { params, _ in try app.roadmapService.roadmap(params) }
        router.register(ReportMethod.self) { params, _ in try app.reportService.writeReport(params) }
        router.register(CatalogueSearchMethod.self) { params, _ in try app.catalogueService.searchCatalogue(params) }
        router.register(CatalogueShowMethod.self) { params, _ in try app.catalogueService.showCatalogueEntry(params) }
        router.register(CatalogueChangesMethod.self) { params, _ in try app.catalogueService.changes(params) }
        router.register(ChecklistShowMethod.self) { params, _ in try app.checklistService.checklist(params) }
        router.register(ChecklistMarkMethod.self) { params, _ in try app.checklistService.mark(params) }
        router.register(ReviewNextMethod.self) { _, _ in try app.reviewService.nextReview() }
        router.register(ReviewGradeMethod.self) { params, _ in try app.reviewService.gradeReview(params) }
        router.register(ExportMethod.self) { params, _ in try app.exportService.export(params) }
        router.register(ImportMethod.self) { params, _ in try await app.exportService.importData(params) }
        router.register(PlacementProbeMethod.self) { params, _ in try app.placementService.placementProbe(params) }
        router.register(PlacementFinishMethod.self) { params, _ in try app.placementService.placementFinish(params) }
        router.register(PlacementCheckMethod.self) { params, _ in try app.placementService.placementCheck(params) }

        // Retrieval: ingest progress is streamed at most every 100 ms, plus the first and last step.
        router.register(NotesIngestMethod.self) { params, context in
            let throttle = ProgressThrottle(interval: .milliseconds(100))
            return try await notes.ingest(params) { step in
                guard throttle.shouldSend(final: step.phase != "indexing" || step.filesDone == step.filesTotal) else { return }
                await context.notify(NotesIngestMethod.progressNotification, step)
            }
        }
        router.register(NotesSearchMethod.self) { params, _ in try await notes.search(params) }
        router.register(NotesStatusMethod.self) { _, _ in try notes.status() }

        // Chat.
        router.register(ChatSendMethod.self) { params, context in try await chats.send(params, context: context) }
        router.register(ChatContextMethod.self) { params, _ in await chats.context(params.session) }
        router.register(ChatResetMethod.self) { params, _ in try chats.reset(params.session) }
        // Scenarios run against the same model, each in a throwaway store.
        if let evaluate = components.evaluate {
            router.register(EvalRunMethod.self) { params, _ in await evaluate(params.scenarios) }
        }

        // The agent's tools for programs outside the chat (`tutor mcp`), and change events.
        let (tools, changes) = (components.tools, components.changes)
        router.register(ToolsListMethod.self) { _, _ in tools.list() }
        router.register(ToolsCallMethod.self) { params, _ in try await tools.call(params) }
        router.register(EventsSubscribeMethod.self) { _, context in try await changes.serve(context) }

        // Jobs and the inbox.
        router.register(JobsListMethod.self) { _, _ in try scheduler.list() }
        router.register(JobsSetMethod.self) { params, _ in try scheduler.setSchedule(params) }
        router.register(JobsRunMethod.self) { params, _ in try await scheduler.runNow(params) }
        router.register(InboxListMethod.self) { params, _ in try scheduler.inbox(params, store: store) }
    }

    /// `status`, `config.show`, `shutdown` and, when enabled, `debug.sleep`.
    private static func registerCoreMethods(on router: inout Router, _ components: DaemonComponents) {
        let (configuration, store, started, shutdown) = (
            components.configuration, components.store, components.started, components.shutdown
        )
        // The schema cannot change while the daemon runs: read it once.
        let schema = (try? store.schemaVersion()) ?? (count: 0, newest: "unknown")
        router.registerImmediate(StatusMethod.self) { _ in
            let counts = try store.counts()
            let uptime = ContinuousClock.now - started
            let seconds = Double(uptime.components.seconds) + Double(uptime.components.attoseconds) / 1e18
            return StatusResult(
                version: version,
                protocolVersion: tutorProtocolVersion,
                pid: getpid(),
                uptimeSeconds: seconds,
                socketPath: configuration.paths.socketPath,
                dataDirectory: configuration.paths.dataDirectory,
                databasePath: store.path,
                schemaVersion: schema.count,
                schemaMigration: schema.newest,
                model: configuration.llm.baseURL == nil ? "offline" : configuration.llm.model ?? "unset",
                endpoint: configuration.llm.baseURL,
                counts: .init(goals: counts.goals, tasks: counts.tasks)
            )
        }
        router.registerImmediate(ConfigShowMethod.self) { _ in configuration.report }
        if configuration.debugMethods {
            router.register(DebugSleepMethod.self) { params, _ in
                guard (0...600_000).contains(params.milliseconds) else {
                    throw RPCError.invalidParams(DebugSleepMethod.name, "'milliseconds' must be from 0 to 600000")
                }
                if params.ignoringCancellation == true {
                    usleep(UInt32(params.milliseconds) * 1000)
                } else {
                    try await Task.sleep(for: .milliseconds(params.milliseconds))
                }
                return params
            }
        }
        router.register(ShutdownMethod.self) { _, context in
            context.logger.notice("shutdown requested over the socket")
            await shutdown.trigger()
            return ShutdownResult(pid: getpid(), message: "tutord is finishing in-flight requests and will exit.")
        }
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
