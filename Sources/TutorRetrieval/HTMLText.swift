import Foundation

/// The readable content of an HTML page, as Markdown-like lines the chunker understands.
///
/// A page is parsed into a tree (leniently, as browsers do: unclosed paragraphs and list items
/// close themselves, stray end tags are ignored), then pruned the way reader modes do:
/// - Never text: `<script>`, `<style>`, `<head>`, `<svg>`, forms and comments.
/// - Site furniture: `<nav>`, `<aside>`, `<footer>`, a `<header>` without a heading, elements whose
///   role is navigation, search, banner or complementary, hidden elements, Sphinx's sidebars and
///   related bars, and permalink anchors (`¶`, `#`, `🔗` beside headings).
/// - Link-dense blocks: a list, table or `<div>` whose text is mostly link text is a menu.
///
/// The main content is then `<main>` or `role="main"` (Sphinx's `div.body`), else the largest
/// `<article>`, else the whole pruned page. If pruning leaves nothing (a page of bookmarks), the
/// links are kept after all. Headings become `#` lines, `<pre>` blocks fenced code, and every line
/// remembers its line in the file. Time and memory are linear in the page's size.
enum HTMLText {
    static func extract(_ html: String) -> ExtractedText {
        let document = HTMLTree(parsing: html)
        var pruning = Pruning(document)
        var root = pruning.mainContent()
        var output = HTMLTextWriter(document: document, dropped: pruning.dropped)
        output.write(root)
        if !output.hasBody {
            // Nothing but headings is left: the page is all links (an index, exported bookmarks),
            // and the links are its content.
            pruning = Pruning(document, linkDensity: false)
            root = pruning.mainContent()
            output = HTMLTextWriter(document: document, dropped: pruning.dropped)
            output.write(root)
        }
        var text = output.finish()
        text.title = Self.title(document: document, firstHeading: output.firstH1)
        if text.lines.isEmpty, let title = text.title {
            text.lines = [title]
            text.sourceLines = [1]
        }
        return text
    }

    // MARK: Titles

    /// Separators between a page's own title and its site's name in `<title>`.
    private static let titleSeparators = [" — ", " – ", " | ", " - ", " · ", " :: ", " » ", " « "]
    /// Words that mark the part of a `<title>` that names the site, not the page.
    private static let siteWords = ["documentation", "docs", "manual", "wiki", "blog", "handbook", "reference", "website"]

    /// The page's title: `<title>` without its site name (" — Python 3.11 documentation"), or the
    /// first `<h1>` of the content when there is no `<title>` or the `<h1>` says more.
    static func title(document: HTMLTree, firstHeading: String?) -> String? {
        let heading = firstHeading.flatMap { $0.isEmpty ? nil : $0 }
        guard let raw = document.title.map(collapsingWhitespace), !raw.isEmpty else { return heading }
        // "Coroutines and Tasks — Python 3.11 documentation" with the heading "Coroutines and Tasks".
        if let heading {
            for separator in titleSeparators {
                if raw.lowercased().hasPrefix(heading.lowercased() + separator)
                    || raw.lowercased().hasSuffix(separator + heading.lowercased())
                {
                    return heading
                }
            }
        }
        var title = raw
        if let separator = titleSeparators.compactMap({ raw.range(of: $0, options: .backwards) }).max(by: { $0.lowerBound < $1.lowerBound })
        {
            let head = String(raw[..<separator.lowerBound]).trimmingCharacters(in: .whitespaces)
            let tail = String(raw[separator.upperBound...]).trimmingCharacters(in: .whitespaces)
            if let heading, heading.caseInsensitiveCompare(head) == .orderedSame {
                title = head
            } else if let heading, heading.caseInsensitiveCompare(tail) == .orderedSame {
                title = tail
            } else if looksLikeSiteName(tail), !head.isEmpty {
                title = head
            } else if looksLikeSiteName(head), !tail.isEmpty {
                title = tail
            }
        }
        // A generic `<title>` ("Index") whose heading says more ("Index – A").
        if let heading, heading.count > title.count, heading.lowercased().hasPrefix(title.lowercased()) { return heading }
        return title
    }

