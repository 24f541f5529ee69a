import Foundation

/// One passage cut from a document, ready to index.
public struct Chunk: Sendable, Equatable {
    /// The heading path (`Retrieval › Chunking`) for Markdown and HTML, the declarations for code,
    /// the page for PDFs; may be empty.
    public var heading: String
    public var text: String
    /// First and last line in the original file (1-based, inclusive).
    public var startLine: Int
    public var endLine: Int
    public var tokens: Int
}

/// Cuts documents into passages of about `targetTokens` tokens that keep their structure:
/// Markdown by heading (the heading path goes with each chunk), code by top-level declaration
/// (a function stays whole when it fits), other text by paragraph. A section too long for one
/// chunk is split at blank lines, then at lines, with about `overlapTokens` repeated between
/// neighbouring chunks so no sentence loses its context.
public struct Chunker: Sendable {
    public var targetTokens: Int
    public var maxTokens: Int
    public var overlapTokens: Int

    /// The defaults (300, at most 400, 45 of overlap) scored best on the quality test set among
    /// 200, 300 and 400 (see Docs/retrieval.md).
    public init(targetTokens: Int = 300, maxTokens: Int = 400, overlapTokens: Int = 45) {
        self.targetTokens = targetTokens
        self.maxTokens = max(maxTokens, targetTokens)
        self.overlapTokens = min(overlapTokens, targetTokens / 2)
    }

    /// Tokens in `text`: about four bytes of UTF-8 each, the usual ratio for English and code with
    /// BPE tokenizers (the same ratio the agent's context window starts from).
    public static func estimateTokens(_ text: some StringProtocol) -> Int { (text.utf8.count + 3) / 4 }

    /// The chunks of `document`; `name` (the file name) labels code chunks.
    public func chunks(_ document: ExtractedText, kind: DocumentKind, name: String = "") -> [Chunk] {
        let text = Self.splittingLongLines(document, maxBytes: maxTokens * 4)
        guard text.lines.contains(where: { !Self.isBlank($0) }) else { return [] }
        let tokens = LineTokens(text.lines)
        let segments: [Segment]
        switch kind {
        case .markdown, .html, .catalogue: segments = mergingSmall(markdownSegments(text), tokens: tokens)
        case .code: segments = [Segment(heading: "", units: blocks(of: text.lines, in: 0..<text.lines.count, topLevelOnly: true))]
        case .pdf: segments = pageSegments(text)
        case .text: segments = [Segment(heading: "", units: blocks(of: text.lines, in: 0..<text.lines.count, topLevelOnly: false))]
        }
        var chunks: [Chunk] = []
        for segment in segments {
            for range in pack(segment.units, lines: text.lines, tokens: tokens) {
                let body = text.lines[range].joined(separator: "\n")
                var heading = segment.heading
                if kind == .code {
                    let declarations = Self.declarations(in: text.lines[range])
                    heading = ([name] + [declarations.prefix(4).joined(separator: ", ")]).filter { !$0.isEmpty }.joined(separator: " › ")
                }
                chunks.append(
                    Chunk(
                        heading: heading, text: body, startLine: text.sourceLines[range.lowerBound],
                        endLine: text.sourceLines[range.upperBound - 1], tokens: Self.estimateTokens(body)))
            }
        }
        return chunks
    }

    /// A run of lines sharing a heading, as units (line ranges) that are kept whole where they fit.
    struct Segment {
        var heading: String
        var units: [Range<Int>]
        var title = ""
    }

    // MARK: Segmentation

