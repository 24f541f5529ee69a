import Foundation
import TutorStore

#if canImport(Glibc)
import Glibc
#endif

/// How an ingest went so far (streamed) or in the end.
public struct IngestProgress: Sendable, Equatable {
    public enum Phase: String, Sendable { case scanning, indexing, embedding, done }
    public var phase: Phase
    public var filesDone = 0
    public var filesTotal = 0
    public var bytesDone = 0
    public var bytesTotal = 0
    public var chunks = 0
    public var currentPath: String?
    public var elapsedSeconds = 0.0

    /// Bytes per second so far.
    public var bytesPerSecond: Double { elapsedSeconds > 0 ? Double(bytesDone) / elapsedSeconds : 0 }
    /// An estimate of the time left in this phase, when there is a rate to go by.
    public var secondsLeft: Double? {
        guard bytesPerSecond > 0, bytesTotal >= bytesDone else { return nil }
        return Double(bytesTotal - bytesDone) / bytesPerSecond
    }
}

/// What one ingest did.
public struct IngestReport: Sendable, Equatable {
    /// The files and folders ingested, as absolute paths.
    public var roots: [String] = []
    public var added: [String] = []
    public var updated: [String] = []
    public var unchanged = 0
    /// Paths of documents removed because their file is gone (with `prune`).
    public var removed: [String] = []
    /// Documents whose file is gone but which were kept because `prune` was off.
    public var missing: [String] = []
    /// Files not indexed, by reason.
    public var skipped: [SkipReason: Int] = [:]
    public var chunksWritten = 0
    public var chunksRemoved = 0
    /// Bytes of the files read and indexed.
    public var bytesIndexed = 0
    /// Files indexed only in part: their text past ``Ingestor/maxTextBytes``, or their passages
    /// past ``Ingestor/maxPassagesPerFile``, were left out.
    public var cut: [String] = []
    public var embedded = 0
    /// Plain-language notes for the learner (PDFs skipped, embeddings failed…).
    public var notes: [String] = []
    /// False when the ingest was stopped before it finished; running it again completes it.
    public var completed = true
    public var seconds = 0.0
}

/// Errors that stop an ingest before it starts.
public struct IngestError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// Reads files and folders into the store's chunk index: incremental by modification time and
/// content hash, written in batches of whole files (one transaction each) so an interrupted run
/// leaves every file either fully old or fully new, and ignore files honoured on the way down.
public struct Ingestor: Sendable {
    public let store: Store
    public var chunker = Chunker()
    /// Files larger than this are skipped (PDFs are measured before extraction).
    public var maxFileBytes = 8 * 1024 * 1024
    /// At most this many bytes of text are indexed per file (a PDF's text can be many times its
    /// size); the rest is left out and the report says so.
    public var maxTextBytes = 2 * 1024 * 1024
    /// At most this many passages are indexed per file; the rest are left out and the report says so.
    public var maxPassagesPerFile = 5000
    /// A write transaction holds at most this many bytes of files, or this many files.
    public var batchBytes = 2 * 1024 * 1024
    public var batchFiles = 64
    /// Folder names never descended into.
    public static let skippedFolders: Set<String> = ["node_modules", "__pycache__", ".git", ".hg", ".svn", ".build", ".venv", "venv"]

    public init(store: Store) {
        self.store = store
    }

    struct Candidate {
        let path: String
        let kind: DocumentKind
        let size: Int
        let modifiedAt: Double
    }

