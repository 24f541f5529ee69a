import Foundation
import TutorCatalogue
import TutorJSON
import TutorStore
import TutorToolAdapters

/// What the conversation waits for from the learner: the dialogue's state, read from the chat's
/// stored state (open question, setup in progress, profile) before every message.
public enum Awaiting: Sendable, Equatable {
    case nothing
    /// No profile yet: a greeting, a plan request or a goal starts the setup.
    case firstRun
    /// The first-run setup waits for the answer to its `step`.
    case setup(step: String)
    /// A question is open; `reminded` once the learner was told it waits while they do something else.
    case answer(reminded: Bool)
    /// The answer to `card` was checked; the tutor waits for the learner to confirm or change its grade.
    case grade(card: String, suggested: Int)
    /// A test-out on `skill` waits for the answer to its question; `reminded` as for a question.
    case testOut(skill: String, reminded: Bool)

    public init(_ state: ChatState?) {
        guard let state else {
            self = .nothing
            return
        }
        if let step = state.placementStep {
            self = .setup(step: step)
        } else if let testOut = state.testOut {
            // Started after any question still open: the question waits until the test-out ends.
            self = .testOut(skill: testOut.skillId, reminded: testOut.reminded)
        } else if let open = state.exercise {
            self =
                open.phase == "answered"
                ? .grade(card: open.cardId, suggested: open.suggestedRating ?? 1) : .answer(reminded: open.reminded)
        } else {
            self = state.hasProfile ? .nothing : .firstRun
        }
    }
}

/// One tool call the tutor decided on.
public struct PlannedCall: Sendable, Equatable {
    public var tool: ToolName
    public var arguments: [String: JSONValue]

    public init(_ tool: ToolName, _ arguments: [String: JSONValue] = [:]) {
        self.tool = tool
        self.arguments = arguments
    }
}

/// What the tutor does with one message.
public struct Decision: Sendable, Equatable {
    /// What the tutor says when no tool serves the message.
    public enum Reply: Sendable, Equatable {
        case help, thanks, unknown
        /// Something the tutor understood and does not do: it says what it does instead.
        case offScript
        /// A request in the middle of the setup: it can wait; the setup's question again.
        case setupAside
        /// The grade waits for the learner's word: again, hard, good, easy, or ok.
        case rateFirst
    }

    /// What was set aside for this request, said once.
    public enum SetAside: Sendable, Equatable {
        /// The open question stays open.
        case question
        /// The grade the tutor suggested was recorded.
        case grade(Int)
        /// The test-out stays open.
        case testOut
    }

    public var intent: Intent
    /// The request was guessed from bare words (a topic's name), not asked for in so many words.
    public var guessed = false
    public var calls: [PlannedCall]
    public var reply: Reply?
    public var setAside: SetAside?

    public init(_ intent: Intent, calls: [PlannedCall] = [], reply: Reply? = nil, setAside: SetAside? = nil) {
        self.intent = intent
        self.calls = calls
        self.reply = reply
        self.setAside = setAside
    }
}

/// Decides, before anything is graded, whether a message answers what the conversation waits
/// for or is a new request, and which tools serve it. A new request is served and what was open
/// is set aside; it is never graded.
public struct DialogueRouter: Sendable {
    public let reader: IntentReader

    public init(catalogue: Catalogue) { reader = IntentReader(catalogue: catalogue) }

    /// What to do with `text` while the conversation waits for `awaiting`.
    public func decide(_ text: String, awaiting: Awaiting, canSearchNotes: Bool = false) -> Decision {
        let reading = reader.read(text)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch awaiting {
        case .nothing:
            var decision = serve(reading.intent, text: trimmed, canSearchNotes: canSearchNotes)
            decision.guessed = !reading.explicit
            return decision
        case .firstRun where (!reading.explicit || reading.intent == .unknown) && IntentReader.introduces(trimmed):
            // No profile yet, and the learner says who they are ("programmer", "I'm a backend dev"):
            // the setup starts, with what they said.
            return Decision(reading.intent, calls: [PlannedCall(.placementStart, ["introduction": .string(trimmed)])])
        case .firstRun:
            var decision = firstRun(reading.intent, text: trimmed, canSearchNotes: canSearchNotes)
            decision.guessed = !reading.explicit
            return decision
        case .setup(let step):
            return setup(reading, step: step, text: trimmed)
        case .answer:
            return openQuestion(reading, text: trimmed, canSearchNotes: canSearchNotes)
        case .grade(let card, let suggested):
            return grade(reading, card: card, suggested: suggested, text: trimmed, canSearchNotes: canSearchNotes)
        case .testOut:
            return testOut(reading, text: trimmed, canSearchNotes: canSearchNotes)
        }
    }

