import Foundation
import Logging
import Synchronization
import TutorModel
import TutorStore

/// The retrieval subsystem as the daemon sees it: ingest, embeddings, search and status over one
/// store. Ingests run one at a time; searches run alongside them.
public final class NotesIndex: Sendable {
    public let store: Store
    public let ingestor: Ingestor
    /// The model embeddings come from, when one is configured.
    public let embeddings: (any EmbeddingModel)?
    /// How many chunks go to the endpoint per embeddings request.
    public let embeddingBatch: Int
    private let cache = VectorCache()
    private let gate = IngestGate()
    private let catalogueIndexing = Mutex<Task<Void, Never>?>(nil)
    private let home: String?
    private let logger: Logger

    /// The BM25 weight of the heading column against the body's 1. Headings already count above
    /// the body at 1: a chunk's own heading line is in its text too, and the heading column adds
    /// the parent headings. Weights 2 and 3 scored lower on the quality set (Docs/retrieval.md).
    public let headingWeight: Double

    public init(
        store: Store, embeddings: (any EmbeddingModel)?, embeddingBatch: Int = 64, chunker: Chunker = Chunker(), headingWeight: Double = 1,
        home: String? = nil, logger: Logger
    ) {
        self.store = store
        var ingestor = Ingestor(store: store)
        ingestor.chunker = chunker
        self.ingestor = ingestor
        self.headingWeight = headingWeight
        self.embeddings = embeddings
        self.embeddingBatch = max(1, embeddingBatch)
        self.home = home ?? ProcessInfo.processInfo.environment["HOME"]
        self.logger = logger
    }

    /// Ingests `paths`, then embeds what has no vector yet (when a model is configured). One
    /// ingest runs at a time; a second waits for the first.
    public func ingest(
        paths: [String], prune: Bool, progress: @escaping @Sendable (IngestProgress) async -> Void
    ) async throws
        -> IngestReport
    {
        try await gate.run { [self] in
            defer { cache.invalidate() }
            var report = try await ingestor.ingest(paths: paths, prune: prune, progress: progress)
            logger.info(
                "ingest finished",
                metadata: [
                    "ingest.added": "\(report.added.count)", "ingest.updated": "\(report.updated.count)",
                    "ingest.unchanged": "\(report.unchanged)", "ingest.removed": "\(report.removed.count)",
                    "ingest.chunks": "\(report.chunksWritten)", "ingest.seconds": "\(report.seconds)",
                ])
            guard report.completed, embeddings != nil else { return report }
            do {
                report.embedded = try await embedPending(progress: progress)
            } catch is CancellationError {
                report.completed = false
            } catch {
                logger.warning("embedding failed", metadata: ["error": "\(error)"])
                report.notes.append(
                    "Keyword search is ready, but computing embeddings failed (\(error)). Search uses keywords alone until the next ingest finishes them."
                )
            }
            return report
        }
    }

    /// Indexes the catalogue's texts (unchanged ones are skipped); see ``Ingestor/indexTexts(_:source:now:)``.
    /// Searches wait for it to finish, so they never see the catalogue half indexed after a start.
    public func indexCatalogue(_ documents: [(path: String, title: String, markdown: String)]) async throws -> (written: Int, removed: Int)
    {
        let task = Task { [self] in
            try await gate.run { [self] in
                defer { cache.invalidate() }
                return try ingestor.indexTexts(documents, source: PassageSource.catalogue.rawValue)
            }
        }
        catalogueIndexing.withLock { $0 = Task { _ = try? await task.value } }
        return try await task.value
    }

    /// Computes the missing vectors of the configured model in batches, each saved in its own
    /// transaction, so an interrupted run resumes where it stopped. Vectors of another model are
    /// dropped first. Returns how many were computed.
    @discardableResult
    public func embedPending(progress: @escaping @Sendable (IngestProgress) async -> Void = { _ in }) async throws -> Int {
        guard let embeddings else { return 0 }
        defer { cache.invalidate() }
        let model = embeddings.name
        if try store.deleteEmbeddings(notFrom: model) > 0 {
            logger.notice("embedding model changed; old vectors removed", metadata: ["embedding.model": "\(model)"])
        }
        let counts = try store.retrievalCounts(model: model)
        var state = IngestProgress(phase: .embedding)
        state.filesTotal = counts.noteChunks + counts.catalogueChunks - counts.embeddedChunks
        var done = 0
        var after: Int64 = 0
        while true {
            try Task.checkCancellation()
            let batch = try store.chunksWithoutEmbedding(model: model, after: after, limit: embeddingBatch)
            guard let last = batch.last else { break }
            after = last.id
            let vectors = try await embeddings.embed(batch.map(\.text))
            guard vectors.count == batch.count else {
                throw IngestError(
                    description: "the embeddings endpoint returned \(vectors.count) vectors for \(batch.count) texts")
            }
            try store.saveEmbeddings(zip(batch, vectors).map { ($0.id, normalized($1)) }, model: model)
            done += batch.count
            state.filesDone = done
            await progress(state)
        }
        return done
    }