    /// Ingests `paths` (absolute). With `prune`, documents under the given folders whose files are
    /// gone are removed. `progress` is called after the scan and after each file.
    public func ingest(
        paths: [String], prune: Bool, now: Date = Date(), progress: (IngestProgress) async -> Void = { _ in }
    ) async throws -> IngestReport {
        let clock = ContinuousClock()
        let started = clock.now
        func elapsed() -> Double {
            let duration = clock.now - started
            return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        var report = IngestReport()
        var folders: [String] = []
        for path in paths {
            guard path.hasPrefix("/") else { throw IngestError(description: "'\(path)' is not an absolute path; pass the full path.") }
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw IngestError(description: "'\(path)' does not exist or cannot be read: \(String(cString: strerror(errno))).")
            }
            let canonical = Self.canonical(path)
            report.roots.append(canonical)
            if (info.st_mode & S_IFMT) == S_IFDIR { folders.append(canonical) }
        }

        // 1. Scan.
        var state = IngestProgress(phase: .scanning)
        var candidates: [Candidate] = []
        for root in report.roots {
            scan(root: root, into: &candidates, skipped: &report.skipped)
        }
        // A file named twice (itself and through its folder) is read once.
        var seen = Set<String>()
        candidates = candidates.filter { seen.insert($0.path).inserted }
        state.filesTotal = candidates.count
        state.bytesTotal = candidates.reduce(0) { $0 + $1.size }
        state.elapsedSeconds = elapsed()
        await progress(state)

        // 2. Index the files in batches, each batch one transaction: a crash leaves every file
        //    either as it was or fully indexed, and a re-run picks up where it stopped.
        state.phase = .indexing
        var pending = PendingWrites()
        func flush() throws {
            guard !pending.documents.isEmpty else { return }
            try store.replaceDocuments(pending.documents)
            for (path, isNew) in pending.outcomes {
                if isNew { report.added.append(path) } else { report.updated.append(path) }
            }
            report.chunksWritten += pending.chunkCount
            report.bytesIndexed += pending.bytes
            pending = PendingWrites()
        }
        for candidate in candidates {
            if Task.isCancelled {
                report.completed = false
                break
            }
            state.currentPath = candidate.path
            let existing = try store.document(path: candidate.path)
            if let existing, existing.size == candidate.size, existing.modifiedAt == candidate.modifiedAt {
                report.unchanged += 1
            } else {
                try prepare(candidate, existing: existing, now: now, into: &pending, report: &report)
                if pending.bytes >= batchBytes || pending.documents.count >= batchFiles { try flush() }
            }
            state.filesDone += 1
            state.bytesDone += candidate.size
            state.chunks = report.chunksWritten + pending.chunkCount
            state.elapsedSeconds = elapsed()
            await progress(state)
        }
        try flush()

        // 3. Documents under the folders whose files are gone.
        if report.completed {
            for folder in folders {
                for document in try store.documents(source: "notes", pathPrefix: folder) where !seen.contains(document.path) {
                    if prune {
                        report.chunksRemoved += try store.removeDocuments(ids: [document.id!])
                        report.removed.append(document.path)
                    } else {
                        report.missing.append(document.path)
                    }
                }
                try store.recordNoteFolder(folder, ingestedAt: now, now: now)
            }
        }
        if !report.missing.isEmpty {
            report.notes.append(
                "\(report.missing.count) indexed file(s) are no longer on disk (or are now ignored); run the ingest again with --prune to remove them from the index."
            )
        }
        if !report.cut.isEmpty {
            report.notes.append(
                "\(report.cut.count) file(s) were cut at \(Self.megabytes(maxTextBytes)) of text or \(maxPassagesPerFile) passages each, "
                    + "so only their beginning can be searched: \(report.cut.prefix(3).joined(separator: ", "))"
                    + "\(report.cut.count > 3 ? ", …" : ""). Split them into smaller files to index all of them.")
        }
        if let pdfs = report.skipped[.pdfToolMissing] {
            report.notes.append(
                "\(pdfs) PDF file(s) were skipped because pdftotext is not installed; install poppler-utils (apt install poppler-utils) and ingest again."
            )
        }
        report.seconds = elapsed()
        return report
    }

    /// Documents read and chunked, waiting to be written in one transaction.
    struct PendingWrites {
        var documents: [(document: DocumentRecord, chunks: [ChunkRecord])] = []
        var outcomes: [(path: String, isNew: Bool)] = []
        var chunkCount = 0
        var bytes = 0
    }

