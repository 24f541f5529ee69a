import TutorJSON

/// One tool call's result as the offline model reads it: the error the call came back with, or
/// the tool's output read back as the type the tool returns (``view(_:)``: `PlanResult`,
/// `TaskListResult`, …), so every field the replies use is a typed member the compiler checks.
struct ToolOutput {
    /// The result as the tool registry wrote it.
    let value: JSONValue
    /// What went wrong, when the call failed (the registry's `{"error": …}`); nil when it ran.
    let error: String?

    /// The result in `text`; nil when it is not a JSON object (no tool returns anything else).
    init?(parsing text: String) {
        guard let value = JSONValue.parse(text), value.object != nil else { return nil }
        self.value = value
        self.error = (try? JSONValueDecoder().decode(Failure.self, from: value))?.error
    }

    /// The output as `View`, the type the tool returns.
    /// - Throws: `DecodingError` when the output is not a `View` (the tool returns another type).
    func view<View: Decodable>(_ type: View.Type = View.self) throws -> View {
        try JSONValueDecoder().decode(type, from: value)
    }

    /// A failed call's result.
    private struct Failure: Decodable {
        var error: String
    }
}
