import AsyncHTTPClient
import Foundation
import Logging
import Testing
import TutorLLM
import TutorModel
import TutorStore
import TutorTesting

@testable import TutorRetrieval

/// The retrieval quality test set (Tests/Fixtures/retrieval): the fixture corpus ingested for real,
/// every query searched in each mode, recall@5 and nDCG@10 computed by the rule in the fixture's
/// README and compared with `baseline.json`. A change that lowers a score fails here; one that
/// raises it should raise the baseline too.
@Suite("Retrieval quality on the fixture corpus", .serialized)
struct SearchQualityTests {
    struct Query: Decodable {
        struct Relevant: Decodable {
            var path: String
            var contains: String
        }
        var id: String
        var query: String
        var kind: String
        var relevant: [Relevant]
    }

    struct Scores: Codable, Equatable {
        var recallAt5: Double
        var ndcgAt10: Double

        enum CodingKeys: String, CodingKey {
            case recallAt5 = "recall@5"
            case ndcgAt10 = "ndcg@10"
        }
    }

    static func normalised(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// recall@5 and nDCG@10 of one ranked list: each relevant entry counts once, at the first result
    /// that matches it, and each result credits one entry at most.
    static func score(_ hits: [StoredPassage], corpus: String, relevant: [Query.Relevant]) -> Scores {
        var firstRank: [Int: Int] = [:]
        for (rank, hit) in hits.prefix(10).enumerated() {
            let text = normalised(hit.text)
            // A result credits at most one entry, so DCG can never pass the ideal.
            let entry = relevant.indices.first { index in
                firstRank[index] == nil && hit.path == corpus + "/" + relevant[index].path
                    && text.contains(normalised(relevant[index].contains))
            }
            if let entry { firstRank[entry] = rank + 1 }
        }
        let recall = Double(firstRank.values.filter { $0 <= 5 }.count) / Double(relevant.count)
        let dcg = firstRank.values.reduce(0.0) { $0 + 1 / log2(Double($1) + 1) }
        let idcg = (1...min(relevant.count, 10)).reduce(0.0) { $0 + 1 / log2(Double($1) + 1) }
        return Scores(recallAt5: recall, ndcgAt10: dcg / idcg)
    }

    @Test("BM25, vector and hybrid search score at least the recorded baseline")
    func qualityAgainstBaseline() async throws {
        let queries = try JSONDecoder().decode([Query].self, from: Data(contentsOf: URL(fileURLWithPath: fixtureFolder + "/queries.json")))
        #expect(queries.count >= 40)
        let baseline = try JSONDecoder().decode(
            [String: Scores].self, from: Data(contentsOf: URL(fileURLWithPath: fixtureFolder + "/baseline.json")))
        let server = try await FakeOpenAIServer.start()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let logger = Logger(label: "quality")
        let embeddings = OpenAICompatibleEmbeddings(
            configuration: OpenAICompatibleConfiguration(baseURL: server.baseURL, model: "fake-embed"), httpClient: client, logger: logger)
        var measured: [String: Scores] = [:]
        var byKind: [String: [String: [Scores]]] = [:]
        do {
            try await withTemporaryStore { store, _ in
                let corpus = fixtureFolder + "/corpus"
                let index = NotesIndex(store: store, embeddings: embeddings, logger: logger)
                let report = try await index.ingest(paths: [corpus], prune: false) { _ in }
                #expect(report.embedded == report.chunksWritten, "every passage got a vector")
                for mode in SearchMode.allCases {
                    var all: [Scores] = []
                    for query in queries {
                        let outcome = try await index.search(query.query, k: 10, source: .notes, mode: mode)
                        #expect(outcome.mode == mode)
                        let scores = Self.score(outcome.hits.map(\.passage), corpus: corpus, relevant: query.relevant)
                        all.append(scores)
                        byKind[mode.rawValue, default: [:]][query.kind, default: []].append(scores)
                    }
                    measured[mode.rawValue] = Scores(
                        recallAt5: all.map(\.recallAt5).reduce(0, +) / Double(all.count),
                        ndcgAt10: all.map(\.ndcgAt10).reduce(0, +) / Double(all.count))
                }
            }
        } catch {
            try await client.shutdown()
            try await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()

        // The table, for the log and for Docs/retrieval.md.
        print("mode     kind        recall@5  nDCG@10")
        for mode in SearchMode.allCases.map(\.rawValue) {
            for (kind, scores) in (byKind[mode] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let recall = scores.map(\.recallAt5).reduce(0, +) / Double(scores.count)
                let ndcg = scores.map(\.ndcgAt10).reduce(0, +) / Double(scores.count)
                print(
                    "\(mode.padding(toLength: 8, withPad: " ", startingAt: 0)) \(kind.padding(toLength: 11, withPad: " ", startingAt: 0)) \(String(format: "%.4f", recall))     \(String(format: "%.4f", ndcg))"
                )
            }
            if let total = measured[mode] {
                print(
                    "\(mode.padding(toLength: 8, withPad: " ", startingAt: 0)) all         \(String(format: "%.4f", total.recallAt5))     \(String(format: "%.4f", total.ndcgAt10))"
                )
            }
        }
        for mode in SearchMode.allCases.map(\.rawValue) {
            let now = try #require(measured[mode])
            let recorded = try #require(baseline[mode], "baseline.json has no '\(mode)' entry")
            #expect(now.recallAt5 >= recorded.recallAt5 - 1e-6, "\(mode) recall@5 fell from \(recorded.recallAt5) to \(now.recallAt5)")
            #expect(now.ndcgAt10 >= recorded.ndcgAt10 - 1e-6, "\(mode) nDCG@10 fell from \(recorded.ndcgAt10) to \(now.ndcgAt10)")
        }
    }
}
