import ArgumentParser
import TutorClient
import TutorWire

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `tutor ingest PATH…`: index notes, code, papers and web pages for search.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Index files and folders of notes, code, PDFs and HTML so the tutor can search and cite them.",
        discussion: """
            Folders are walked recursively; .gitignore and .tutorignore files are honoured, hidden files skipped.
            Running it again only reads files that changed. Folders are remembered and re-ingested by the scheduler.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Files and folders to index.", completion: .file()) var paths: [String]
    @Flag(help: "Also remove indexed files that are gone from these folders.") var prune = false

    func validate() throws {
        if paths.contains(where: { $0.allSatisfy(\.isWhitespace) }) {
            throw ValidationError(
                "an empty path was given; name the files or folders to index, e.g. `tutor ingest ~/notes` (or `.` for this folder)")
        }
    }

    func run() async throws {
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = paths.map { path -> String in
            if path.hasPrefix("/") { return path }
            if path == "~" || path.hasPrefix("~/"), let home = global.environment["HOME"] { return home + path.dropFirst() }
            return (cwd == "/" ? "" : cwd) + "/" + path
        }
        let bar = global.json ? nil : ProgressBar()
        let result = try await global.call(NotesIngestMethod.self, NotesIngestParams(paths: absolute, prune: prune)) { method, raw in
            guard method == NotesIngestMethod.progressNotification,
                let step = try? Incoming.decodeNotification(IngestProgressView.self, from: raw)
            else { return }
            if global.json {
                try printJSONLine(TypedLine(type: "progress", value: step))
            } else {
                bar?.show(step)
            }
        }
        bar?.finish()
        // A stream: progress objects, then the result, one JSON object per line.
        if global.json { return try printJSONLine(TypedLine(type: "result", value: result)) }
        var summary =
            "Indexed \(result.added.count) new and \(result.updated.count) changed file(s), \(result.unchanged) unchanged; \(result.chunksWritten) passages written"
        if !result.removed.isEmpty { summary += "; removed \(result.removed.count) file(s) gone from disk" }
        if result.embedded > 0 { summary += "; \(result.embedded) embeddings computed" }
        print(summary + " (\(oneDecimal(result.seconds)) s).")
        let skipped = result.skipped.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !skipped.isEmpty { print("Skipped: " + skipped.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ".") }
        for note in result.notes { print("Note: \(note)") }
        if !result.completed { print("The ingest stopped early; run the same command again to complete it.") }
    }
}

/// Draws ingest progress on one terminal line (only when stderr is a terminal).
final class ProgressBar: @unchecked Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    private var drawn = false

    func show(_ step: IngestProgressView) {
        guard enabled else { return }
        let line: String
        switch step.phase {
        case "scanning":
            line = "Scanning… \(step.filesTotal) files, \(bytes(step.bytesTotal))"
        case "embedding":
            line = "Embedding passages: \(step.filesDone) of \(step.filesTotal)"
        default:
            let bar = bar(step.bytesTotal > 0 ? Double(step.bytesDone) / Double(step.bytesTotal) : 1, width: 24)
            let left = step.secondsLeft.map { ", \(Int($0.rounded())) s left" } ?? ""
            line =
                "\(bar) \(step.filesDone)/\(step.filesTotal) files, \(bytes(step.bytesDone))/\(bytes(step.bytesTotal)), \(step.chunks) passages, \(bytes(Int(step.bytesPerSecond)))/s\(left)"
        }
        writeErrorRaw("\r\u{1B}[2K" + TerminalText.sanitized(line))
        drawn = true
    }

    func finish() {
        if drawn { writeErrorRaw("\r\u{1B}[2K") }
    }

    private func bytes(_ count: Int) -> String {
        switch count {
        case ..<1024: "\(count) B"
        case ..<(1024 * 1024): "\(oneDecimal(Double(count) / 1024)) KiB"
        default: "\(oneDecimal(Double(count) / 1_048_576)) MiB"
        }
    }
}

/// `tutor search QUERY`: passages from notes and the catalogue, with citations.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search your ingested notes and the roadmap's text; prints passages with path:lines.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "What to look for.") var query: [String]
    @Option(name: .customLong("k"), help: "How many passages (1–100).") var k = 5
    @Option(help: "Only 'notes' or only 'catalogue'.") var source: String?
    @Option(help: "Force 'keyword', 'vector' or 'hybrid' ranking (default: the best available).") var mode: String?

    func validate() throws {
        guard !query.isEmpty else { throw ValidationError("Say what to search for, e.g. tutor search chunk size overlap") }
        guard (1...100).contains(k) else { throw ValidationError("--k must be from 1 to 100") }
        if let source, !["notes", "catalogue"].contains(source) {
            throw ValidationError("--source must be 'notes' or 'catalogue', not '\(source)'")
        }
        if let mode, !["keyword", "vector", "hybrid"].contains(mode) {
            throw ValidationError("--mode must be 'keyword', 'vector' or 'hybrid', not '\(mode)'")
        }
    }

    func run() async throws {
        let result = try await global.call(
            NotesSearchMethod.self, NotesSearchParams(query: query.joined(separator: " "), k: k, source: source, mode: mode))
        if global.json { return try printJSON(result) }
        if let note = result.note { writeError("Note: \(note)") }
        if result.passages.isEmpty {
            return print("Nothing matches. Try other words, or `tutor ingest FOLDER` to add your notes.")
        }
        for (index, passage) in result.passages.enumerated() {
            let heading = passage.heading.isEmpty ? "" : "  — \(passage.heading)"
            print("\(index + 1). \(passage.citation)\(heading)  (score \(threeDecimals(passage.score)))")
            let excerpt = passage.text.split(separator: "\n", omittingEmptySubsequences: true).prefix(4)
            for line in excerpt { print("   " + String(line.prefix(110))) }
            print("")
        }
        print("(\(result.mode) search)")
    }
}

/// Writes text to standard error without a newline.
func writeErrorRaw(_ text: String) {
    var text = text
    text.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

/// A JSON line: `value`'s fields plus `"type"`.
struct TypedLine<Value: Encodable>: Encodable {
    enum Key: String, CodingKey { case type }
    let type: String
    let value: Value

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(type, forKey: .type)
    }
}

/// A number with three decimals, without Foundation's formatters.
func threeDecimals(_ value: Double) -> String {
    let scaled = Int((value * 1000).rounded())
    let fraction = abs(scaled % 1000)
    return "\(scaled < 0 && scaled > -1000 ? "-" : "")\(scaled / 1000).\(fraction < 10 ? "00" : fraction < 100 ? "0" : "")\(fraction)"
}
