import Foundation

/// A lenient parse of an HTML page into elements and text, keeping what content extraction needs:
/// each element's name, parent, children, classes, role, link target and whether it is hidden;
/// each text's line in the file; the `<title>`.
///
/// Malformed pages parse the way browsers read them, in one pass over the UTF-8 bytes: void
/// elements (`<br>`, `<img>`) and `/>` take no children, a new `<p>`-closing block ends an open
/// paragraph, `<li>`, `<dt>`/`<dd>`, `<tr>`, `<td>`, `<option>` and `<a>` end an open sibling, an end
/// tag closes everything opened after its element, and a stray end tag is ignored. Nesting is
/// capped at `maximumDepth`, and every search of the open elements is either bounded or paid for
/// by the elements it closes, so time is linear in the page's size.
struct HTMLTree {
    enum Node {
        case element(Int)
        case text(Int)
    }

    struct Element {
        var name: String
        var parent: Int
        var line: Int
        var children: [Node] = []
        var classes: [String] = []
        var role: String?
        var href: String?
        var hidden = false
        /// Bytes of non-blank text directly inside this element.
        var ownTextLength = 0

        /// Elements that may hold a page's whole content, never pruned for their links.
        var isMainCandidate: Bool { name == "main" || role == "main" || name == "article" || name == "body" || name == "#root" }
    }

    struct Text {
        var value: String
        /// The file line (1-based) where the text starts.
        var line: Int
    }

    /// Element 0 is the document itself (`#root`); every other element comes after its parent.
    private(set) var elements: [Element] = [Element(name: "#root", parent: 0, line: 1)]
    private(set) var texts: [Text] = []
    /// The first `<title>`'s text, entities decoded.
    private(set) var title: String?

