import MCP
import TutorJSON
import TutorWire

/// The learner's data as MCP resources, each at a stable URI and read from the daemon when asked.
/// Every one of them can change after any committed write, so an update notifies every subscribed URI.
enum MCPResources {
    /// One resource: its URI, names, type, and how it is read.
    struct Entry: Sendable {
        let uri: String
        let name: String
        let title: String
        let description: String
        let mimeType: String
        let read: @Sendable (DaemonLink) async throws -> String
    }

    static let planMarkdown = "tutor://plan/week.md"
    static let planCalendar = "tutor://plan/week.ics"
    static let progress = "tutor://progress.json"
    static let forecast = "tutor://forecast.json"
    static let dueReviews = "tutor://reviews/due.json"
    static let roadmap = "tutor://roadmap.json"

    static let all: [Entry] = [
        Entry(
            uri: planMarkdown, name: "plan-week-markdown", title: "This week's plan",
            description: "This week's study sessions in the learner's free time, with their tasks (Markdown).",
            mimeType: "text/markdown"
        ) { link in try await link.call(PlanWeekMethod.self, PlanParams()).markdown },
        Entry(
            uri: planCalendar, name: "plan-week-icalendar", title: "This week's plan (calendar)",
            description: "This week's study sessions as iCalendar events, for a calendar app.",
            mimeType: "text/calendar"
        ) { link in try await link.call(PlanWeekMethod.self, PlanParams()).iCalendar },
        Entry(
            uri: progress, name: "progress", title: "Progress",
            description: "Progress per roadmap stage and per active skill: mastery, minutes logged against estimates.",
            mimeType: "application/json"
        ) { link in try JSONBridge.text(try await link.call(ProgressMethod.self, NoParams()), pretty: true) },
        Entry(
            uri: forecast, name: "forecast", title: "Forecast",
            description: "When the learner is likely to reach each milestone at their pace (ranges).",
            mimeType: "application/json"
        ) { link in try JSONBridge.text(try await link.call(ForecastMethod.self, ForecastParams()), pretty: true) },
        Entry(
            uri: dueReviews, name: "due-reviews", title: "Due reviews",
            description: "The spaced-repetition reviews due now, as the tutor's due_reviews tool reports them.",
            mimeType: "application/json"
        ) { link in
            try await link.call(ToolsCallMethod.self, ToolsCallParams(name: "due_reviews", arguments: .object([:]))).output
        },
        Entry(
            uri: roadmap, name: "roadmap", title: "Roadmap graph",
            description:
                "The roadmap as a graph: stages, and skills with their prerequisites, depth, the learner's state (known, in progress, due for review, next, locked), hours and mastery, and whether each is on the goal path.",
            mimeType: "application/json"
        ) { link in try JSONBridge.text(try await link.call(RoadmapMethod.self, RoadmapParams()), pretty: true) },
    ]

    /// The resources as MCP lists them.
    static var list: [Resource] {
        all.map { Resource(name: $0.name, uri: $0.uri, title: $0.title, description: $0.description, mimeType: $0.mimeType) }
    }

    /// Reads one resource from the daemon; an unknown URI is `invalidParams` naming the known ones.
    static func read(_ uri: String, link: DaemonLink) async throws -> Resource.Content {
        guard let entry = all.first(where: { $0.uri == uri }) else {
            throw MCPError.invalidParams(
                "there is no resource '\(uri)'; the resources are \(all.map(\.uri).joined(separator: ", "))")
        }
        return .text(try await entry.read(link), uri: uri, mimeType: entry.mimeType)
    }
}
