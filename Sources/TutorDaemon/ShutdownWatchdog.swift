import Foundation
import Logging
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Bounds a graceful shutdown without crashing: once SIGTERM (or `tutor stop`) starts one, a
/// thread of its own waits `bound`; if the daemon is still running then — some in-flight work
/// (a long import being decoded, a scenario run) did not stop when cancelled — it logs what
/// happened and ends the process with status 0.
///
/// Nothing is lost that way: every write is one SQLite transaction, so an unfinished one is rolled
/// back when the file is next opened. The watchdog replaces ServiceLifecycle's own bound on
/// cancellation, which ends the process with a fatal error (SIGILL, a core dump and a failed
/// systemd unit) instead. It is last in the service list, so graceful shutdown reaches it first.
final class ShutdownWatchdog: Service, Sendable {
    let bound: Duration
    let logger: Logger
    private let finished = Atomic<Bool>(false)

    init(bound: Duration, logger: Logger) {
        self.bound = bound
        self.logger = logger
    }

    func run() async throws {
        try? await gracefulShutdown()
        let seconds = Double(bound.components.seconds) + Double(bound.components.attoseconds) / 1e18
        let logger = self.logger
        Thread.detachNewThread { [self] in
            Thread.sleep(forTimeInterval: seconds)
            guard !finished.load(ordering: .acquiring) else { return }
            logger.warning(
                "shutdown took longer than \(Int(seconds)) s: in-flight work did not stop; exiting without it (an unfinished write is rolled back, nothing saved is lost)"
            )
            _exit(0)
        }
    }

    /// Called once the daemon stopped by itself: the thread then lets the process be.
    func disarm() { finished.store(true, ordering: .releasing) }
}