    static let maximumDepth = 512
    private static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen",
    ]
    /// Elements whose content is raw text up to their end tag (never markup).
    private static let rawTextElements: Set<String> = [
        "script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript",
    ]
    /// Start tags that end an open `<p>`.
    private static let paragraphClosers: Set<String> = [
        "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption", "figure", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "menu", "nav", "ol", "p", "pre", "section",
        "table", "ul",
    ]

    private var stack: [Int] = [0]
    private var openCount: [String: Int] = [:]

    init(parsing html: String) {
        let bytes = Array(html.utf8)
        var reader = ByteReader(bytes: bytes)
        while !reader.atEnd {
            if reader.peek == UInt8(ascii: "<"), let tag = reader.readTag() {
                switch tag {
                case .start(let name, let attributes, let selfClosing, let line):
                    if Self.rawTextElements.contains(name) {
                        let content = reader.skipRawText(until: name)
                        if name == "title", title == nil, openCount["svg", default: 0] == 0 {
                            title = HTMLText.decodeEntities(Substring(String(decoding: content, as: UTF8.self)))
                        }
                        // Scripts, styles and the like are furniture; an element marks where they were.
                        if name != "title" { open(name, attributes: attributes, line: line, selfClosing: true) }
                    } else {
                        open(name, attributes: attributes, line: line, selfClosing: selfClosing)
                    }
                case .end(let name):
                    close(name)
                case .skipped:
                    break
                }
            } else {
                let line = reader.line
                let text = reader.readText()
                addText(text, line: line)
            }
        }
    }

    // MARK: Building

    private mutating func open(_ name: String, attributes: [(name: String, value: String)], line: Int, selfClosing: Bool) {
        switch name {
        case "html": return
        case "body":
            if openCount["body", default: 0] > 0 { return }
            if openCount["head", default: 0] > 0 { close("head") }
        default: break
        }
        closeImplied(by: name)
        let parent = stack.last!
        var element = Element(name: name, parent: parent, line: line)
        for attribute in attributes {
            switch attribute.name {
            case "class": element.classes = Self.words(attribute.value)
            case "role": element.role = Self.words(attribute.value).first
            case "href": element.href = attribute.value
            case "hidden": element.hidden = true
            case "aria-hidden": element.hidden = element.hidden || attribute.value.lowercased() == "true"
            case "style":
                let style = Self.words(attribute.value).joined()
                element.hidden = element.hidden || style.contains("display:none") || style.contains("visibility:hidden")
            default: break
            }
        }
        elements.append(element)
        let index = elements.count - 1
        elements[parent].children.append(.element(index))
        guard !selfClosing, !Self.voidElements.contains(name), stack.count < Self.maximumDepth else { return }
        stack.append(index)
        openCount[name, default: 0] += 1
    }

    /// An attribute's space-separated words, lower-cased.
    private static func words(_ value: String) -> [String] {
        value.utf8.split(whereSeparator: { $0 <= 0x20 }).map { String(decoding: $0, as: UTF8.self).lowercased() }
    }

    /// Ends the open elements a new `name` element implicitly ends, as browsers do.
    private mutating func closeImplied(by name: String) {
        if Self.paragraphClosers.contains(name), let top = stack.last, elements[top].name == "p" { popTo(stack.count - 1) }
        switch name {
        case "li": closeSibling(["li"], boundary: ["ul", "ol", "menu", "table"])
        case "dt", "dd": closeSibling(["dt", "dd"], boundary: ["dl", "table"])
        case "tr": closeSibling(["tr"], boundary: ["table"])
        case "td", "th": closeSibling(["td", "th"], boundary: ["tr", "table"])
        case "option": closeSibling(["option"], boundary: ["select", "datalist"])
        case "a": closeSibling(["a"], boundary: [])
        case "h1", "h2", "h3", "h4", "h5", "h6":
            if let top = stack.last, HTMLTextWriter.headingLevel(elements[top].name) != nil { popTo(stack.count - 1) }
        default: break
        }
    }

    /// Closes the nearest open element named in `names` unless a `boundary` element is nearer;
    /// looks at most 32 levels down.
    private mutating func closeSibling(_ names: Set<String>, boundary: Set<String>) {
        guard names.contains(where: { openCount[$0, default: 0] > 0 }) else { return }
        var position = stack.count - 1
        while position > 0 && stack.count - position <= 32 {
            let name = elements[stack[position]].name
            if names.contains(name) {
                popTo(position)
                return
            }
            if boundary.contains(name) { return }
            position -= 1
        }
    }

    private mutating func close(_ name: String) {
        if name == "br" {
            open("br", attributes: [], line: elements.last?.line ?? 1, selfClosing: true)
            return
        }
        // `</body>` and `</html>` are ignored, as browsers do: text after them is still content.
        guard name != "body", openCount[name, default: 0] > 0 else { return }
        // Found before the bottom of the stack, since one is open; the scan is paid for by the pops.
        var position = stack.count - 1
        while position > 0 && elements[stack[position]].name != name { position -= 1 }
        if position > 0 { popTo(position) }
    }

    /// Pops the open elements from `position` (an index into `stack`) up.
    private mutating func popTo(_ position: Int) {
        while stack.count > position {
            let index = stack.removeLast()
            openCount[elements[index].name, default: 1] -= 1
        }
    }

    private mutating func addText(_ bytes: ArraySlice<UInt8>, line: Int) {
        let parent = stack.last!
        var length = 0
        for byte in bytes where byte > 0x20 { length += 1 }
        let raw = String(decoding: bytes, as: UTF8.self)
        let value = bytes.contains(UInt8(ascii: "&")) ? HTMLText.decodeEntities(Substring(raw)) : raw
        texts.append(Text(value: value, line: line))
        elements[parent].children.append(.text(texts.count - 1))
        elements[parent].ownTextLength += length
    }

    // MARK: Reading

    /// The element's text (at most about 32 characters of it), for recognising permalink glyphs.
    func plainText(of element: Element) -> String {
        var result = ""
        var nodes = Array(element.children.reversed())
        while let node = nodes.popLast(), result.utf8.count <= 32 {
            switch node {
            case .text(let index): result += texts[index].value
            case .element(let child): nodes.append(contentsOf: elements[child].children.reversed())
            }
        }
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Reads tags and text from UTF-8 bytes, counting lines as it goes.
private struct ByteReader {
    enum Tag {
        case start(name: String, attributes: [(name: String, value: String)], selfClosing: Bool, line: Int)
        case end(name: String)
        case skipped
    }

    let bytes: [UInt8]
    var position = 0
    /// The 1-based line of `position`.
    private(set) var line = 1

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8 { bytes[position] }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D
            || byte == 0x3A || byte == 0x5F
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C }

    /// Moves to `target`, counting the newlines passed.
    private mutating func advance(to target: Int) {
        let end = min(target, bytes.count)
        while position < end {
            if bytes[position] == 0x0A { line += 1 }
            position += 1
        }
    }

    /// The index of the first occurrence of `pattern` at or after `start`, or nil.
    private func find(_ pattern: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        var index = start
        let last = bytes.count - pattern.count
        while index <= last {
            if bytes[index] == first {
                var matched = true
                for offset in 1..<pattern.count where bytes[index + offset] != pattern[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    private func lowercasedName(from start: Int) -> (name: String, end: Int) {
        var end = start
        while end < bytes.count && Self.isNameByte(bytes[end]) { end += 1 }
        return (String(decoding: bytes[start..<end], as: UTF8.self).lowercased(), end)
    }

    /// Text up to the next `<` that starts markup.
    mutating func readText() -> ArraySlice<UInt8> {
        let start = position
        var end = position + 1
        while end < bytes.count && bytes[end] != UInt8(ascii: "<") { end += 1 }
        advance(to: end)
        return bytes[start..<end]
    }

    /// The markup at `position` (a `<`), or nil when the `<` is text (`a < b`).
    mutating func readTag() -> Tag? {
        let next = position + 1 < bytes.count ? bytes[position + 1] : 0
        if next == UInt8(ascii: "!") {
            if bytes[position...].starts(with: Array("<!--".utf8)) {
                let end = find(Array("-->".utf8), from: position + 4).map { $0 + 3 } ?? bytes.count
                advance(to: end)
            } else {
                skipPast(UInt8(ascii: ">"))
            }
            return .skipped
        }
        if next == UInt8(ascii: "?") {
            skipPast(UInt8(ascii: ">"))
            return .skipped
        }
        if next == UInt8(ascii: "/") {
            guard position + 2 < bytes.count, Self.isLetter(bytes[position + 2]) else {
                skipPast(UInt8(ascii: ">"))
                return .skipped
            }
            let (name, _) = lowercasedName(from: position + 2)
            skipPast(UInt8(ascii: ">"))
            return .end(name: name)
        }
        guard Self.isLetter(next) else { return nil }
        let line = self.line
        let (name, nameEnd) = lowercasedName(from: position + 1)
        advance(to: nameEnd)
        var attributes: [(name: String, value: String)] = []
        var selfClosing = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: ">") {
                advance(to: position + 1)
                break
            }
            if byte == UInt8(ascii: "/") {
                selfClosing = position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: ">")
                advance(to: position + 1)
                continue
            }
            if Self.isSpace(byte) {
                advance(to: position + 1)
                continue
            }
            attributes.append(readAttribute())
        }
        return .start(name: name, attributes: attributes, selfClosing: selfClosing, line: line)
    }

    /// One attribute at `position`: its name, then optionally `= value` (quoted or not).
    private mutating func readAttribute() -> (name: String, value: String) {
        var nameEnd = position
        while nameEnd < bytes.count, !Self.isSpace(bytes[nameEnd]), bytes[nameEnd] != UInt8(ascii: "="),
            bytes[nameEnd] != UInt8(ascii: ">"), nameEnd == position || bytes[nameEnd] != UInt8(ascii: "/")
        {
            nameEnd += 1
        }
        let attributeName = String(decoding: bytes[position..<nameEnd], as: UTF8.self).lowercased()
        advance(to: nameEnd)
        var valueStart = position
        while valueStart < bytes.count && Self.isSpace(bytes[valueStart]) { valueStart += 1 }
        var value = ""
        if valueStart < bytes.count && bytes[valueStart] == UInt8(ascii: "=") {
            var start = valueStart + 1
            while start < bytes.count && Self.isSpace(bytes[start]) { start += 1 }
            var end = start
            if start < bytes.count && (bytes[start] == UInt8(ascii: "\"") || bytes[start] == UInt8(ascii: "'")) {
                let quote = bytes[start]
                end = start + 1
                while end < bytes.count && bytes[end] != quote { end += 1 }
                value = String(decoding: bytes[(start + 1)..<end], as: UTF8.self)
                end = min(end + 1, bytes.count)
            } else {
                while end < bytes.count && !Self.isSpace(bytes[end]) && bytes[end] != UInt8(ascii: ">") { end += 1 }
                value = String(decoding: bytes[start..<end], as: UTF8.self)
            }
            advance(to: end)
        }
        if value.utf8.contains(UInt8(ascii: "&")) { value = HTMLText.decodeEntities(Substring(value)) }
        return (attributeName, value)
    }

    private mutating func skipPast(_ byte: UInt8) {
        var end = position
        while end < bytes.count && bytes[end] != byte { end += 1 }
        advance(to: end + 1)
    }

    /// Skips the raw text of a `<script>`-like element up to and past `</name…>`, returning it.
    mutating func skipRawText(until name: String) -> ArraySlice<UInt8> {
        let start = position
        let pattern = Array(name.utf8)
        var index = position
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "<") && bytes[index + 1] == UInt8(ascii: "/") && index + 2 + pattern.count <= bytes.count {
                var matched = true
                for (offset, expected) in pattern.enumerated() where bytes[index + 2 + offset] | 0x20 != expected {
                    matched = false
                    break
                }
                if matched {
                    let content = bytes[start..<index]
                    advance(to: index)
                    skipPast(UInt8(ascii: ">"))
                    return content
                }
            }
            index += 1
        }
        advance(to: bytes.count)
        return bytes[start..<bytes.count]
    }
}
