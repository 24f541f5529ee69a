import Foundation
import TutorCatalogue
import TutorLearning

/// The values a message carries: durations, task numbers, weekly hours, a goal, a skill.
extension IntentReader {
    /// Minutes in phrases such as "90 minutes", "1.5 hours", "2h", "1h30", "45 min", "an hour",
    /// "half an hour"; nil when there are none.
    public static func minutes(in text: String) -> Int? {
        let text = text.lowercased()
        var total = 0.0
        var rest = text
        // "1h30": hours and minutes written together.
        if let range = rest.range(of: #"\b\d+\s*h\s*\d{1,2}\b"#, options: .regularExpression) {
            let parts = rest[range].split(whereSeparator: { !$0.isNumber }).compactMap { Double($0) }
            if parts.count == 2 { total += parts[0] * 60 + parts[1] }
            rest.replaceSubrange(range, with: " ")
        }
        let pattern = #"(\d+(?:\.\d+)?)\s*(hours|hour|hrs|hr|h|minutes|minute|mins|min|m)\b"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        for match in regex.matches(in: rest, range: NSRange(rest.startIndex..., in: rest)) {
            guard let number = Range(match.range(at: 1), in: rest).flatMap({ Double(rest[$0]) }),
                let unit = Range(match.range(at: 2), in: rest).map({ rest[$0] })
            else { continue }
            total += unit.hasPrefix("h") ? number * 60 : number
        }
        if total == 0 {
            if rest.contains("half an hour") {
                total = 30
            } else if rest.range(of: #"\ban hour\b"#, options: .regularExpression) != nil {
                total = 60
            }
        }
        return total > 0 ? Int(total.rounded()) : nil
    }

    /// The task numbers a message names ("tasks 1, 2 and 3", "#12"), leaving out durations.
    static func taskNumbers(in text: String) -> [Int] {
        let withoutDurations = text.replacingOccurrences(
            of: #"(\d+(?:\.\d+)?)\s*(hours|hour|hrs|hr|h|minutes|minute|mins|min|m)\b"#, with: " ", options: .regularExpression)
        var seen = Set<Int>()
        return withoutDurations.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.filter { seen.insert($0).inserted }
    }

    /// Whether a message says who the learner is ("programmer", "I'm a backend dev", "new to
    /// coding"): what a first message without a request usually does.
    public static func introduces(_ text: String) -> Bool {
        let message = Message(text)
        return message.has("i'm ", "i am ", "im a ", "my name", "my background", "i work as", "i work in", "i code", "i program")
            // A bare role ("programmer", "data scientist"), not a sentence that mentions one.
            || message.words <= 3
                && (message.hasWord(
                    "programmer", "developer", "dev", "engineer", "scientist", "analyst", "student", "beginner", "newbie", "coder")
                    || message.has("new to programming", "new to coding", "data science", "software"))
    }

    /// "finished 1 and 3", "done with 2, 4": a finishing word followed by task numbers and nothing
    /// else (no unit, no other words), so the numbers can only be tasks.
    static func onlyNumbersAfterVerb(_ text: String) -> Bool {
        text.range(
            of: #"^(i\s+)?(just\s+)?(finished|completed|done with|did)\s+(#?\d+)(\s*(,|and|&|\+)\s*#?\d+)*\s*[.!]?$"#,
            options: .regularExpression) != nil
    }

    /// The number just before one of `markers` ("5 hours a week" → 5).
    static func number(before markers: [String], in text: String) -> Double? {
        for marker in markers {
            guard let range = text.range(of: marker) else { continue }
            let before = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            let digits = before.reversed().prefix(while: { $0.isNumber || $0 == "." })
            if let value = Double(String(digits.reversed())) { return value }
        }
        return nil
    }

    /// Whether the message starts with a day ("sat 9-11", "weeknights after 8").
    static func startsWithDay(_ bare: String) -> Bool {
        guard let first = bare.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" }).first.map(String.init) else { return false }
        return AvailabilityPhrase.namesDays(first)
    }

    /// The goal in a message, without what surrounds it: "hello! I want to become an AI engineer
    /// but I only know a bit of python" → "become an AI engineer".
    static func goal(in original: String) -> String {
        var goal = original
        for prefix in [
            "add goal", "add a goal", "new goal", "my goal is to", "my goal is", "change my goal to", "goal:", "i want to", "i wanna",
            "i'd like to learn", "i would like to learn", "i'd like to", "i would like to", "get into", "getting into",
            "break into", "start learning", "i'd rather", "i would rather", "want to", "switch to", "focus on", "concentrate on",
        ] {
            if let range = goal.range(of: prefix, options: .caseInsensitive) { goal = String(goal[range.upperBound...]) }
        }
        for stop in [" but ", " because ", " though ", " although ", " since ", ",", ".", "!", ";", " so ", " and i ", " - "] {
            if let range = goal.range(of: stop, options: .caseInsensitive), range.lowerBound > goal.startIndex {
                goal = String(goal[..<range.lowerBound])
            }
        }
        goal = goal.trimmingCharacters(in: CharacterSet(charactersIn: " :.!?\n"))
        for word in [" instead", " now", " actually", " please"] where goal.lowercased().hasSuffix(word) {
            goal = String(goal.dropLast(word.count))
        }
        // "I'd like to get into AI": the whole road.
        if ["ai", "a.i.", "ai engineering", "ai stuff", "the ai field", "artificial intelligence"].contains(goal.lowercased()) {
            return "become an AI engineer"
        }
        return goal.isEmpty ? original.trimmingCharacters(in: .whitespacesAndNewlines) : goal
    }

    /// The two skills of "why do I need embeddings before RAG?" or "why learn python first for
    /// agents?", the one asked to come first first; nil unless both sides name a skill.
    func twoSkills(in text: String) -> (first: String, later: String)? {
        for (marker, firstOnLeft) in [(" before ", true), (" ahead of ", true), (" for ", true), (" after ", false)] {
            guard let range = text.range(of: marker, options: .caseInsensitive) else { continue }
            let left = String(text[..<range.lowerBound]), right = String(text[range.upperBound...])
            guard let one = skill(namedIn: left), let other = skill(namedIn: right), one != other else { continue }
            return firstOnLeft ? (one, other) : (other, one)
        }
        return nil
    }

    /// A skill the text names outright: by id or alias ("python"), or a search hit as strong as a
    /// title match.
    func skill(namedIn text: String) -> String? {
        for word in text.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" }) {
            if let id = catalogue.canonicalID(String(word)), catalogue.skill(id) != nil { return id }
        }
        let hit = catalogue.search(Self.topicWords(text), limit: 1).first { $0.kind == .skill }
        return hit.flatMap { $0.score >= 10 ? $0.id : nil }
    }

    /// A skill the text names, by id or by a confident search match.
    func skill(mentionedIn text: String) -> String? {
        for word in text.split(whereSeparator: { $0 == " " || $0 == "," }) {
            if let id = catalogue.canonicalID(String(word)), catalogue.skill(id) != nil { return id }
        }
        var topic = text
        for marker in [" on ", " about ", " studying ", " learning ", " reading ", " practising ", " practicing "] {
            if let range = text.range(of: marker, options: .caseInsensitive) { topic = String(text[range.upperBound...]) }
        }
        let hit = catalogue.search(topic, limit: 1).first { $0.kind == .skill }
        return hit.flatMap { $0.score >= Self.minimumTopicScore ? $0.id : nil }
    }
}
