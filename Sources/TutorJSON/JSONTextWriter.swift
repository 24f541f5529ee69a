/// Writes compact JSON by hand (slashes unescaped, a whole Double without ".0"), the same bytes as
/// `JSONEncoder` with `.withoutEscapingSlashes`, for values encoded often enough that the generic
/// encoder shows. Builder callers write keys in sorted order; ``value(_:sortedKeys:)`` writes a
/// whole ``JSONValue``.
public struct JSONTextWriter: Sendable {
    /// The JSON written so far.
    public private(set) var bytes: [UInt8] = []
    /// Set when a value JSON cannot hold (a NaN or infinite number) was given: the encoder would
    /// throw, so callers fall back to it.
    public private(set) var failed = false
    private var needsComma = false

    /// An empty writer with room for `capacity` bytes.
    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// Writes `{`, then `body`, then `}`.
    public mutating func object(_ body: (inout JSONTextWriter) -> Void) {
        container(UInt8(ascii: "{"), UInt8(ascii: "}"), body)
    }

    /// Writes `[`, then `body`, then `]`.
    public mutating func array(_ body: (inout JSONTextWriter) -> Void) {
        container(UInt8(ascii: "["), UInt8(ascii: "]"), body)
    }

    private mutating func container(_ open: UInt8, _ close: UInt8, _ body: (inout JSONTextWriter) -> Void) {
        separate()
        bytes.append(open)
        needsComma = false
        body(&self)
        bytes.append(close)
        needsComma = true
    }

    /// Writes the key of the next member.
    public mutating func key(_ key: String) {
        separate()
        Self.writeString(key, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string.
    public mutating func value(_ text: String) {
        separate()
        Self.writeString(text, into: &bytes)
    }

    /// Writes an integer.
    public mutating func value(_ number: Int) {
        separate()
        bytes += number.description.utf8
    }

    /// Writes `true` or `false`.
    public mutating func value(_ flag: Bool) {
        separate()
        bytes += (flag ? "true" : "false").utf8
    }

    /// A finite number as `JSONEncoder` writes it: its description, without a trailing ".0".
    public mutating func value(_ number: Double) {
        separate()
        writeNumber(number)
    }

    /// Writes a whole JSON value; object members in sorted key order unless `sortedKeys` is false.
    public mutating func value(_ json: JSONValue, sortedKeys: Bool = true) {
        separate()
        write(json, sortedKeys: sortedKeys)
    }

    /// Writes the next value with `write`, which appends JSON text of its own making to the bytes
    /// (for a format this writer does not know, such as a date).
    public mutating func verbatim(_ write: (inout [UInt8]) -> Void) {
        separate()
        write(&bytes)
    }

    /// Writes `name` and `value`; nothing when `value` is nil (as synthesised `Encodable` does).
    public mutating func member(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        self.value(value)
    }

    /// Writes `name` and `value`; nothing when `value` is nil.
    public mutating func member(_ name: String, _ value: Int?) {
        guard let value else { return }
        key(name)
        self.value(value)
    }

    /// Writes `name` and `value`; nothing when `value` is nil.
    public mutating func member(_ name: String, _ value: Double?) {
        guard let value else { return }
        key(name)
        self.value(value)
    }

    private mutating func writeNumber(_ number: Double) {
        guard number.isFinite else {
            failed = true
            bytes += "null".utf8
            return
        }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes += text.utf8
    }

    private mutating func write(_ json: JSONValue, sortedKeys: Bool) {
        switch json {
        case .null: bytes += "null".utf8
        case .bool(let value): bytes += (value ? "true" : "false").utf8
        case .int(let value): bytes += value.description.utf8
        case .double(let value): writeNumber(value)
        case .string(let value): Self.writeString(value, into: &bytes)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(value, sortedKeys: sortedKeys)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            func member(_ key: String, _ value: JSONValue) {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                Self.writeString(key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                write(value, sortedKeys: sortedKeys)
            }
            if sortedKeys {
                for key in members.keys.sorted() { member(key, members[key]!) }
            } else {
                for (key, value) in members { member(key, value) }
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `string` as a JSON string literal: quotes, backslashes and control characters
    /// escaped (`\n`-style where JSON has one, `\u00XX` otherwise), everything else as UTF-8
    /// (runs that need no escaping are copied whole).
    public static func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index + 1
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    output.append(contentsOf: "u00".utf8)
                    output.append(hex.utf8Start[Int(byte >> 4)])
                    output.append(hex.utf8Start[Int(byte & 0xF)])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// The value as compact JSON text; object keys sorted unless `sortedKeys` is false.
    ///
    /// - Throws: `EncodingError.invalidValue` for a number that is not finite.
    public func encodedBytes(sortedKeys: Bool = true) throws -> [UInt8] {
        var writer = JSONTextWriter(capacity: 256)
        writer.value(self, sortedKeys: sortedKeys)
        guard !writer.failed else {
            throw EncodingError.invalidValue(self, .init(codingPath: [], debugDescription: "a number that is not finite is not valid JSON"))
        }
        return writer.bytes
    }

    /// The value as compact JSON text with sorted keys; `null` when it holds a number that is not finite.
    public func encodedString() -> String {
        (try? encodedBytes()).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
