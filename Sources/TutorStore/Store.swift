import Dispatch
import GRDB
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The learner's data on disk: one SQLite file in WAL mode behind a GRDB `DatabasePool`.
///
/// Opening a store creates its folder (0700) and file (0600) when missing and applies every
/// pending named migration in one go; every write afterwards is a transaction.
public final class Store: Sendable {
    /// The database file.
    public let path: String
    let pool: DatabasePool
    /// Bumped after every write that may change the learner's data (anything but a chat transcript).
    private let learnerWrites = Atomic<UInt64>(0)
    /// The profile as last read, and the ``learnerDataVersion`` it was read at.
    let profileCache = Mutex<(version: UInt64, profile: ProfileRecord?)?>(nil)
    /// How many full-text rows hold each search word, and the ``learnerDataVersion`` they were counted at.
    let phraseHits = Mutex<(version: UInt64, hits: [String: Int])>((0, [:]))
    /// A connection of its own that copies the WAL back into the database in the background (see
    /// ``scheduleCheckpoint()``), so no write waits for a checkpoint and its fsyncs.
    /// Opened at the first checkpoint (an idle daemon never needs it); touched only on `checkpointQueue`.
    private let checkpointer = Mutex<DatabaseQueue?>(nil)
    private let configuration: Configuration
    private let checkpointQueue = DispatchQueue(label: "tutor.store.checkpoint")
    private let commitsSinceCheckpoint = Atomic<Int>(0)
    /// Writes started and not yet finished (see ``readSingleStatement(_:)``).
    private let writesUnderWay = Atomic<Int>(0)
    private let checkpointRunning = Atomic<Bool>(false)
    /// Commits between two background checkpoints (a few pages each: far below SQLite's own
    /// 1000-page automatic checkpoint, so the WAL stays small).
    static let commitsPerCheckpoint = 64

    /// Changes whenever a write that may change the learner's data (profile, goals, tasks, log,
    /// plans, reviews: anything but chat transcripts) has finished, so a reader may keep something
    /// derived from that data until it changes. Read it *before* reading the data it guards. This
    /// daemon is the only writer of its database (the instance lock ensures it).
    public var learnerDataVersion: UInt64 { learnerWrites.load(ordering: .acquiring) }

