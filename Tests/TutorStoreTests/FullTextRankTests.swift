import Foundation
import GRDB
import Testing

@testable import TutorStore

@Suite("Full-text rank")
struct FullTextRankTests {
    private func document(_ name: String, _ sections: [(heading: String, text: String)]) -> (DocumentRecord, [ChunkRecord]) {
        let record = DocumentRecord(
            path: "/notes/\(name).md", source: "notes", kind: "markdown", title: name, contentHash: name, size: 1, modifiedAt: 0,
            indexedAt: Date(timeIntervalSince1970: 0))
        let chunks = sections.enumerated().map { ordinal, section in
            ChunkRecord(ordinal: ordinal, heading: section.heading, text: section.text, startLine: 1, endLine: 1, tokens: 1)
        }
        return (record, chunks)
    }

    /// FTS5's own `bm25()` for the same query, as id → score (higher is better).
    private func builtIn(_ store: Store, terms: [String], all: Bool, headingWeight: Double) throws -> [Int64: Double] {
        let match = terms.map { "\"\($0)\"" }.joined(separator: all ? " " : " OR ")
        return try store.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT rowid, -bm25(chunkFTS, ?, 1.0) FROM chunkFTS WHERE chunkFTS MATCH ?",
                arguments: [headingWeight, match])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0[0] as Int64, $0[1] as Double) })
        }
    }

    private func expectSameScores(_ store: Store) throws {
        let queries = [["retrieval", "chunking"], ["chunking"], ["overlap", "windows", "retrieval"], ["rerank", "nothing"]]
        for terms in queries {
            for all in [true, false] {
                for weight in [1.0, 2.0] {
                    let expected = try builtIn(store, terms: terms, all: all, headingWeight: weight)
                    let found = try store.fullTextSearch(terms: terms, matchingAll: all, source: nil, limit: 100, headingWeight: weight)
                    let filtered = try store.fullTextSearch(
                        terms: terms, matchingAll: all, source: "notes", limit: 100, headingWeight: weight)
                    #expect(Set(found.map(\.chunkId)) == Set(expected.keys), "\(terms) all: \(all)")
                    #expect(found.map(\.chunkId) == filtered.map(\.chunkId))
                    for passage in found {
                        #expect(abs(passage.score - (expected[passage.chunkId] ?? .nan)) < 1e-9, "\(terms) all: \(all) weight: \(weight)")
                    }
                    #expect(found.map(\.score) == found.map(\.score).sorted(by: >), "best first")
                }
            }
        }
    }

    @Test("tutor_bm25 with cached row counts scores exactly as bm25(), also after the index changes")
    func sameAsBuiltIn() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-rank-\(UUID().uuidString)").path + "/tutor.sqlite"
        defer { try? FileManager.default.removeItem(atPath: Store.parentFolder(of: path)) }
        let store = try Store(path: path)
        try store.replaceDocuments([
            document(
                "a",
                [
                    ("Chunking", "Chunking splits documents for retrieval. Chunking with overlap keeps context."),
                    ("Retrieval", "Retrieval ranks passages; BM25 is a retrieval baseline."),
                ]),
            document("b", [("Windows", "Sliding windows with overlap; overlap windows again and again.")]),
            document("c", [("Notes", "Nothing about the topic here, only notes.")]),
        ])
        try expectSameScores(store)
        // A new document and a replaced one change every count: the cached ones must not be used.
        try store.replaceDocuments([
            document("b", [("Rerank", "Rerank the retrieval results after chunking.")]),
            document("d", [("Chunking", "More chunking, chunking and chunking for retrieval windows.")]),
        ])
        try expectSameScores(store)
        let counts = try store.retrievalCounts(model: nil)
        #expect(counts.indexedRows == counts.noteChunks)
        try store.checkFullTextIndex()
    }
}
