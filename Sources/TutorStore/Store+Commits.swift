import GRDB

extension Store {
    /// Calls `onCommit` after every committed transaction that changed the learner's data (chat
    /// transcripts left out), on the writer's thread: it must return at once.
    public func observeCommits(_ onCommit: @escaping @Sendable () -> Void) {
        pool.add(transactionObserver: CommitObserver(onCommit: onCommit), extent: .databaseLifetime)
    }
}

/// Notes whether a transaction changed anything but transcripts, and reports it once committed.
/// GRDB calls it only on the writer's queue, one transaction at a time.
private final class CommitObserver: TransactionObserver, @unchecked Sendable {
    /// The chat transcript's tables: a chat turn is not a change of the learner's records.
    static let transcriptTables: Set<String> = ["conversation", "message"]
    let onCommit: @Sendable () -> Void
    private var changed = false

    init(onCommit: @escaping @Sendable () -> Void) { self.onCommit = onCommit }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        !Self.transcriptTables.contains(eventKind.tableName)
    }

    func databaseDidChange(with event: DatabaseEvent) {
        changed = true
        // One change is enough to know; the rest of the transaction's rows cost nothing.
        stopObservingDatabaseChangesUntilNextTransaction()
    }

    func databaseDidCommit(_ db: Database) {
        guard changed else { return }
        changed = false
        onCommit()
    }

    func databaseDidRollback(_ db: Database) { changed = false }
}
