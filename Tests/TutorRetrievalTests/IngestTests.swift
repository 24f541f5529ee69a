import Foundation
import Logging
import Testing
import TutorStore
import TutorTesting

@testable import TutorRetrieval

@Suite("Ingest: incremental, pruning, consistent")
struct IngestTests {
    func index(_ store: Store) -> NotesIndex {
        NotesIndex(store: store, embeddings: nil, home: "/nonexistent", logger: Logger(label: "test"))
    }

    /// Passages from notes whose text contains `phrase`.
    func find(_ phrase: String, in index: NotesIndex) async throws -> [SearchHit] {
        try await index.search(phrase, k: 50, source: .notes).hits.filter { $0.passage.text.localizedCaseInsensitiveContains(phrase) }
    }

    @Test("a file with more than 2 MB of text is indexed up to 2 MB, and the report says it was cut")
    func textBoundPerFile() async throws {
        try await onOwnThread {
            try await withTemporaryStore { store, folder in
                // About 3 MB of text: a marker at the start, another past the 2 MB bound.
                let paragraph = String(repeating: "Gradient descent follows the slope of the loss downhill. ", count: 20)
                var text = "# Big notes\n\nheadmarker opens the file.\n\n"
                while text.utf8.count < 3 * 1024 * 1024 { text += paragraph + "\n\n" }
                text += "tailmarker closes the file.\n"
                let path = folder + "/notes/big.md"
                try write(text, to: path)
                let notes = index(store)
                let report = try await notes.ingest(paths: [folder + "/notes"], prune: false) { _ in }
                #expect(report.added == [path])
                #expect(report.cut == [path])
                let note = report.notes.first { $0.contains("were cut") } ?? ""
                #expect(note.contains("1 file(s) were cut at 2 MB of text or 5000 passages each"), "\(report.notes)")
                #expect(note.contains(path))
                #expect(try await !find("headmarker", in: notes).isEmpty)
                #expect(try await find("tailmarker", in: notes).isEmpty, "text past the bound is not indexed")
            }
        }
    }

    @Test("passages per file are bounded, and the report names the file")
    func passageBoundPerFile() async throws {
        try await withTemporaryStore { store, folder in
            var text = ""
            for section in 1...40 { text += "# Section \(section)\n\n" + String(repeating: "Attention mixes tokens. ", count: 60) + "\n\n" }
            let path = folder + "/notes/sections.md"
            try write(text, to: path)
            var ingestor = Ingestor(store: store)
            ingestor.maxPassagesPerFile = 10
            let report = try await ingestor.ingest(paths: [folder + "/notes"], prune: false)
            #expect(report.chunksWritten == 10)
            #expect(report.cut == [path])
            #expect(report.notes.contains { $0.contains("1 file(s) were cut at 2 MB of text or 10 passages each") }, "\(report.notes)")
        }
    }

    @Test("a folder of Markdown, code, HTML and a PDF is indexed; ignored, hidden and binary files are not")
    func firstIngest() async throws {
        try await withTemporaryStore { store, folder in
            let corpus = try copyCorpus(into: folder)
            let notes = index(store)
            let report = try await notes.ingest(paths: [corpus], prune: false) { _ in }
            #expect(report.completed)
            #expect(report.added.contains(corpus + "/notes/chunking.md"))
            #expect(report.added.contains(corpus + "/code/rag_pipeline.py"))
            #expect(report.added.contains(corpus + "/articles/reranking-guide.html"))
            #expect(report.skipped[.binary] == 1, "diagram.png: \(report.skipped)")
            #expect(report.skipped[.ignored, default: 0] >= 1, "scratch.tmp is ignored by .tutorignore")
            #expect(!report.added.contains { $0.contains("/drafts/") || $0.hasSuffix(".tmp") })
            #expect(try await find("zanzibarquokka", in: notes).isEmpty, "ignored files never reach the index")
            if pdftotextInstalled {
                #expect(report.added.contains(corpus + "/papers/attention-summary.pdf"))
                let pdf = try store.documents(source: "notes").first { $0.kind == "pdf" }
                #expect(pdf != nil)
            } else {
                #expect(report.skipped[.pdfToolMissing] == 1)
                #expect(report.notes.contains { $0.contains("poppler-utils") })
            }
            let counts = try store.retrievalCounts(model: nil)
            #expect(counts.noteDocuments == report.added.count)
            #expect(counts.noteChunks == report.chunksWritten)
            #expect(counts.indexedRows == counts.noteChunks, "every chunk is in the full-text index")
            try store.checkFullTextIndex()
            #expect(try store.noteFolders().map(\.path) == [corpus])
        }
    }

