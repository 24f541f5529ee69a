import Foundation

/// A short text read for grading: its meaningful terms (stemmed, synonyms folded together, each
/// affirmed or negated), its numbers, and whether it opens with a yes or a no.
struct AnswerReading: Sendable {
    /// Terms said positively, in order of first appearance.
    var affirmed: [String] = []
    /// Terms in the scope of a negation ("not in the code", "stateless", "rather than new facts").
    var negated: Set<String> = []
    /// Numbers, with "15%" also read as 0.15 and, when asked for, number words as digits.
    var numbers: [Double] = []
    /// The unit written right after each number, when there is one (for "6 months" against "6 years").
    var units: [Double: String] = [:]
    /// `true` for an opening yes, `false` for an opening no, nil for neither.
    var polarity: Bool?

    var affirmedSet: Set<String> { Set(affirmed) }

    /// Reads `text`; `acronyms` (from `acronyms(in:)`) are read as the words they stand for.
    init(_ text: String, numberWords: Bool = true, acronyms: [String: [String]] = [:]) {
        let normal = Self.normalise(text)
        polarity = Self.polarity(of: normal)
        let tokens = Self.tokens(normal)
        readNumbers(tokens, numberWords: numberWords)
        readTerms(tokens, acronyms: acronyms)
    }

    // MARK: Normalising

    /// Lowercase, with number notations and common multi-word phrases brought to one form.
    static func normalise(_ text: String) -> String {
        var text = text.lowercased().replacingOccurrences(of: "’", with: "'")
        for (pattern, template) in [
            (#"(\d),(\d{3})\b"#, "$1$2"),  // 1,000 → 1000
            (#"\b(\d+)\s*(?:x|by|×|\*)\s*(\d+)\b"#, "$1x$2"),  // 3 by 2 → 3x2
            (#"\b(\d+)\s*(?:times|\*|·)\s*([a-z])\b"#, "$1$2"),  // 2 times x → 2x
            (#"\b(\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)"#, "$1%"),
        ] {
            text = text.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
        }
        for (phrase, word) in Lexicon.phrases {
            text = text.replacingOccurrences(of: "\\b\(phrase)\\b", with: word, options: .regularExpression)
        }
        return text
    }

    /// Words, numbers and the punctuation that ends a clause (as ","), in order. Hyphenated words
    /// are taken apart ("post-training" → "post", "training"), numbers kept whole.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        func flush() {
            var trimmed = word.trimmingCharacters(in: CharacterSet(charactersIn: ".-'"))
            if !trimmed.hasSuffix("n't"), let apostrophe = trimmed.firstIndex(of: "'") { trimmed = String(trimmed[..<apostrophe]) }
            if trimmed.first?.isNumber == true {
                tokens.append(trimmed)
            } else {
                tokens += trimmed.split(separator: "-").map(String.init).filter { !$0.isEmpty }
            }
            word = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || ".-'%".contains(character) {
                word.append(character)
            } else {
                flush()
                if ",;:!?()\n".contains(character) { tokens.append(",") }
            }
        }
        flush()
        return tokens.filter { !$0.isEmpty }
    }

    static func polarity(of text: String) -> Bool? {
        let opening = text.prefix(40)
        for (pattern, value) in [
            (#"^\W*(yes|yeah|yep|yup|sure|of course|definitely|absolutely|correct|ok|okay|it does|it can|you can|you should)\b"#, true),
            (
                #"^\W*(no|nope|nah|never|not|usually not|probably not|generally not|it doesn't|it does not|it can't|it cannot|you can't|you cannot|you shouldn't|you should not)\b"#,
                false
            ),
        ] where opening.range(of: pattern, options: .regularExpression) != nil {
            return value
        }
        return nil
    }

    // MARK: Terms

    /// The acronyms a source text spells out: "deep learning" gives "dl", "retrieval-augmented
    /// generation" gives "rag", each with the stems it stands for.
    static func acronyms(in source: String) -> [String: [String]] {
        var found: [String: [String]] = [:]
        // A run of words never spans two clauses or two wordings of a key point ("add | insert").
        for phrase in tokens(normalise(source.replacingOccurrences(of: "|", with: ","))).split(separator: ",") {
            let words = phrase.filter { $0.first?.isLetter == true }
            for length in 2...4 where words.count >= length {
                for start in 0...(words.count - length) {
                    let run = Array(words[start..<start + length])
                    guard !run.contains(where: KeyTerms.stopWords.contains) else { continue }
                    found[String(run.compactMap(\.first))] = run.map { Lexicon.canonical(KeyTerms.stem($0)) }
                }
            }
        }
        return found
    }

    private mutating func readTerms(_ tokens: [String], acronyms: [String: [String]]) {
        var negation = 0  // content words still in a negation's scope; Int.max: to the clause's end
        var seen = Set<String>()
        for (index, token) in tokens.enumerated() {
            if token == "," || Lexicon.clauseWords.contains(token) {
                negation = 0
                continue
            }
            if Lexicon.negators.contains(token) || token.hasSuffix("n't") {
                // "no state", "without it": the next word; "not individual characters": two.
                negation = ["no", "without", "none"].contains(token) ? 1 : 2
                continue
            }
            if (token == "than" && index > 0 && tokens[index - 1] == "rather")
                || (token == "of" && index > 0 && tokens[index - 1] == "instead")
            {
                negation = Int.max
                continue
            }
            guard !KeyTerms.stopWords.contains(token), token.first?.isNumber != true else { continue }
            var stems: [String]
            var negative = negation > 0
            if let expansion = acronyms[token], !expansion.isEmpty, token.count <= 4 {
                stems = expansion
            } else if token.count > 6, token.hasSuffix("less") {
                stems = [Lexicon.canonical(KeyTerms.stem(String(token.dropLast(4))))]
                negative.toggle()
            } else {
                stems = [Lexicon.canonical(KeyTerms.stem(token))]
            }
            stems = stems.filter { $0.count > 1 }
            if negation > 0, negation != Int.max { negation -= 1 }
            for stem in stems {
                if negative, let meaning = Lexicon.negatedMeaning[stem] {
                    if seen.insert(meaning).inserted { affirmed.append(meaning) }
                } else if negative {
                    negated.insert(stem)
                } else if seen.insert(stem).inserted {
                    affirmed.append(stem)
                }
            }
        }
    }

    // MARK: Numbers

    private mutating func readNumbers(_ tokens: [String], numberWords: Bool) {
        for (index, token) in tokens.enumerated() {
            var value: Double?
            var percent = false
            if token.first?.isNumber == true {
                percent = token.hasSuffix("%")
                let digits = token.prefix { $0.isNumber || $0 == "." }
                value = Double(digits)
                // "3x2", "2x", "4xx": kept as written, as a term that must match.
                if digits.count < token.count, !percent {
                    affirmed.append(token)
                    continue
                }
            } else if numberWords {
                value = Lexicon.numberWords[token]
            }
            guard let value else { continue }
            numbers.append(value)
            if percent { numbers.append(value / 100) }
            if index + 1 < tokens.count, let unit = Lexicon.units[KeyTerms.stem(tokens[index + 1])] {
                units[value] = unit
                if percent { units[value / 100] = unit }
            }
        }
    }
}
