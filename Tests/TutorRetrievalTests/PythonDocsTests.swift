import Foundation
import Logging
import Testing
import TutorStore
import TutorTesting

@testable import TutorRetrieval

/// Python's HTML documentation (Debian's `python3-doc`, installed by Tools/install-deps.sh) ingested
/// for real: what a learner gets when they point `tutor ingest` at Sphinx pages. The passages must
/// be the pages' content, not their sidebars, and questions with a known answer page must find it.
@Suite("Python's HTML documentation as notes", .serialized)
struct PythonDocsTests {
    /// Where Debian puts the HTML docs (`dpkg -L python3-doc`), when installed.
    static let docsFolder: String? = ["/usr/share/doc/python3/html", "/usr/share/doc/python3-doc/html"].first {
        FileManager.default.fileExists(atPath: $0 + "/library/asyncio-task.html")
    }
    /// The parts ingested: the reference a learner reads (about 33 MB, 380 pages). The generated
    /// indexes, the C API and the changelogs are left out to keep the test under a minute.
    static let sections = ["library", "tutorial", "reference", "howto", "faq"]

    /// A question and the pages that answer it (relative to the docs folder).
    struct KnownAnswer: Sendable {
        var question: String
        var pages: Set<String>
    }

    static let knownAnswers: [KnownAnswer] = [
        KnownAnswer(question: "what does asyncio.gather do", pages: ["library/asyncio-task.html"]),
        KnownAnswer(question: "how do I read a csv file", pages: ["library/csv.html"]),
        KnownAnswer(question: "json dumps indent", pages: ["library/json.html"]),
        KnownAnswer(question: "list comprehension", pages: ["tutorial/datastructures.html"]),
        KnownAnswer(question: "regular expression named group", pages: ["library/re.html", "howto/regex.html"]),
        KnownAnswer(question: "dataclass field default_factory", pages: ["library/dataclasses.html"]),
        KnownAnswer(question: "parse command line arguments", pages: ["library/argparse.html", "howto/argparse.html"]),
        KnownAnswer(question: "sort a list of objects by key", pages: ["howto/sorting.html"]),
        KnownAnswer(question: "defaultdict", pages: ["library/collections.html"]),
        KnownAnswer(question: "contextmanager decorator", pages: ["library/contextlib.html"]),
        KnownAnswer(question: "run a command and capture its output", pages: ["library/subprocess.html"]),
        KnownAnswer(question: "strftime format codes", pages: ["library/datetime.html", "library/time.html"]),
    ]

    /// Lines a Sphinx theme (or most documentation sites) puts around every page.
    static let navigationPhrases: Set<String> = [
        "previous topic", "next topic", "this page", "report a bug", "show source", "navigation", "table of contents",
        "quick search", "index", "modules", "next", "previous", "go", "theme", "auto", "light", "dark", "menu", "search",
        "contents", "on this page", "edit this page", "toggle navigation", "skip to content", "back to top",
    ]

