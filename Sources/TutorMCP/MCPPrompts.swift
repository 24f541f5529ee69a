import MCP

/// Ready prompts that bring the right resources in: the learner's data read when the prompt is asked for.
enum MCPPrompts {
    /// One prompt: what it asks and the resources it embeds.
    struct Entry: Sendable {
        let name: String
        let title: String
        let description: String
        let request: String
        let resources: [String]
    }

    static let all: [Entry] = [
        Entry(
            name: "plan_my_week", title: "Plan my week",
            description: "Go through this week's study plan with my progress beside it.",
            request:
                "Here are my Tutor study plan for this week and my progress. Help me plan my week: say what to study in each session and what to move if I have less time. Use the Tutor tools (weekly_plan, log_study, complete_task) for any change.",
            resources: [MCPResources.planMarkdown, MCPResources.progress]),
        Entry(
            name: "quiz_due", title: "Quiz me on what is due",
            description: "A short quiz on the spaced-repetition reviews that are due.",
            request:
                "Here are my Tutor reviews that are due. Quiz me on them one question at a time with the Tutor tools ask_question and check_answer, and record each grade with record_review.",
            resources: [MCPResources.dueReviews]),
        Entry(
            name: "explain_next_skill", title: "Explain my next skill",
            description: "Explain the next skill on my plan, from what I already know.",
            request:
                "Here are my Tutor plan and progress. Find the next skill I should study and explain it from what I already know; use catalogue_show for its checklist and resources.",
            resources: [MCPResources.planMarkdown, MCPResources.progress]),
    ]

    /// The prompts as MCP lists them.
    static var list: [Prompt] {
        all.map { Prompt(name: $0.name, title: $0.title, description: $0.description) }
    }

    /// The prompt's messages: the request, then each resource read now and embedded.
    static func get(_ name: String, link: DaemonLink) async throws -> GetPrompt.Result {
        guard let entry = all.first(where: { $0.name == name }) else {
            throw MCPError.invalidParams("there is no prompt '\(name)'; the prompts are \(all.map(\.name).joined(separator: ", "))")
        }
        var messages: [Prompt.Message] = [.user(.text(text: entry.request))]
        for uri in entry.resources {
            messages.append(.user(.resource(resource: try await MCPResources.read(uri, link: link))))
        }
        return GetPrompt.Result(description: entry.description, messages: messages)
    }
}