    /// Reads, extracts and chunks one file into `pending` (or refreshes its modification time
    /// at once when only that changed).
    func prepare(
        _ candidate: Candidate, existing: DocumentRecord?, now: Date, into pending: inout PendingWrites, report: inout IngestReport
    ) throws {
        guard let data = FileManager.default.contents(atPath: candidate.path) else {
            report.skipped[.unreadable, default: 0] += 1
            return
        }
        let hash = ContentHash.hex(of: data)
        if let existing, existing.contentHash == hash {
            try store.touchDocument(id: existing.id!, modifiedAt: candidate.modifiedAt)
            report.unchanged += 1
            return
        }
        var text: ExtractedText
        switch TextExtraction.extract(data: data, kind: candidate.kind, path: candidate.path, maxPDFBytes: maxTextBytes + 1) {
        case .success(let extracted): text = extracted
        case .failure(let reason):
            report.skipped[reason, default: 0] += 1
            return
        }
        let name = candidate.path.split(separator: "/").last.map(String.init) ?? candidate.path
        // Bounded before chunking, so a file whose text is huge (a PDF) costs at most the bound.
        var wasCut = Self.cut(&text, toBytes: maxTextBytes)
        var chunks = chunker.chunks(text, kind: candidate.kind, name: name)
        if chunks.count > maxPassagesPerFile {
            chunks.removeSubrange(maxPassagesPerFile...)
            wasCut = true
        }
        if wasCut { report.cut.append(candidate.path) }
        let document = DocumentRecord(
            path: candidate.path, source: "notes", kind: candidate.kind.rawValue,
            title: Self.title(of: text, kind: candidate.kind, name: name), contentHash: hash, size: candidate.size,
            modifiedAt: candidate.modifiedAt, indexedAt: now)
        pending.documents.append((document, chunks.enumerated().map { Self.record($1, ordinal: $0) }))
        pending.outcomes.append((candidate.path, existing == nil))
        pending.chunkCount += chunks.count
        pending.bytes += candidate.size
    }

    /// Indexes texts that are not files (the catalogue): `documents` replaces every document of
    /// `source`; unchanged ones (same hash) are left alone and ones no longer given are removed.
    public func indexTexts(
        _ documents: [(path: String, title: String, markdown: String)], source: String, now: Date = Date()
    ) throws -> (written: Int, removed: Int) {
        let existing = Dictionary(uniqueKeysWithValues: try store.documents(source: source).map { ($0.path, $0) })
        var written = 0
        for document in documents {
            let hash = ContentHash.hex(of: Data(document.markdown.utf8))
            if existing[document.path]?.contentHash == hash { continue }
            let chunks = chunker.chunks(ExtractedText(plain: document.markdown), kind: .catalogue)
            try store.replaceDocument(
                DocumentRecord(
                    path: document.path, source: source, kind: DocumentKind.catalogue.rawValue, title: document.title,
                    contentHash: hash, size: document.markdown.utf8.count, modifiedAt: 0, indexedAt: now),
                chunks: chunks.enumerated().map { Self.record($1, ordinal: $0) })
            written += 1
        }
        let given = Set(documents.map(\.path))
        let stale = existing.values.filter { !given.contains($0.path) }.compactMap(\.id)
        try store.removeDocuments(ids: stale)
        return (written, stale.count)
    }

    /// Keeps the lines of `text` that fit in `limit` UTF-8 bytes (newlines counted); true when
    /// some were left out.
    static func cut(_ text: inout ExtractedText, toBytes limit: Int) -> Bool {
        var total = 0
        for (index, line) in text.lines.enumerated() {
            total += line.utf8.count + 1
            guard total > limit else { continue }
            text.lines.removeSubrange(index...)
            text.sourceLines.removeSubrange(min(index, text.sourceLines.count)...)
            if !text.pages.isEmpty { text.pages.removeSubrange(min(index, text.pages.count)...) }
            return true
        }
        return false
    }

