import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TutorApp
import TutorCatalogue
import TutorChatSession
import TutorLLM
import TutorModel
import TutorOffline
import TutorPrompts
import TutorRetrieval
import TutorSecrets
import TutorStore
import TutorToolAdapters
import TutorTools
import TutorWire
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// Composes and runs `tutord`: folders, the instance lock, the store, the router and the socket
/// server, under one `ServiceGroup` that shuts down on SIGTERM, SIGINT or the `shutdown` method.
public enum Daemon {
    /// The version `status` reports.
    public static let version = "0.1.0"

    /// Runs the daemon until it is asked to stop; returns after a clean shutdown. `scenarios` runs
    /// `eval.run` (nil leaves the method out); `reload` reads the configuration again on SIGHUP (nil
    /// ignores the signal's request with a log line).
    ///
    /// - Throws: ``DaemonError`` when it cannot start (another daemon serves the socket, the folder
    ///   cannot be created, the store cannot be opened).
    public static func run(
        configuration: DaemonConfiguration,
        logger: Logger,
        schedulerClock: any SchedulerClock = WallClock(),
        scenarios: (any ScenarioRunner)? = nil,
        reload: (@Sendable () async throws -> DaemonConfiguration)? = nil,
        onListening: @escaping @Sendable () -> Void = {}
    ) async throws {
        let started = ContinuousClock.now
        // Everything the daemon creates is private to its owner.
        umask(0o077)
        let paths = configuration.paths
        do {
            if let warning = try Store.makePrivateFolder(paths.dataDirectory) { logger.warning("\(warning)") }
            try prepareSocketFolder(for: paths.socketPath)
        } catch {
            throw DaemonError(.cannotPrepareFolder, "\(error)")
        }
        let lock = try InstanceLock(socketPath: paths.socketPath)
        defer { lock.release() }
        // The socket's lock alone lets a second daemon on another socket open the same database.
        let dataLock = try InstanceLock(dataDirectory: paths.dataDirectory, socketPath: paths.socketPath)
        defer { dataLock.release() }
        try refusePlantedSocket(at: paths.socketPath)

        let store: Store
        do {
            store = try Store(path: configuration.databasePath)
        } catch {
            throw DaemonError(.storeUnavailable, error.description)
        }

        let catalogue: Catalogue
        do {
            catalogue = try Catalogue.bundled()
        } catch {
            throw DaemonError(.storeUnavailable, "the built-in roadmap catalogue did not load: \(error)")
        }
        let app = AppContext(store: store, catalogue: catalogue, logger: logger)
        followCatalogue(CatalogueService(context: app), logger: logger)
        let shutdown = ShutdownTrigger()
        // One HTTP client for every outgoing call: the model endpoint and the notification webhook.
        let httpClient = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: endpointConfiguration(configuration, baseURL: configuration.llm.baseURL ?? "http://127.0.0.1", model: "")
                .httpClientConfiguration())
        // Prompts: the bundled templates, with the user's overrides from the config folder.
        let prompts = PromptLibrary(overrideDirectory: PromptLibrary.overrideDirectory(environment: ProcessInfo.processInfo.environment))
        for warning in prompts.warnings { logger.warning("\(warning)") }
        let notes = NotesService(
            index: NotesIndex(
                store: store, embeddings: makeEmbeddingModel(configuration: configuration, httpClient: httpClient, logger: logger),
                logger: logger))
        let chatModel = makeChatModel(
            configuration: configuration, catalogue: catalogue, prompts: prompts, httpClient: httpClient, logger: logger)
        let sessions = ChatSessionFactory(
            model: chatModel, context: app, notes: notes, prompts: prompts, contextLimit: configuration.llm.contextWindow,
            maximumOutput: configuration.llm.maxOutputTokens)

        // The scheduler: weekly plans, digests, session checks, note re-ingests, and their notices.
        let notifier = Notifier(store: store, httpClient: httpClient, settings: configuration.notifications, logger: logger)
        let jobs = JobContext(app: app, notes: notes, model: sessions.model, prompts: prompts, logger: logger)
        let scheduler = Scheduler(store: store, jobs: jobs.jobs, calendar: jobs, notifier: notifier, clock: schedulerClock, logger: logger)

