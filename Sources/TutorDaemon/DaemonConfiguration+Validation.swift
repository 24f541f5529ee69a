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
