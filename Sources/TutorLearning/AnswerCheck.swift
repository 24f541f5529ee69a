import Foundation
import TutorCatalogue

/// The words that carry meaning in a short text, reduced to a common stem, so "retrieves",
/// "retrieved" and "retrieving" match "retrieve". Numbers are kept as they are ("0.15", "3x2").
public enum KeyTerms {
    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "as", "is", "are",
        "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "there", "their", "they", "them", "you",
        "your", "we", "our", "i", "me", "my", "he", "she", "his", "her", "what", "which", "who", "whom", "how", "why", "when",
        "where", "do", "does", "did", "can", "could", "should", "would", "will", "shall", "may", "might", "must", "not", "no",
        "yes", "so", "if", "then", "than", "too", "very", "just", "also", "only", "each", "every", "any", "some", "all", "more",
        "most", "one", "two", "about", "because", "think", "guess", "maybe", "like", "thing", "things", "use", "used", "using",
        "has", "have", "had", "get", "gets", "got", "make", "makes", "made", "way", "ways", "instead", "other", "such",
    ]

    /// The stems of the meaningful words of `text`, in order, without repeats.
    public static func of(_ text: String) -> [String] { pairs(text).map(\.stem) }

    /// The meaningful words of `text` (lowercased, as first written) with their stems, in order,
    /// one per stem.
    public static func pairs(_ text: String) -> [(word: String, stem: String)] {
        var seen = Set<String>()
        var terms: [(word: String, stem: String)] = []
        for word in words(text) {
            let lower = word.lowercased()
            guard !stopWords.contains(lower) else { continue }
            let stem = self.stem(lower)
            guard stem.count > 1 || lower.first?.isNumber == true, seen.insert(stem).inserted else { continue }
            terms.append((lower, stem))
        }
        return terms
    }

    /// The words of `text`: letters and digits, keeping a decimal point or an `x` between digits.
    static func words(_ text: String) -> [Substring] {
        text.split { character in
            !(character.isLetter || character.isNumber || character == "." || character == "-")
        }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".-"))[...] }.filter { !$0.isEmpty }
    }

    /// A light English stemmer: enough to match the usual inflections of one word.
    public static func stem(_ word: String) -> String {
        if word.first?.isNumber == true { return word }
        var stem = word
        for suffix in [
            "ational", "ization", "ations", "ation", "ments", "ment", "ness", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s",
        ] {
            // "miss", "bias", "focus": a final s that is not a plural stays.
            if suffix == "s", ["ss", "us", "is"].contains(where: stem.hasSuffix) { break }
            // "vms", "gpus": the plural of an abbreviation.
            if suffix == "s", stem.hasSuffix("s"), stem.count >= 3, !stem.dropLast().contains(where: "aeiouy".contains) {
                stem.removeLast()
                break
            }
            if stem.hasSuffix(suffix), stem.count - suffix.count >= 3 {
                stem = String(stem.dropLast(suffix.count))
                if suffix == "ies" || suffix == "ied" { stem += "y" }
                break
            }
        }
        if stem.hasSuffix("e"), stem.count > 3 { stem.removeLast() }
        return stem
    }
}

/// How a learner's answer compares with the model answer of a question.
public struct AnswerCheck: Sendable, Equatable {
    public enum Verdict: String, Sendable, Equatable, Codable, CaseIterable {
        case correct, partly, incorrect
    }

    public var verdict: Verdict
    /// Share of the model answer's key terms found in the learner's answer (0…1).
    public var coverage: Double
    /// Key words of the model answer the learner's answer lacks.
    public var missing: [String]

    public init(verdict: Verdict, coverage: Double, missing: [String]) {
        self.verdict = verdict
        self.coverage = coverage
        self.missing = missing
    }

    /// Compares `answer` with `expected` by meaning, as far as words allow: synonyms, negation,
    /// numbers, yes/no and order (see `AnswerGrader`). `context` (the explanation and the skill's
    /// text) supplies the acronyms an answer may use.
    public static func grade(_ answer: String, expected: String, context why: String = "") -> AnswerCheck {
        AnswerGrader.grade(answer, question: "", expected: expected, keyPoints: [], context: why)
    }

