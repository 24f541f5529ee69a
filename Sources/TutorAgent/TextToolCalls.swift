import Foundation
import TutorJSON
import TutorModel

/// Tool calls a local model wrote as text instead of through the API's `tool_calls`: a Hermes
/// `<tool_call>{…}</tool_call>` block, Llama 3.1's `<|python_tag|>{…}`, or a fenced JSON object
/// with a `name` and its `arguments` (or `parameters`). Only calls of tools the turn offers count;
/// anything else stays text.
public enum TextToolCalls {
    /// The calls found in `text` and the text without them; nil when there are none.
    public static func extract(from text: String, offered: Set<String>) -> (calls: [ToolCall], remainder: String)? {
        var calls: [ToolCall] = []
        var remainder = text
        for pattern in [
            #"<tool_call>\s*(\{[\s\S]*?\})\s*</tool_call>"#, #"<\|python_tag\|>\s*(\{[\s\S]*\})\s*(?:<\|eom_id\|>|<\|eot_id\|>)?"#,
            #"```(?:json)?\s*(\{[\s\S]*?\})\s*```"#,
        ] {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            let range = NSRange(remainder.startIndex..., in: remainder)
            for match in regex.matches(in: remainder, range: range).reversed() {
                guard let body = Range(match.range(at: 1), in: remainder), let whole = Range(match.range, in: remainder),
                    let call = call(from: String(remainder[body]), offered: offered, index: calls.count)
                else { continue }
                calls.insert(call, at: 0)
                remainder.removeSubrange(whole)
            }
        }
        guard !calls.isEmpty else { return nil }
        return (calls, remainder.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A call from one JSON object `{"name": …, "arguments" | "parameters": {…}}` naming an offered tool.
    static func call(from json: String, offered: Set<String>, index: Int) -> ToolCall? {
        guard let object = JSONValue.parse(json)?.object, let name = object["name"]?.string, offered.contains(name) else { return nil }
        let arguments = object["arguments"] ?? object["parameters"] ?? .object([:])
        // Some models write the arguments as a JSON string.
        let text = arguments.string ?? arguments.encodedString()
        return ToolCall(id: "call_text_\(index)_\(UUID().uuidString.prefix(6).lowercased())", name: name, arguments: text)
    }
}
