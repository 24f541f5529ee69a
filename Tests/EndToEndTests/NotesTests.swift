import Foundation
import Testing
import TutorClient
import TutorStore
import TutorTesting
import TutorToolAdapters
import TutorWire

/// Retrieval through a real daemon: `tutor ingest`, `tutor search`, citations checked against the
/// files, a SIGKILL in the middle of an ingest, embeddings from the fake endpoint, and the agent
/// citing notes.
@Suite("Notes: ingest, search and citations", .serialized)
struct NotesTests {
    /// The fixture corpus copied under the daemon's home, so citations read `~/notes/…`.
    private func copyCorpus(to daemon: TemporaryDaemon) throws -> String {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        url.deleteLastPathComponent()
        let destination = daemon.root + "/notes"
        try FileManager.default.copyItem(atPath: url.appendingPathComponent("Fixtures/retrieval/corpus").path, toPath: destination)
        return destination
    }

    private func decode<T: Decodable>(_ type: T.Type, _ result: CLIResult) throws -> T {
        #expect(result.status == 0, "\(result.stderr)")
        // One document, or for streams (ingest) the last line.
        if let whole = try? WireCodec.makeDecoder().decode(T.self, from: Data(result.stdout.utf8)) { return whole }
        let lastLine = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        return try WireCodec.makeDecoder().decode(T.self, from: Data(lastLine.utf8))
    }

    /// The lines `citation` (`~/path:first-last`) points at, read from disk.
    private func citedLines(_ citation: String, home: String) throws -> String {
        let colon = try #require(citation.lastIndex(of: ":"))
        let path = home + citation[citation.index(after: citation.startIndex)..<colon]
        let range = citation[citation.index(after: colon)...].split(separator: "-").compactMap { Int($0) }
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        return lines[(range[0] - 1)..<(range.last!)].joined(separator: "\n")
    }

    @Test("tutor ingest indexes a folder; tutor search cites path:lines that hold the passage; a re-ingest touches one edited file")
    func ingestAndSearch() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let notes = try copyCorpus(to: daemon)

        let ingest = try await daemon.runCLI(["ingest", "--json", notes])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let lines = ingest.stdout.split(separator: "\n")
        #expect(lines.dropLast().allSatisfy { $0.contains("\"type\":\"progress\"") }, "progress lines, then the result")
        let report = try decode(NotesIngestResult.self, ingest)
        #expect(report.added.count >= 35)
        #expect(report.skipped["binary"] == 1)

        let search = try decode(
            NotesSearchResult.self, try await daemon.runCLI(["search", "--json", "--k", "3", "pick a chunk size and overlap"]))
        #expect(search.mode == "keyword")
        let first = try #require(search.passages.first)
        #expect(first.citation.hasPrefix("~/notes/notes/chunking.md:"), "\(first.citation)")
        // Markdown and code chunks are the file's own lines, so the citation can be checked exactly.
        for passage in search.passages where passage.source == "notes" && ["md", "py"].contains(passage.path.split(separator: ".").last) {
            #expect(try citedLines(passage.citation, home: daemon.root) == passage.text, "\(passage.citation)")
        }

