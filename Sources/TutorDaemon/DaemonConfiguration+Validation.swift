import Foundation
import Yams

extension DaemonConfiguration {
    /// Warnings for keys in the config file that Tutor does not know, with the closest known key.
    static func unknownKeyWarnings(file: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: file),
            let text = String(data: data, encoding: .utf8),
            let root = try? Yams.compose(yaml: text),
            let mapping = root.mapping
        else { return [] }
        var found: [String] = []
        func walk(_ mapping: Node.Mapping, prefix: String) {
            for (keyNode, valueNode) in mapping {
                guard let name = keyNode.string else { continue }
                let dotted = prefix.isEmpty ? name : prefix + "." + name
                if let nested = valueNode.mapping {
                    walk(nested, prefix: dotted)
                } else {
                    found.append(dotted)
                }
            }
        }
        walk(mapping, prefix: "")
        let known = definitions.map(\.key)
        return found.filter { !known.contains($0) }.map { key in
            let closest = known.min { editDistance($0, key) < editDistance($1, key) } ?? ""
            return "\(file): unknown key '\(key)' is ignored; did you mean '\(closest)'? (`tutor config show` lists every key)"
        }
    }

    /// The largest config file read: a Tutor config is a few hundred bytes; a bigger file is a mistake
    /// (and parsing megabytes of YAML delays start-up with no message).
    static let maximumConfigFileBytes = 256 * 1024

    /// Why the config file at `path` must not be parsed: too large, or it uses YAML anchors or
    /// aliases, which a Tutor config never needs and which let a few hundred bytes expand into
    /// billions of nodes (an alias bomb). Checked before any YAML parser sees the file.
    static func configFileProblem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        if Int(info.st_size) > maximumConfigFileBytes {
            return "the config file \(path) is \(info.st_size) bytes, more than the \(maximumConfigFileBytes / 1024) KiB a config may be "
                + "(one is usually a few hundred bytes). Check that TUTOR_CONFIG (or --config) names your config file."
        }
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        if let line = anchorOrAliasLine(String(decoding: data, as: UTF8.self)) {
            return "the config file \(path) uses a YAML anchor or alias (&name or *name) on line \(line); a Tutor config does not "
                + "need them and they are refused (a few can expand into billions of values). Write the values out, or quote a value that starts with & or *."
        }
        return nil
    }

    /// The 1-based line of the first YAML anchor (`&name`) or alias (`*name`): an unquoted `&` or
    /// `*` where a value or key starts (YAML never reads those there as plain text); nil when none.
    static func anchorOrAliasLine(_ text: String) -> Int? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var quote: Character?
            var previous: Character = " "
            for character in line {
                defer { previous = character }
                if let open = quote {
                    if character == open { quote = nil }
                    continue
                }
                let tokenStart = previous == " " || previous == "\t" || previous == "[" || previous == "{" || previous == ","
                if character == "#" && (previous == " " || previous == "\t") { break }
                if tokenStart && (character == "\"" || character == "'") {
                    quote = character
                } else if tokenStart && (character == "&" || character == "*") {
                    return index + 1
                }
            }
        }
        return nil
    }

    /// Whether the file holds no YAML document at all (empty, or only comments).
    static func isEmptyYAML(file: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: file) else { return false }
        let text = String(decoding: data, as: UTF8.self)
        do {
            return try Yams.compose(yaml: text) == nil
        } catch {
            return false
        }
    }

    /// Levenshtein distance, for suggesting the key a typo meant.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