    /// Whether a line is site furniture: a navigation phrase, a breadcrumb trail (`Python » 3.11 »
    /// The Python Standard Library »`), a row of `|`-separated links, or the site's footer.
    static func isNavigationLine(_ line: String) -> Bool {
        var text = line.lowercased().trimmingCharacters(in: .whitespaces)
        while text.hasPrefix("#") { text.removeFirst() }
        text = text.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "|:»›"))
            .trimmingCharacters(in: .whitespaces)
        if text.isEmpty || navigationPhrases.contains(text) { return true }
        if text.filter({ $0 == "»" || $0 == "›" }).count >= 2 { return true }
        if text.components(separatedBy: " | ").count >= 3 { return true }
        let footers = [
            "© copyright", "last updated on", "created using sphinx", "found a bug?", "please donate",
            "the python software foundation is a non-profit", "this page is licensed", "examples, recipes, and other code in the",
            "see history and license", "« previous", "next »",
        ]
        return footers.contains { text.hasPrefix($0) || text.contains($0) && text.count < 200 }
    }

    /// A passage is boilerplate when it sits under a navigation heading ("Table of Contents",
    /// "Previous topic": a sidebar's sections) or when navigation lines make up at least half of
    /// its characters.
    static func isBoilerplate(_ passage: StoredPassage) -> Bool {
        let headings = passage.heading.components(separatedBy: " › ").map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        if let last = headings.last, navigationPhrases.contains(last) { return true }
        let lines = passage.text.split(separator: "\n").map(String.init)
        let total = lines.reduce(0) { $0 + $1.count }
        guard total > 0 else { return true }
        let navigation = lines.filter(isNavigationLine).reduce(0) { $0 + $1.count }
        return navigation * 2 >= total
    }

    @Test(
        "Sphinx pages index their content: under 1% boilerplate, real titles, no ¶, answers found",
        .enabled(
            if: docsFolder != nil,
            "Python's HTML docs are not installed; run Tools/install-deps.sh (it installs Debian's python3-doc)"))
    func pythonDocs() async throws {
        let docs = try #require(Self.docsFolder)
        try await onOwnThread {
            try await withTemporaryStore { store, _ in
                let index = NotesIndex(store: store, embeddings: nil, logger: Logger(label: "python-docs"))
                let root = Ingestor.canonical(docs)
                let report = try await index.ingest(paths: Self.sections.map { root + "/" + $0 }, prune: false) { _ in }
                let documents = try store.documents(source: "notes").filter { $0.kind == DocumentKind.html.rawValue }
                #expect(documents.count > 300, "the HTML pages were ingested")

                var passages: [StoredPassage] = []
                for document in documents {
                    passages += try store.passages(chunkIds: try store.chunkIDs(documentId: document.id!))
                }
                let boilerplate = passages.filter(Self.isBoilerplate)
                let share = Double(boilerplate.count) / Double(max(1, passages.count))
                print(
                    "python-docs: \(documents.count) pages, \(String(format: "%.1f", Double(report.bytesIndexed) / 1e6)) MB, \(passages.count) passages in \(String(format: "%.1f", report.seconds)) s; boilerplate \(boilerplate.count) (\(String(format: "%.2f", share * 100)) %)"
                )
                for sample in boilerplate.prefix(5) {
                    print(
                        "python-docs: boilerplate sample [\(sample.heading)] \(sample.text.prefix(120).replacingOccurrences(of: "\n", with: " / "))"
                    )
                }
                #expect(share < 0.01, "\(boilerplate.count) of \(passages.count) passages are navigation")
                #expect(!passages.contains { $0.text.contains("¶") }, "permalink glyphs stay out of passages")

                // Titles: the page's own, never a site-wide constant.
                let titles = Dictionary(grouping: documents, by: \.title).mapValues(\.count)
                let repeated = titles.filter { $0.value > 2 }.sorted { $0.value > $1.value }
                print("python-docs: titles used by more than two pages: \(repeated.prefix(5).map { "\($0.key) ×\($0.value)" })")
                #expect(titles["Table of Contents"] == nil)
                #expect(repeated.isEmpty, "no title is shared by more than two pages")
                #expect(!documents.contains { $0.title.contains("Python 3.11") && $0.title.contains("documentation") })
                let asyncio = try #require(documents.first { $0.path.hasSuffix("/library/asyncio-task.html") })
                #expect(asyncio.title == "Coroutines and Tasks")

                // Questions whose answer page is known.
                let (top3, top5) = try await Self.askKnownQuestions(index, root: root)
                // Measured: 12 of 12 in the top 3 (11 before the main-content pass, when 15 % of
                // passages were navigation); one miss of slack in the top 3, none in the top 5.
                #expect(top3 >= Self.knownAnswers.count - 1)
                #expect(top5 == Self.knownAnswers.count)
            }
        }
    }

    /// Asks every known-answer question through the search the daemon uses and prints where the
    /// answer page ranked; returns how many were in the top 3 and the top 5. No result may be
    /// navigation.
    static func askKnownQuestions(_ index: NotesIndex, root: String) async throws -> (top3: Int, top5: Int) {
        var top3 = 0
        var top5 = 0
        var furnitureHits = 0
        for known in knownAnswers {
            let outcome = try await index.search(known.question, k: 5, source: .notes)
            furnitureHits += outcome.hits.filter { isBoilerplate($0.passage) }.count
            let ranks = outcome.hits.map { String($0.passage.path.dropFirst(root.count + 1)) }
            let rank = ranks.firstIndex { known.pages.contains($0) }
            if let rank, rank < 3 { top3 += 1 }
            if rank != nil { top5 += 1 }
            print("python-docs: \(rank.map { "#\($0 + 1)" } ?? "miss") \(known.question) → \(ranks.prefix(3))")
        }
        print(
            "python-docs: known answers in the top 3: \(top3)/\(knownAnswers.count), top 5: \(top5)/\(knownAnswers.count); boilerplate among the top 5s: \(furnitureHits)"
        )
        #expect(furnitureHits == 0, "no sidebar or menu among the results")
        return (top3, top5)
    }
}