    static func looksLikeSiteName(_ text: String) -> Bool {
        let lower = text.lowercased()
        if siteWords.contains(where: { lower.contains($0) }) { return true }
        // A bare domain: "example.com", "docs.rs".
        return !lower.contains(" ") && lower.contains(".") && lower.last?.isLetter == true
    }

    static func collapsingWhitespace(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    // MARK: Entities

    private static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "mdash": "—", "ndash": "–",
        "hellip": "…", "rsquo": "’", "lsquo": "‘", "rdquo": "”", "ldquo": "“", "copy": "©", "times": "×", "para": "¶",
        "sect": "§", "raquo": "»", "laquo": "«", "rarr": "→", "larr": "←", "middot": "·", "bull": "•", "trade": "™",
        "reg": "®", "deg": "°", "plusmn": "±", "divide": "÷", "minus": "−", "le": "≤", "ge": "≥", "ne": "≠", "euro": "€",
        "pound": "£", "yen": "¥", "cent": "¢", "shy": "", "zwj": "", "zwnj": "", "thinsp": " ", "ensp": " ", "emsp": " ",
        "micro": "µ", "infin": "∞", "lambda": "λ", "pi": "π", "alpha": "α", "beta": "β", "sigma": "σ", "mu": "μ",
    ]

    static func decodeEntities(_ text: Substring) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return String(text) }
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

// MARK: - Pruning

/// Which elements are site furniture rather than content, and which element holds the content.
struct Pruning {
    let document: HTMLTree
    /// For each element, whether it and everything under it is left out.
    private(set) var dropped: [Bool]

    private static let furnitureTags: Set<String> = [
        "script", "style", "noscript", "template", "svg", "head", "title", "nav", "aside", "footer", "form", "button",
        "select", "input", "textarea", "iframe", "object", "canvas", "dialog", "menu",
    ]
    private static let furnitureRoles: Set<String> = [
        "navigation", "search", "banner", "contentinfo", "complementary", "menu", "menubar", "toolbar", "doc-toc",
    ]
    /// Class names of furniture in common documentation themes (Sphinx, MkDocs, Docusaurus,
    /// VitePress, rustdoc, GitHub).
    private static let furnitureClasses: Set<String> = [
        "headerlink", "sphinxsidebar", "sphinxsidebarwrapper", "related", "mobile-nav", "menu-wrapper", "breadcrumb",
        "breadcrumbs", "wy-breadcrumbs", "navbar", "skip-link", "skiplink", "header-anchor", "anchor-link", "anchorjs-link",
        "hash-link", "permalink", "copybutton", "md-sidebar", "md-header", "md-footer", "sidebar-drawer", "toc-drawer",
        "site-nav", "pagination", "prev-next", "rst-footer-buttons", "toctree-wrapper",
    ]
    /// Blocks that are menus when most of their text is link text.
    /// (Paragraphs and cells are content even when they are mostly link text.)
    private static let densityTags: Set<String> = ["ul", "ol", "dl", "table", "tbody", "div", "section"]
    /// Glyphs a permalink anchor shows beside a heading.
    static let permalinkGlyphs: Set<String> = ["¶", "#", "🔗", "§", "⚓", "⚓︎", "link", "permalink"]

    init(_ document: HTMLTree, linkDensity: Bool = true) {
        self.document = document
        let count = document.elements.count
        dropped = Array(repeating: false, count: count)
        var text = document.elements.map(\.ownTextLength)
        var linkText = Array(repeating: 0, count: count)
        var hasHeading = Array(repeating: false, count: count)
        // Children always come after their parent, so one backward pass sees every subtree whole.
        for index in stride(from: count - 1, through: 1, by: -1) {
            let element = document.elements[index]
            if element.name == "a" && element.href != nil { linkText[index] = text[index] }
            if element.name == "h1" || element.name == "h2" { hasHeading[index] = true }
            let drop =
                isFurniture(element, hasHeading: hasHeading[index])
                || (linkDensity && Self.densityTags.contains(element.name) && !element.isMainCandidate && text[index] > 0
                    && linkText[index] * 2 > text[index])
            dropped[index] = drop
            guard !drop else { continue }
            let parent = element.parent
            text[parent] += text[index]
            linkText[parent] += linkText[index]
            hasHeading[parent] = hasHeading[parent] || hasHeading[index]
        }
        keptText = text
    }