    /// Grades `answer` to a catalogue question of `skill` against the item's key points (or its
    /// answer when it has none).
    public static func grade(_ answer: String, item: QuizItem, skill: Skill) -> AnswerCheck {
        AnswerGrader.grade(
            answer, question: item.question, expected: item.answer, keyPoints: item.keyPoints ?? [],
            context: item.why + "\n" + skill.description)
    }

    /// The FSRS rating this result suggests: right without help is good; right with hints, or half
    /// right, is hard; wrong is again.
    public func suggestedRating(hintsGiven: Int) -> Int {
        switch verdict {
        case .correct: hintsGiven == 0 ? 3 : 2
        case .partly: 2
        case .incorrect: 1
        }
    }
}

/// Hints for a question, each giving away a little more, and never the whole answer.
public enum HintLadder {
    /// How many hints a question has.
    public static let rungs = 3

    /// Hint `level` (1-based) for a question with model answer `answer` and explanation `why`:
    /// first the idea behind it with the answer's words hidden, then the answer's shape with only
    /// the first letter of each key word, then half of the key words.
    public static func hint(level: Int, answer: String, why: String) -> String? {
        let terms = KeyTerms.of(answer)
        let hidden = Set(terms)
        switch level {
        case 1:
            let pointer = mask(why, where: hidden) { _ in "___" }
            return pointer.isEmpty || pointer == why
                ? "The answer comes down to \(terms.count == 1 ? "one key word or number" : "\(terms.count) key words")."
                : "Think about this: \(pointer)"
        case 2:
            return "The answer's shape: "
                + mask(answer, where: hidden) { word in "\(word.prefix(1))" + String(repeating: "_", count: max(2, word.count - 1)) }
        case 3:
            let blanked = Set(terms.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
            return "Fill in the blanks: " + mask(answer, where: blanked) { _ in "___" }
        default:
            return nil
        }
    }

    /// `text` with each word whose stem is in `stems` replaced by `replacement(word)`.
    static func mask(_ text: String, where stems: Set<String>, replacement: (String) -> String) -> String {
        var output = ""
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            let trimmed = word.trimmingCharacters(in: CharacterSet(charactersIn: ".-"))
            let stem = KeyTerms.stem(trimmed.lowercased())
            output += stems.contains(stem) && !trimmed.isEmpty ? word.replacingOccurrences(of: trimmed, with: replacement(trimmed)) : word
            word = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || character == "." || character == "-" {
                word.append(character)
            } else {
                flush()
                output.append(character)
            }
        }
        flush()
        return output
    }
}

/// Whether a question a model wrote is grounded in a skill's roadmap text.
public struct GroundingCheck: Sendable, Equatable {
    /// Share of the answer's key terms found in the source text (0…1).
    public var coverage: Double
    /// Key words of the answer the source text does not contain.
    public var unsupported: [String]
    public var isGrounded: Bool { coverage >= GroundingCheck.threshold }
    /// The share of an answer's key terms the source must contain.
    public static let threshold = 0.7

    /// Checks the answer and its explanation against `source`.
    public static func check(answer: String, why: String, source: String) -> GroundingCheck {
        let terms = KeyTerms.pairs(answer + " " + why)
        guard !terms.isEmpty else { return GroundingCheck(coverage: 0, unsupported: []) }
        let known = Set(KeyTerms.of(source))
        let unsupported = terms.filter { !known.contains($0.stem) }.map(\.word)
        return GroundingCheck(coverage: Double(terms.count - unsupported.count) / Double(terms.count), unsupported: unsupported)
    }

    /// Word overlap of two questions (Jaccard over key terms), to refuse near-duplicates.
    public static func similarity(_ first: String, _ second: String) -> Double {
        let a = Set(KeyTerms.of(first)), b = Set(KeyTerms.of(second))
        guard !a.isEmpty || !b.isEmpty else { return 1 }
        return Double(a.intersection(b).count) / Double(a.union(b).count)
    }
}
