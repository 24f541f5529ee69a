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
    /// For HTML, the page's own title (from `<title>` without the site's name, or the first
    /// `<h1>`); nil otherwise.
    public var title: String?

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
    /// The file's text, or why it cannot be indexed. A PDF's text is read from `pdftotext` up to
    /// `maxPDFBytes` (the rest is never held in memory; the caller's cut then marks the file cut).
    public static func extract(
        data: Data, kind: DocumentKind, path: String, maxPDFBytes: Int = 4 << 20
    ) -> Result<ExtractedText, SkipReason> {
        switch kind {
        case .pdf:
            return PDFText.extract(path: path, maxBytes: maxPDFBytes)
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

    static func extract(path: String, maxBytes: Int) -> Result<ExtractedText, SkipReason> {
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
        // Read at most `maxBytes`: a PDF whose text runs to hundreds of megabytes is stopped there.
        var data = Data()
        var stopped = false
        while data.count < maxBytes {
            guard let chunk = try? output.fileHandleForReading.read(upToCount: min(1 << 16, maxBytes - data.count)), !chunk.isEmpty
            else { break }
            data.append(chunk)
        }
        if data.count >= maxBytes, process.isRunning {
            process.terminate()
            stopped = true
        }
        try? output.fileHandleForReading.close()
        process.waitUntilExit()
        guard stopped || process.terminationStatus == 0 else { return .failure(.unreadable) }
        // A cut can split a character: decoding repairs it rather than rejecting the text.
        let text = String(decoding: data, as: UTF8.self)
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