    /// Visible text length of each element after pruning (in bytes of non-blank text).
    private var keptText: [Int] = []

    private func isFurniture(_ element: HTMLTree.Element, hasHeading: Bool) -> Bool {
        if Self.furnitureTags.contains(element.name) { return true }
        if element.name == "header" && !hasHeading { return true }
        if element.hidden { return true }
        if let role = element.role, Self.furnitureRoles.contains(role) { return true }
        if element.classes.contains(where: { Self.furnitureClasses.contains($0) }) { return true }
        // A permalink: a link to this page's own anchor that shows only a glyph.
        if element.name == "a", let href = element.href, href.hasPrefix("#"),
            Self.permalinkGlyphs.contains(document.plainText(of: element).lowercased())
        {
            return true
        }
        return false
    }

    /// The element holding the page's content: `<main>`/`role="main"`, else the largest
    /// `<article>`, else the root. A candidate holding almost none of the page's text is passed over.
    func mainContent() -> Int {
        let total = keptText.first ?? 0
        func best(_ matches: (HTMLTree.Element) -> Bool) -> Int? {
            var choice: Int?
            for (index, element) in document.elements.enumerated() where index > 0 && matches(element) && !isDropped(index) {
                if keptText[index] * 10 < total { continue }
                if choice == nil || keptText[index] > keptText[choice!] { choice = index }
            }
            return choice
        }
        return best { $0.name == "main" || $0.role == "main" } ?? best { $0.name == "article" } ?? 0
    }

    /// Whether the element or one of its ancestors is left out.
    func isDropped(_ index: Int) -> Bool {
        var current = index
        while current > 0 {
            if dropped[current] { return true }
            current = document.elements[current].parent
        }
        return false
    }
}

// MARK: - Writing

/// Writes the kept part of a tree as lines: blocks on their own lines, headings as `#` lines,
/// `<pre>` as fenced code, table cells separated by spaces.
struct HTMLTextWriter {
    let document: HTMLTree
    let dropped: [Bool]
    private var lines: [String] = []
    private var sourceLines: [Int] = []
    /// The line being built, as UTF-8, with runs of whitespace collapsed to one space.
    private var current: [UInt8] = []
    private var currentLine = 0
    private var headingLevel = 0
    private var heading = ""
    /// The text of the first `<h1>` written.
    private(set) var firstH1: String?

