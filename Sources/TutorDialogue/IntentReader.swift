import Foundation
import TutorCatalogue
import TutorLearning

/// Reads what a learner's message asks for, in their own words: the one place the tutor's
/// phrase rules live. It knows nothing of the conversation; ``DialogueRouter`` decides what a
/// reading means given what the tutor is waiting for.
public struct IntentReader: Sendable {
    let catalogue: Catalogue

    public init(catalogue: Catalogue) { self.catalogue = catalogue }

    /// What `original` asks for.
    public func read(_ original: String) -> Reading {
        let message = Message(original)
        for rule in [everyday, controls, schedule, corrections, records, definitions, questions, requests, offScript] {
            if let reading = rule(message) { return reading }
        }
        return topic(message)
    }

    // MARK: Rules, in the order they are tried

    /// Greetings, help, and the short replies that steer an open question or grade.
    func controls(_ m: Message) -> Reading? {
        if !m.is(Self.cancelPhrases),
            ["skip", "pass", "let's skip", "lets skip", "move on", "never mind", "nevermind"].contains(where: { m.bare.hasPrefix($0) })
        {
            let rest = m.original.split(separator: ",", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            let then = rest.trimmingCharacters(in: .whitespaces).isEmpty ? nil : read(rest).intent
            return m.words <= 4 || then != nil ? Reading(.skip, then: then) : nil
        }
        if m.bare.isEmpty || m.is(Self.helpPhrases) || m.has(Self.usageQuestions) {
            return Reading(.help)
        }
        let firstWord = m.bare.split(separator: " ").first.map { $0.trimmingCharacters(in: .punctuationCharacters) }
        if m.is(Self.greetings) || firstWord.map({ Self.greetings.contains($0) }) == true && m.words <= 2 {
            return Reading(.greeting)
        }
        if m.is(Self.farewells)
            || Self.farewells.contains(where: { m.bare.hasPrefix($0 + " ") || m.bare.hasSuffix(" " + $0) }) && m.words <= 4
        {
            return Reading(.farewell)
        }
        if m.is(Self.cancelPhrases) { return Reading(.cancel) }
        if m.has(Self.revealPhrases) { return Reading(.reveal) }
        if m.has("hint", "clue") || m.is(Self.stuckPhrases) { return Reading(.hint) }
        if m.has("what was the question", "back to the question", "repeat the question", "the question again", "ask it again") {
            return Reading(.resumeQuestion)
        }
        if m.words <= 3, let rating = Self.rating(m.bare) { return Reading(.rating(rating)) }
        if m.is(Self.agreePhrases) { return Reading(.agree) }
        if m.is(Self.thanksPhrases) || m.bare.hasPrefix("thanks") || m.bare.hasPrefix("thank you") { return Reading(.thanks) }
        // A question about the conversation itself is no answer to anything, whatever its words.
        if m.has("did i say", "what did i say", "what i said", "did i tell you", "what did i tell you", "remind me what i") {
            return Reading(.unknown)
        }
        return nil
    }

    /// Undoing or correcting the last study log.
    func corrections(_ m: Message) -> Reading? {
        // "actually it was 30" just after a log: minutes, as the log was (with SmolLM2 it went to
        // the model, which answered "30 days later: 45 min.").
        if let match = m.bare.firstMatch(
            of: /^(?:(?:actually|sorry|oops|no|wait)[, ]+)*(?:it was|make it|make that|i meant|should be|that was)\s+(\d{1,3})$/),
            let minutes = Int(match.output.1), minutes > 0
        {
            return Reading(.correctLog(minutes: minutes))
        }
        if m.is(["undo", "undo that", "undo it", "remove that", "delete that", "that was wrong", "scratch that"])
            || m.has("undo the log", "undo my log", "undo that log", "remove the last log", "delete the last log", "remove that log")
        {
            return Reading(.undoLog)
        }
        if let minutes = Self.minutes(in: m.text),
            m.has(
                "i meant", "meant to say", "should be", "should have been", "make that", "make it", "correction", "actually it was",
                "not ", "sorry,", "oops")
        {
            return Reading(.correctLog(minutes: minutes))
        }
        return nil
    }

    /// Weekly hours and free time.
    func schedule(_ m: Message) -> Reading? {
        let perWeek = [
            "h a week", "hours a week", "hours per week", "h/week", "hours/week", "hrs a week", "hours each week", "hours weekly",
        ]
        let hours = Self.number(before: perWeek, in: m.text)
        if let hours, !m.asksAboutTime, !m.supposes {
            return Reading(.setHours(hours))
        }
        if m.asksAboutTime || hours != nil { return Reading(.forecast(hoursPerWeek: hours)) }
        // "What if I did 10 hours?": hours a week supposed, not study done (SmolLM2's newcomer
        // had 10 h logged by it).
        if m.supposes, let minutes = Self.minutes(in: m.text), minutes >= 60 {
            return Reading(.forecast(hoursPerWeek: Double(minutes) / 60))
        }
        let availabilityWords = [
            "free ", "available", "availability", "free time", "i can study", "i can only study", "i can now study", "my schedule is",
            "i study on",
        ]
        if m.has(availabilityWords) || Self.startsWithDay(m.bare), let windows = try? AvailabilityPhrase.windows(in: m.text) {
            return Reading(.setAvailability(windows))
        }
        return nil
    }

    /// Study time and finished tasks.
    func records(_ m: Message) -> Reading? {
        guard !m.supposes else { return nil }
        if let minutes = Self.minutes(in: m.text),
            m.has("log", "logged", "studied", "spent", "did", "worked", "practised", "practiced", "read", "revised", "watched")
        {
            return Reading(.logStudy(minutes: minutes, skill: skill(mentionedIn: m.original)))
        }
        if m.has("done", "finished", "completed", "complete", "did"),
            m.hasWord("task", "tasks") || m.text.contains("#") || Self.onlyNumbersAfterVerb(m.text)
        {
            let ids = Self.taskNumbers(in: m.text)
            if !ids.isEmpty { return Reading(.completeTasks(ids: ids, minutes: Self.minutes(in: m.text))) }
        }
        return nil
    }

    /// "What is a learning-rate schedule?": a question about a topic, even when its words are also
    /// those of a request ("schedule"), unless it is about the learner ("what is my plan?").
    func definitions(_ m: Message) -> Reading? {
        guard !m.hasWord("my", "i", "me", "week", "next"),
            let prefix = ["what is", "what's", "what are", "explain", "tell me about", "teach me", "define", "how does"].first(where: {
                m.text.hasPrefix($0)
            })
        else { return nil }
        let topic = String(m.text.dropFirst(prefix.count)).trimmingCharacters(in: CharacterSet(charactersIn: " ?.!:\n"))
        return topic.isEmpty ? nil : Reading(.explain(topic: topic))
    }

    /// Questions about order, progress, the plan and the tasks; quizzes.
    func questions(_ m: Message) -> Reading? {
        if m.hasWord("why"),
            m.has(
                "order", "before", " after ", "first", "prerequisite", "need to learn", "have to learn", "why do i need", "on there",
                "on my",
                "in my", "my plan", "my list", "my tasks", "on the list", "in the plan")
        {
            if let (first, later) = twoSkills(in: m.original) { return Reading(.whyOrder(skill: later, before: first)) }
            return Reading(.whyOrder(skill: skill(namedIn: m.original)))
        }
        if m.has("quiz", "test me", "flashcard", "ask me a question", "another question", "next question") || m.hasWord("review", "reviews")
        {
            return Reading(.quiz)
        }
        if m.has(
            "progress", "how am i doing", "how far", "what did i do", "what have i done", "how much did i study", "how much have i studied",
            "my goals", "my goal?", "what is my goal", "what's my goal", "which goals", "list goals", "show goals")
        {
            return Reading(.progress)
        }
        if m.hasWord("plan", "schedule", "week") || m.has("what should i study", "what do i study") { return Reading(.plan) }
        // "next" alone or nearly ("next?", "what next") or in a request for the next step; not in an
        // answer ("next word probabilities").
        let asksNext =
            (m.hasWord("next") && m.words <= 2)
            || m.has("what's next", "whats next", "what is next", "what comes next", "do next", "study next", "learn next", "next step")
        if m.hasWord("task", "tasks", "todo") || asksNext
            || m.has(
                "to do", "what now", "now what", "what do i do now", "where do i start", "where should i start", "do first", "start with",
                "begin with", "study first", "learn first", "first step")
        {
            return Reading(.tasks)
        }
        return nil
    }

    /// New goals and roadmap topics asked about by name.
    func requests(_ m: Message) -> Reading? {
        if m.hasWord("goal")
            || m.has(
                "i want to", "become an", "i'd like to", "i would like to", "i wanna", "get into", "getting into", "break into",
                "start learning", "switch to", "career in", "i'd rather", "i would rather", "id rather", "want to build",
                "want to learn", "want to become", "want to work", "want to make", "want to move into", "want to switch")
        {
            return Reading(.addGoal(Self.goal(in: m.original)))
        }
        for prefix in ["what is", "what's", "what are", "explain", "tell me about", "how does", "how do", "teach me", "define"] {
            // As words: "def defines a function" answers a question, it asks for no definition.
            if let range = m.text.range(of: "\\b" + NSRegularExpression.escapedPattern(for: prefix) + "\\b", options: .regularExpression) {
                let topic = String(m.text[range.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: " ?.!:\n"))
                if !topic.isEmpty { return Reading(.explain(topic: topic)) }
            }
        }
        return nil
    }

    /// A request or question put to the tutor that no rule above serves: a roadmap topic if its
    /// words name one ("do you know transformers?"), else something the tutor does not do.
    func offScript(_ m: Message) -> Reading? {
        guard Self.offScriptOpeners.contains(where: { m.bare == $0 || m.bare.hasPrefix($0 + " ") }) else { return nil }
        // Named as strongly as a title names its entry: "write my cover letter" shares a word with
        // function calling's names, which does not make it a question about function calling.
        let hit = catalogue.search(Self.topicWords(m.original), limit: 1).first
        return (hit?.score ?? 0) >= 10 ? Reading(.explain(topic: m.original)) : Reading(.offScript)
    }

    /// Bare words are a topic only when they name one: "no idea" or "sounds good" finds some
    /// roadmap entry that happens to use the word, which is no reason to teach it.
    func topic(_ m: Message) -> Reading {
        guard !Self.smallTalk.contains(m.bare), let hit = catalogue.search(Self.topicWords(m.original), limit: 1).first,
            hit.score >= Self.minimumTopicScore
        else { return Reading(.unknown, explicit: false) }
        return Reading(.explain(topic: m.original), explicit: false)
    }

    // MARK: Phrases

    static let greetings: Set<String> = [
        "hi", "hello", "hey", "hiya", "yo", "good morning", "good evening", "howdy", "start", "get started",
    ]
    static let farewells: Set<String> = [
        "bye", "goodbye", "good bye", "bye bye", "see you", "see ya", "cya", "good night", "goodnight", "gotta go", "that's all",
        "thats all", "done for today", "i'm done for today", "im done for today",
    ]
    static let helpPhrases: Set<String> = ["help", "help me", "commands", "menu", "?"]
    /// Questions about using the tutor itself, answered by its help.
    static let usageQuestions = [
        "what can you do", "how does this work", "how do i use", "how do i log", "how to log", "how can i log", "how do i record",
        "how do i add a goal", "how do i set a goal", "how do i change my", "what can i say", "what commands",
    ]
    static let cancelPhrases: Set<String> = [
        "cancel", "stop", "later", "not now", "skip setup", "skip the setup", "cancel setup", "cancel the setup", "stop the setup",
    ]
    static let revealPhrases = [
        "show me the answer", "show the answer", "tell me the answer", "give me the answer", "just tell me", "what's the answer",
        "what is the answer", "i give up", "reveal", "the answer please",
    ]
    static let stuckPhrases: Set<String> = [
        "i'm stuck", "im stuck", "stuck", "no idea", "don't know", "dont know", "i don't know", "i dont know", "not sure", "idk",
        "dunno", "i dunno", "no clue", "i have no idea", "help me", "i forget", "can't remember", "cant remember", "don't remember",
        "i don't remember", "i dont remember",
    ]
    static let agreePhrases: Set<String> = [
        "ok", "okay", "yes", "sure", "fine", "fair", "agreed", "record it", "sounds right", "right", "yep", "yeah", "that's fair",
        "fair enough", "sounds good", "ok record it", "yes record it",
    ]
    static let thanksPhrases: Set<String> = ["thanks", "thank you", "thx", "cool", "nice", "great", "ty", "awesome"]
    /// How requests and questions put to the tutor itself begin.
    static let offScriptOpeners = [
        "can you", "could you", "would you", "will you", "please", "pls", "how are you", "how r u", "who are you", "what are you",
        "are you", "do you", "tell me a", "tell me something", "write me", "write my", "write a", "make me", "make a",
        "what's the weather", "whats the weather", "what is the weather", "what time is it", "what day is it", "sing",
        "let's talk about", "lets talk about",
    ]
    static let smallTalk: Set<String> = ["yes", "no", "no idea", "i don't know", "i dont know", "not sure", "later", "again", "what now"]

    /// A grade a learner gives their own answer: 1 again … 4 easy.
    static func rating(_ bare: String) -> Int? {
        let words: [(Set<String>, Int)] = [
            (["1", "again", "wrong", "forgot", "i forgot", "got it wrong", "missed it"], 1), (["2", "hard", "it was hard"], 2),
            (["3", "good", "got it", "got it right"], 3), (["4", "easy", "too easy", "it was easy"], 4),
        ]
        return words.first { $0.0.contains(bare) }?.1
    }

    /// Words of a request that say what kind of help is wanted, not what about: left out of a
    /// search, they would rank an entry that mentions "hints" above the one the learner named.
    static let requestWords: Set<String> = [
        "give", "me", "a", "an", "the", "hint", "hints", "help", "with", "for", "on", "about", "exercise", "exercises",
        "task", "tasks", "question", "questions", "example", "examples", "please", "some", "more", "my", "i", "need",
        "can", "you", "explain", "understand", "stuck", "again",
    ]

    /// Phrases that say how to explain something, not what to explain.
    static let mannerPhrases = [
        "like i'm five", "like im five", "like i am five", "like i'm 5", "like im 5", "like i am 5", "eli5", "in simple terms",
        "in plain english", "in plain words", "in simple words", "for a beginner", "for beginners", "for dummies", "step by step",
        "in detail", "in a nutshell", "briefly", "simply",
    ]

    /// `text` without its ``requestWords``; the whole text when nothing else is left.
    public static func topicWords(_ text: String) -> String {
        var text = text
        // How to explain, not what: "embeddings like I'm five" is about embeddings.
        for manner in Self.mannerPhrases {
            text = text.replacingOccurrences(of: manner, with: " ", options: [.caseInsensitive])
        }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).filter {
            !requestWords.contains($0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "?.!,:;")))
        }
        return words.isEmpty ? text : words.joined(separator: " ")
    }

    /// The catalogue-search score bare words need to be taken as a topic: a topic's name scores 10
    /// or more; words that only start a roadmap word ("mon-fri 19:00" → "monitoring") below 1.
    public static let minimumTopicScore = 1.0
}

