// Retriever.swift
// A tiny in-memory retriever I wrote while learning Swift for the Tutor app.
// Brute-force cosine similarity over stored vectors plus reciprocal rank fusion.

import Foundation

struct StoredChunk {
    let path: String
    let ordinal: Int
    let text: String
    let vector: [Float]
}

enum RetrieverError: Error {
    case dimensionMismatch(expected: Int, got: Int)
    case emptyIndex
}

/// Dot product of two equal-length vectors.
func dot(_ a: [Float], _ b: [Float]) -> Float {
    var sum: Float = 0
    for i in 0..<min(a.count, b.count) {
        sum += a[i] * b[i]
    }
    return sum
}

/// Returns a copy of the vector scaled to unit length (L2 norm of 1).
/// A zero vector is returned unchanged to avoid dividing by zero.
func normalized(_ v: [Float]) -> [Float] {
    let norm = dot(v, v).squareRoot()
    guard norm > 0 else { return v }
    return v.map { $0 / norm }
}

final class VectorIndex {
    private(set) var chunks: [StoredChunk] = []
    let dimension: Int

    init(dimension: Int) {
        self.dimension = dimension
    }

    /// Adds a chunk; the vector is normalised on insert so queries can use a dot product.
    func add(path: String, ordinal: Int, text: String, vector: [Float]) throws {
        guard vector.count == dimension else {
            throw RetrieverError.dimensionMismatch(expected: dimension, got: vector.count)
        }
        chunks.append(StoredChunk(path: path, ordinal: ordinal, text: text, vector: normalized(vector)))
    }

    /// Removes every chunk of a file, e.g. before re-indexing it after an edit.
    func removeAll(path: String) {
        chunks.removeAll { $0.path == path }
    }

    /// Brute-force nearest neighbours: score every chunk and keep the best k.
    func nearest(to query: [Float], k: Int = 10) throws -> [(chunk: StoredChunk, score: Float)] {
        guard !chunks.isEmpty else { throw RetrieverError.emptyIndex }
        guard query.count == dimension else {
            throw RetrieverError.dimensionMismatch(expected: dimension, got: query.count)
        }
        let q = normalized(query)
        let scored = chunks.map { (chunk: $0, score: dot($0.vector, q)) }
        return Array(scored.sorted { $0.score > $1.score }.prefix(k))
    }
}

/// Reciprocal rank fusion of several ranked lists of chunk ids.
/// Each id scores sum(1 / (k + rank)) over the lists it appears in, rank starting at 1.
func reciprocalRankFusion(_ rankings: [[String]], k: Double = 60) -> [String] {
    var scores: [String: Double] = [:]
    for ranking in rankings {
        for (index, id) in ranking.enumerated() {
            scores[id, default: 0] += 1.0 / (k + Double(index + 1))
        }
    }
    return scores.sorted { lhs, rhs in
        lhs.value == rhs.value ? lhs.key < rhs.key : lhs.value > rhs.value
    }.map(\.key)
}

/// Escapes free text for an SQLite FTS5 MATCH clause by quoting each word.
func ftsQuery(from text: String) -> String {
    let words = text.lowercased()
        .components(separatedBy: CharacterSet.alphanumerics.inverted)
        .filter { !$0.isEmpty }
    return words.map { "\"\($0)\"" }.joined(separator: " OR ")
}

// Quick manual check
// let index = VectorIndex(dimension: 3)
// try index.add(path: "notes/a.md", ordinal: 0, text: "cats", vector: [1, 0, 0])
// try index.add(path: "notes/b.md", ordinal: 0, text: "dogs", vector: [0, 1, 0])
// print(try index.nearest(to: [0.9, 0.1, 0], k: 1).first!.chunk.path)  // notes/a.md
