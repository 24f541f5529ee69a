import Foundation
import TutorWire

/// The prompts the tutor sends to a model, rendered from the templates in ``PromptLibrary``.
///
/// The system prompt says who the tutor is and how it behaves, with the learner's current state read
/// fresh from the store every turn (plans and progress live in the store, not in the prompt).
public enum TutorPrompts {
    /// The system prompt from the bundled templates.
    public static func system(service: LearnerService) -> String {
        system(service: service, library: .bundled)
    }

    /// The system prompt from `library` (template `system`).
    public static func system(service: LearnerService, library: PromptLibrary) -> String {
        var context: [String: Any] = [:]
        if let profile = try? service.profile(), profile.isSet {
            context["profile"] =
                [
                    "name": profile.name ?? "unnamed",
                    "background": profile.background,
                    "track": profile.track ?? "none",
                    "hoursPerWeek": OfflineReplies.oneDecimal(profile.hoursPerWeek),
                    "availability": profile.availability,
                    "timeZone": profile.timeZone,
                ] as [String: Any]
        }
        let goals = (try? service.goals().goals) ?? []
        context["goals"] = goals.map { goal -> [String: Any] in
            ["title": goal.title, "done": goal.tasksDone, "total": goal.tasksTotal]
        }
        return library.render("system", context)
    }

    /// The instruction that asks a model to summarise older turns (template `summariser`), without the
    /// agent's `[summarize]` marker, which the agent puts in front.
    public static func summariser(library: PromptLibrary) -> String {
        library.render("summariser", ["maxWords": 200])
    }
}