/// A message as the rules read it: lowercased, trimmed, and without closing punctuation.
struct Message {
    let original: String
    /// Lowercased and trimmed.
    let text: String
    /// `text` without surrounding punctuation, for whole-message matches.
    let bare: String
    let words: Int

    init(_ original: String) {
        self.original = original
        text = original.lowercased().replacingOccurrences(of: "\u{2019}", with: "'").trimmingCharacters(in: .whitespacesAndNewlines)
        bare = text.trimmingCharacters(in: CharacterSet(charactersIn: " .!?,\n"))
        words = bare.split(separator: " ").count
    }

    /// Whether the whole message is one of `phrases`.
    func `is`(_ phrases: Set<String>) -> Bool { phrases.contains(bare) }

    /// Whether the message contains any of `phrases` (as text).
    func has(_ phrases: String...) -> Bool { has(phrases) }
    func has(_ phrases: [String]) -> Bool { phrases.contains { text.contains($0) } }

    /// Whether the message contains any of `words` as a whole word ("plan", not "explanation").
    func hasWord(_ words: String...) -> Bool {
        let tokens = Set(text.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "'" }).map(String.init))
        return words.contains { tokens.contains($0) }
    }

    /// "Can I become an AI engineer in 2 weeks?", "how long until…": a question about time.
    /// "What if I did 15 hours a week?", "and at 20 hours a week?": a pace supposed, not declared.
    var supposes: Bool {
        has("what if", "if i did", "if i do", "if i studied", "if i study", "suppose", "say i did", "how about", "what about")
            || text.hasPrefix("and at ") || text.hasPrefix("at ") || text.hasPrefix("with ") || text.hasPrefix("and with ")
    }

    var asksAboutTime: Bool {
        text.range(of: #"\bin\s+(\d+|a|one|two|three|few)\s+(days?|weeks?|months?|years?)\b"#, options: .regularExpression) != nil
            || has("forecast", "how long", "when will i", "timeline", "how many months", "how many years", "how many weeks")
            // "What is the fastest path to a job?": how long the road is, at the least.
            || has("fastest path", "fastest way", "fastest route", "quickest path", "quickest way", "quickest route", "shortest path")
    }
}
