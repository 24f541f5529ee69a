import Foundation
import TutorSecrets

/// What kind of text a file holds, which decides how it is extracted and chunked.
public enum DocumentKind: String, Sendable, Codable, CaseIterable {
    case markdown, text, code, html, pdf, catalogue

    /// The kind a file name suggests, or nil for files Tutor does not index (images, archives…).
    public static func of(path: String) -> DocumentKind? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else {
            return ["README", "LICENSE", "NOTES", "Makefile", "Dockerfile"].contains(name) ? .text : nil
        }
        switch name[name.index(after: dot)...].lowercased() {
        case "md", "markdown", "mdx", "qmd", "rmd": return .markdown
        case "txt", "text", "rst", "org", "adoc", "tex", "csv", "log": return .text
        case "html", "htm", "xhtml": return .html
        case "pdf": return .pdf
        case "swift", "py", "ipynb", "js", "jsx", "ts", "tsx", "go", "rs", "java", "kt", "c", "h", "cc", "cpp", "hpp", "m",
            "rb", "php", "cs", "scala", "sh", "bash", "zsh", "fish", "sql", "r", "jl", "lua", "pl", "yaml", "yml", "toml",
            "json", "ini", "cfg", "conf", "proto", "graphql", "css", "scss", "vue", "svelte", "dart", "ex", "exs", "hs",
            "ml", "clj", "zig", "nim", "tf", "gradle", "cmake", "mk":
            return .code
        default: return nil
        }
    }
}

/// A document's text as lines, each knowing the line of the original file it came from.
public struct ExtractedText: Sendable, Equatable {
    public var lines: [String]
    /// For each line, its 1-based line number in the original file (the page for PDFs, see `pages`).
    public var sourceLines: [Int]
    /// For PDFs, the 1-based page of each line; empty otherwise.
    public var pages: [Int]

    public init(lines: [String], sourceLines: [Int]? = nil, pages: [Int] = []) {
        self.lines = lines
        self.sourceLines = sourceLines ?? Array(1..<(lines.count + 1))
        self.pages = pages
    }

    /// Splits `text` into lines (LF, CRLF or CR), working on UTF-8 bytes (a newline byte never
    /// occurs inside a multi-byte character), which is many times faster than by Character.
    public init(plain text: String) {
        var lines: [String] = []
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte == 0x0A || byte == 0x0D {
                    lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                    if byte == 0x0D, index + 1 < count, bytes[index + 1] == 0x0A { index += 1 }
                    start = index + 1
                }
                index += 1
            }
            if start < count { lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<count]), as: UTF8.self)) }
        }
        self.init(lines: lines)
    }
}

/// Why a file was not indexed.
public enum SkipReason: String, Error, Sendable, Codable, CaseIterable {
    case binary
    case tooLarge = "too-large"
    case unsupported, ignored, unreadable
    case pdfToolMissing = "pdf-tool-missing"
}

/// Turns files into text: as-is for text, Markdown and code, visible text for HTML, and
/// `pdftotext` output for PDFs.
public enum TextExtraction {
    /// The file's text, or why it cannot be indexed.
    public static func extract(data: Data, kind: DocumentKind, path: String) -> Result<ExtractedText, SkipReason> {
        switch kind {
        case .pdf:
            return PDFText.extract(path: path)
        case .html:
            guard let text = decodeText(data) else { return .failure(.binary) }
            return .success(HTMLText.extract(text))
        case .markdown, .text, .code, .catalogue:
            guard let text = decodeText(data) else { return .failure(.binary) }
            return .success(ExtractedText(plain: text))
        }
    }

    /// UTF-8 text without NUL bytes, or nil for binary content. A leading BOM is dropped.
    public static func decodeText(_ data: Data) -> String? {
        if data.prefix(8192).contains(0) { return nil }
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        return String(data: bytes, encoding: .utf8)
    }
}

