import Foundation
import GRDB
import GRDBSQLite

/// `tutor_bm25(chunkFTS, headingWeight, hits0, hits1, …)`: the score of FTS5's own `bm25()`
/// (k1 = 1.2, b = 0.75, the heading column weighted, lower is better), but with the number of rows
/// holding each phrase passed in. `bm25()` counts those by reading every phrase's whole doclist on
/// every query, which was most of a query's time when a word is common; ``Store`` caches the counts
/// until the index changes.
enum FullTextRank {
    static let functionName = "tutor_bm25"

    /// Registers the function on one connection.
    static func register(_ db: Database) {
        let api = FTS5.api(db)
        _ = api.pointee.xCreateFunction(UnsafeMutablePointer(mutating: api), functionName, nil, score, nil)
    }

    /// The IDF of a phrase held by `hits` of `rows` rows, exactly as `bm25()` computes it.
    static func idf(hits: Double, rows: Double) -> Double {
        let value = log((rows - hits + 0.5) / (hits + 0.5))
        return value > 0 ? value : 1e-6
    }

    private static let score: fts5_extension_function = { api, fts, context, count, values in
        guard let api = api?.pointee, let values else { return }
        let k1 = 1.2
        let b = 0.75
        let phrases = Int(api.xPhraseCount(fts))
        guard count >= Int32(1 + phrases) else {
            sqlite3_result_error(context, "tutor_bm25 needs a heading weight and one row count per phrase", -1)
            return
        }
        let headingWeight = sqlite3_value_double(values[0])
        var rows: Int64 = 0
        var tokens: Int64 = 0
        var instances: Int32 = 0
        var rowTokens: Int32 = 0
        var code = api.xRowCount(fts, &rows)
        if code == SQLITE_OK { code = api.xColumnTotalSize(fts, -1, &tokens) }
        if code == SQLITE_OK { code = api.xInstCount(fts, &instances) }
        if code == SQLITE_OK { code = api.xColumnSize(fts, -1, &rowTokens) }
        guard code == SQLITE_OK else {
            sqlite3_result_error_code(context, code)
            return
        }
        let averageLength = rows > 0 ? Double(tokens) / Double(rows) : 1
        let lengthNorm = k1 * (1 - b + b * Double(rowTokens) / averageLength)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, phrases)) { frequency in
            frequency.initialize(repeating: 0)
            for instance in 0..<instances {
                var phrase: Int32 = 0
                var column: Int32 = 0
                var offset: Int32 = 0
                code = api.xInst(fts, instance, &phrase, &column, &offset)
                guard code == SQLITE_OK else { break }
                frequency[Int(phrase)] += column == 0 ? headingWeight : 1
            }
            var total = 0.0
            for phrase in 0..<phrases where frequency[phrase] > 0 {
                let hits = sqlite3_value_double(values[1 + phrase])
                total += idf(hits: hits, rows: Double(rows)) * frequency[phrase] * (k1 + 1) / (frequency[phrase] + lengthNorm)
            }
            if code == SQLITE_OK { sqlite3_result_double(context, -total) } else { sqlite3_result_error_code(context, code) }
        }
    }
}
