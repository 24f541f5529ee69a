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

/// Deterministic bag-of-hashed-words embeddings.
enum FakeEmbedding {
    static let dimensions = 64

    /// The lower-cased words of `text` (letters and digits).
    static func words(_ text: String) -> [Substring] {
        let lowered = text.lowercased()
        return lowered.split { !$0.isLetter && !$0.isNumber }
    }

    /// A unit vector: each word adds ±1 to the bucket its FNV-1a hash picks. Texts with no words get e₀.
    static func vector(for text: String) -> [Double] {
        var vector = [Double](repeating: 0, count: dimensions)
        for word in words(text) {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in word.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            vector[Int(hash % UInt64(dimensions))] += (hash >> 63) == 0 ? 1 : -1
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else {
            vector[0] = 1
            return vector
        }
        return vector.map { $0 / norm }
    }
}
