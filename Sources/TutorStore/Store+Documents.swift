import Foundation
import GRDB
import Synchronization

/// A file the learner ingested, or one text of the catalogue.
public struct DocumentRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "document"
    public var id: Int64?
    /// The absolute path of a note, or `catalogue:KIND/ID` for catalogue text.
    public var path: String
    /// `notes` or `catalogue`.
    public var source: String
    /// `markdown`, `text`, `code`, `html`, `pdf` or `catalogue`.
    public var kind: String
    public var title: String
    public var contentHash: String
    public var size: Int
    /// The file's modification time in seconds since 1970, used to skip unchanged files cheaply.
    public var modifiedAt: Double
    public var indexedAt: Date

    public init(
        id: Int64? = nil, path: String, source: String, kind: String, title: String, contentHash: String, size: Int,
        modifiedAt: Double, indexedAt: Date
    ) {
        self.id = id
        self.path = path
        self.source = source
        self.kind = kind
        self.title = title
        self.contentHash = contentHash
        self.size = size
        self.modifiedAt = modifiedAt
        self.indexedAt = indexedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One passage of a document: its heading path, text and the lines it spans (1-based, inclusive).
public struct ChunkRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "chunk"
    public var id: Int64?
    public var documentId: Int64?
    public var ordinal: Int
    public var heading: String
    public var text: String
    public var startLine: Int
    public var endLine: Int
    public var tokens: Int

    public init(
        id: Int64? = nil, documentId: Int64? = nil, ordinal: Int, heading: String, text: String, startLine: Int, endLine: Int,
        tokens: Int
    ) {
        self.id = id
        self.documentId = documentId
        self.ordinal = ordinal
        self.heading = heading
        self.text = text
        self.startLine = startLine
        self.endLine = endLine
        self.tokens = tokens
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A chunk with the document it comes from and, for search results, its score.
public struct StoredPassage: Sendable, Equatable {
    public var chunkId: Int64
    public var path: String
    public var source: String
    public var kind: String
    public var title: String
    public var heading: String
    public var text: String
    public var startLine: Int
    public var endLine: Int
    /// BM25 score, higher is better (SQLite's `bm25()` negated); 0 where no ranking applies.
    public var score: Double
}

/// The vectors of one embedding model, laid out for a brute-force scan.
public struct StoredVectors: Sendable {
    public var chunkIds: [Int64]
    /// Whether each chunk is catalogue text (otherwise a note).
    public var isCatalogue: [Bool]
    /// `chunkIds.count × dimensions` values, row after row.
    public var values: [Float]
    public var dimensions: Int

    public init(chunkIds: [Int64], isCatalogue: [Bool], values: [Float], dimensions: Int) {
        self.chunkIds = chunkIds
        self.isCatalogue = isCatalogue
        self.values = values
        self.dimensions = dimensions
    }
}

/// How much the index holds.
public struct RetrievalCounts: Sendable, Equatable {
    public var noteDocuments: Int
    public var noteChunks: Int
    public var catalogueDocuments: Int
    public var catalogueChunks: Int
    /// Chunks with a vector from the model asked about.
    public var embeddedChunks: Int
    /// Rows in the full-text index (equal to all chunks when the index is consistent).
    public var indexedRows: Int
}

extension Store {
    /// The stored document at `path`, if any.
    public func document(path: String) throws(StoreError) -> DocumentRecord? {
        try read { db in try DocumentRecord.filter(Column("path") == path).fetchOne(db) }
    }

    /// Every document of `source` whose path starts with `prefix` (all of them when nil).
    public func documents(source: String, pathPrefix prefix: String? = nil) throws(StoreError) -> [DocumentRecord] {
        try read { db in
            var request = DocumentRecord.filter(Column("source") == source)
            if let prefix {
                let folder = prefix.hasSuffix("/") ? prefix : prefix + "/"
                request = request.filter(Column("path") == prefix || Column("path").like(Self.likePrefix(folder), escape: "\\"))
            }
            return try request.order(Column("path")).fetchAll(db)
        }
    }

    /// Replaces the document at `document.path` (and all its chunks) with `document` and `chunks`,
    /// in one transaction: a reader or a crash sees the old version or the new one, never a mix.
    @discardableResult
    public func replaceDocument(_ document: DocumentRecord, chunks: [ChunkRecord]) throws(StoreError) -> DocumentRecord {
        try replaceDocuments([(document, chunks)])[0]
    }

    /// Replaces several documents in one transaction (all of them land, or none): fewer commits
    /// and merges of the full-text index than one transaction per file.
    ///
    /// Each chunk's full-text row is inserted here, right after the chunk (there is no insert
    /// trigger), and the old versions are all deleted first, in one statement. SQLite 3.40's FTS5
    /// writes its pending terms out as a new segment whenever a statement needing a statement
    /// journal (a trigger, a cascading delete) runs after the index was written in the
    /// transaction; through a trigger that was once per chunk, and it made ingest 2.5 times slower.
    @discardableResult
    public func replaceDocuments(_ batch: [(document: DocumentRecord, chunks: [ChunkRecord])]) throws(StoreError) -> [DocumentRecord] {
        guard !batch.isEmpty else { return [] }
        return try write { db in
            let paths = batch.map(\.document.path)
            try db.execute(
                sql: "DELETE FROM document WHERE path IN (\(paths.map { _ in "?" }.joined(separator: ",")))",
                arguments: StatementArguments(paths))
            let insert = try db.cachedStatement(
                sql: "INSERT INTO chunk (documentId, ordinal, heading, text, startLine, endLine, tokens) VALUES (?, ?, ?, ?, ?, ?, ?)")
            let index = try db.cachedStatement(sql: "INSERT INTO chunkFTS (rowid, heading, text) VALUES (?, ?, ?)")
            return try batch.map { document, chunks in
                var saved = document
                saved.id = nil
                try saved.insert(db)
                for chunk in chunks {
                    try insert.execute(arguments: [
                        saved.id, chunk.ordinal, chunk.heading, chunk.text, chunk.startLine, chunk.endLine, chunk.tokens,
                    ])
                    try index.execute(arguments: [db.lastInsertedRowID, chunk.heading, chunk.text])
                }
                return saved
            }
        }
    }

    /// Records that an unchanged file has a new modification time.
    public func touchDocument(id: Int64, modifiedAt: Double) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE document SET modifiedAt = ? WHERE id = ?", arguments: [modifiedAt, id])
        }
    }

    /// Removes documents (their chunks, index rows and vectors go with them); returns how many chunks went.
    @discardableResult
    public func removeDocuments(ids: [Int64]) throws(StoreError) -> Int {
        guard !ids.isEmpty else { return 0 }
        return try write { db in
            let chunks = try ChunkRecord.filter(ids.contains(Column("documentId"))).fetchCount(db)
            try DocumentRecord.filter(ids.contains(Column("id"))).deleteAll(db)
            return chunks
        }
    }

    /// The ids of a document's chunks, in order.
    public func chunkIDs(documentId: Int64) throws(StoreError) -> [Int64] {
        try read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM chunk WHERE documentId = ? ORDER BY ordinal", arguments: [documentId])
        }
    }

    /// The chunk count of each document, by id.
    public func chunkCounts(documentIds: [Int64]) throws(StoreError) -> [Int64: Int] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                ChunkRecord.select(Column("documentId"), count(Column("id")))
                    .filter(documentIds.contains(Column("documentId"))).group(Column("documentId")))
            return Dictionary(uniqueKeysWithValues: rows.map { ($0[0] as Int64, $0[1] as Int) })
        }
    }

    /// Full-text search for passages holding all of `terms` (`matchingAll`) or any of them, ranked
    /// by BM25 with headings weighing `headingWeight` times the body; best first. Each term is
    /// searched as one quoted phrase, so no FTS5 syntax gets through.
    ///
    /// Without a source filter the best `limit` rows are picked inside FTS5 before the join, so the
    /// cost does not grow with every matching row's content. The rank is ``FullTextRank``'s, fed
    /// with cached counts of the rows holding each term (see ``fullTextHits(_:)``).
    public func fullTextSearch(
        terms: [String], matchingAll: Bool, source: String?, limit: Int, headingWeight: Double = 1
    ) throws(StoreError) -> [StoredPassage] {
        guard !terms.isEmpty else { return [] }
        let hits = try fullTextHits(terms)
        let match = terms.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            .joined(separator: matchingAll ? " " : " OR ")
        return try read { db in
            let columns = "c.id, d.path, d.source, d.kind, d.title, c.heading, c.text, c.startLine, c.endLine"
            let rank = "\(FullTextRank.functionName)(chunkFTS, ?\(String(repeating: ", ?", count: terms.count)))"
            var arguments = StatementArguments([headingWeight] + hits.map(Double.init))
            let sql: String
            if let source {
                sql = """
                    SELECT \(columns), -\(rank) AS score
                    FROM chunkFTS JOIN chunk c ON c.id = chunkFTS.rowid JOIN document d ON d.id = c.documentId
                    WHERE chunkFTS MATCH ? AND d.source = ? ORDER BY score DESC LIMIT ?
                    """
                arguments += [match, source, limit]
            } else {
                sql = """
                    SELECT \(columns), -best.score FROM
                      (SELECT rowid AS id, \(rank) AS score FROM chunkFTS WHERE chunkFTS MATCH ? ORDER BY score LIMIT ?) AS best
                    JOIN chunk c ON c.id = best.id JOIN document d ON d.id = c.documentId
                    ORDER BY best.score
                    """
                arguments += [match, limit]
            }
            return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(Self.passage)
        }
    }

    /// How many full-text rows hold each of `terms` (as a quoted phrase), counted once and kept
    /// until the store is next written: what `bm25()` would count on every query.
    func fullTextHits(_ terms: [String]) throws(StoreError) -> [Int] {
        let version = learnerDataVersion
        var known = phraseHits.withLock { cache in
            if cache.version != version || cache.hits.count > 50_000 { cache = (version, [:]) }
            return terms.map { cache.hits[$0] }
        }
        let missing = terms.indices.filter { known[$0] == nil }
        guard !missing.isEmpty else { return known.map { $0! } }
        try read { db in
            let count = try db.cachedStatement(sql: "SELECT count(*) FROM chunkFTS WHERE chunkFTS MATCH ?")
            for index in missing {
                let phrase = "\"" + terms[index].replacingOccurrences(of: "\"", with: "\"\"") + "\""
                known[index] = try Int.fetchOne(count, arguments: [phrase]) ?? 0
            }
        }
        phraseHits.withLock { cache in
            guard cache.version == version else { return }
            for index in missing { cache.hits[terms[index]] = known[index] }
        }
        return known.map { $0! }
    }

    /// The passages with these chunk ids, in the order given (missing ids are left out).
    public func passages(chunkIds: [Int64]) throws(StoreError) -> [StoredPassage] {
        guard !chunkIds.isEmpty else { return [] }
        let found = try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.id, d.path, d.source, d.kind, d.title, c.heading, c.text, c.startLine, c.endLine, 0.0
                    FROM chunk c JOIN document d ON d.id = c.documentId
                    WHERE c.id IN (\(chunkIds.map { _ in "?" }.joined(separator: ",")))
                    """,
                arguments: StatementArguments(chunkIds)
            ).map(Self.passage)
        }
        let byId = Dictionary(uniqueKeysWithValues: found.map { ($0.chunkId, $0) })
        return chunkIds.compactMap { byId[$0] }
    }

    private static func passage(_ row: Row) -> StoredPassage {
        StoredPassage(
            chunkId: row[0], path: row[1], source: row[2], kind: row[3], title: row[4], heading: row[5], text: row[6],
            startLine: row[7], endLine: row[8], score: row[9])
    }

    /// Up to `limit` chunks after chunk id `after` that have no vector from `model`, in id order
    /// (pass the last id of one batch to get the next, so the scan never starts over).
    public func chunksWithoutEmbedding(model: String, after: Int64 = 0, limit: Int) throws(StoreError) -> [(id: Int64, text: String)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.id, c.heading, c.text FROM chunk c
                    WHERE c.id > ? AND NOT EXISTS (SELECT 1 FROM embedding e WHERE e.chunkId = c.id AND e.model = ?)
                    ORDER BY c.id LIMIT ?
                    """,
                arguments: [after, model, limit]
            ).map { row in
                let heading: String = row[1]
                let text: String = row[2]
                return (row[0], heading.isEmpty ? text : heading + "\n" + text)
            }
        }
    }

    /// Stores one batch of vectors from `model` in one transaction, replacing older ones.
    public func saveEmbeddings(_ vectors: [(chunkId: Int64, vector: [Float])], model: String) throws(StoreError) {
        try write { db in
            let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO embedding (chunkId, model, vector) VALUES (?, ?, ?)")
            for (chunkId, vector) in vectors {
                // Skip chunks removed since the batch was read.
                guard try ChunkRecord.exists(db, key: chunkId) else { continue }
                let blob = vector.withUnsafeBufferPointer { Data(buffer: $0) }
                try statement.execute(arguments: [chunkId, model, blob])
            }
        }
    }

    /// Removes vectors computed by any model other than `model`; returns how many went.
    @discardableResult
    public func deleteEmbeddings(notFrom model: String) throws(StoreError) -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM embedding WHERE model <> ?", arguments: [model])
            return db.changesCount
        }
    }

    /// Every vector from `model`, for a brute-force scan. Vectors of another length than the first are skipped.
    public func vectors(model: String) throws(StoreError) -> StoredVectors {
        try read { db in
            var result = StoredVectors(chunkIds: [], isCatalogue: [], values: [], dimensions: 0)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT e.chunkId, d.source = 'catalogue', e.vector FROM embedding e
                    JOIN chunk c ON c.id = e.chunkId JOIN document d ON d.id = c.documentId
                    WHERE e.model = ? ORDER BY e.chunkId
                    """,
                arguments: [model])
            while let row = try rows.next() {
                let blob: Data = row[2]
                let count = blob.count / MemoryLayout<Float>.size
                if result.dimensions == 0 { result.dimensions = count }
                guard count == result.dimensions, count > 0 else { continue }
                result.chunkIds.append(row[0])
                result.isCatalogue.append(row[1])
                blob.withUnsafeBytes { raw in result.values.append(contentsOf: raw.bindMemory(to: Float.self)) }
            }
            return result
        }
    }

    /// What the index holds; `embeddedChunks` counts vectors from `model`.
    public func retrievalCounts(model: String?) throws(StoreError) -> RetrievalCounts {
        try read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT
                      (SELECT COUNT(*) FROM document WHERE source = 'notes'),
                      (SELECT COUNT(*) FROM chunk c JOIN document d ON d.id = c.documentId WHERE d.source = 'notes'),
                      (SELECT COUNT(*) FROM document WHERE source = 'catalogue'),
                      (SELECT COUNT(*) FROM chunk c JOIN document d ON d.id = c.documentId WHERE d.source = 'catalogue'),
                      (SELECT COUNT(*) FROM embedding WHERE model = ?),
                      (SELECT COUNT(*) FROM chunkFTS_docsize)
                    """,
                arguments: [model ?? ""])
            return RetrievalCounts(
                noteDocuments: row?[0] ?? 0, noteChunks: row?[1] ?? 0, catalogueDocuments: row?[2] ?? 0,
                catalogueChunks: row?[3] ?? 0, embeddedChunks: row?[4] ?? 0, indexedRows: row?[5] ?? 0)
        }
    }

    /// Runs FTS5's own check that the full-text index matches the chunk table; throws when it does not.
    public func checkFullTextIndex() throws(StoreError) {
        try write { db in try db.execute(sql: "INSERT INTO chunkFTS(chunkFTS, rank) VALUES ('integrity-check', 1)") }
    }

    /// The folders the learner registered, oldest first.
    public func noteFolders() throws(StoreError) -> [(path: String, lastIngestAt: Date?)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT path, lastIngestAt FROM noteFolder ORDER BY addedAt, path").map { ($0[0], $0[1]) }
        }
    }

    /// Registers `path` as a notes folder (idempotent) and records an ingest of it at `ingestedAt`.
    public func recordNoteFolder(_ path: String, ingestedAt: Date?, now: Date) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO noteFolder (path, addedAt, lastIngestAt) VALUES (?, ?, ?)
                    ON CONFLICT(path) DO UPDATE SET lastIngestAt = COALESCE(excluded.lastIngestAt, lastIngestAt)
                    """,
                arguments: [path, now, ingestedAt])
        }
    }

    /// Escapes `%`, `_` and `\` for a LIKE prefix match and appends the wildcard.
    static func likePrefix(_ prefix: String) -> String {
        var escaped = ""
        for character in prefix {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped + "%"
    }
}
