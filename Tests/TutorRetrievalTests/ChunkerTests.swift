import Foundation
import Testing
import TutorStore

@testable import TutorRetrieval

@Suite("Chunking keeps structure and line ranges")
struct ChunkerTests {
    let chunker = Chunker(targetTokens: 80, maxTokens: 100, overlapTokens: 20)

    /// The lines `chunk` claims to span, taken from the original text.
    func source(_ text: String, _ chunk: Chunk) -> String {
        let lines = ExtractedText(plain: text).lines
        return lines[(chunk.startLine - 1)..<chunk.endLine].joined(separator: "\n")
    }

    @Test("Markdown chunks carry their heading path, and their lines are the file's lines")
    func markdownHeadings() {
        let paragraph = String(repeating: "Retrieval quality depends on how the text is cut into passages. ", count: 5)
        let text = """
            # Retrieval
            Intro line.

            ## Chunking
            \(paragraph)

            ### Overlap
            \(paragraph)

            ## Ranking
            \(paragraph)
            """
        let chunks = chunker.chunks(ExtractedText(plain: text), kind: .markdown)
        #expect(chunks.count >= 3)
        #expect(chunks.contains { $0.heading.hasPrefix("Retrieval › Chunking › Overlap") })
        #expect(chunks.contains { $0.heading.hasPrefix("Retrieval › Ranking") })
        for chunk in chunks {
            #expect(source(text, chunk) == chunk.text, "chunk \(chunk.heading) must be exactly lines \(chunk.startLine)-\(chunk.endLine)")
            #expect(chunk.tokens <= chunker.maxTokens)
        }
    }

    @Test("a heading inside a code fence is not a heading, and a fence is never cut in half")
    func fences() {
        let text = """
            # Notes
            Some text.

            ```bash
            # not a heading
            echo one

            echo two
            ```

            ## Real
            More text.
            """
        let chunks = Chunker(targetTokens: 12, maxTokens: 40, overlapTokens: 0).chunks(ExtractedText(plain: text), kind: .markdown)
        #expect(!chunks.contains { $0.heading.contains("not a heading") })
        let withFence = chunks.filter { $0.text.contains("```bash") }
        #expect(withFence.count == 1)
        #expect(withFence.first?.text.contains("echo two") == true)
    }

    @Test("small sections merge up to the target under the first section's heading")
    func smallSectionsMerge() {
        let text = (1...6).map { "## Part \($0)\nShort body \($0)." }.joined(separator: "\n\n")
        let chunks = chunker.chunks(ExtractedText(plain: text), kind: .markdown)
        #expect(chunks.count == 1)
        #expect(chunks[0].heading == "Part 1")
        #expect(chunks[0].text.contains("## Part 6"))
        #expect(chunks[0].startLine == 1 && chunks[0].endLine == 17)
    }

    @Test("code is cut between top-level declarations; a function with blank lines stays whole")
    func codeFunctionsWhole() {
        func function(_ name: String) -> String {
            "def \(name)(text):\n    \"\"\"Docstring for \(name).\"\"\"\n    words = text.split()\n\n    total = len(words)\n\n    return total * 2 + 1  # some arithmetic padding\n"
        }
        let text = ["import os\n", function("load_documents"), function("chunk_text"), function("embed_batch"), function("search")]
            .joined(separator: "\n")
        let chunks = Chunker(targetTokens: 60, maxTokens: 80, overlapTokens: 0).chunks(
            ExtractedText(plain: text), kind: .code, name: "rag.py")
        #expect(chunks.count >= 2)
        for name in ["load_documents", "chunk_text", "embed_batch", "search"] {
            let holding = chunks.filter { $0.text.contains("def \(name)(") }
            #expect(holding.count == 1)
            #expect(holding.first?.text.contains("Docstring for \(name).") == true)
            #expect(holding.first.map { $0.text.components(separatedBy: "def \(name)(")[1].contains("return total") } == true)
            #expect(holding.first?.heading.contains(name) == true, "the heading names the functions: \(holding.first?.heading ?? "")")
            #expect(holding.first?.heading.hasPrefix("rag.py › ") == true)
        }
        for chunk in chunks { #expect(source(text, chunk) == chunk.text) }
    }

    @Test("a long section is split into windows with overlap, all under the maximum")
    func longSectionOverlaps() {
        let text = (1...60).map { "Line \($0) says something about vector search and recall at k." }.joined(separator: "\n")
        let chunks = chunker.chunks(ExtractedText(plain: text), kind: .text)
        #expect(chunks.count > 3)
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            #expect(next.startLine <= previous.endLine, "neighbours overlap")
            #expect(next.startLine > previous.startLine)
        }
        #expect(chunks.last?.endLine == 60)
        #expect(chunks.allSatisfy { $0.tokens <= chunker.maxTokens })
    }

    @Test("a minified line longer than a chunk is cut, keeping its line number")
    func minifiedLine() {
        let text = "first\n" + String(repeating: "x", count: 5000) + "\nlast"
        let chunks = chunker.chunks(ExtractedText(plain: text), kind: .code, name: "min.js")
        #expect(chunks.allSatisfy { $0.tokens <= chunker.maxTokens })
        #expect(chunks.map(\.text).joined().filter { $0 == "x" }.count >= 5000)
        #expect(chunks.contains { $0.startLine == 2 && $0.endLine == 2 })
    }

    @Test("CRLF and CR line endings count lines like LF")
    func lineEndings() {
        #expect(ExtractedText(plain: "a\r\nb\r\nc").lines == ["a", "b", "c"])
        #expect(ExtractedText(plain: "a\rb\n\nc\n").lines == ["a", "b", "", "c"])
    }

    @Test("an empty or blank document has no chunks")
    func empty() {
        #expect(chunker.chunks(ExtractedText(plain: ""), kind: .markdown).isEmpty)
        #expect(chunker.chunks(ExtractedText(plain: "\n  \n\t\n"), kind: .text).isEmpty)
    }
}