/// The readable text of an HTML page: scripts, styles, comments and tags removed, entities
/// decoded, block elements on lines of their own, headings marked `#` so Markdown chunking applies.
enum HTMLText {
    private static let blockTags: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "header", "footer", "nav", "aside",
        "blockquote", "pre", "hr", "dt", "dd", "figure", "figcaption", "main", "title", "h1", "h2", "h3", "h4", "h5", "h6",
    ]
    private static let hiddenTags: Set<String> = ["script", "style", "noscript", "template", "svg", "head"]

    static func extract(_ html: String) -> ExtractedText {
        var lines: [String] = []
        var sourceLines: [Int] = []
        var current = ""
        var currentLine = 1
        var line = 1
        var headingLevel = 0

        func flush() {
            let collapsed = current.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            if !collapsed.isEmpty {
                lines.append(headingLevel > 0 ? String(repeating: "#", count: headingLevel) + " " + collapsed : collapsed)
                sourceLines.append(currentLine)
            }
            current = ""
        }
        func append(_ text: Substring) {
            for character in text {
                if character.isNewline {
                    current.append(" ")
                } else {
                    if current.isEmpty && character.isWhitespace { continue }
                    if current.isEmpty { currentLine = line }
                    current.append(character)
                }
            }
        }

        let scalars = html
        var index = scalars.startIndex
        var title = ""
        var inTitle = false
        while index < scalars.endIndex {
            let character = scalars[index]
            if character == "<" {
                // Comments.
                if scalars[index...].hasPrefix("<!--") {
                    let end = scalars[index...].range(of: "-->")?.upperBound ?? scalars.endIndex
                    line += scalars[index..<end].filter(\.isNewline).count
                    index = end
                    continue
                }
                guard let close = scalars[index...].firstIndex(of: ">") else { break }
                let tag = scalars[scalars.index(after: index)..<close]
                line += tag.filter(\.isNewline).count
                let isClosing = tag.hasPrefix("/")
                let name = tag.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber }).lowercased()
                index = scalars.index(after: close)
                if hiddenTags.contains(name) && !isClosing && !tag.hasSuffix("/") {
                    if name == "head" { continue }
                    // Skip to the matching close tag.
                    let end = scalars[index...].range(of: "</\(name)", options: .caseInsensitive)
                    let resume = end.flatMap { scalars[$0.upperBound...].firstIndex(of: ">") }.map { scalars.index(after: $0) }
                    line += scalars[index..<(resume ?? scalars.endIndex)].filter(\.isNewline).count
                    index = resume ?? scalars.endIndex
                    continue
                }
                if name == "title" {
                    inTitle = !isClosing
                    continue
                }
                if blockTags.contains(name) {
                    flush()
                    if name.count == 2, name.hasPrefix("h"), let level = Int(name.dropFirst()) {
                        headingLevel = isClosing ? 0 : level
                    }
                }
                continue
            }
            let next = scalars[index...].firstIndex(of: "<") ?? scalars.endIndex
            let text = decodeEntities(scalars[index..<next])
            if inTitle {
                title += text
            } else {
                append(Substring(text))
            }
            line += scalars[index..<next].filter(\.isNewline).count
            index = next
        }
        flush()
        if lines.isEmpty && !title.isEmpty {
            lines = [title.trimmingCharacters(in: .whitespacesAndNewlines)]
            sourceLines = [1]
        }
        return ExtractedText(lines: lines, sourceLines: sourceLines)
    }

    private static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "mdash": "—", "ndash": "–",
        "hellip": "…", "rsquo": "’", "lsquo": "‘", "rdquo": "”", "ldquo": "“", "copy": "©", "times": "×",
    ]

    static func decodeEntities(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "&", let semicolon = text[index...].prefix(12).firstIndex(of: ";") {
                let name = text[text.index(after: index)..<semicolon]
                var decoded: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else if name.hasPrefix("#") {
                    decoded = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else {
                    decoded = entities[String(name)]
                }
                if let decoded {
                    result += decoded
                    index = text.index(after: semicolon)
                    continue
                }
            }
            result.append(character)
            index = text.index(after: index)
        }
        return result
    }
}

/// PDF text through poppler's `pdftotext`, page by page.
enum PDFText {
    /// The `pdftotext` executable on `PATH`, if installed.
    static let tool: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = String(folder) + "/pdftotext"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static func extract(path: String) -> Result<ExtractedText, SkipReason> {
        guard let tool else { return .failure(.pdfToolMissing) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-q", "-enc", "UTF-8", path, "-"]
        // Never the daemon's secrets (API key, headers, webhook URL): only what pdftotext needs.
        process.environment = ChildEnvironment.minimal(from: ProcessInfo.processInfo.environment, for: .files)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(.unreadable)
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let text = String(data: data, encoding: .utf8) else { return .failure(.unreadable) }
        // Pages are separated by form feeds; a line's "source line" is its line within the whole output.
        var lines: [String] = []
        var pages: [Int] = []
        for (pageIndex, page) in text.split(separator: "\u{0C}", omittingEmptySubsequences: false).enumerated() {
            for line in ExtractedText(plain: String(page)).lines {
                lines.append(line)
                pages.append(pageIndex + 1)
            }
        }
        return .success(ExtractedText(lines: lines, pages: pages))
    }
}
