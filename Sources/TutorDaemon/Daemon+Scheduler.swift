import Logging
import ServiceLifecycle
import UnixSignals

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Daemon {
    /// Applies a configuration read again on SIGHUP: the log level and where notices go change at
    /// once; settings that need new connections or components (the endpoint, the socket, limits)
    /// are reported as needing a restart.
    static func apply(_ reloaded: DaemonConfiguration, over running: DaemonConfiguration, notifier: Notifier, logger: Logger) {
        ReloadableLogHandler.level = reloaded.logLevel
        notifier.settings = reloaded.notifications
        var needRestart: [String] = []
        if reloaded.llm != running.llm { needRestart.append("llm.*") }
        if reloaded.paths != running.paths { needRestart.append("paths") }
        if reloaded.maxConnections != running.maxConnections || reloaded.maxInFlightPerConnection != running.maxInFlightPerConnection
            || reloaded.idleTimeout != running.idleTimeout || reloaded.shutdownTimeout != running.shutdownTimeout
        {
            needRestart.append("daemon.*")
        }
        for warning in reloaded.warnings { logger.warning("\(warning)") }
        logger.notice(
            "configuration reloaded",
            metadata: [
                "log.level": "\(reloaded.logLevel)", "notify.inbox": "\(reloaded.notifications.inbox)",
                "notify.desktop": "\(reloaded.notifications.desktop)",
                "notify.webhook": "\(reloaded.notifications.webhookURL == nil ? "off" : "on")",
                "notify.plan_folder": "\(reloaded.notifications.planFolder ?? "off")",
            ])
        if !needRestart.isEmpty {
            logger.notice(
                "some changed settings apply only after a restart (`tutor stop`, or `systemctl --user restart tutord`)",
                metadata: ["settings": "\(needRestart.joined(separator: ", "))"])
        }
    }
}

/// Reloads the configuration on SIGHUP without touching connections; a file that no longer
/// parses is reported and the running configuration kept.
struct ReloadService: Service {
    let logger: Logger
    let apply: @Sendable (DaemonConfiguration) -> Void
    let load: @Sendable () async throws -> DaemonConfiguration?

    init(
        logger: Logger, apply: @escaping @Sendable (DaemonConfiguration) -> Void,
        load: @escaping @Sendable () async throws -> DaemonConfiguration?
    ) {
        self.logger = logger
        self.apply = apply
        self.load = load
    }

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        try await cancelWhenGracefulShutdown {
            for await _ in signals {
                do {
                    guard let configuration = try await load() else {
                        logger.notice("SIGHUP received, but this daemon was started without a way to reload; restart it instead")
                        continue
                    }
                    apply(configuration)
                } catch {
                    logger.error("SIGHUP: the configuration was not reloaded; the running one stays", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
