import Foundation

/// A JSON value that keeps object members in the order given, so bodies read like the real servers'.
enum FakeJSON: ExpressibleByStringLiteral {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case array([FakeJSON])
    case object([(String, FakeJSON)])

    init(stringLiteral value: String) { self = .string(value) }

    /// Compact JSON text.
    var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// An object's members one per line (joined with "\n" they are still valid JSON); other values in one line.
    var lines: [String] {
        guard case .object(let members) = self, !members.isEmpty else { return [text] }
        return members.enumerated().map { index, member in
            let prefix = index == 0 ? "{" : ""
            let suffix = index == members.count - 1 ? "}" : ","
            return prefix + FakeJSON.string(member.0).text + ":" + member.1.text + suffix
        }
    }

    private func write(to out: inout String) {
        switch self {
        case .string(let value): FakeJSON.escape(value, into: &out)
        case .int(let value): out += String(value)
        case .double(let value): out += value.isFinite ? "\(value)" : "null"
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                FakeJSON.escape(member.0, into: &out)
                out += ":"
                member.1.write(to: &out)
            }
            out += "}"
        }
    }

    private static func escape(_ value: String, into out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// `{"error":{"message":...,"type":...,"param":...,"code":...}}` as OpenAI sends it.
    static func openAIError(message: String, type: String, code: String?, param: String? = nil) -> FakeJSON {
        .object([
            (
                "error",
                .object([
                    ("message", .string(message)),
                    ("type", .string(type)),
                    ("param", param.map { .string($0) } ?? .null),
                    ("code", code.map { .string($0) } ?? .null),
                ])
            )
        ])
    }

    /// `{"prompt_tokens":..,"completion_tokens":..,"total_tokens":..}`.
    static func usage(prompt: Int, completion: Int) -> FakeJSON {
        .object([("prompt_tokens", .int(prompt)), ("completion_tokens", .int(completion)), ("total_tokens", .int(prompt + completion))])
    }
}

/// Deterministic embeddings for tests: a hashed bag of word stems and character trigrams.
///
/// They stand in for a real embedding model in tests and benchmarks: texts sharing words (or word
/// forms: "tokenizer" and "tokenization" share trigrams) point the same way, but there is no
/// meaning in them, so paraphrases with other words are not found. Common words are left out and
/// repeated words count sub-linearly, much as trained models discount them.
enum FakeEmbedding {
    static let dimensions = 256

    static let stopWords: Set<Substring> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "i", "in", "is", "it", "of", "on", "or", "that",
        "the", "this", "to", "was", "what", "with", "you", "do", "does", "can", "my", "me", "we", "it's", "if", "so", "not",
    ]

    /// The lower-cased words of `text` (letters and digits).
    static func words(_ text: String) -> [Substring] {
        let lowered = text.lowercased()
        return lowered.split { !$0.isLetter && !$0.isNumber }
    }

    /// A crude stem: common English suffixes removed from longer words.
    static func stem(_ word: Substring) -> Substring {
        for suffix in ["ations", "ation", "ings", "ing", "ers", "er", "ies", "es", "ed", "s"] where word.count > suffix.count + 3 {
            if word.hasSuffix(suffix) { return word.dropLast(suffix.count) }
        }
        return word
    }

    static func hash(_ text: some StringProtocol, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = seed
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// A unit vector of `dimensions` values. Texts with no words get e₀.
    static func vector(for text: String, dimensions: Int = dimensions) -> [Double] {
        let dimensions = max(1, dimensions)
        var counts: [Substring: Int] = [:]
        for word in words(text) where !stopWords.contains(word) { counts[stem(word), default: 0] += 1 }
        var vector = [Double](repeating: 0, count: dimensions)
        func add(_ feature: some StringProtocol, _ weight: Double) {
            let hash = hash(feature)
            vector[Int(hash % UInt64(dimensions))] += (hash >> 63) == 0 ? weight : -weight
        }
        for (word, count) in counts {
            let weight = Double(count).squareRoot()
            add(word, weight)
            let padded = Array("^" + word + "$")
            if padded.count > 3 {
                for start in 0...(padded.count - 3) { add(String(padded[start..<(start + 3)]), 0.25 * weight) }
            }
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else {
            vector[0] = 1
            return vector
        }
        return vector.map { $0 / norm }
    }
}