        // Scenarios run against the same model, each in a throwaway store.
        var evaluate: (@Sendable ([EvalScenarioText]) async -> EvalRunResult)?
        if let scenarios {
            evaluate = { texts in await scenarios.run(texts, model: chatModel, catalogue: catalogue, prompts: prompts) }
        }
        let changes = ChangeFeed()
        store.observeCommits { changes.publish() }
        var router = Router()
        registerMethods(
            on: &router,
            DaemonComponents(
                configuration: configuration, store: store, started: started, shutdown: shutdown, app: sessions.service, notes: notes,
                chats: ChatSessions(factory: sessions, contextLimit: configuration.llm.contextWindow), scheduler: scheduler,
                tools: ToolGateway(tools: sessions.toolRegistry), changes: changes, evaluate: evaluate))

        let server = SocketServer(
            settings: .init(
                socketPath: paths.socketPath,
                maxConnections: configuration.maxConnections,
                maxInFlight: configuration.maxInFlightPerConnection,
                idleTimeout: configuration.idleTimeout
            ),
            router: router,
            logger: logger,
            onListening: onListening
        )
        let watchdog = ShutdownWatchdog(bound: configuration.shutdownTimeout + .seconds(5), logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: StoreService(store: store, logger: logger)),
                    .init(service: HTTPClientService(client: httpClient, logger: logger)),
                    .init(service: scheduler),
                    .init(
                        service: ReloadService(logger: logger) { reloaded in
                            apply(reloaded, over: configuration, notifier: notifier, logger: logger)
                        } load: {
                            try await reload?()
                        }),
                    .init(service: server),
                    .init(service: watchdog),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: logger
            ).withShutdownBound(configuration.shutdownTimeout)
        )
        shutdown.install(group)
        logger.info(
            "tutord starting",
            metadata: [
                "tutor.version": "\(version)",
                "store.path": "\(store.path)",
                "llm.model": "\(configuration.llm.baseURL == nil ? "offline" : configuration.llm.model ?? "unset")",
            ]
        )
        defer { unlink(paths.socketPath) }
        // The catalogue's text joins the search index in the background; unchanged texts are skipped.
        let catalogueIndexing = Task {
            do {
                let result = try await notes.indexCatalogue(catalogue)
                if result.written + result.removed > 0 {
                    logger.info("catalogue text indexed", metadata: ["written": "\(result.written)", "removed": "\(result.removed)"])
                }
            } catch {
                logger.error("indexing the catalogue's text failed", metadata: ["error": "\(error)"])
            }
        }
        defer { catalogueIndexing.cancel() }
        defer { watchdog.disarm() }
        try await group.run()
        logger.info("tutord stopped")
    }

    /// Creates the socket's folder (0700) when missing and tightens Tutor's own folder.
    /// Refuses to start when something other than a socket sits at the socket path: NIO's clean-up
    /// follows a symbolic link there, and a stale socket is all that holding the lock may remove.
    static func refusePlantedSocket(at socketPath: String) throws(DaemonError) {
        var info = stat()
        guard lstat(socketPath, &info) == 0 else { return }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFSOCK, info.st_uid == getuid() {
            // Ours, but is anyone listening? Binding would unlink it and take the path from a live
            // server: another tutord with another data folder, or another program entirely.
            guard socketIsListening(socketPath) else { return }
            throw DaemonError(
                .alreadyRunning,
                "another program is serving on \(socketPath) (a tutord of another data folder, or something else). Stop it, or give this tutord another socket with TUTOR_SOCKET or --socket."
            )
        }
        let what = kind == S_IFLNK ? "a symbolic link" : kind == S_IFSOCK ? "a socket of uid \(info.st_uid)" : "not a socket"
        throw DaemonError(
            .cannotBind,
            "refusing to serve on \(socketPath): it is \(what), not a socket this daemon left behind. Remove it (`rm \(socketPath)`) if you know what it is, or give tutord another --socket."
        )
    }

    /// Whether a server accepts connections on the Unix socket at `path` (a stale file refuses them).
    static func socketIsListening(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return connected == 0
    }

    static func prepareSocketFolder(for socketPath: String) throws(StoreError) {
        guard let slash = socketPath.lastIndex(of: "/") else { return }
        let folder = String(socketPath[..<slash])
        guard !folder.isEmpty else { return }
        var info = stat()
        if stat(folder, &info) != 0 || folder.hasSuffix("/tutor") {
            try Store.makePrivateFolder(folder)
        }
    }
}

/// Lets a method handler ask the service group to shut down gracefully.
final class ShutdownTrigger: Sendable {
    private let group = Mutex<ServiceGroup?>(nil)

