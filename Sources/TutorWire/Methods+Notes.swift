// Methods for retrieval over the learner's notes and the catalogue's text: ingest (with progress
// streamed as `ingest.progress` notifications), search and the index's status.

/// `notes.ingest`: index files and folders; progress streams as ``IngestProgressView`` notifications.
public enum NotesIngestMethod: RPCMethod {
    public static let name = "notes.ingest"
    public typealias Params = NotesIngestParams
    public typealias Result = NotesIngestResult
    /// The notification that carries progress.
    public static let progressNotification = "ingest.progress"
}

/// `notes.search`: the passages that best answer a query, with citations.
public enum NotesSearchMethod: RPCMethod {
    public static let name = "notes.search"
    public typealias Params = NotesSearchParams
    public typealias Result = NotesSearchResult
}

/// `notes.status`: what the index holds and how search ranks.
public enum NotesStatusMethod: RPCMethod {
    public static let name = "notes.status"
    public typealias Params = NoParams
    public typealias Result = NotesStatusView
}

public struct NotesIngestParams: Codable, Sendable, Equatable {
    /// Absolute paths of files and folders (the CLI resolves relative ones against its own folder).
    public var paths: [String]
    /// Remove indexed documents under these folders whose files are gone.
    public var prune: Bool?

    public init(paths: [String], prune: Bool? = nil) {
        self.paths = paths
        self.prune = prune
    }
}

public struct IngestProgressView: Codable, Sendable, Equatable {
    /// `scanning`, `indexing`, `embedding` or `done`.
    public var phase: String
    public var filesDone: Int
    public var filesTotal: Int
    public var bytesDone: Int
    public var bytesTotal: Int
    public var chunks: Int
    public var elapsedSeconds: Double
    public var bytesPerSecond: Double
    public var secondsLeft: Double?
    public var currentPath: String?

    public init(
        phase: String, filesDone: Int, filesTotal: Int, bytesDone: Int, bytesTotal: Int, chunks: Int, elapsedSeconds: Double,
        bytesPerSecond: Double, secondsLeft: Double?, currentPath: String?
    ) {
        self.phase = phase
        self.filesDone = filesDone
        self.filesTotal = filesTotal
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.chunks = chunks
        self.elapsedSeconds = elapsedSeconds
        self.bytesPerSecond = bytesPerSecond
        self.secondsLeft = secondsLeft
        self.currentPath = currentPath
    }
}

public struct NotesIngestResult: Codable, Sendable, Equatable {
    public var roots: [String]
    public var added: [String]
    public var updated: [String]
    public var unchanged: Int
    public var removed: [String]
    /// Indexed files no longer on disk, kept because `prune` was off.
    public var missing: [String]
    /// Files not indexed, by reason (`binary`, `too-large`, `unsupported`, `ignored`, `unreadable`, `pdf-tool-missing`).
    public var skipped: [String: Int]
    public var chunksWritten: Int
    public var chunksRemoved: Int
    public var bytesIndexed: Int
    public var embedded: Int
    public var notes: [String]
    /// False when the ingest stopped early; running it again completes it.
    public var completed: Bool
    public var seconds: Double

    public init(
        roots: [String], added: [String], updated: [String], unchanged: Int, removed: [String], missing: [String],
        skipped: [String: Int], chunksWritten: Int, chunksRemoved: Int, bytesIndexed: Int, embedded: Int, notes: [String],
        completed: Bool, seconds: Double
    ) {
        self.roots = roots
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
        self.removed = removed
        self.missing = missing
        self.skipped = skipped
        self.chunksWritten = chunksWritten
        self.chunksRemoved = chunksRemoved
        self.bytesIndexed = bytesIndexed
        self.embedded = embedded
        self.notes = notes
        self.completed = completed
        self.seconds = seconds
    }
}

public struct NotesSearchParams: Codable, Sendable, Equatable {
    public var query: String
    /// How many passages (1–100, default 5).
    public var k: Int?
    /// `notes` or `catalogue`; both when absent.
    public var source: String?
    /// `keyword`, `vector` or `hybrid`; the best available when absent.
    public var mode: String?

    public init(query: String, k: Int? = nil, source: String? = nil, mode: String? = nil) {
        self.query = query
        self.k = k
        self.source = source
        self.mode = mode
    }
}

public struct PassageView: Codable, Sendable, Equatable {
    /// `path:first-last` for notes, `catalogue:KIND/ID` for catalogue text.
    public var citation: String
    public var source: String
    public var path: String
    public var title: String
    public var heading: String
    public var startLine: Int
    public var endLine: Int
    public var score: Double
    public var text: String

    public init(
        citation: String, source: String, path: String, title: String, heading: String, startLine: Int, endLine: Int,
        score: Double, text: String
    ) {
        self.citation = citation
        self.source = source
        self.path = path
        self.title = title
        self.heading = heading
        self.startLine = startLine
        self.endLine = endLine
        self.score = score
        self.text = text
    }
}

public struct NotesSearchResult: Codable, Sendable, Equatable {
    public var query: String
    /// How the passages were ranked: `keyword`, `vector` or `hybrid`.
    public var mode: String
    /// Why a richer ranking was not used, when it was not.
    public var note: String?
    public var passages: [PassageView]

    public init(query: String, mode: String, note: String?, passages: [PassageView]) {
        self.query = query
        self.mode = mode
        self.note = note
        self.passages = passages
    }
}

public struct NotesStatusView: Codable, Sendable, Equatable {
    /// `keyword` (BM25 alone) or `hybrid` (BM25 and embeddings).
    public var mode: String
    public var embeddingModel: String?
    public var noteDocuments: Int
    public var noteChunks: Int
    public var catalogueChunks: Int
    public var embeddedChunks: Int
    /// Registered note folders.
    public var folders: [String]

    public init(
        mode: String, embeddingModel: String?, noteDocuments: Int, noteChunks: Int, catalogueChunks: Int, embeddedChunks: Int,
        folders: [String]
    ) {
        self.mode = mode
        self.embeddingModel = embeddingModel
        self.noteDocuments = noteDocuments
        self.noteChunks = noteChunks
        self.catalogueChunks = catalogueChunks
        self.embeddedChunks = embeddedChunks
        self.folders = folders
    }
}