    // MARK: By what is awaited

    func firstRun(_ intent: Intent, text: String, canSearchNotes: Bool) -> Decision {
        // "hello, I'm a data scientist": the setup keeps what the greeting says about the learner.
        let introduction: [String: JSONValue] = IntentReader.introduces(text) ? ["introduction": .string(text)] : [:]
        switch intent {
        // Without a profile nothing can be planned: greetings and requests about the learner's own
        // plan lead into the setup.
        case .greeting, .plan, .tasks, .progress, .testOut: return Decision(intent, calls: [PlannedCall(.placementStart, introduction)])
        case .addGoal(let goal):
            return Decision(intent, calls: [PlannedCall(.placementStart, introduction.merging(["goal": .string(goal)]) { $1 })])
        default: return serve(intent, text: text, canSearchNotes: canSearchNotes)
        }
    }

    func setup(_ reading: Reading, step: String, text: String) -> Decision {
        let intent = reading.intent
        let answer = Decision(intent, calls: [PlannedCall(.placementAnswer, ["text": .string(text)])])
        // A bare "?" answers the setup's question ("I don't know"), not a call for help.
        if text.trimmingCharacters(in: .whitespaces) == "?" { return answer }
        switch (intent, step) {
        case (.cancel, _):
            return Decision(intent, calls: [PlannedCall(.placementCancel)])
        case (.addGoal(let goal), "goal"):
            return Decision(intent, calls: [PlannedCall(.placementAnswer, ["text": .string(goal)])])
        case (.addGoal(let goal), _):
            // A change of mind about the goal: the setup keeps going with the new one.
            return Decision(intent, calls: [PlannedCall(.placementStart, ["goal": .string(goal)])])
        case (.setHours, "hours"), (.setAvailability, "availability"), (.hint, "probe"), (.skip, "probe"):
            return answer
        case (.setHours(let hours), _):
            // "Actually I can do 12 hours a week" after the hours question: kept, and the setup goes on.
            return Decision(intent, calls: [PlannedCall(.placementStart, ["hours_per_week": .double(hours)])])
        case (.tasks, "probe") where !text.contains("?"), (.explain, "probe") where !text.contains("?"):
            // "next word probabilities" answers a foundation question; "what's next?" asks one.
            return answer
        case (.thanks, _):
            // Never an answer: the setup's question is asked again.
            return Decision(intent, reply: .setupAside)
        case (.unknown, _) where reading.explicit:
            // A question about the conversation ("wait, what hours did I say?"), not an answer.
            return Decision(intent, reply: .setupAside)
        default:
            return reading.explicit && Self.interrupts(intent) ? Decision(intent, reply: .setupAside) : answer
        }
    }

    func openQuestion(_ reading: Reading, text: String, canSearchNotes: Bool) -> Decision {
        let intent = reading.intent
        switch intent {
        case .hint: return Decision(intent, calls: [PlannedCall(.giveHint)])
        case .reveal: return Decision(intent, calls: [PlannedCall(.checkAnswer, ["reveal": true])])
        case .skip, .cancel: return Decision(intent, calls: [PlannedCall(.skipQuestion)] + followUp(reading, canSearchNotes))
        case .quiz, .resumeQuestion, .thanks: return Decision(intent, calls: [PlannedCall(.askQuestion)])
        case .farewell: return Decision(intent, reply: .thanks, setAside: .question)
        case .agree, .rating, .unknown,
            .explain where !reading.explicit:
            return Decision(intent, calls: [PlannedCall(.checkAnswer, ["answer": .string(text)])])
        default:
            guard reading.explicit else { return Decision(intent, calls: [PlannedCall(.checkAnswer, ["answer": .string(text)])]) }
            var served = serve(intent, text: text, canSearchNotes: canSearchNotes)
            served.setAside = .question
            return served
        }
    }