    /// Opens (creating if needed) the database at `path` and migrates it to the newest schema.
    ///
    /// - Throws: ``StoreError`` naming the file and what to do when it cannot be created, opened or migrated.
    public init(path: String) throws(StoreError) {
        self.path = path
        let folder = Store.parentFolder(of: path)
        try Store.makePrivateFolder(folder)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // In WAL mode, NORMAL keeps every committed transaction through a crash of the daemon
            // (SIGKILL included) and never corrupts the file; only an OS crash or power loss can
            // drop the last commits. It spares an fsync per transaction (see Docs/store.md).
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Checkpoints run on their own connection, off the write path (see `scheduleCheckpoint`).
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            FullTextRank.register(db)
        }
        self.configuration = configuration
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError(.cannotOpen, path: path, underlying: error)
        }
        if let newer = Store.newerSchema(in: pool) {
            try? pool.close()
            throw StoreError(.newerSchema, path: path, detail: newer)
        }
        do {
            try Store.migrator.migrate(pool)
        } catch {
            throw StoreError(.migrationFailed, path: path, underlying: error)
        }
        Store.restrictPermissions(ofDatabaseAt: path)
    }

    /// What a newer Tutor left in the database: nil when every applied migration is one this
    /// build knows (or the file is new). Read only: nothing is written before the answer.
    static func newerSchema(in pool: DatabasePool) -> String? {
        let applied = try? pool.read { db -> [String] in
            guard try db.tableExists("grdb_migrations") else { return [] }
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        }
        let unknown = (applied ?? []).filter { !migrationNames.contains($0) }
        guard !unknown.isEmpty else { return nil }
        return "it was written by a newer Tutor: its schema has \(applied?.count ?? 0) migrations, including "
            + "\(unknown.joined(separator: ", ")), and this tutor knows \(migrationNames.count), up to \(migrationNames.last ?? "none")."
    }

    /// The applied schema: how many named migrations and the newest one's name.
    public func schemaVersion() throws(StoreError) -> (count: Int, newest: String) {
        try read { db in
            let applied = try Store.migrator.appliedIdentifiers(db)
            let newest = Store.migrationNames.last(where: applied.contains) ?? "none"
            return (applied.count, newest)
        }
    }

    /// How many goals and tasks the learner has.
    public func counts() throws(StoreError) -> (goals: Int, tasks: Int) {
        // One statement is atomic on its own, so the read needs no surrounding transaction. Always
        // on a reader: `status` is answered on the event loop, which must never wait for a write.
        do {
            return try pool.unsafeRead { db in
                let statement = try db.cachedStatement(sql: "SELECT (SELECT COUNT(*) FROM goal), (SELECT COUNT(*) FROM task)")
                let row = try Row.fetchOne(statement)
                return (row?[0] ?? 0, row?[1] ?? 0)
            }
        } catch {
            throw StoreError(.readFailed, path: path, underlying: error)
        }
    }

    /// Runs `body` in a read transaction.
    public func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.readFailed, path: path, underlying: error)
        }
    }

    /// Runs `body`, which must issue a single statement, without a surrounding transaction.
    ///
    /// When no write is under way it runs on the writer's connection, else on a reader. SQLite
    /// drops a connection's whole page cache when another connection has committed since its last
    /// read, so a reader pays to read the pages again after every chat turn's write; the writer keeps
    /// its cache across its own commits. At worst (a write starting in between) the read waits for
    /// that one write, as the turn's own write would.
    func readSingleStatement<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            if writesUnderWay.load(ordering: .relaxed) == 0 { return try pool.writeWithoutTransaction(body) }
            return try pool.unsafeRead(body)
        } catch {
            throw StoreError(.readFailed, path: path, underlying: error)
        }
    }

    /// Runs `body`, whose statements need not agree with each other, without a surrounding
    /// transaction: several independent reads for the price of one.
    func readStatements<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try readSingleStatement(body)
    }

    /// Runs `body` in one write transaction: all of it lands, or none of it.
    public func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        defer { learnerWrites.wrappingAdd(1, ordering: .releasing) }
        return try writeTranscript(body)
    }

    /// `write` for chat transcripts only: leaves ``learnerDataVersion`` as it is.
    func writeTranscript<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        let result: T
        writesUnderWay.wrappingAdd(1, ordering: .relaxed)
        defer { writesUnderWay.wrappingSubtract(1, ordering: .relaxed) }
        do {
            result = try pool.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.writeFailed, path: path, underlying: error)
        }
        if commitsSinceCheckpoint.wrappingAdd(1, ordering: .relaxed).newValue >= Store.commitsPerCheckpoint {
            scheduleCheckpoint()
        }
        return result
    }

    /// Starts a passive checkpoint on the background connection unless one is running. A passive
    /// checkpoint never blocks the writer or readers; it copies what it can and the next write
    /// restarts the WAL once all of it is in the database.
    private func scheduleCheckpoint() {
        guard checkpointRunning.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return }
        commitsSinceCheckpoint.store(0, ordering: .relaxed)
        checkpointQueue.async { [self] in
            checkpointer.withLock { checkpointer in
                if checkpointer == nil { checkpointer = try? DatabaseQueue(path: path, configuration: configuration) }
                _ = try? checkpointer?.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            }
            checkpointRunning.store(false, ordering: .releasing)
        }
    }

    /// Checkpoints the WAL and closes every connection; the store is unusable afterwards.
    /// Makes the statement running now, if any, stop at its earliest opportunity: its transaction
    /// is rolled back and the write throws. Safe to call from any thread (a cancelled request).
    public func interrupt() { pool.interrupt() }

    public func close() throws(StoreError) {
        // Let a background checkpoint finish first; then the final one empties the WAL.
        let checkpointer = checkpointQueue.sync { self.checkpointer.withLock { $0.take() } }
        do {
            try checkpointer?.close()
            _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            try pool.close()
        } catch {
            throw StoreError(.closeFailed, path: path, underlying: error)
        }
    }

    /// Frees what the database connections can spare: SQLite's caches, and the reader connections
    /// (reopened when needed). For after a burst of concurrent work, not for the common path.
    public func releaseMemory() {
        pool.releaseMemory()
    }

    /// Runs SQLite's own consistency check; returns `["ok"]` for a healthy file.
    public func integrityCheck() throws(StoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// Creates `folder` (and its parents) when missing, owner-only (0700). A folder that already
    /// exists is the user's: its permissions are left as they are.
    ///
    /// - Returns: a warning naming the folder and the `chmod` to run when it already existed and
    ///   its group or others can read or enter it; nil otherwise.
    /// - Throws: `cannotCreateFolder` when a missing folder cannot be made.
    @discardableResult
    public static func makePrivateFolder(_ folder: String) throws(StoreError) -> String? {
        var info = stat()
        if stat(folder, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw StoreError(.cannotCreateFolder, path: folder, detail: "something other than a folder is there")
            }
            guard info.st_mode & (S_IRWXG | S_IRWXO) != 0 else { return nil }
            let mode = String(info.st_mode & 0o777, radix: 8)
            return "\(folder) can be read by other users (mode \(mode)); Tutor keeps your study data there. "
                + "Run `chmod 700 \(folder)` unless you mean to share it."
        }
        var built = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") {
            built += "/" + component
            // mkdir applies the umask, which can only take bits away from 0700.
            if mkdir(built, 0o700) != 0 && errno != EEXIST {
                throw StoreError(.cannotCreateFolder, path: built, detail: String(cString: strerror(errno)))
            }
        }
        return nil
    }

    private static func restrictPermissions(ofDatabaseAt path: String) {
        for suffix in ["", "-wal", "-shm"] {
            _ = chmod(path + suffix, 0o600)
        }
    }
}
