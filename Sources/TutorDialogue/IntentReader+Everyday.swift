import Foundation
import TutorCatalogue

/// Three everyday requests, read before the short controls so "skip git" is a test-out and not a
/// skipped question: undoing finished tasks, testing out of a skill the learner knows, and
/// pausing, resuming or dropping a goal.
extension IntentReader {
    func everyday(_ m: Message) -> Reading? {
        taskChanges(m) ?? testOut(m) ?? goalChange(m)
    }

    /// "Undo task 2", "I didn't actually finish task 2", "reopen task 4"; "oops, I meant tasks 1 and 3".
    func taskChanges(_ m: Message) -> Reading? {
        guard m.hasWord("task", "tasks") || m.text.contains("#") else { return nil }
        let ids = Self.taskNumbers(in: m.text)
        guard !ids.isEmpty else { return nil }
        if m.has(Self.reopenPhrases) { return Reading(.reopenTasks(ids: ids)) }
        if m.has("i meant", "meant to say", "oops", "i only finished", "i only did", "only finished", "correction") {
            return Reading(.meantTasks(ids: ids))
        }
        return nil
    }

    /// "I already know python", "I know git already, can I skip it?", "skip the linear algebra
    /// part", "test me out of SQL": the words naming the skill, without filler.
    func testOut(_ m: Message) -> Reading? {
        let explicit = ["test me out of ", "test out of ", "already know ", "already familiar with ", "i'm familiar with "]
        if let marker = explicit.first(where: { m.text.contains($0) })
            ?? (m.has("already") ? ["i know "].first { m.text.contains($0) } : nil),
            let words = Self.phrase(after: marker, in: m.text)
        {
            return Reading(.testOut(skill: words))
        }
        // "Skip X" is a test-out only when X names a skill ("skip that" skips a question).
        for marker in ["skip ", "skipping "] where m.text.hasPrefix(marker) || m.text.contains(" " + marker) {
            if let words = Self.phrase(after: marker, in: m.text), skill(namedIn: words) != nil { return Reading(.testOut(skill: words)) }
        }
        return nil
    }

    /// "Pause my goal", "pause the RAG goal", "I want to drop the AI engineer goal", "resume my goal".
    func goalChange(_ m: Message) -> Reading? {
        guard m.hasWord("goal", "goals"), !m.has("goal is", "goal:", "new goal", "add goal", "add a goal", "goal to", "goal would") else {
            return nil
        }
        for (action, phrases) in Self.goalActionPhrases {
            guard let marker = phrases.first(where: { m.text.contains($0) }) else { continue }
            let words = Self.phrase(after: marker, in: m.text).map {
                $0.split(separator: " ").filter { !Self.goalFiller.contains(String($0)) }
            }
            return Reading(.changeGoal(action, goal: words.flatMap { $0.isEmpty ? nil : $0.joined(separator: " ") }))
        }
        return nil
    }

    static let reopenPhrases = [
        "undo", "reopen", "re-open", "didn't actually finish", "didn't finish", "did not finish", "haven't finished",
        "have not finished", "not finished", "not done", "isn't done", "wasn't done", "unfinish", "mark it open", "back on my list",
    ]

    static let goalActionPhrases: [(GoalAction, [String])] = [
        (.resume, ["resume", "unpause", "un-pause", "restart", "pick up", "back to", "continue"]),
        (.pause, ["pause", "on hold", "hold off", "freeze", "take a break from"]),
        (.drop, ["drop", "give up", "abandon", "stop pursuing", "remove", "delete", "cancel", "quit"]),
    ]

    static let goalFiller: Set<String> = [
        "my", "the", "a", "an", "goal", "goals", "this", "that", "current", "whole", "on", "up", "it", "with",
    ]

    /// Words that stand for no skill: "I already know that".
    static let pronouns: Set<String> = ["that", "it", "this", "them", "those", "these", "how", "what", "everything", "question"]

    /// The words after `marker`, up to the end of their clause, without filler; nil when nothing is left.
    static func phrase(after marker: String, in text: String) -> String? {
        guard let range = text.range(of: marker) else { return nil }
        var rest = String(text[range.upperBound...])
        for stop in [",", ".", "?", "!", ";", " so ", " can ", " because ", " and ", " but ", " for ", " until ", " while ", " now"] {
            if let cut = rest.range(of: stop) { rest = String(rest[..<cut.lowerBound]) }
        }
        let filler: Set<String> = [
            "the", "a", "an", "my", "part", "bit", "stuff", "section", "already", "all", "of", "basics", "pretty", "well",
        ]
        let words = rest.split { $0 == " " || $0 == "\n" }.map(String.init).filter { !filler.contains($0) }
        guard !words.isEmpty, !words.allSatisfy({ pronouns.contains($0) }) else { return nil }
        return words.joined(separator: " ")
    }
}