    @Test("a second ingest after editing one file re-indexes that file alone; --prune removes only a deleted file's chunks")
    func incrementalAndPrune() async throws {
        try await withTemporaryStore { store, folder in
            let corpus = try copyCorpus(into: folder)
            let notes = index(store)
            let first = try await notes.ingest(paths: [corpus], prune: false) { _ in }
            let before = try store.retrievalCounts(model: nil)

            // Nothing changed: nothing is read again.
            let again = try await notes.ingest(paths: [corpus], prune: false) { _ in }
            #expect(again.added.isEmpty && again.updated.isEmpty && again.chunksWritten == 0)
            #expect(again.unchanged == first.added.count)

            // Touching a file without changing it costs a hash, not a re-index.
            let touched = corpus + "/notes/agents.md"
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: touched)
            #expect(try await notes.ingest(paths: [corpus], prune: false) { _ in }.updated.isEmpty)

            // One edited file.
            let edited = corpus + "/notes/chunking.md"
            let untouched = try store.document(path: corpus + "/notes/agents.md")
            try write(
                try String(contentsOfFile: edited, encoding: .utf8) + "\n\n## Quokka sizing\nThe quokkachunk rule of thumb.\n", to: edited)
            let third = try await notes.ingest(paths: [corpus], prune: false) { _ in }
            #expect(third.updated == [edited])
            #expect(third.added.isEmpty)
            #expect(try store.document(path: corpus + "/notes/agents.md")?.indexedAt == untouched?.indexedAt)
            #expect(try await find("quokkachunk", in: notes).map(\.passage.path) == [edited])

            // One deleted file: kept (and reported) without --prune, removed with it.
            let deleted = corpus + "/fundamentals/docker.md"
            let deletedChunks = try store.chunkCounts(documentIds: [try store.document(path: deleted)!.id!]).values.reduce(0, +)
            try FileManager.default.removeItem(atPath: deleted)
            let kept = try await notes.ingest(paths: [corpus], prune: false) { _ in }
            #expect(kept.missing == [deleted])
            #expect(kept.notes.contains { $0.contains("--prune") })
            #expect(try store.document(path: deleted) != nil)
            let pruned = try await notes.ingest(paths: [corpus], prune: true) { _ in }
            #expect(pruned.removed == [deleted])
            #expect(pruned.chunksRemoved == deletedChunks)
            let after = try store.retrievalCounts(model: nil)
            #expect(after.noteDocuments == before.noteDocuments - 1)
            #expect(after.indexedRows == after.noteChunks + after.catalogueChunks)
            try store.checkFullTextIndex()
        }
    }

    @Test("a single file can be ingested, and a missing path is refused with its name")
    func singleFileAndErrors() async throws {
        try await withTemporaryStore { store, folder in
            let file = folder + "/one.md"
            try write("# One\nA single note about reranking.", to: file)
            let notes = index(store)
            #expect(try await notes.ingest(paths: [file], prune: false) { _ in }.added == [file])
            await #expect(throws: IngestError.self) { try await notes.ingest(paths: [folder + "/missing"], prune: false) { _ in } }
            await #expect(throws: IngestError.self) { try await notes.ingest(paths: ["relative/path"], prune: false) { _ in } }
            do {
                _ = try await notes.ingest(paths: [folder + "/missing"], prune: false) { _ in }
            } catch {
                #expect("\(error)".contains(folder + "/missing"))
            }
        }
    }

    @Test("progress reports files and bytes up to the totals")
    func progress() async throws {
        try await withTemporaryStore { store, folder in
            let corpus = try copyCorpus(into: folder)
            let steps = Steps()
            _ = try await index(store).ingest(paths: [corpus], prune: false) { await steps.add($0) }
            let all = await steps.all
            #expect(all.first?.phase == .scanning)
            let last = try #require(all.last)
            #expect(last.filesDone == last.filesTotal && last.bytesDone == last.bytesTotal && last.filesTotal > 20)
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.filesDone <= $1.filesDone })
        }
    }

    @Test("symbolic links are followed only to files inside the ingested folder")
    func symlinks() async throws {
        try await withTemporaryStore { store, folder in
            try write("# Inside\ninsidelinkword", to: folder + "/notes/inside.md")
            try write("# Outside\noutsidelinkword", to: folder + "/private/outside.md")
            try FileManager.default.createSymbolicLink(
                atPath: folder + "/notes/link-in.md", withDestinationPath: folder + "/notes/inside.md")
            try FileManager.default.createSymbolicLink(
                atPath: folder + "/notes/link-out.md", withDestinationPath: folder + "/private/outside.md")
            let notes = index(store)
            let report = try await notes.ingest(paths: [folder + "/notes"], prune: false) { _ in }
            #expect(report.added.sorted() == [folder + "/notes/inside.md", folder + "/notes/link-in.md"])
            #expect(try await find("outsidelinkword", in: notes).isEmpty)
        }
    }
}

actor Steps {
    var all: [IngestProgress] = []
    func add(_ step: IngestProgress) { all.append(step) }
}