        // The human-readable form.
        let text = try await daemon.runCLI(["search", "reciprocal", "rank", "fusion", "--source", "notes"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("~/notes/notes/bm25-hybrid-search.md:"))
        #expect(text.stdout.contains("(keyword search)"))
        let catalogue = try decode(
            NotesSearchResult.self, try await daemon.runCLI(["search", "--json", "--source", "catalogue", "vector database"]))
        #expect(catalogue.passages.first?.citation.hasPrefix("catalogue:skill/") == true)

        // Edit one file: only it is read again.
        let edited = notes + "/notes/agents.md"
        try (try String(contentsOfFile: edited, encoding: .utf8) + "\n## Budget\nThe quokkabudget caps every agent run.\n").write(
            toFile: edited, atomically: true, encoding: .utf8)
        let again = try decode(NotesIngestResult.self, try await daemon.runCLI(["ingest", "--json", notes]))
        #expect(again.updated.count == 1 && again.updated.first?.hasSuffix("/notes/agents.md") == true)
        #expect(again.added.isEmpty)
        let found = try decode(NotesSearchResult.self, try await daemon.runCLI(["search", "--json", "quokkabudget"]))
        #expect(found.passages.first?.citation.hasPrefix("~/notes/notes/agents.md:") == true)

        // Status says keyword search only, with no embedding model.
        let status = try await daemon.runCLI(["status"])
        #expect(status.stdout.contains("keyword (BM25) only"))

        // Bad input: a clear error, and the daemon keeps serving.
        let missing = try await daemon.runCLI(["ingest", daemon.root + "/nowhere"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nowhere") && missing.stderr.contains("does not exist"))
        let usage = try await daemon.runCLI(["search", "--source", "web", "x"])
        #expect(usage.status == 2)
        try await daemon.stop()
    }

    @Test("control sequences in a note (OSC 52 clipboard write, CSI, C1, bell, carriage return) never reach the terminal raw")
    func controlSequencesStripped() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let folder = daemon.root + "/hostile-notes"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let note =
            "# Zebrafish tuning\n\nThe zebrafish\u{1B}]52;c;cm0gLXJmIH4=\u{07} schedule\u{1B}[2J\u{1B}[31m uses\tlearning rate warmup.\r"
            + "\u{9B}6n\u{9D}0;pwned\u{07} Zebrafish\u{08}\u{1B}c end.\n"
        try note.write(toFile: folder + "/zebrafish.md", atomically: true, encoding: .utf8)
        #expect(try await daemon.runCLI(["ingest", folder]).status == 0)
        let search = try await daemon.runCLI(["search", "zebrafish", "warmup"])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stdout.contains("zebrafish"), "\(search.stdout)")
        #expect(search.stdout.contains("uses\tlearning rate warmup."), "tabs stay: \(search.stdout)")
        let forbidden = search.stdout.unicodeScalars.filter { scalar in
            (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
        }
        #expect(forbidden.isEmpty, "control characters printed: \(forbidden.map { String($0.value, radix: 16) })")
        #expect(!search.stdout.contains("52;c;"), "the clipboard sequence's body is dropped with it")
        try await daemon.stop()
    }

    @Test("SIGKILL in the middle of an ingest: the database is intact, the index matches the chunks, and a re-run completes it")
    func killMidIngest() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let folder = daemon.root + "/big"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files = 600
        for index in 0..<files {
            let sections = (0..<12).map { section in
                "## Section \(section)\n"
                    + String(repeating: "Note \(index) talks about retrieval, chunk \(section) and ranking. ", count: 12)
            }
            try ("# File \(index)\n\n" + sections.joined(separator: "\n\n")).write(
                toFile: folder + "/note-\(index).md", atomically: false, encoding: .utf8)
        }
        let socket = daemon.socketPath
        let ingest = Task { try await daemon.runCLI(["ingest", "--json", folder]) }
        // Wait until part of the folder is in, then kill the daemon as a crash would.
        var indexed = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            indexed = (try? await TutorConnection.call(socketPath: socket, NotesStatusMethod.self, NoParams()))?.noteDocuments ?? 0
            if indexed >= 20 { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        try await daemon.kill()
        let interrupted = try await ingest.value
        #expect(interrupted.status != 0, "the CLI reports the lost daemon")
        #expect(indexed >= 20)

        let store = try Store(path: daemon.dataDirectory + "/tutor.sqlite")
        #expect(try store.integrityCheck() == ["ok"])
        try store.checkFullTextIndex()
        let counts = try store.retrievalCounts(model: nil)
        #expect(counts.indexedRows == counts.noteChunks + counts.catalogueChunks, "full-text rows match chunk rows")
        #expect(counts.noteDocuments < files, "the kill came before the end (\(counts.noteDocuments) of \(files))")
        let partial = counts.noteDocuments
        // Every stored file has all its chunks: 13 sections each.
        let perDocument = try store.chunkCounts(documentIds: try store.documents(source: "notes").compactMap(\.id))
        #expect(perDocument.values.allSatisfy { $0 == perDocument.values.first }, "no file is half indexed")
        try store.close()

        try await daemon.launch()
        let rerun = try decode(NotesIngestResult.self, try await daemon.runCLI(["ingest", "--json", folder], timeout: .seconds(120)))
        #expect(rerun.completed)
        #expect(rerun.added.count == files - partial)
        #expect(rerun.unchanged == partial)
        let status = try await TutorConnection.call(socketPath: socket, NotesStatusMethod.self, NoParams())
        #expect(status.noteDocuments == files)
        try await daemon.stop()
    }

    @Test("with an embedding model the index is hybrid; a new model replaces every vector")
    func embeddings() async throws {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await TemporaryDaemon.start(extraEnvironment: [
            "TUTOR_LLM_BASE_URL": server.baseURL, "TUTOR_LLM_MODEL": "fake-model", "TUTOR_EMBEDDING_MODEL": "embed-a",
        ])
        defer { daemon.removeFiles() }
        let notes = try copyCorpus(to: daemon)
        let report = try decode(NotesIngestResult.self, try await daemon.runCLI(["ingest", "--json", notes]))
        let status = try await TutorConnection.call(socketPath: daemon.socketPath, NotesStatusMethod.self, NoParams())
        #expect(status.mode == "hybrid" && status.embeddingModel == "embed-a")
        // The catalogue's passages are embedded too.
        #expect(report.embedded == status.noteChunks + status.catalogueChunks)
        #expect(status.embeddedChunks == report.embedded)
        let search = try decode(NotesSearchResult.self, try await daemon.runCLI(["search", "--json", "rank fusion of two lists"]))
        #expect(search.mode == "hybrid")
        #expect(search.passages.contains { $0.citation.contains("bm25-hybrid-search.md") })
        #expect((try await daemon.runCLI(["status"])).stdout.contains("hybrid: BM25 and embeddings from embed-a"))
        let embeddingRequests = server.recordedRequests().filter { $0.path.hasSuffix("/embeddings") }
        #expect(embeddingRequests.count >= 2, "batched")
        #expect(embeddingRequests.allSatisfy { ($0.json?["model"] as? String) == "embed-a" })
        try await daemon.stop()

        // Another model: the old vectors go and every passage is embedded again.
        daemon.environment["TUTOR_EMBEDDING_MODEL"] = "embed-b"
        try await daemon.launch()
        let again = try decode(NotesIngestResult.self, try await daemon.runCLI(["ingest", "--json", notes]))
        #expect(again.added.isEmpty && again.updated.isEmpty)
        #expect(again.embedded == report.embedded)
        try await daemon.stop()
        try await server.shutdown()
    }

    @Test("the model searches notes; the tool result it reads is quoted data with citations, and its answer streams")
    func agentCitesNotes() async throws {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await TemporaryDaemon.start(extraEnvironment: [
            "TUTOR_LLM_BASE_URL": server.baseURL, "TUTOR_LLM_MODEL": "fake-model",
        ])
        defer { daemon.removeFiles() }
        let notes = try copyCorpus(to: daemon)
        _ = try await daemon.runCLI(["ingest", notes])
        server.enqueue(
            .stream([
                .toolCall(
                    index: 0, id: "call_n", name: ToolName.searchNotes.rawValue, arguments: "{\"query\": \"chunk size overlap\", \"k\": 2}"),
                .finish("tool_calls"),
            ]),
            .stream([.text("Your notes say to start around 300 to 500 tokens (~/notes/notes/chunking.md)."), .finish("stop")]))
        let chat = try await daemon.runCLI(["chat", "--tools", "-m", "what chunk size did I settle on?"])
        #expect(chat.status == 0, "\(chat.stderr)")
        #expect(chat.stderr.contains("[search_notes ok]"))
        #expect(chat.stdout.contains("Your notes say"))
        let requests = server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }
        let messages = (requests.last?.json?["messages"] as? [[String: Any]]) ?? []
        // The model's own search (the tutor also looked the topic up before it spoke).
        let tool = try #require(messages.last { $0["role"] as? String == "tool" }?["content"] as? String)
        #expect(tool.contains("untrusted"))
        #expect(tool.contains("~/notes/notes/chunking.md:"))
        let system = messages.first { $0["role"] as? String == "system" }?["content"] as? String ?? ""
        #expect(system.contains(ToolName.searchNotes.rawValue) && system.contains("Cite every passage"))
        try await daemon.stop()
        try await server.shutdown()
    }

    @Test("offline, 'what is chunking?' explains the roadmap skill and cites the learner's own notes")
    func offlineCitesNotes() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let notes = try copyCorpus(to: daemon)
        _ = try await daemon.runCLI(["ingest", notes])
        let chat = try await daemon.runCLI(["chat", "-m", "what is chunking?"])
        #expect(chat.status == 0, "\(chat.stderr)")
        #expect(chat.stdout.contains("From the Tutor roadmap, skill chunking-strategies"))
        let fromNotes = try #require(chat.stdout.components(separatedBy: "From your notes:").last)
        let cited = fromNotes.split(separator: "\n").filter { $0.hasPrefix("- ~/notes/") }
        #expect(!cited.isEmpty, "each passage is cited by ~/path:lines")
        #expect(cited.allSatisfy { $0.lowercased().contains("chunk") }, "\(cited)")
        try await daemon.stop()
    }
}
