import Testing
import TutorAgent
import TutorModel

/// Tool calls local models write as text: found when they name an offered tool, left as text otherwise.
@Suite struct TextToolCallsTests {
    let offered: Set<String> = ["log_study", "weekly_plan"]

    @Test func hermesBlock() throws {
        let text = "Sure.\n<tool_call>\n{\"name\": \"log_study\", \"arguments\": {\"minutes\": 20}}\n</tool_call>"
        let found = try #require(TextToolCalls.extract(from: text, offered: offered))
        #expect(found.calls.map(\.name) == ["log_study"] && found.calls[0].arguments.contains("20"))
        #expect(found.remainder == "Sure.")
    }

    @Test func llamaPythonTagAndFencedJSON() throws {
        let tagged = try #require(
            TextToolCalls.extract(from: "<|python_tag|>{\"name\": \"weekly_plan\", \"parameters\": {}}<|eom_id|>", offered: offered))
        #expect(tagged.calls.map(\.name) == ["weekly_plan"] && tagged.remainder.isEmpty)
        let fenced = try #require(
            TextToolCalls.extract(
                from: "```json\n{\"name\": \"log_study\", \"arguments\": \"{\\\"minutes\\\": 5}\"}\n```", offered: offered))
        #expect(fenced.calls.first?.arguments == "{\"minutes\": 5}", "arguments written as a string are passed on as they are")
    }

    @Test func onlyOfferedToolsAndObjects() {
        #expect(TextToolCalls.extract(from: "<tool_call>{\"name\": \"rm_rf\", \"arguments\": {}}</tool_call>", offered: offered) == nil)
        #expect(TextToolCalls.extract(from: "```json\n{\"minutes\": 20}\n```", offered: offered) == nil)
        #expect(TextToolCalls.extract(from: "Plain words about log_study.", offered: offered) == nil)
    }
}
