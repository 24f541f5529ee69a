import Foundation

/// The subset of JSON Schema that tool inputs use, as sent to models in tool definitions and used
/// here to validate the arguments a model produces before any tool runs.
public indirect enum JSONSchema: Sendable, Equatable {
    case object(properties: [String: JSONSchema], required: [String], description: String? = nil)
    case string(description: String? = nil, enumValues: [String]? = nil, minLength: Int? = nil)
    case integer(description: String? = nil, minimum: Int? = nil, maximum: Int? = nil)
    case number(description: String? = nil, minimum: Double? = nil, maximum: Double? = nil)
    case boolean(description: String? = nil)
    case array(items: JSONSchema, description: String? = nil)

    /// The schema as a JSON-compatible dictionary (what the OpenAI `parameters` field carries).
    public var jsonObject: [String: Any] {
        func described(_ base: [String: Any], _ description: String?) -> [String: Any] {
            var result = base
            if let description { result["description"] = description }
            return result
        }
        switch self {
        case .object(let properties, let required, let description):
            return described(
                [
                    "type": "object", "properties": properties.mapValues(\.jsonObject), "required": required.sorted(),
                    "additionalProperties": false,
                ], description)
        case .string(let description, let enumValues, let minLength):
            var base: [String: Any] = ["type": "string"]
            if let enumValues { base["enum"] = enumValues }
            if let minLength { base["minLength"] = minLength }
            return described(base, description)
        case .integer(let description, let minimum, let maximum):
            var base: [String: Any] = ["type": "integer"]
            if let minimum { base["minimum"] = minimum }
            if let maximum { base["maximum"] = maximum }
            return described(base, description)
        case .number(let description, let minimum, let maximum):
            var base: [String: Any] = ["type": "number"]
            if let minimum { base["minimum"] = minimum }
            if let maximum { base["maximum"] = maximum }
            return described(base, description)
        case .boolean(let description):
            return described(["type": "boolean"], description)
        case .array(let items, let description):
            return described(["type": "array", "items": items.jsonObject], description)
        }
    }

    /// Every problem with `value` against this schema, each naming the argument and what to fix;
    /// empty when the value is valid.
    public func problems(in value: Any?, at path: String = "") -> [String] {
        let name = path.isEmpty ? "the arguments" : "'\(path)'"
        switch self {
        case .object(let properties, let required, _):
            guard let object = value as? [String: Any] else { return ["\(name) must be a JSON object"] }
            var problems: [String] = []
            for key in required.sorted() where object[key] == nil || object[key] is NSNull {
                problems.append("'\(join(path, key))' is required")
            }
            for key in object.keys.sorted() {
                guard let schema = properties[key] else {
                    problems.append(
                        "'\(join(path, key))' is not an argument of this tool (known: \(properties.keys.sorted().joined(separator: ", ")))")
                    continue
                }
                if object[key] is NSNull { continue }
                problems += schema.problems(in: object[key], at: join(path, key))
            }
            return problems
        case .string(_, let enumValues, let minLength):
            guard let string = value as? String else { return ["\(name) must be a string"] }
            if let enumValues, !enumValues.contains(string) {
                return ["\(name) must be one of \(enumValues.joined(separator: ", ")), not \"\(string)\""]
            }
            if let minLength, string.count < minLength { return ["\(name) must not be empty"] }
            return []
        case .integer(_, let minimum, let maximum):
            guard !(value is Bool && !(value is NSNumber)), let number = value as? NSNumber, !isBoolean(number),
                number.doubleValue == number.doubleValue.rounded()
            else {
                return ["\(name) must be a whole number"]
            }
            if let minimum, number.intValue < minimum { return ["\(name) must be at least \(minimum), not \(number.intValue)"] }
            if let maximum, number.intValue > maximum { return ["\(name) must be at most \(maximum), not \(number.intValue)"] }
            return []
        case .number(_, let minimum, let maximum):
            guard let number = value as? NSNumber, !isBoolean(number) else { return ["\(name) must be a number"] }
            if let minimum, number.doubleValue < minimum { return ["\(name) must be at least \(minimum), not \(number.doubleValue)"] }
            if let maximum, number.doubleValue > maximum { return ["\(name) must be at most \(maximum), not \(number.doubleValue)"] }
            return []
        case .boolean:
            guard let number = value as? NSNumber, isBoolean(number) else { return ["\(name) must be true or false"] }
            return []
        case .array(let items, _):
            guard let array = value as? [Any] else { return ["\(name) must be an array"] }
            return array.enumerated().flatMap { items.problems(in: $0.element, at: "\(path)[\($0.offset)]") }
        }
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func isBoolean(_ number: NSNumber) -> Bool {
        // JSONSerialization hands booleans over as NSNumbers whose Objective-C type is "c" (char).
        String(cString: number.objCType) == "c"
    }
}
