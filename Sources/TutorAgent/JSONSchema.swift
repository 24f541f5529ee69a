import TutorJSON

/// The subset of JSON Schema that tool inputs use, as sent to models in tool definitions and used
/// here to validate the arguments a model produces before any tool runs.
public indirect enum JSONSchema: Sendable, Equatable {
    case object(properties: [String: JSONSchema], required: [String], description: String? = nil)
    case string(description: String? = nil, enumValues: [String]? = nil, minLength: Int? = nil)
    case integer(description: String? = nil, minimum: Int? = nil, maximum: Int? = nil)
    case number(description: String? = nil, minimum: Double? = nil, maximum: Double? = nil)
    case boolean(description: String? = nil)
    case array(items: JSONSchema, description: String? = nil)

    /// The schema as JSON (what the OpenAI `parameters` field carries), kept compact: every token
    /// of it is in each request. Unknown arguments are refused by ``problems(in:at:)`` whether or
    /// not the schema says `additionalProperties: false`, so it does not; an empty `required` is
    /// left out.
    public var jsonValue: JSONValue {
        func described(_ base: [String: JSONValue], _ description: String?) -> JSONValue {
            var result = base
            if let description { result["description"] = .string(description) }
            return .object(result)
        }
        switch self {
        case .object(let properties, let required, let description):
            var base: [String: JSONValue] = ["type": "object", "properties": .object(properties.mapValues(\.jsonValue))]
            if !required.isEmpty { base["required"] = .array(required.sorted().map(JSONValue.string)) }
            return described(base, description)
        case .string(let description, let enumValues, let minLength):
            var base: [String: JSONValue] = ["type": "string"]
            if let enumValues { base["enum"] = .array(enumValues.map(JSONValue.string)) }
            if let minLength { base["minLength"] = .int(Int64(minLength)) }
            return described(base, description)
        case .integer(let description, let minimum, let maximum):
            var base: [String: JSONValue] = ["type": "integer"]
            if let minimum { base["minimum"] = .int(Int64(minimum)) }
            if let maximum { base["maximum"] = .int(Int64(maximum)) }
            return described(base, description)
        case .number(let description, let minimum, let maximum):
            var base: [String: JSONValue] = ["type": "number"]
            if let minimum { base["minimum"] = .double(minimum) }
            if let maximum { base["maximum"] = .double(maximum) }
            return described(base, description)
        case .boolean(let description):
            return described(["type": "boolean"], description)
        case .array(let items, let description):
            return described(["type": "array", "items": items.jsonValue], description)
        }
    }

    /// The schema as compact JSON text with sorted keys.
    public var jsonText: String { jsonValue.encodedString() }

    /// Every problem with `value` against this schema, each naming the argument and what to fix;
    /// empty when the value is valid.
    public func problems(in value: JSONValue, at path: String = "") -> [String] {
        let name = path.isEmpty ? "the arguments" : "'\(path)'"
        switch self {
        case .object(let properties, let required, _):
            guard case .object(let object) = value else { return ["\(name) must be a JSON object"] }
            var problems: [String] = []
            for key in required.sorted() where object[key] == nil || object[key] == .null {
                problems.append("'\(join(path, key))' is required")
            }
            for key in object.keys.sorted() {
                guard let schema = properties[key] else {
                    problems.append(
                        "'\(join(path, key))' is not an argument of this tool (known: \(properties.keys.sorted().joined(separator: ", ")))")
                    continue
                }
                guard let member = object[key], member != .null else { continue }
                problems += schema.problems(in: member, at: join(path, key))
            }
            return problems
        case .string(_, let enumValues, let minLength):
            guard case .string(let string) = value else { return ["\(name) must be a string"] }
            if let enumValues, !enumValues.contains(string) {
                return ["\(name) must be one of \(enumValues.joined(separator: ", ")), not \"\(string)\""]
            }
            if let minLength, string.count < minLength { return ["\(name) must not be empty"] }
            return []
        case .integer(_, let minimum, let maximum):
            guard let number = value.int else { return ["\(name) must be a whole number"] }
            if let minimum, number < minimum { return ["\(name) must be at least \(minimum), not \(number)"] }
            if let maximum, number > maximum { return ["\(name) must be at most \(maximum), not \(number)"] }
            return []
        case .number(_, let minimum, let maximum):
            guard let number = value.double else { return ["\(name) must be a number"] }
            if let minimum, number < minimum { return ["\(name) must be at least \(minimum), not \(number)"] }
            if let maximum, number > maximum { return ["\(name) must be at most \(maximum), not \(number)"] }
            return []
        case .boolean:
            guard case .bool = value else { return ["\(name) must be true or false"] }
            return []
        case .array(let items, _):
            guard case .array(let array) = value else { return ["\(name) must be an array"] }
            return array.enumerated().flatMap { items.problems(in: $0.element, at: "\(path)[\($0.offset)]") }
        }
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