    /// `bytes` in whole megabytes (or kilobytes below one), for a note.
    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 ? "\(bytes / (1024 * 1024)) MB" : "\(max(1, bytes / 1024)) KB"
    }

    static func record(_ chunk: Chunk, ordinal: Int) -> ChunkRecord {
        ChunkRecord(
            ordinal: ordinal, heading: chunk.heading, text: chunk.text, startLine: chunk.startLine, endLine: chunk.endLine,
            tokens: chunk.tokens)
    }

    /// A document's title: an HTML page's own title, else its first Markdown heading, else its
    /// file name.
    static func title(of text: ExtractedText, kind: DocumentKind, name: String) -> String {
        if let title = text.title, !title.isEmpty { return title }
        if kind == .markdown || kind == .html {
            for line in text.lines.prefix(50) {
                if let heading = Chunker.markdownHeading(line) { return heading.title }
            }
        }
        return name
    }

    // MARK: Walking

    /// Collects the indexable files under `root` (or `root` itself when it is a file).
    func scan(root: String, into candidates: inout [Candidate], skipped: inout [SkipReason: Int]) {
        var info = stat()
        guard lstat(root, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) != S_IFDIR {
            consider(path: root, info: info, into: &candidates, skipped: &skipped)
            return
        }
        var rules = IgnoreRules()
        walk(folder: root, root: root, rules: &rules, into: &candidates, skipped: &skipped)
    }

    private func walk(
        folder: String, root: String, rules: inout IgnoreRules, into candidates: inout [Candidate], skipped: inout [SkipReason: Int]
    ) {
        let saved = rules
        rules.load(folder: folder)
        defer { rules = saved }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            skipped[.unreadable, default: 0] += 1
            return
        }
        for name in names.sorted() {
            let path = folder == "/" ? "/" + name : folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let type = info.st_mode & S_IFMT
            if type == S_IFDIR {
                if name.hasPrefix(".") || Self.skippedFolders.contains(name) || rules.isIgnored(path, isDirectory: true) { continue }
                walk(folder: path, root: root, rules: &rules, into: &candidates, skipped: &skipped)
            } else if type == S_IFREG || type == S_IFLNK {
                if name.hasPrefix(".") { continue }
                if rules.isIgnored(path, isDirectory: false) {
                    skipped[.ignored, default: 0] += 1
                    continue
                }
                if type == S_IFLNK {
                    // A link is followed only to a regular file inside the folder being ingested.
                    let target = Self.canonical(path)
                    var targetInfo = stat()
                    guard target.hasPrefix(root + "/"), stat(target, &targetInfo) == 0, (targetInfo.st_mode & S_IFMT) == S_IFREG else {
                        skipped[.ignored, default: 0] += 1
                        continue
                    }
                    info = targetInfo
                }
                consider(path: path, info: info, into: &candidates, skipped: &skipped)
            }
        }
    }

    private func consider(path: String, info: stat, into candidates: inout [Candidate], skipped: inout [SkipReason: Int]) {
        guard let kind = DocumentKind.of(path: path) else {
            skipped[Self.looksBinary(path) ? .binary : .unsupported, default: 0] += 1
            return
        }
        guard Int(info.st_size) <= maxFileBytes else {
            skipped[.tooLarge, default: 0] += 1
            return
        }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        candidates.append(Candidate(path: path, kind: kind, size: Int(info.st_size), modifiedAt: modified))
    }

    /// Whether the file's first 8 KiB hold a NUL byte, the usual sign of binary content.
    static func looksBinary(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 8192))?.contains(0) ?? false
    }

    /// `path` with symbolic links and `.`/`..` resolved (unchanged when it cannot be resolved).
    static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// A fast, stable 64-bit content fingerprint (FNV-1a), hex-encoded. Used to notice edits, not
/// for security.
enum ContentHash {
    static func hex(of data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { raw in
            for byte in raw {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
