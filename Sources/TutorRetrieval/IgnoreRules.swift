import Foundation

/// `.gitignore`-style rules: the patterns of `.gitignore` and `.tutorignore` files met while
/// walking a folder, each applying below its own folder, the last match deciding.
///
/// Supported: comments, `!` negation, a trailing `/` for folders only, a leading or inner `/`
/// anchoring the pattern to its file's folder, `*`, `?`, `[…]` and `**`.
public struct IgnoreRules: Sendable {
    struct Rule: @unchecked Sendable {
        /// The folder (absolute, no trailing slash) the rule's file sits in.
        let base: String
        let regex: NSRegularExpression
        let negated: Bool
        let directoryOnly: Bool
    }

    private(set) var rules: [Rule] = []

    /// The names of the files rules are read from, in each folder.
    public static let fileNames = [".gitignore", ".tutorignore"]

    public init() {}

    /// Rules from one ignore file's `contents`, which lives in `folder`.
    public mutating func add(contents: String, folder: String) {
        let base = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        for rawLine in contents.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = String(rawLine)
            while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line.removeLast() }
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            var negated = false
            if line.hasPrefix("!") {
                negated = true
                line.removeFirst()
            } else if line.hasPrefix("\\#") || line.hasPrefix("\\!") {
                line.removeFirst()
            }
            var directoryOnly = false
            if line.hasSuffix("/") {
                directoryOnly = true
                line.removeLast()
            }
            guard !line.isEmpty else { continue }
            let anchored = line.dropLast().contains("/") || line.hasPrefix("/")
            if line.hasPrefix("/") { line.removeFirst() }
            let pattern = (anchored ? "^" : "^(?:.*/)?") + Self.regex(forGlob: line) + "$"
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            rules.append(Rule(base: base, regex: regex, negated: negated, directoryOnly: directoryOnly))
        }
    }

    /// Reads the ignore files of `folder`, if it has any.
    public mutating func load(folder: String) {
        for name in Self.fileNames {
            if let contents = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8) {
                add(contents: contents, folder: folder)
            }
        }
    }

    /// Whether the file or folder at absolute `path` is ignored.
    public func isIgnored(_ path: String, isDirectory: Bool) -> Bool {
        var ignored = false
        for rule in rules {
            guard rule.negated == ignored, !rule.directoryOnly || isDirectory else { continue }
            guard path.hasPrefix(rule.base + "/") || rule.base == "/" else { continue }
            let relative = String(path.dropFirst(rule.base == "/" ? 1 : rule.base.count + 1))
            let range = NSRange(relative.startIndex..., in: relative)
            if rule.regex.firstMatch(in: relative, range: range) != nil { ignored = !rule.negated }
        }
        return ignored
    }

    /// The regular expression for one glob.
    static func regex(forGlob glob: String) -> String {
        var result = ""
        var characters = Array(glob)[...]
        while let character = characters.popFirst() {
            switch character {
            case "*":
                if characters.first == "*" {
                    characters.removeFirst()
                    if characters.first == "/" {
                        characters.removeFirst()
                        result += "(?:.*/)?"
                    } else {
                        result += ".*"
                    }
                } else {
                    result += "[^/]*"
                }
            case "?":
                result += "[^/]"
            case "[":
                if let close = characters.firstIndex(of: "]") {
                    var set = String(characters[characters.startIndex..<close])
                    if set.hasPrefix("!") { set = "^" + set.dropFirst() }
                    result += "[" + set.replacingOccurrences(of: "\\", with: "\\\\") + "]"
                    characters = characters[(close + 1)...]
                } else {
                    result += "\\["
                }
            case "\\":
                if let next = characters.popFirst() { result += NSRegularExpression.escapedPattern(for: String(next)) }
            default:
                result += NSRegularExpression.escapedPattern(for: String(character))
            }
        }
        return result
    }
}
