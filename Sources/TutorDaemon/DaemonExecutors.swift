import NIOCore
import NIOPosix
import TutorStore

/// Where the daemon's work runs: two switches, each read once at start from the environment, so
/// each can be measured on and off (`tutor-bench agent`; see Docs/benchmarks.md and
/// Docs/decisions/0010-store-executor.md).
///
/// - `TUTORD_STORE_EXECUTOR` (`1` on, `0` off): requests, scheduled jobs and background ingests
///   run their blocking store work on ``StoreExecutor/shared``, never on an event loop or Swift's
///   shared pool.
/// - `TUTORD_NIO_GLOBAL_EXECUTOR` (`1` on, `0` off): NIO's event loops become Swift's global
///   executor, so a task started from the socket server runs on the loop that read its request.
///   Only safe with the store executor on: otherwise every blocking store call would stall a loop.
public struct DaemonExecutors: Sendable {
    public var storeExecutor: Bool
    public var eventLoopsAsGlobalExecutor: Bool

    public init(storeExecutor: Bool = false, eventLoopsAsGlobalExecutor: Bool = false) {
        self.storeExecutor = storeExecutor
        self.eventLoopsAsGlobalExecutor = eventLoopsAsGlobalExecutor
    }

    /// The switches as the environment sets them; a variable that is missing or not `0`/`1` keeps the default.
    public init(environment: [String: String]) {
        let defaults = DaemonExecutors()
        self.init(
            storeExecutor: Self.flag(environment["TUTORD_STORE_EXECUTOR"]) ?? defaults.storeExecutor,
            eventLoopsAsGlobalExecutor: Self.flag(environment["TUTORD_NIO_GLOBAL_EXECUTOR"]) ?? defaults.eventLoopsAsGlobalExecutor)
    }

    static func flag(_ value: String?) -> Bool? {
        switch value {
        case "1": true
        case "0": false
        default: nil
        }
    }

    /// The store executor to hand to ``Daemon/run(configuration:logger:schedulerClock:scenarios:storeExecutor:reload:onListening:)``.
    public var store: StoreExecutor? { storeExecutor ? .shared : nil }

    /// Installs NIO's singleton event loops as Swift's global executor when switched on. Call it
    /// once, first thing in `main`, on the main thread, before any task is started. Returns whether
    /// the loops are now the global executor.
    @discardableResult
    public func installGlobalExecutor() -> Bool {
        guard eventLoopsAsGlobalExecutor else { return false }
        return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
