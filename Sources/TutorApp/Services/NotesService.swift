import Foundation
import TutorCatalogue
import TutorRetrieval
import TutorStore
import TutorWire

/// Retrieval as the daemon and the agent use it: ingest, search and status in wire views, and the
/// catalogue's own text kept in the index.
public struct NotesService: Sendable {
    public let index: NotesIndex

    public init(index: NotesIndex) {
        self.index = index
    }

    /// Ingests `params.paths`; each progress step goes to `progress`.
    public func ingest(
        _ params: NotesIngestParams, progress: @escaping @Sendable (IngestProgressView) async -> Void
    ) async throws -> NotesIngestResult {
        guard !params.paths.isEmpty else {
            throw AppError.badInput("give at least one file or folder to ingest")
        }
        let report: IngestReport
        do {
            report = try await index.ingest(paths: params.paths, prune: params.prune ?? false) { step in
                await progress(Self.view(step))
            }
        } catch let error as IngestError {
            throw AppError.badInput(error.description, cause: error)
        }
        return NotesIngestResult(
            roots: report.roots, added: report.added, updated: report.updated, unchanged: report.unchanged, removed: report.removed,
            missing: report.missing, skipped: Dictionary(uniqueKeysWithValues: report.skipped.map { ($0.key.rawValue, $0.value) }),
            chunksWritten: report.chunksWritten, chunksRemoved: report.chunksRemoved, bytesIndexed: report.bytesIndexed,
            embedded: report.embedded, notes: report.notes, completed: report.completed, seconds: report.seconds)
    }

    static func view(_ progress: IngestProgress) -> IngestProgressView {
        IngestProgressView(
            phase: progress.phase.rawValue, filesDone: progress.filesDone, filesTotal: progress.filesTotal,
            bytesDone: progress.bytesDone, bytesTotal: progress.bytesTotal, chunks: progress.chunks,
            elapsedSeconds: progress.elapsedSeconds, bytesPerSecond: progress.bytesPerSecond, secondsLeft: progress.secondsLeft,
            currentPath: progress.currentPath)
    }

    /// The passages that best answer `params.query`.
    public func search(_ params: NotesSearchParams) async throws -> NotesSearchResult {
        let query = params.query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty else { throw AppError.badInput("'query' is empty; say what to look for") }
        let k = params.k ?? 5
        guard (1...100).contains(k) else { throw AppError.badInput("'k' must be from 1 to 100") }
        var source: PassageSource?
        if let name = params.source {
            guard let parsed = PassageSource(rawValue: name) else {
                throw AppError.badInput("'source' must be 'notes' or 'catalogue', not '\(name)'")
            }
            source = parsed
        }
        var mode: SearchMode?
        if let name = params.mode {
            guard let parsed = SearchMode(rawValue: name) else {
                throw AppError.badInput("'mode' must be 'keyword', 'vector' or 'hybrid', not '\(name)'")
            }
            mode = parsed
        }
        let outcome = try await index.search(query, k: k, source: source, mode: mode)
        return NotesSearchResult(
            query: query, mode: outcome.mode.rawValue, note: outcome.note,
            passages: outcome.hits.map { hit in
                PassageView(
                    citation: hit.citation, source: hit.passage.source, path: hit.passage.path, title: hit.passage.title,
                    heading: hit.passage.heading, startLine: hit.passage.startLine, endLine: hit.passage.endLine,
                    score: (hit.score * 10_000).rounded() / 10_000, text: hit.passage.text)
            })
    }

    /// What the index holds.
    public func status() throws -> NotesStatusView {
        let status = try index.status()
        return NotesStatusView(
            mode: status.mode.rawValue, embeddingModel: status.embeddingModel, noteDocuments: status.counts.noteDocuments,
            noteChunks: status.counts.noteChunks, catalogueChunks: status.counts.catalogueChunks,
            embeddedChunks: status.counts.embeddedChunks, folders: try index.store.noteFolders().map(\.path))
    }

    /// Brings the catalogue's text in the index up to date with `catalogue`.
    @discardableResult
    public func indexCatalogue(_ catalogue: Catalogue) async throws -> (written: Int, removed: Int) {
        try await index.indexCatalogue(Self.catalogueTexts(catalogue))
    }

    /// One Markdown text per skill, project and track: what it is, its checklist and resources.
    static func catalogueTexts(_ catalogue: Catalogue) -> [(path: String, title: String, markdown: String)] {
        var texts: [(path: String, title: String, markdown: String)] = []
        for skill in catalogue.skills {
            var lines = ["# \(skill.title)", "", skill.description]
            if !skill.topics.isEmpty { lines += ["", "Topics: " + skill.topics.joined(separator: ", ") + "."] }
            lines += ["", "Takes about \(hours(skill.hours)) for someone who already programs."]
            if !skill.checklist.isEmpty { lines += ["", "## What you can do once you know it", ""] + skill.checklist.map { "- \($0)" } }
            if !skill.resources.isEmpty { lines += ["", "## Resources", ""] + skill.resources.map { "- \($0.title) (\($0.url))" } }
            texts.append(("catalogue:skill/\(skill.id)", skill.title, lines.joined(separator: "\n")))
        }
        for project in catalogue.projects {
            var lines = ["# Project: \(project.title)", "", project.description, "", "Takes about \(hours(project.hours))."]
            if !project.checklist.isEmpty { lines += ["", "## Checklist", ""] + project.checklist.map { "- \($0)" } }
            texts.append(("catalogue:project/\(project.id)", project.title, lines.joined(separator: "\n")))
        }
        for track in catalogue.tracks {
            texts.append(("catalogue:track/\(track.id)", track.title, "# Track: \(track.title)\n\n\(track.description)"))
        }
        return texts
    }

    private static func hours(_ range: HourRange) -> String {
        func format(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value) }
        return "\(format(range.min))–\(format(range.max)) hours"
    }
}