    func install(_ serviceGroup: ServiceGroup) { group.withLock { $0 = serviceGroup } }

    func trigger() async {
        let serviceGroup = group.withLock { $0 }
        await serviceGroup?.triggerGracefulShutdown()
    }
}

/// Owns the store for the daemon's lifetime and closes it last, after the server has drained.
struct StoreService: Service {
    let store: Store
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        do {
            try store.close()
            logger.info("database closed", metadata: ["store.path": "\(store.path)"])
        } catch {
            logger.error("database did not close cleanly", metadata: ["error": "\(error)"])
        }
    }
}

extension ServiceGroupConfiguration {
    /// Bounds graceful shutdown to `timeout`, after which the services are cancelled. Cancellation
    /// itself is left unbounded here: ``ShutdownWatchdog`` ends a shutdown that overruns, cleanly.
    func withShutdownBound(_ timeout: Duration) -> Self {
        var copy = self
        copy.maximumGracefulShutdownDuration = timeout
        copy.maximumCancellationDuration = nil
        return copy
    }
}

extension Daemon {
    /// The chat model the configuration asks for: an OpenAI-compatible endpoint when a base URL is
    /// set (through the daemon's one HTTP client), else the built-in offline model (the session
    /// factory points it at the store, where it reads each session's open question).
    static func makeChatModel(
        configuration: DaemonConfiguration, catalogue: Catalogue, prompts: PromptLibrary, httpClient: HTTPClient, logger: Logger
    ) -> any ChatModel {
        guard let baseURL = configuration.llm.baseURL else { return OfflineModel(catalogue: catalogue, prompts: prompts) }
        let endpoint = endpointConfiguration(configuration, baseURL: baseURL, model: configuration.llm.model ?? "default")
        logger.info(
            "using an OpenAI-compatible endpoint",
            metadata: [
                "llm.base_url": "\(RedactedURL.shown(endpoint.baseURL))", "llm.model": "\(endpoint.model)",
                "llm.api_key_set": "\(endpoint.hasAPIKey)",
            ])
        return OpenAICompatibleModel(configuration: endpoint, httpClient: httpClient, logger: logger)
    }
}

extension Daemon {
    /// The embedding model for note search: the endpoint's `/v1/embeddings` with the configured
    /// model, or nil (keyword search alone) when either is missing.
    static func makeEmbeddingModel(configuration: DaemonConfiguration, httpClient: HTTPClient, logger: Logger) -> (any EmbeddingModel)? {
        guard let baseURL = configuration.llm.baseURL, let model = configuration.llm.embeddingModel else { return nil }
        let endpoint = endpointConfiguration(configuration, baseURL: baseURL, model: model)
        return OpenAICompatibleEmbeddings(configuration: endpoint, httpClient: httpClient, logger: logger)
    }
}

extension Daemon {
    /// The endpoint settings for `model`: key, extra headers, timeouts and retries from the configuration.
    static func endpointConfiguration(
        _ configuration: DaemonConfiguration, baseURL: String, model: String
    )
        -> OpenAICompatibleConfiguration
    {
        let llm = configuration.llm
        return OpenAICompatibleConfiguration(
            baseURL: baseURL, model: model, apiKey: llm.apiKey, extraHeaders: llm.extraHeaders,
            timeouts: .init(
                connect: llm.connectTimeout, responseHead: llm.responseTimeout, firstToken: llm.firstTokenTimeout,
                stall: llm.stallTimeout),
            retry: RetryPolicy(maxAttempts: llm.maxAttempts))
    }
}

/// Owns the daemon's HTTP client and shuts it down after the socket server has drained.
struct HTTPClientService: Service {
    let client: HTTPClient
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        do {
            try await client.shutdown()
        } catch {
            logger.warning("the HTTP client did not shut down cleanly", metadata: ["error": "\(error)"])
        }
    }
}

/// Runs `tutor eval` scenarios for `eval.run`. The daemon owns this protocol and `tutord` hands it
/// TutorEval's runner, so the daemon library links no scenario parser or scorers
/// ([decision 0009](../../Docs/decisions/0009-application-layer.md)).
public protocol ScenarioRunner: Sendable {
    /// Runs every scenario against `model`, each in its own throwaway store; a scenario that cannot be read or run is reported, not thrown.
    func run(_ scenarios: [EvalScenarioText], model: any ChatModel, catalogue: Catalogue, prompts: PromptLibrary) async -> EvalRunResult
}
