import ArgumentParser
import Foundation
import Logging
import TutorLLM
import TutorModel
import TutorRetrieval
import TutorStore
import TutorTesting

#if canImport(Glibc)
import Glibc
#endif

/// Retrieval in process (no socket): ingest throughput on generated Markdown, BM25 latency at
/// 10k and 100k chunks, hybrid latency with 384-dimension vectors at 100k chunks, index size.
struct RetrievalBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retrieval")
    @Option(help: "Megabytes of Markdown for the throughput run.") var megabytes = 50
    @Option(help: "Chunks in the large index.") var chunks = 100_000
    @Option var queries = 300

    func run() async throws {
        for row in try await Self.measure(megabytes: megabytes, chunks: chunks, queries: queries) { print(row.row) }
    }

    /// A vocabulary with a Zipf-like frequency, so the index looks like real text: a few very common
    /// words, a long tail of rare ones.
    struct TextGenerator {
        var state: UInt64
        let words: [String]

        init(seed: UInt64, vocabulary: Int = 20_000) {
            state = seed
            let syllables = ["ra", "to", "ken", "vec", "em", "bed", "ing", "lo", "ra", "chunk", "rank", "fu", "sion", "mo", "del", "quant"]
            var words: [String] = []
            var generator = SplitMix64(state: 42)
            for _ in 0..<vocabulary {
                let length = 2 + Int(generator.next() % 3)
                words.append((0..<length).map { _ in syllables[Int(generator.next() % UInt64(syllables.count))] }.joined())
            }
            self.words = words
        }

        mutating func nextRandom() -> UInt64 {
            var generator = SplitMix64(state: state)
            let value = generator.next()
            state = generator.state
            return value
        }

        /// A word index drawn so that rank r comes up about 1/r as often.
        mutating func word() -> String {
            let uniform = Double(nextRandom() % 1_000_000) / 1_000_000
            let rank = Int(pow(Double(words.count), uniform)) - 1
            return words[min(words.count - 1, max(0, rank))]
        }

        mutating func sentence() -> String {
            let count = 8 + Int(nextRandom() % 12)
            return (0..<count).map { _ in word() }.joined(separator: " ") + "."
        }

        /// A word a learner might search for: Zipf-distributed, but never among the 100 most
        /// frequent (those play the part of the stop words the query builder drops).
        mutating func queryWord() -> String {
            while true {
                let uniform = Double(nextRandom() % 1_000_000) / 1_000_000
                let rank = Int(pow(Double(words.count), uniform)) - 1
                if rank >= 100 && rank < words.count { return words[rank] }
            }
        }

        /// One note of about `bytes` bytes: a title, sections with headings, paragraphs.
        mutating func note(title: String, bytes: Int) -> String {
            var text = "# \(title)\n\n"
            var section = 0
            while text.utf8.count < bytes {
                section += 1
                text += "## \(word().capitalized) \(word())\n\n"
                for _ in 0..<(2 + Int(nextRandom() % 3)) {
                    text += (0..<(3 + Int(nextRandom() % 4))).map { _ in sentence() }.joined(separator: " ") + "\n\n"
                }
            }
            return text
        }
    }

    /// Pseudo-random vectors seeded by the text's hash (Swift's, so they differ between runs; the
    /// index normalises them), computed in process: it measures our side of hybrid search
    /// (storage, the scan, fusion), not an endpoint's latency or any ranking quality.
    struct HashEmbeddings: EmbeddingModel {
        let name = "bench-384"
        let dimensions = 384
        func embed(_ texts: [String]) async throws -> [[Float]] {
            texts.map { text in
                var generator = SplitMix64(state: UInt64(bitPattern: Int64(text.hashValue)))
                return (0..<dimensions).map { _ in Float(Int64(bitPattern: generator.next() % 2001) - 1000) / 1000 }
            }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func folderSize(_ path: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? Int) ?? 0)
        }
    }

    static func write(notes count: Int, bytes: Int, into folder: String, generator: inout TextGenerator) throws -> Int {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var total = 0
        for index in 0..<count {
            let text = generator.note(title: "Note \(index) on \(generator.word())", bytes: bytes)
            try text.write(toFile: folder + "/note-\(index).md", atomically: false, encoding: .utf8)
            total += text.utf8.count
        }
        return total
    }

    static func latencies(_ index: NotesIndex, queries: [String], mode: SearchMode) async throws -> [Duration] {
        let clock = ContinuousClock()
        var samples: [Duration] = []
        for query in queries {
            let started = clock.now
            _ = try await index.search(query, k: 10, mode: mode)
            samples.append(clock.now - started)
        }
        return samples.sorted()
    }

    static func measure(megabytes: Int = 50, chunks: Int = 100_000, queries queryCount: Int = 300) async throws -> [Measurement] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-bench-retrieval-\(getpid())").path
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let logger = Logger(label: "bench")
        var generator = TextGenerator(seed: 7)
        var rows: [Measurement] = []
        let clock = ContinuousClock()

        // 1. Ingest throughput: `megabytes` of Markdown in 20 KB notes, keyword index only.
        let throughputBytes = try write(
            notes: megabytes * 1024 * 1024 / 20_000, bytes: 20_000, into: root + "/throughput", generator: &generator)
        do {
            let store = try Store(path: root + "/throughput-db/tutor.sqlite")
            let index = NotesIndex(store: store, embeddings: nil, logger: logger)
            let started = clock.now
            let report = try await index.ingest(paths: [root + "/throughput"], prune: false) { _ in }
            let elapsed = seconds(clock.now - started)
            try store.close()
            let size = folderSize(root + "/throughput-db")
            let megabytesIn = Double(throughputBytes) / 1_048_576
            rows.append(
                Measurement(
                    name:
                        "ingest \(String(format: "%.0f", megabytesIn)) MB of Markdown (\(report.added.count) notes of 20 KB, \(report.chunksWritten) chunks), keyword index, one run",
                    figures: [
                        ("throughput", String(format: "%.1f MB/s", megabytesIn / elapsed)), ("time", String(format: "%.1f s", elapsed)),
                        ("index on disk", String(format: "%.2f MB per MB of text", Double(size) / Double(throughputBytes))),
                    ],
                    target: "≥ 20 MB/s"))
        }

        // 2. Query latency at 10% and at 100% of `chunks`, then hybrid at 100%.
        let store = try Store(path: root + "/large-db/tutor.sqlite")
        let index = NotesIndex(store: store, embeddings: HashEmbeddings(), embeddingBatch: 512, logger: logger)
        let chunksPerNote = 8  // 8 KB notes cut at ~300 tokens
        let firstNotes = chunks / 10 / chunksPerNote
        _ = try write(notes: firstNotes, bytes: 8_000, into: root + "/large/a", generator: &generator)
        _ = try await index.ingest(paths: [root + "/large/a"], prune: false) { _ in }
        // Query words come from outside the 100 most frequent, as the rows say (until 2026-11-29
        // they were drawn from the whole vocabulary, stop-word stand-ins included).
        let queries = (0..<queryCount).map { _ in
            (0..<(2 + Int(generator.nextRandom() % 3))).map { _ in generator.queryWord() }.joined(separator: " ")
        }
        let small = try store.retrievalCounts(model: nil).noteChunks
        let bm25Small = try await latencies(index, queries: queries, mode: .keyword)
        rows.append(
            Measurement(
                name: "BM25 query, k = 10, \(small) chunks, \(queryCount) queries of 2–4 words outside the 100 most frequent",
                figures: [("p50", millis(percentile(bm25Small, 0.5))), ("p99", millis(percentile(bm25Small, 0.99)))],
                target: "—"))

        // Size the second batch from the chunks the first one really gave, to land near `chunks`.
        let perNote = max(1, Double(small) / Double(max(1, firstNotes)))
        let remaining = max(0, Int((Double(chunks - small) / perNote).rounded()))
        _ = try write(notes: remaining, bytes: 8_000, into: root + "/large/b", generator: &generator)
        let started = clock.now
        _ = try await index.ingest(paths: [root + "/large/b"], prune: false) { _ in }
        let ingestAndEmbed = seconds(clock.now - started)
        let large = try store.retrievalCounts(model: HashEmbeddings().name)
        let bm25Large = try await latencies(index, queries: queries, mode: .keyword)
        rows.append(
            Measurement(
                name: "BM25 query, k = 10, \(large.noteChunks) chunks, \(queryCount) queries of 2–4 words outside the 100 most frequent",
                figures: [("p50", millis(percentile(bm25Large, 0.5))), ("p99", millis(percentile(bm25Large, 0.99)))],
                target: "p50 ≤ 5 ms"))

        let rssBefore = ProcessMemory.kib(pid: getpid())
        let coldStart = clock.now
        _ = try await index.search(queries[0], k: 10, mode: .hybrid)
        let cold = clock.now - coldStart
        let rssAfter = ProcessMemory.kib(pid: getpid())
        let hybrid = try await latencies(index, queries: queries, mode: .hybrid)
        rows.append(
            Measurement(
                name:
                    "hybrid query (BM25 + brute-force cosine over 384-dim float32 vectors, RRF), k = 10, \(large.embeddedChunks) chunks embedded; in-process hash embeddings, so no endpoint time",
                figures: [
                    ("p50", millis(percentile(hybrid, 0.5))), ("p99", millis(percentile(hybrid, 0.99))),
                    ("first query (loads the vectors)", millis(cold)), ("vectors in memory", "\((rssAfter - rssBefore) / 1024) MiB"),
                ],
                target: "p50 ≤ 50 ms"))
        try store.close()
        rows.append(
            Measurement(
                name: "index of \(large.noteChunks) chunks with 384-dim vectors: ingest + embed of the last 90%, size on disk",
                figures: [
                    ("time", String(format: "%.1f s", ingestAndEmbed)),
                    ("database", String(format: "%.0f MB", Double(folderSize(root + "/large-db")) / 1_048_576)),
                ],
                target: "—"))
        return rows
    }
}