    /// While a test-out waits for an answer: anything that is not a request is the answer ("no
    /// idea" too: it counts as wrong); "stop", "never mind" or "skip" ends it; a new request is
    /// served and the test-out set aside, as an open question is.
    func testOut(_ reading: Reading, text: String, canSearchNotes: Bool) -> Decision {
        let intent = reading.intent
        let answer = Decision(intent, calls: [PlannedCall(.testOut, ["answer": .string(text)])])
        switch intent {
        case .skip, .cancel: return Decision(intent, calls: [PlannedCall(.testOut, ["stop": true])] + followUp(reading, canSearchNotes))
        case .quiz, .resumeQuestion, .thanks: return Decision(intent, calls: [PlannedCall(.testOut)])
        case .farewell: return Decision(intent, reply: .thanks, setAside: .testOut)
        case .agree, .rating, .unknown, .hint, .reveal,
            .explain where !reading.explicit:
            return answer
        case .testOut:
            // Another skill: that test-out replaces this one.
            return serve(intent, text: text, canSearchNotes: canSearchNotes)
        default:
            guard reading.explicit else { return answer }
            var served = serve(intent, text: text, canSearchNotes: canSearchNotes)
            served.setAside = .testOut
            return served
        }
    }

    func grade(_ reading: Reading, card: String, suggested: Int, text: String, canSearchNotes: Bool) -> Decision {
        let intent = reading.intent
        func record(_ rating: Int) -> PlannedCall {
            PlannedCall(.recordReview, ["card_id": .string(card), "rating": .int(Int64(rating))])
        }
        switch intent {
        case .rating(let rating): return Decision(intent, calls: [record(rating)])
        case .agree: return Decision(intent, calls: [record(suggested)])
        case .skip, .cancel: return Decision(intent, calls: [PlannedCall(.skipQuestion)] + followUp(reading, canSearchNotes))
        case .hint, .reveal, .help, .unknown, .thanks, .offScript: return Decision(intent, reply: .rateFirst)
        default:
            guard reading.explicit else { return Decision(intent, reply: .rateFirst) }
            // Moving on keeps the grade the tutor suggested, and says so.
            var served = serve(intent, text: text, canSearchNotes: canSearchNotes)
            served.calls.insert(record(suggested), at: 0)
            served.setAside = .grade(suggested)
            return served
        }
    }

    /// The calls for what follows a skip in the same message ("skip that, how do I log time?").
    func followUp(_ reading: Reading, _ canSearchNotes: Bool) -> [PlannedCall] {
        guard let next = reading.then else { return [] }
        return serve(next, text: "", canSearchNotes: canSearchNotes).calls
    }

    /// Whether a request is one the setup sets aside rather than takes as its answer.
    static func interrupts(_ intent: Intent) -> Bool {
        switch intent {
        // "I already know python" in the setup says what the learner knows: the step's answer.
        case .unknown, .agree, .thanks, .rating, .hint, .skip, .reveal, .cancel, .setHours, .setAvailability, .testOut: false
        default: true
        }
    }

    /// Tools that cannot apply while the chat waits for `awaiting`: those answering a question
    /// when none is open, and the setup's once the learner is set up (or before it starts).
    public static func withheldTools(_ awaiting: Awaiting) -> [ToolName] {
        let question: [ToolName] = [.giveHint, .checkAnswer, .skipQuestion, .recordReview]
        let setup: [ToolName] = [.placementAnswer, .placementCancel]
        switch awaiting {
        case .nothing: return question + setup + [.placementStart]
        case .firstRun: return question + setup
        case .setup: return question
        case .answer, .grade, .testOut: return setup + [.placementStart]
        }
    }

    // MARK: Serving a request