    /// Sections between Markdown headings (`#`…`######`, outside code fences), each with the path
    /// of headings above it; units are paragraphs, a fenced block counting as one.
    func markdownSegments(_ text: ExtractedText) -> [Segment] {
        var segments: [Segment] = []
        var path: [(level: Int, title: String)] = []
        var sectionStart = 0
        var fence: Substring?
        func close(at end: Int) {
            guard end > sectionStart else { return }
            let units = blocks(of: text.lines, in: sectionStart..<end, topLevelOnly: false)
            guard !units.isEmpty else { return }
            segments.append(
                Segment(heading: path.map(\.title).joined(separator: " › "), units: units, title: path.last?.title ?? ""))
        }
        for (index, line) in text.lines.enumerated() {
            let trimmed = line.drop(while: { $0 == " " })
            if let open = fence {
                if trimmed.hasPrefix(open) { fence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = trimmed.prefix(3)
                continue
            }
            guard let heading = Self.markdownHeading(line) else { continue }
            close(at: index)
            path.removeAll { $0.level >= heading.level }
            path.append(heading)
            sectionStart = index
        }
        close(at: text.lines.count)
        return segments
    }

    /// The level and title of an ATX heading line (`## Title`), or nil.
    static func markdownHeading(_ line: String) -> (level: Int, title: String)? {
        guard line.hasPrefix("#") else { return nil }
        let level = line.prefix(while: { $0 == "#" }).count
        let rest = line.dropFirst(level)
        guard level <= 6, rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var title = rest.trimmingCharacters(in: .whitespaces)
        while title.hasSuffix("#") { title.removeLast() }
        title = title.trimmingCharacters(in: .whitespaces)
        return title.isEmpty ? nil : (level, title)
    }

    /// One segment per PDF page, labelled with the page.
    func pageSegments(_ text: ExtractedText) -> [Segment] {
        guard !text.pages.isEmpty else {
            return [Segment(heading: "", units: blocks(of: text.lines, in: 0..<text.lines.count, topLevelOnly: false))]
        }
        var segments: [Segment] = []
        var start = 0
        for index in 1...text.lines.count where index == text.lines.count || text.pages[index] != text.pages[start] {
            let units = blocks(of: text.lines, in: start..<index, topLevelOnly: false)
            if !units.isEmpty { segments.append(Segment(heading: "page \(text.pages[start])", units: units)) }
            start = index
        }
        return segments
    }

    /// Consecutive small sections merged (up to the target size), so a note with many short
    /// headings does not become dozens of tiny chunks. The merged chunk keeps the first section's
    /// heading path; the later headings stay in its text (naming them all in the heading column
    /// scored worse on the quality set).
    func mergingSmall(_ segments: [Segment], tokens lineTokens: LineTokens) -> [Segment] {
        var merged: [Segment] = []
        var tokens: [Int] = []
        for segment in segments {
            let size = segment.units.reduce(0) { $0 + lineTokens[$1] }
            if let last = merged.last, let lastTokens = tokens.last, lastTokens + size <= targetTokens {
                var combined = last
                combined.units += segment.units
                merged[merged.count - 1] = combined
                tokens[tokens.count - 1] = lastTokens + size
            } else {
                merged.append(segment)
                tokens.append(size)
            }
        }
        return merged
    }

    /// Blank-line-separated blocks of `lines[range]`, as ranges without leading or trailing blank
    /// lines. With `topLevelOnly` (code), a block only starts at an unindented line, so a function
    /// with blank lines inside stays one block; fenced Markdown code is never split.
    func blocks(of lines: [String], in range: Range<Int>, topLevelOnly: Bool) -> [Range<Int>] {
        var blocks: [Range<Int>] = []
        var start: Int?
        var lastContent = range.lowerBound
        var previousBlank = true
        var inFence = false
        for index in range {
            let line = lines[index]
            let blank = Self.isBlank(line)
            let trimmed = line.drop(while: { $0 == " " })
            let fenceMarker = !topLevelOnly && (trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~"))
            if blank {
                previousBlank = true
                continue
            }
            let startsBlock: Bool
            if inFence {
                startsBlock = false
            } else if topLevelOnly {
                let first = line.first!
                startsBlock = previousBlank && first != " " && first != "\t" && !"})]".contains(first) && !line.hasPrefix("end")
            } else {
                startsBlock = previousBlank
            }
            if fenceMarker { inFence.toggle() }
            if startsBlock, let open = start {
                blocks.append(open..<(lastContent + 1))
                start = nil
            }
            if start == nil { start = index }
            lastContent = index
            previousBlank = false
        }
        if let open = start { blocks.append(open..<(lastContent + 1)) }
        return blocks
    }

    // MARK: Packing

    /// Packs units into chunk line ranges of at most `maxTokens` (aiming at `targetTokens`), splitting
    /// units that are too big on their own, with `overlapTokens` carried between neighbours.
    func pack(_ units: [Range<Int>], lines: [String], tokens lineTokens: LineTokens) -> [Range<Int>] {
        func tokens(_ range: Range<Int>) -> Int { lineTokens[range] }
        var pieces: [Range<Int>] = []
        for unit in units {
            if tokens(unit) <= maxTokens {
                pieces.append(unit)
            } else {
                let inner = blocks(of: lines, in: unit, topLevelOnly: false)
                if inner.count > 1 {
                    pieces += inner.flatMap { tokens($0) <= maxTokens ? [$0] : lineWindows($0, tokens: lineTokens) }
                } else {
                    pieces += lineWindows(unit, tokens: lineTokens)
                }
            }
        }
        var chunks: [Range<Int>] = []
        var current: [Range<Int>] = []
        var currentTokens = 0
        for piece in pieces {
            let size = tokens(piece)
            if !current.isEmpty && currentTokens + size > (currentTokens >= targetTokens / 2 ? targetTokens : maxTokens) {
                chunks.append(current.first!.lowerBound..<current.last!.upperBound)
                // Carry the last pieces that fit in the overlap budget, unless that is all of them.
                var carried: [Range<Int>] = []
                var carriedTokens = 0
                for previous in current.reversed() {
                    let previousSize = tokens(previous)
                    guard carriedTokens + previousSize <= overlapTokens, carried.count + 1 < current.count else { break }
                    carried.insert(previous, at: 0)
                    carriedTokens += previousSize
                }
                if carriedTokens + size > maxTokens {
                    carried = []
                    carriedTokens = 0
                }
                current = carried
                currentTokens = carriedTokens
            }
            current.append(piece)
            currentTokens += size
        }
        if !current.isEmpty { chunks.append(current.first!.lowerBound..<current.last!.upperBound) }
        return chunks
    }

    /// Windows of whole lines of about `targetTokens`, each starting with the last
    /// `overlapTokens` of the one before.
    func lineWindows(_ range: Range<Int>, tokens lineTokens: LineTokens) -> [Range<Int>] {
        var windows: [Range<Int>] = []
        var start = range.lowerBound
        while start < range.upperBound {
            var end = start
            var size = 0
            while end < range.upperBound {
                let lineSize = lineTokens[end..<(end + 1)]
                if size + lineSize > targetTokens && end > start { break }
                size += lineSize
                end += 1
            }
            windows.append(start..<end)
            guard end < range.upperBound else { break }
            var next = end
            var overlap = 0
            while next - 1 > start {
                let lineSize = lineTokens[(next - 1)..<next]
                guard overlap + lineSize <= overlapTokens else { break }
                overlap += lineSize
                next -= 1
            }
            start = next
        }
        return windows
    }

    /// Whether `line` holds only spaces and tabs (checked on bytes, not Characters).
    static func isBlank(_ line: String) -> Bool {
        line.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0B || $0 == 0x0C }
    }

    /// The token estimate of every run of lines, from prefix sums (each line counts its newline).
    struct LineTokens {
        private var prefix: [Int]

        init(_ lines: [String]) {
            prefix = [0]
            prefix.reserveCapacity(lines.count + 1)
            for line in lines { prefix.append(prefix.last! + Chunker.estimateTokens(line) + 1) }
        }

        subscript(range: Range<Int>) -> Int { prefix[range.upperBound] - prefix[range.lowerBound] }
    }

    /// Lines longer than `maxBytes` cut into pieces that keep their source line, so a minified
    /// file cannot produce an oversized chunk.
    static func splittingLongLines(_ text: ExtractedText, maxBytes: Int) -> ExtractedText {
        guard text.lines.contains(where: { $0.utf8.count > maxBytes }) else { return text }
        var result = ExtractedText(lines: [], sourceLines: [], pages: [])
        for (index, line) in text.lines.enumerated() {
            var rest = Substring(line)
            repeat {
                var piece = rest.prefix(maxBytes / 2)
                while piece.utf8.count > maxBytes { piece = piece.dropLast(piece.count / 4 + 1) }
                result.lines.append(String(piece))
                result.sourceLines.append(text.sourceLines[index])
                if !text.pages.isEmpty { result.pages.append(text.pages[index]) }
                rest = rest.dropFirst(piece.count)
            } while !rest.isEmpty
        }
        return result
    }

    /// The names declared at the top of code lines (`def load_documents`, `func search`…), in order.
    static func declarations(in lines: ArraySlice<String>) -> [String] {
        let keywords: Set<Substring> = [
            "def", "class", "func", "function", "struct", "enum", "protocol", "extension", "actor", "fn", "impl", "trait",
            "interface", "type", "module", "object",
        ]
        let modifiers: Set<Substring> = [
            "public", "private", "internal", "fileprivate", "open", "static", "final", "async", "export", "default", "pub",
            "abstract", "override", "mutating", "nonisolated", "@MainActor", "const", "let", "var",
        ]
        var names: [String] = []
        for line in lines {
            let indent = line.prefix(while: { $0 == " " || $0 == "\t" }).count
            guard indent <= 4 else { continue }
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
            while let first = words.first, modifiers.contains(first) { words = words.dropFirst() }
            guard let keyword = words.first, keywords.contains(keyword), words.count > 1 else {
                // Shell functions: `name() {`.
                if indent == 0, let open = line.firstIndex(of: "("), line[open...].hasPrefix("()"),
                    line[..<open].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }), open != line.startIndex
                {
                    names.append(String(line[..<open]))
                }
                continue
            }
            let name = words.dropFirst().first!.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." })
            if !name.isEmpty { names.append(String(name)) }
        }
        return names
    }
}