    static let blockTags: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "header", "footer", "nav", "aside",
        "blockquote", "pre", "hr", "dt", "dd", "dl", "figure", "figcaption", "main", "h1", "h2", "h3", "h4", "h5", "h6",
        "caption", "details", "summary", "address", "fieldset", "legend", "center", "tbody", "thead", "tfoot", "body",
    ]

    init(document: HTMLTree, dropped: [Bool]) {
        self.document = document
        self.dropped = dropped
    }

    /// Whether a line other than a heading has been written.
    private(set) var hasBody = false

    /// Writes `root` and everything under it that is kept (iteratively: no recursion, so a deeply
    /// nested page cannot exhaust the stack).
    mutating func write(_ root: Int) {
        enum Step {
            case open(Int)
            case close(Int)
        }
        var stack: [Step] = [.open(root)]
        while let step = stack.popLast() {
            switch step {
            case .open(let index):
                if index > 0 && dropped[index] { continue }
                let element = document.elements[index]
                if element.name == "pre" {
                    flush()
                    writePre(element)
                    continue
                }
                openElement(element)
                stack.append(.close(index))
                for child in element.children.reversed() {
                    switch child {
                    case .element(let child): stack.append(.open(child))
                    case .text(let text): stack.append(.close(-1 - text))
                    }
                }
            case .close(let index):
                if index < 0 {
                    appendText(document.texts[-1 - index])
                } else {
                    closeElement(document.elements[index])
                }
            }
        }
        flush()
    }

    private mutating func openElement(_ element: HTMLTree.Element) {
        if Self.blockTags.contains(element.name) {
            flush()
            if let level = Self.headingLevel(element.name) { headingLevel = level }
        } else if element.name == "td" || element.name == "th" {
            appendSpace()
        }
    }

    private mutating func closeElement(_ element: HTMLTree.Element) {
        if Self.blockTags.contains(element.name) {
            flush()
            if Self.headingLevel(element.name) != nil { headingLevel = 0 }
        } else if element.name == "td" || element.name == "th" {
            appendSpace()
        }
    }

    static func headingLevel(_ name: String) -> Int? {
        guard name.utf8.count == 2, name.hasPrefix("h"), let level = Int(name.dropFirst()), (1...6).contains(level) else { return nil }
        return level
    }

    private mutating func appendSpace() {
        if let last = current.last, last != 0x20 { current.append(0x20) }
    }

    private mutating func appendText(_ text: HTMLTree.Text) {
        var line = text.line
        for byte in text.value.utf8 {
            switch byte {
            case 0x0A:
                line += 1
                appendSpace()
            case 0x20, 0x09, 0x0D, 0x0C:
                appendSpace()
            default:
                if current.isEmpty { currentLine = line }
                current.append(byte)
            }
        }
    }

    /// A `<pre>` block as fenced lines, each with its own line in the file, so code keeps its
    /// layout and a `# comment` in it is never taken for a heading.
    private mutating func writePre(_ element: HTMLTree.Element) {
        var text = ""
        var firstLine = -1
        var nodes = Array(element.children.reversed())
        var lineOfText: [Int] = []
        while let node = nodes.popLast() {
            switch node {
            case .text(let index):
                let piece = document.texts[index]
                if firstLine < 0 { firstLine = piece.line }
                // Record the file line of each new line started in this piece.
                var line = piece.line
                if lineOfText.isEmpty { lineOfText.append(line) }
                for character in piece.value {
                    text.append(character)
                    if character.isNewline {
                        line += 1
                        lineOfText.append(line)
                    }
                }
            case .element(let child):
                if dropped[child] { continue }
                nodes.append(contentsOf: document.elements[child].children.reversed())
            }
        }
        var codeLines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.trimmingTrailingWhitespace()) }
        var fileLines = lineOfText
        while fileLines.count < codeLines.count { fileLines.append(fileLines.last ?? element.line) }
        // Drop blank lines at either end.
        while let first = codeLines.first, first.isEmpty {
            codeLines.removeFirst()
            fileLines.removeFirst()
        }
        while let last = codeLines.last, last.isEmpty {
            codeLines.removeLast()
            fileLines.removeLast()
        }
        guard !codeLines.isEmpty else { return }
        let fence = codeLines.contains { $0.hasPrefix("```") } ? "~~~" : "```"
        hasBody = true
        lines.append(fence)
        sourceLines.append(fileLines[0])
        for (line, fileLine) in zip(codeLines, fileLines) {
            lines.append(line)
            sourceLines.append(fileLine)
        }
        lines.append(fence)
        sourceLines.append(fileLines.last!)
    }

    private mutating func flush() {
        while current.last == 0x20 { current.removeLast() }
        var text = String(decoding: current, as: UTF8.self)
        current.removeAll(keepingCapacity: true)
        guard !text.isEmpty else { return }
        if headingLevel > 0 {
            // A glyph left at a heading's end by a permalink the pruning did not recognise.
            while let last = text.last, ["¶", "🔗", "⚓"].contains(last) {
                text.removeLast()
                text = text.trimmingCharacters(in: .whitespaces)
            }
            guard !text.isEmpty else { return }
            if headingLevel == 1 && firstH1 == nil { firstH1 = text }
            text = String(repeating: "#", count: headingLevel) + " " + text
        } else {
            hasBody = true
        }
        lines.append(text)
        sourceLines.append(currentLine)
    }

    mutating func finish() -> ExtractedText {
        flush()
        return ExtractedText(lines: lines, sourceLines: sourceLines)
    }
}

extension Substring {
    fileprivate func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[startIndex..<end]
    }
}
