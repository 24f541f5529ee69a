import Foundation
import Synchronization
import TutorModel
import TutorStore

/// Where a passage may come from.
public enum PassageSource: String, Sendable, Codable, CaseIterable {
    case notes, catalogue
}

/// How results were ranked.
public enum SearchMode: String, Sendable, Codable, CaseIterable {
    /// BM25 over the full-text index.
    case keyword
    /// Cosine similarity of embeddings, brute force.
    case vector
    /// Both lists fused by reciprocal rank.
    case hybrid
}

/// One passage found, with where it comes from.
public struct SearchHit: Sendable, Equatable {
    public var passage: StoredPassage
    /// The fused (hybrid), BM25 (keyword) or cosine (vector) score; higher is better.
    public var score: Double
    /// `path:first-last` for notes (home shortened to `~`), `catalogue:KIND/ID` for catalogue text.
    public var citation: String
}

/// The hits of one search and how they were ranked.
public struct SearchOutcome: Sendable, Equatable {
    public var hits: [SearchHit]
    public var mode: SearchMode
    /// Why a richer mode was not used (no embedding model, the endpoint failed…), if it was not.
    public var note: String?
}

/// Turns what a learner types into an FTS5 query: words (letters and digits) lower-cased, common
/// words and conversational fillers ("explain", "tell me about") dropped, each quoted (so no FTS5 syntax can be injected) and joined with OR, so BM25
/// ranks passages by how many of the words they hold and how rare those are.
public enum FullTextQuery {
    static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "if", "in", "is",
        "it", "me", "my", "of", "on", "or", "should", "so", "that", "the", "their", "this", "to", "was", "what", "when",
        "where", "which", "who", "why", "with", "you", "your", "we", "our", "about", "into", "vs", "there", "these", "those",
        "will", "would", "could", "get", "use", "using", "between", "than", "then",
        // What learners say around a topic rather than the topic itself.
        "explain", "tell", "describe", "define", "meaning", "mean", "means", "please", "show", "know", "want", "need",
        "like", "learn", "understand",
    ]

    /// The FTS5 query for `text`, or nil when it holds no words.
    public static func make(from text: String) -> String? {
        let terms = terms(of: text)
        guard !terms.isEmpty else { return nil }
        return terms.map { "\"\($0)\"" }.joined(separator: " OR ")
    }

    /// The same words joined with AND (FTS5's implicit conjunction), or nil for fewer than two.
    public static func conjunction(from text: String) -> String? {
        let terms = terms(of: text)
        guard terms.count >= 2 else { return nil }
        return terms.map { "\"\($0)\"" }.joined(separator: " ")
    }

    /// The distinct searchable words of `text`, at most 32.
    static func terms(of text: String) -> [String] {
        let words = text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        var terms = words.filter { !stopWords.contains($0) }
        if terms.isEmpty { terms = words }
        var seen = Set<String>()
        return Array(terms.filter { seen.insert($0).inserted }.prefix(32))
    }
}

/// Ranked lists fused by reciprocal rank: each list adds `1 / (k + rank)` for every item it holds.
public enum RankFusion {
    public static func fuse(_ lists: [[Int64]], k: Double = 60) -> [(id: Int64, score: Double)] {
        var scores: [Int64: Double] = [:]
        var firstSeen: [Int64: Int] = [:]
        var order = 0
        for list in lists {
            for (rank, id) in list.enumerated() {
                scores[id, default: 0] += 1 / (k + Double(rank + 1))
                if firstSeen[id] == nil {
                    firstSeen[id] = order
                    order += 1
                }
            }
        }
        return scores.map { ($0.key, $0.value) }.sorted {
            $0.score != $1.score ? $0.score > $1.score : firstSeen[$0.id]! < firstSeen[$1.id]!
        }
    }
}

/// Brute-force cosine search over every stored vector of one model, held in memory once loaded
/// and reloaded after the index changes.
final class VectorCache: Sendable {
    private struct Loaded {
        var generation: Int
        var model: String
        var vectors: StoredVectors
    }

    private let loaded = Mutex<Loaded?>(nil)
    private let generation = Atomic<Int>(0)

    /// Marks the cache stale (after chunks or vectors change).
    func invalidate() { generation.add(1, ordering: .relaxed) }

    func vectors(model: String, store: Store) throws(StoreError) -> StoredVectors {
        let current = generation.load(ordering: .relaxed)
        if let cached = loaded.withLock({ $0 }), cached.generation == current, cached.model == model { return cached.vectors }
        let vectors = try store.vectors(model: model)
        loaded.withLock { $0 = Loaded(generation: current, model: model, vectors: vectors) }
        return vectors
    }

    /// The `k` best chunk ids for `query` (unit length) by dot product, best first.
    static func nearest(_ query: [Float], in vectors: StoredVectors, k: Int, source: PassageSource?) -> [(id: Int64, score: Float)] {
        let dimensions = vectors.dimensions
        guard dimensions > 0, query.count == dimensions, k > 0 else { return [] }
        var best: [(index: Int, score: Float)] = []
        best.reserveCapacity(k + 1)
        var threshold = -Float.infinity
        vectors.values.withUnsafeBufferPointer { values in
            query.withUnsafeBufferPointer { q in
                for row in 0..<vectors.chunkIds.count {
                    if let source, vectors.isCatalogue[row] != (source == .catalogue) { continue }
                    let base = row * dimensions
                    var sum = SIMD8<Float>()
                    var column = 0
                    while column + 8 <= dimensions {
                        let a = UnsafeRawPointer(values.baseAddress! + base + column).loadUnaligned(as: SIMD8<Float>.self)
                        let b = UnsafeRawPointer(q.baseAddress! + column).loadUnaligned(as: SIMD8<Float>.self)
                        sum += a * b
                        column += 8
                    }
                    var score = sum.sum()
                    while column < dimensions {
                        score += values[base + column] * q[column]
                        column += 1
                    }
                    guard best.count < k || score > threshold else { continue }
                    let position = best.firstIndex { $0.score < score } ?? best.count
                    best.insert((row, score), at: position)
                    if best.count > k { best.removeLast() }
                    threshold = best.count == k ? best[k - 1].score : -Float.infinity
                }
            }
        }
        return best.map { (vectors.chunkIds[$0.index], $0.score) }
    }
}

/// Scales `vector` to unit length (unchanged when it is all zeros).
func normalized(_ vector: [Float]) -> [Float] {
    let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return norm > 0 ? vector.map { $0 / norm } : vector
}