    /// The tools that serve `intent` when nothing else is waiting.
    public func serve(_ intent: Intent, text: String, canSearchNotes: Bool = false) -> Decision {
        switch intent {
        case .greeting, .help: return Decision(intent, reply: .help)
        case .farewell: return Decision(intent, reply: .thanks)
        case .thanks, .agree, .rating, .cancel: return Decision(intent, reply: .thanks)
        case .unknown, .reveal, .skip: return Decision(intent, reply: .unknown)
        case .offScript: return Decision(intent, reply: .offScript)
        case .plan: return Decision(intent, calls: [PlannedCall(.weeklyPlan)])
        case .tasks: return Decision(intent, calls: [PlannedCall(.listTasks, ["limit": 5])])
        case .progress: return Decision(intent, calls: [PlannedCall(.progressSummary)])
        case .forecast(let hours):
            return Decision(intent, calls: [PlannedCall(.forecast, hours.map { ["hours_per_week": .double($0)] } ?? [:])])
        case .whyOrder(let skill, let before):
            var arguments: [String: JSONValue] = skill.map { ["skill": .string($0)] } ?? [:]
            if let before, skill != nil { arguments["before"] = .string(before) }
            return Decision(intent, calls: [PlannedCall(.explainOrder, arguments)])
        case .quiz, .resumeQuestion: return Decision(intent, calls: [PlannedCall(.askQuestion)])
        case .logStudy(let minutes, let skill):
            var arguments: [String: JSONValue] = ["minutes": .int(Int64(minutes))]
            if let skill { arguments["skill"] = .string(skill) }
            return Decision(intent, calls: [PlannedCall(.logStudy, arguments)])
        case .correctLog(let minutes): return Decision(intent, calls: [PlannedCall(.correctLog, ["minutes": .int(Int64(minutes))])])
        case .undoLog: return Decision(intent, calls: [PlannedCall(.correctLog, ["remove": true])])
        case .completeTasks(let ids, let minutes):
            return Decision(
                intent,
                calls: ids.map { id in
                    var arguments: [String: JSONValue] = ["id": .int(Int64(id))]
                    if ids.count == 1, let minutes { arguments["minutes"] = .int(Int64(minutes)) }
                    return PlannedCall(.completeTask, arguments)
                })
        case .reopenTasks(let ids):
            return Decision(intent, calls: [PlannedCall(.reopenTasks, ["ids": .array(ids.map { .int(Int64($0)) })])])
        case .meantTasks(let ids):
            return Decision(intent, calls: [PlannedCall(.reopenTasks, ["meant": .array(ids.map { .int(Int64($0)) })])])
        case .testOut(let skill): return Decision(intent, calls: [PlannedCall(.testOut, ["skill": .string(skill)])])
        case .changeGoal(let action, let goal):
            var arguments: [String: JSONValue] = ["action": .string(action.rawValue)]
            if let goal { arguments["goal"] = .string(goal) }
            return Decision(intent, calls: [PlannedCall(.changeGoal, arguments)])
        case .setHours(let hours):
            // The calls of one step run side by side: the forecast is told the new hours rather
            // than reading a profile that may not have them yet.
            return Decision(
                intent,
                calls: [
                    PlannedCall(.updateProfile, ["hours_per_week": .double(hours)]),
                    PlannedCall(.forecast, ["hours_per_week": .double(hours)]),
                ])
        case .setAvailability(let windows):
            return Decision(intent, calls: [PlannedCall(.updateProfile, ["availability": .array(windows.map { .string($0) })])])
        case .addGoal(let goal):
            // "RAG instead", "switch to agents": the new goal takes the current one's place.
            let replaces = ["instead", "rather than", "switch to", "switch my goal", "change my goal", "changed my mind"].contains {
                text.lowercased().contains($0)
            }
            return Decision(
                intent, calls: [PlannedCall(.addGoal, ["text": .string(goal)].merging(replaces ? ["replace": true] : [:]) { $1 })])
        case .explain(let topic): return Decision(intent, calls: explain(topic, canSearchNotes: canSearchNotes))
        case .hint:
            // A hint with nothing open: help on the topic named, if any ("a hint for the chunking exercise").
            let topic = IntentReader.topicWords(text)
            guard topic != text, !text.isEmpty, text.lowercased().contains("hint") || text.lowercased().contains("clue") else {
                return Decision(intent, reply: .unknown)
            }
            return Decision(intent, calls: explain(topic, canSearchNotes: canSearchNotes))
        }
    }

    /// Looks `topic` up in the roadmap and, when note search is available, in the learner's notes, in one step.
    /// The entry is read at once when the search finds it (a skill first), so the explanation's
    /// facts are at hand in the same step.
    func explain(_ topic: String, canSearchNotes: Bool) -> [PlannedCall] {
        let topic = IntentReader.topicWords(topic)
        let hits = reader.catalogue.search(topic, limit: 5)
        let found = (hits.first { $0.kind == .skill } ?? hits.first).flatMap { $0.score >= IntentReader.minimumTopicScore ? $0 : nil }
        var calls = [
            found.map { PlannedCall(.catalogueShow, ["id": .string($0.id)]) }
                ?? PlannedCall(.catalogueSearch, ["query": .string(topic), "limit": 5])
        ]
        if canSearchNotes { calls.append(PlannedCall(.searchNotes, ["query": .string(topic), "k": 2, "source": "notes"])) }
        return calls
    }
}
