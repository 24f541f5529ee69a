import TutorAgent
import TutorApp
import TutorWire

/// The tools behind the everyday corrections learners make: their weekly hours and free time,
/// the last study log, and why their tasks come in this order.
struct UpdateProfileTool: TutorTool {
    static let tool = ToolName.updateProfile
    let purpose =
        "Change the learner's weekly study hours or free-time windows when they say so; the weekly plan and forecast follow the new values."
    let effect = ToolEffect.write
    let overwrites = true
    let service: LearnerService
    struct Arguments: ToolArguments {
        var hoursPerWeek: Double?
        var availability: [String]?
        enum CodingKeys: String, CodingKey {
            case hoursPerWeek = "hours_per_week"
            case availability
        }
        static let schema = JSONSchema.object(
            properties: [
                "hours_per_week": .number(description: "Hours a week they can study.", minimum: 0.5, maximum: 80),
                "availability": .array(
                    items: .string(), description: "All their free-time windows, e.g. [\"mon-fri 20:00-22:00\", \"sat 9-11\"]."),
            ], required: [])
    }
    func run(_ arguments: Arguments) async throws -> ProfileChangeView {
        guard arguments.hoursPerWeek != nil || arguments.availability != nil else {
            throw AppError.badInput("say what to change: hours_per_week, availability or both")
        }
        let profile = try service.setProfile(ProfileSetParams(hoursPerWeek: arguments.hoursPerWeek, availability: arguments.availability))
        return ProfileChangeView(
            hoursPerWeek: profile.hoursPerWeek, availability: profile.availability, changedHours: arguments.hoursPerWeek != nil,
            changedAvailability: arguments.availability != nil)
    }
}

/// What ``UpdateProfileTool`` returns: the values now in force, and which of them the call changed.
public struct ProfileChangeView: Codable, Sendable {
    public var hoursPerWeek: Double
    public var availability: [String]
    public var changedHours: Bool
    public var changedAvailability: Bool
}

struct CorrectLogTool: TutorTool {
    static let tool = ToolName.correctLog
    let purpose =
        "Correct the learner's latest study-log entry (of the last day) when they say the minutes were wrong, or remove it when they say undo."
    let effect = ToolEffect.write
    let overwrites = true
    let service: LearnerService
    struct Arguments: ToolArguments {
        var minutes: Int?
        var remove: Bool?
        static let schema = JSONSchema.object(
            properties: [
                "minutes": .integer(description: "The right number of minutes.", minimum: 1, maximum: 1440),
                "remove": .boolean(description: "Remove the entry instead."),
            ], required: [])
    }
    func run(_ arguments: Arguments) async throws -> StudyLogCorrection {
        guard arguments.remove == true || arguments.minutes != nil else {
            throw AppError.badInput("give the right minutes, or remove: true to undo the entry")
        }
        return try service.correctLatestLog(minutes: arguments.remove == true ? nil : arguments.minutes)
    }
}

struct ExplainOrderTool: TutorTool {
    static let tool = ToolName.explainOrder
    let purpose =
        "Why the learner's next skills come in this order (or where a skill they name stands): prerequisites on the roadmap, whether done, and what builds on each."
    let service: LearnerService
    struct Arguments: ToolArguments {
        var limit: Int?
        var skill: String?
        var before: String?
        static let schema = JSONSchema.object(
            properties: [
                "limit": .integer(description: "How many of the next skills (default 3).", minimum: 1, maximum: 10),
                "skill": .string(description: "A skill the learner asked about, by id or name."),
                "before": .string(
                    description:
                        "With skill: the skill the learner asked why it comes first (\"why embeddings before RAG?\": before embeddings, skill RAG)."
                ),
            ], required: [])
    }
    func run(_ arguments: Arguments) async throws -> TaskOrderView {
        try service.taskOrder(limit: arguments.limit ?? 3, skill: arguments.skill, before: arguments.before)
    }
}