    /// The `k` passages that best answer `query`: hybrid when an embedding model is configured and
    /// has vectors, else BM25; `mode` forces one.
    public func search(_ query: String, k: Int, source: PassageSource? = nil, mode: SearchMode? = nil) async throws -> SearchOutcome {
        await catalogueIndexing.withLock { $0 }?.value
        let k = max(1, min(k, 100))
        let pool = max(k, 50)
        var note: String?
        var vectorIds: [Int64]?
        var vectorScores: [Int64: Double] = [:]
        let wantsVectors = mode != .keyword
        if wantsVectors, let embeddings {
            do {
                let vectors = try cache.vectors(model: embeddings.name, store: store)
                if vectors.chunkIds.isEmpty {
                    note = "No passage has an embedding yet; run `tutor ingest` again to compute them."
                } else if let queryVector = try await embeddings.embed([query]).first {
                    let nearest = VectorCache.nearest(normalized(queryVector), in: vectors, k: pool, source: source)
                    vectorIds = nearest.map(\.id)
                    for (id, score) in nearest { vectorScores[id] = Double(score) }
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                note = "The embeddings endpoint failed (\(error)); these results come from keyword search alone."
            }
        } else if wantsVectors {
            note = mode == nil ? nil : "No embedding model is configured (set TUTOR_EMBEDDING_MODEL); keyword search was used."
        }
        let useKeyword = mode != .vector || vectorIds == nil
        var keywordHits: [StoredPassage] = []
        if useKeyword {
            // Alone, keyword search needs only the `k` best; fused, the best `pool`.
            keywordHits = try keywordSearch(FullTextQuery.terms(of: query), source: source, k: k, pool: vectorIds == nil ? k : pool)
        }
        switch (vectorIds, useKeyword) {
        case (let ids?, true):
            let fused = RankFusion.fuse([keywordHits.map(\.chunkId), ids]).prefix(k)
            let known = Dictionary(keywordHits.map { ($0.chunkId, $0) }, uniquingKeysWith: { first, _ in first })
            let missing = fused.map(\.id).filter { known[$0] == nil }
            let fetched = Dictionary(uniqueKeysWithValues: try store.passages(chunkIds: missing).map { ($0.chunkId, $0) })
            let hits = fused.compactMap { item in (known[item.id] ?? fetched[item.id]).map { hit($0, score: item.score) } }
            return SearchOutcome(hits: hits, mode: .hybrid, note: note)
        case (let ids?, false):
            let hits = try store.passages(chunkIds: Array(ids.prefix(k))).map { hit($0, score: vectorScores[$0.chunkId] ?? 0) }
            return SearchOutcome(hits: hits, mode: .vector, note: note)
        case (nil, _):
            return SearchOutcome(hits: keywordHits.prefix(k).map { hit($0, score: $0.score) }, mode: .keyword, note: note)
        }
    }

    /// BM25 over passages holding all of the query's words first: that intersection is cheap
    /// however common the words are, and when it already fills the `k` asked for, those are the
    /// answer. Only when it does not does the any-word (OR) query run, whose cost grows with every
    /// passage holding any of the words; its results follow the all-words ones.
    func keywordSearch(_ terms: [String], source: PassageSource?, k: Int, pool: Int) throws -> [StoredPassage] {
        guard !terms.isEmpty else { return [] }
        var hits: [StoredPassage] = []
        if terms.count >= 2 {
            hits = try store.fullTextSearch(
                terms: terms, matchingAll: true, source: source?.rawValue, limit: pool, headingWeight: headingWeight)
            if hits.count >= k { return hits }
        }
        let seen = Set(hits.map(\.chunkId))
        let any = try store.fullTextSearch(
            terms: terms, matchingAll: false, source: source?.rawValue, limit: pool, headingWeight: headingWeight)
        return hits + any.filter { !seen.contains($0.chunkId) }
    }

    private func hit(_ passage: StoredPassage, score: Double) -> SearchHit {
        SearchHit(passage: passage, score: score, citation: citation(for: passage))
    }

    /// `path:first-last` for a note (home shortened to `~`); the path alone for catalogue text.
    public func citation(for passage: StoredPassage) -> String {
        if passage.source == PassageSource.catalogue.rawValue { return passage.path }
        var path = passage.path
        if let home, !home.isEmpty, home != "/", path.hasPrefix(home + "/") { path = "~" + path.dropFirst(home.count) }
        return passage.startLine == passage.endLine ? "\(path):\(passage.startLine)" : "\(path):\(passage.startLine)-\(passage.endLine)"
    }

    /// What the index holds and how search will rank.
    public func status() throws(StoreError) -> (counts: RetrievalCounts, mode: SearchMode, embeddingModel: String?) {
        let counts = try store.retrievalCounts(model: embeddings?.name)
        return (counts, embeddings == nil ? .keyword : .hybrid, embeddings?.name)
    }
}

/// Runs one operation at a time, in arrival order.
actor IngestGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await body()
    }
}
