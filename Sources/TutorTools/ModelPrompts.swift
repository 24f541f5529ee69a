import Foundation
import Synchronization
import TutorAgent
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
    /// The tutor's instructions (template `system`): who it is and how it works, the same every
    /// turn, so they can open every request unchanged.
    public static func instructions(library: PromptLibrary = .bundled) -> String {
        library.render("system", [:])
    }

    /// The learner's state (template `tutoring-state`): profile, goals, a setup in progress, the
    /// open question and the misconceptions to revisit, read from the store.
    public static func tutoringState(service: LearnerService, session: String, library: PromptLibrary = .bundled) -> String {
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

    /// Both parts of a turn's system prompt for `session`.
    public static func system(service: LearnerService, session: String, library: PromptLibrary = .bundled) -> SystemPrompt {
        SystemPrompt(
            instructions: instructions(library: library), state: tutoringState(service: service, session: session, library: library))
    }

    /// The instruction that asks a model to summarise older turns (template `summariser`); the agent
    /// sends it with the request purpose `.summary`.
    public static func summariser(library: PromptLibrary) -> String {
        library.render("summariser", ["maxWords": OutputBound.summaryWords])
    }
}

/// The rendered system prompt: the instructions rendered once, each session's state kept until the
/// learner's data changes (rendering it reads the profile, goals and tutoring state, which is most
/// of a chat turn's own time when nothing changed since the last turn). Every turn still sees the
/// current data, as if read fresh.
public final class SystemPromptCache: Sendable {
    private let service: LearnerService
    private let library: PromptLibrary
    private let instructions: String
    /// Each session's state, rendered at a data version (dropped wholesale past 256 sessions).
    private let states = Mutex<[String: (version: UInt64, text: String)]>([:])

    public init(service: LearnerService, library: PromptLibrary) {
        self.service = service
        self.library = library
        self.instructions = ModelPrompts.instructions(library: library)
    }

    /// The instructions, and `session`'s state as the learner's data is now.
    public func prompt(session: String) -> SystemPrompt {
        // The version is read before the data, so a write that lands meanwhile forces a new render next time.
        let version = service.dataVersion
        if let kept = states.withLock({ $0[session] }), kept.version == version {
            return SystemPrompt(instructions: instructions, state: kept.text)
        }
        let text = ModelPrompts.tutoringState(service: service, session: session, library: library)
        states.withLock { table in
            if table.count >= 256 { table.removeAll() }
            table[session] = (version, text)
        }
        return SystemPrompt(instructions: instructions, state: text)
    }
}
