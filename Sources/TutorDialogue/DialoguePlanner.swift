import Foundation
import TutorAgent
import TutorApp
import TutorCatalogue
import TutorJSON
import TutorLearning
import TutorModel
import TutorPrompts
import TutorStore
import TutorToolAdapters

/// The daemon's ``TurnPlanner``: reads what the chat waits for, lets the ``DialogueRouter``
/// decide, and hands the agent the calls that serve the message — so the facts are gathered and
/// the learner's changes made whether or not the model calls a tool. An open question or grade
/// set aside is said once, as a notice.
public struct DialoguePlanner: TurnPlanner {
    let router: DialogueRouter
    let service: LearnerService
    let prompts: PromptLibrary
    let state: @Sendable (String) -> ChatState?
    let canSearchNotes: Bool
    /// Checks a model's reply in a grounded turn; nil when the model is the tutor's own.
    let check: (any ReplyCheck)?

    public init(
        catalogue: Catalogue, service: LearnerService, prompts: PromptLibrary, canSearchNotes: Bool, check: (any ReplyCheck)? = nil,
        state: @escaping @Sendable (String) -> ChatState?
    ) {
        self.check = check
        self.router = DialogueRouter(catalogue: catalogue)
        self.service = service
        self.prompts = prompts
        self.canSearchNotes = canSearchNotes
        self.state = state
    }

    public func plan(_ text: String, session: String) async -> TurnPlan {
        let chat = state(session)
        var decision = router.decide(text, awaiting: Awaiting(chat), canSearchNotes: canSearchNotes)
        // A topic guessed from bare words is the offline model's best effort; a model reads the words itself.
        if check != nil, decision.guessed { decision.calls = [] }
        if check != nil { decision.calls += Self.modelFollowUps(decision, chat: chat) }
        let setupStep = decision.calls.contains { Self.protocolSteps.contains($0.tool) }
        if check != nil, case .addGoal(let goal) = decision.intent, !setupStep, chat?.placementStep == nil,
            !Self.namesRoadmapEntry(goal, router), !Self.plainlyStated(goal, calls: decision.calls, router)
        {
            // A goal in the learner's own words is the model's to shape into a plan (propose_plan,
            // then their yes): the tutor only looks the words up for it.
            decision.calls = [PlannedCall(.catalogueSearch, ["query": .string(goal), "limit": 5])]
        }
        let calls = decision.calls.map { planned in
            ToolCall(
                id: "call_tutor_\(UUID().uuidString.prefix(8).lowercased())", name: planned.tool.rawValue,
                arguments: JSONValue.object(planned.arguments).encodedString())
        }
        // A request the tutor does not do, thanks and goodbyes: said by the tutor, not carried out
        // or improvised by the model (SmolLM2 answered "thanks, bye" with an invented question).
        let own: String? =
            switch (decision.reply, calls.isEmpty) {
            case (.offScript, true): prompts.render("reply-off-script")
            case (.thanks, true): prompts.render("offline-ack")
            default: nil
            }
        return TurnPlan(
            calls: calls, setAside: setAside(decision.setAside, chat: chat, session: session),
            withheldTools: Set(DialogueRouter.withheldTools(Awaiting(chat)).map(\.rawValue)),
            check: calls.isEmpty && own == nil ? nil : check, answersItself: setupStep, reply: own)
    }

    /// The notice for what the decision set aside, once.
    func setAside(_ aside: Decision.SetAside?, chat: ChatState?, session: String) -> String? {
        switch aside {
        case .question:
            guard (try? service.setQuestionAside(session: session)) == true, let card = chat?.exercise?.cardId,
                let question = try? service.reviewService.item(forCard: card)?.1.question
            else { return nil }
            return prompts.render("notice-question-aside", ["question": question])
        case .grade(let rating):
            return prompts.render("notice-grade-kept", ["grade": Self.ratingNames[max(1, min(4, rating)) - 1]])
        case .testOut:
            guard let open = try? service.testOutService.setAside(session: session) else { return nil }
            return prompts.render("notice-test-out-aside", ["skill": open.skill, "question": open.question])
        case nil:
            return nil
        }
    }

    /// During the setup, a reply that is not an answer gets the setup's question again, in the
    /// tutor's words, whatever the model (the offline model does this itself).
    static func modelFollowUps(_ decision: Decision, chat: ChatState?) -> [PlannedCall] {
        decision.reply == .setupAside && chat?.placementStep != nil ? [PlannedCall(.placementStart)] : []
    }

    /// Whether `goal` names a roadmap entry outright (an id, or becoming an AI engineer).
    static func namesRoadmapEntry(_ goal: String, _ router: DialogueRouter) -> Bool {
        (try? GoalDecomposer.resolve(goal, catalogue: router.reader.catalogue, background: .programmer))?.matchedBy == "id"
            || goal.lowercased().contains("ai engineer")
    }

    /// Whether a goal is stated plainly enough for the tutor to add it itself, whatever the model
    /// (SmolLM2 never calls a tool, so "RAG instead" changed nothing): a change of goal ("instead",
    /// the router's `replace`), or a few words that name a roadmap entry ("agents", "RAG").
    static func plainlyStated(_ goal: String, calls: [PlannedCall], _ router: DialogueRouter) -> Bool {
        if calls.contains(where: { $0.tool == .addGoal && $0.arguments["replace"] != nil }) { return true }
        guard goal.split(separator: " ").count <= 3 else { return false }
        return (try? GoalDecomposer.resolve(goal, catalogue: router.reader.catalogue, background: .programmer)) != nil
    }

    /// Steps of the setup: the tutor asks its own questions, word for word, whatever the model.
    static let protocolSteps: Set<ToolName> = [.placementStart, .placementAnswer, .placementCancel]

    /// The names of the four grades, 1 to 4.
    public static let ratingNames = ["again", "hard", "good", "easy"]
}
