import Logging
import Synchronization

/// Writes to standard error like swift-log's stream handler, at a level the daemon can change while
/// it runs (a SIGHUP that reloads `log.level` takes effect for every logger at once).
public struct ReloadableLogHandler: LogHandler {
    private static let sharedLevel = Atomic<Int>(Logger.Level.allCases.firstIndex(of: .info)!)

    /// The level every logger of this kind uses, unless one sets its own.
    public static var level: Logger.Level {
        get { Logger.Level.allCases[sharedLevel.load(ordering: .relaxed)] }
        set { sharedLevel.store(Logger.Level.allCases.firstIndex(of: newValue)!, ordering: .relaxed) }
    }

    private var inner: StreamLogHandler
    private var ownLevel: Logger.Level?

    public init(label: String) {
        inner = StreamLogHandler.standardError(label: label)
        inner.logLevel = .trace
    }

    public var logLevel: Logger.Level {
        get { ownLevel ?? Self.level }
        set { ownLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        inner.log(event: event)
    }
}
