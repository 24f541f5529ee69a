import Foundation
import Synchronization
import TutorApp
import TutorCatalogue
import TutorModel
import TutorPrompts
import TutorStore
import TutorWire

/// The prompts the tutor sends to a model, rendered from the templates in ``PromptLibrary``.
///
/// The system prompt says who the tutor is and how it behaves, with the learner's current state read
/// fresh from the store every turn (plans and progress live in the store, not in the prompt).
public enum ModelPrompts {
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
                    "hoursPerWeek": PromptFormat.oneDecimal(profile.hoursPerWeek),
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

    /// The chat's tutoring state (template `tutoring-state`): its open question and the
    /// misconceptions to revisit; empty when there are none.
    public static func tutoringState(service: LearnerService, session: String, library: PromptLibrary) -> String {
        var context: [String: Any] = [:]
        let state = try? service.reviewService.tutoringState(session: session, misconceptions: 3)
        if let exercise = state?.exercise, let (_, item, _) = try? service.reviewService.item(forCard: exercise.cardId) {
            context["exercise"] = PromptFormat.context([
                "cardId": exercise.cardId, "skillId": exercise.skillId, "question": item.question, "kind": exercise.kind,
                "hintsGiven": exercise.hintsGiven, "answered": exercise.phase == "answered" ? true : nil, "verdict": exercise.verdict,
                "grade": exercise.suggestedRating.flatMap { ReviewService.gradeNames[$0] },
            ])
        }
        if let draft = state?.draft { context["setup"] = draft.step }
        if let testOut = try? service.testOutService.current(session: session), testOut.outcome == "asking" {
            context["testOut"] = PromptFormat.context([
                "skill": testOut.skillTitle, "question": testOut.question, "number": testOut.number, "of": testOut.of,
            ])
        }
        context["misconceptions"] = (state?.misconceptions ?? []).map { m -> [String: Any] in
            ["skillId": m.skillId, "said": m.learnerAnswer, "expected": m.expected]
        }
        return library.render("tutoring-state", context)
    }

    /// The instruction that asks a model to summarise older turns (template `summariser`); the agent
    /// sends it with the request purpose `.summary`.
    public static func summariser(library: PromptLibrary) -> String {
        library.render("summariser", ["maxWords": OutputBound.summaryWords])
    }
}

/// The rendered system prompt, kept until the learner's data changes: rendering it reads the
/// profile and goals and fills the template, which is most of a chat turn's own time when nothing
/// changed since the last turn. Every turn still sees the current data, as if read fresh.
public final class SystemPromptCache: Sendable {
    private let service: LearnerService
    private let library: PromptLibrary
    private let cached = Mutex<(version: UInt64, prompt: String)?>(nil)
    /// Each session's tutoring state, rendered at a data version (dropped wholesale past 256 sessions).
    private let states = Mutex<[String: (version: UInt64, text: String)]>([:])

    /// The system prompt with `session`'s tutoring state after it.
    public func prompt(session: String) -> String {
        let version = service.dataVersion
        let base = prompt()
        let state =
            states.withLock { $0[session] }.flatMap { $0.version == version ? $0.text : nil }
            ?? {
                let text = ModelPrompts.tutoringState(service: service, session: session, library: library)
                states.withLock { table in
                    if table.count >= 256 { table.removeAll() }
                    table[session] = (version, text)
                }
                return text
            }()
        return state.isEmpty ? base : base + "\n\n" + state
    }

    public init(service: LearnerService, library: PromptLibrary) {
        self.service = service
        self.library = library
    }

    /// The system prompt for the learner's data as it is now.
    public func prompt() -> String {
        // The version is read before the data, so a write that lands meanwhile forces a new render next time.
        let version = service.dataVersion
        if let cached = cached.withLock({ $0 }), cached.version == version { return cached.prompt }
        let prompt = ModelPrompts.system(service: service, library: library)
        cached.withLock { $0 = (version, prompt) }
        return prompt
    }
}
