import Foundation

/// One idea a right answer must contain, in one or more wordings ("environment variable | secret
/// manager"); "2 of: llama | mistral | qwen" needs two of them, and a wording marked "~" ("~slope")
/// earns half the point.
struct KeyPoint {
    struct Wording {
        var reading: AnswerReading
        var credit: Double
    }

    var wordings: [Wording]
    var needed: Int
    /// A point taken from the model answer itself does not count the question's own words; an
    /// authored key point counts every word it names.
    var ignoresQuestionWords: Bool

    init(_ text: String, acronyms: [String: [String]], authored: Bool) {
        var text = text
        needed = 1
        if let match = text.range(of: #"^\s*(\d+)\s+of:"#, options: .regularExpression) {
            needed = Int(text[match].filter(\.isNumber)) ?? 1
            text.removeSubrange(match)
        }
        wordings = text.split(separator: "|").map { part in
            let half = part.trimmingCharacters(in: .whitespaces).hasPrefix("~")
            return Wording(
                reading: AnswerReading(part.replacingOccurrences(of: "~", with: ""), numberWords: false, acronyms: acronyms),
                credit: half ? 0.5 : 1)
        }.filter { !$0.reading.affirmed.isEmpty || !$0.reading.negated.isEmpty }
        ignoresQuestionWords = !authored
    }

    var terms: [String] { wordings.flatMap(\.reading.affirmed) }

    /// How well `learner` covers this point: the credit earned (0…1) and the best share of one
    /// wording's terms.
    func coverage(by learner: AnswerReading, question: Set<String>) -> (credit: Double, best: Double) {
        var best = 0.0
        var credits: [Double] = []
        let given = learner.affirmedSet
        for wording in wordings {
            var terms = wording.reading.affirmed
            if ignoresQuestionWords {
                let own = terms.filter { !question.contains($0) }
                if !own.isEmpty { terms = own }
            }
            let negated = wording.reading.negated
            let count = terms.count + negated.count
            guard count > 0 else { continue }
            let found = terms.filter(given.contains).count + negated.filter(learner.negated.contains).count
            best = max(best, Double(found) / Double(count) * wording.credit)
            if found >= (ignoresQuestionWords ? Self.threshold(count) : count) { credits.append(wording.credit) }
        }
        let earned = credits.sorted(by: >).prefix(needed).reduce(0, +) / Double(needed)
        return (min(1, earned), best)
    }

    /// Terms a wording must show: all of up to three, else three in five.
    static func threshold(_ count: Int) -> Int { count <= 3 ? count : Int((Double(count) * 0.6).rounded(.up)) }
}

/// The offline grader: reads the learner's answer for meaning (synonyms, negation, numbers,
/// yes/no, order) and checks it against the question's key points.
enum AnswerGrader {
    static func grade(_ answer: String, question: String, expected: String, keyPoints: [String], context: String) -> AnswerCheck {
        // Acronyms are read both ways: "DL" for "deep learning", and "TP" for "true positives".
        // The explanation and the skill's text are left out: their many words spell out accidental
        // acronyms ("AI" as "augmented input").
        let source = [expected, keyPoints.joined(separator: " "), question, answer].joined(separator: "\n")
        let acronyms = AnswerReading.acronyms(in: source)
        let asksNumber = asksForNumber(question)
        let reference = AnswerReading(expected, numberWords: asksNumber, acronyms: acronyms)
        let asked = Set(AnswerReading(question, numberWords: false, acronyms: acronyms).affirmed)
        let points =
            keyPoints.isEmpty
            ? defaultPoints(expected, acronyms: acronyms) : keyPoints.map { KeyPoint($0, acronyms: acronyms, authored: true) }
        var vocabulary = Set(reference.affirmed).union(reference.negated).union(asked)
        for point in points { vocabulary.formUnion(point.terms) }
        var learner = AnswerReading(answer, numberWords: true, acronyms: acronyms)
        learner.correctTypos(against: vocabulary)
        let given = learner.affirmedSet
        let missing = KeyTerms.pairs(expected).filter { !given.contains(Lexicon.canonical($0.stem)) }.map(\.word)
        func verdict(_ verdict: AnswerCheck.Verdict, _ coverage: Double) -> AnswerCheck {
            AnswerCheck(verdict: verdict, coverage: coverage, missing: verdict == .correct ? [] : missing)
        }
        let topic = vocabulary.union(AnswerReading(context, numberWords: false).affirmed)
        if isNonAnswer(answer, learner: learner, vocabulary: topic) { return verdict(.incorrect, 0) }
        if let expectedPolarity = reference.polarity, let givenPolarity = learner.polarity {
            return givenPolarity == expectedPolarity ? verdict(.correct, 1) : verdict(.incorrect, 0)
        }
        if contradicts(learner, reference: reference, expected: expected, points: points, answer: answer, acronyms: acronyms)
            || wrongOrder(answer, learner: learner, expected: expected, question: question, acronyms: acronyms)
        {
            return verdict(.incorrect, 0)
        }
        var credit = 0.0
        var best = 0.0
        for point in points {
            let coverage = point.coverage(by: learner, question: asked)
            credit += coverage.credit
            best = max(best, coverage.best)
        }
        let share = points.isEmpty ? 0 : credit / Double(points.count)
        var result: AnswerCheck.Verdict = share >= 1 ? .correct : credit > 0 || best > 0.5 ? .partly : .incorrect
        switch numbers(learner, reference: reference, question: question, asksNumber: asksNumber, wordsRight: result == .correct) {
        case .right: result = .correct
        case .some: result = .partly
        case .wrong: result = .incorrect
        case .absent: if result == .correct { result = .partly }
        case .irrelevant: break
        }
        return verdict(result, result == .correct ? 1 : result == .partly ? max(0.25, min(share, 0.75)) : min(share, 0.2))
    }

    /// Without authored key points, the model answer is the one point, its asides in parentheses
    /// left out ("the slope" in "how fast the output changes (the slope)" is not the whole answer).
    static func defaultPoints(_ expected: String, acronyms: [String: [String]]) -> [KeyPoint] {
        let main = expected.replacingOccurrences(of: #"\([^)]*\)"#, with: " ", options: .regularExpression)
        return [KeyPoint(main, acronyms: acronyms, authored: false)]
    }

    /// Whether the question asks for a quantity, so the numbers of the answer are the answer.
    static func asksForNumber(_ question: String) -> Bool {
        question.lowercased().range(
            of:
                #"\b(how (many|much|long|big|large)|what share|what percentage|which year|when\b|roughly|approximately|expected value|add up to|p\()"#,
            options: .regularExpression) != nil
    }

    /// An answer with no meaningful word or number at all ("?"), or a shrug ("I don't know", "no
    /// idea") that names nothing of the question's topic.
    static func isNonAnswer(_ answer: String, learner: AnswerReading, vocabulary: Set<String>) -> Bool {
        let text = answer.lowercased()
        let shrug =
            text.range(
                of: #"\b(i don'?t know|don'?t know|dunno|idk|no idea|no clue|not sure|unsure|can'?t remember|forgot|pass|skip|clueless)\b"#,
                options: .regularExpression) != nil
        let relevant = learner.affirmed.contains(where: vocabulary.contains) || !learner.numbers.isEmpty
        return learner.affirmed.isEmpty && learner.numbers.isEmpty && learner.polarity == nil || shrug && !relevant
    }

    /// The learner says the opposite of the model answer: a word whose antonym the answer uses, a
    /// word the answer rules out ("not in the code"), or two opposites swapped ("BERT is decoder-only").
    static func contradicts(
        _ learner: AnswerReading, reference: AnswerReading, expected: String, points: [KeyPoint], answer: String,
        acronyms: [String: [String]]
    )
        -> Bool
    {
        var wanted = Set(reference.affirmed)
        for point in points { wanted.formUnion(point.terms) }
        let given = learner.affirmedSet
        for term in given where !wanted.contains(term) {
            if reference.negated.contains(term) { return true }
            if Lexicon.antonyms(of: term).contains(where: { wanted.contains($0) && !given.contains($0) }) { return true }
        }
        // Opposites swapped: the learner pairs with one opposite what the answer pairs with the other.
        let expectedClauses = clauses(expected, acronyms: acronyms), givenClauses = clauses(answer, acronyms: acronyms)
        for term in given where wanted.contains(term) {
            for opposite in Lexicon.antonyms(of: term) where given.contains(opposite) && wanted.contains(opposite) {
                let saidTerm = partners(of: term, in: givenClauses), saidOpposite = partners(of: opposite, in: givenClauses)
                let meantTerm = partners(of: term, in: expectedClauses), meantOpposite = partners(of: opposite, in: expectedClauses)
                let swapped =
                    !saidTerm.isDisjoint(with: meantOpposite) && saidTerm.isDisjoint(with: meantTerm)
                    && !saidOpposite.isDisjoint(with: meantTerm) && saidOpposite.isDisjoint(with: meantOpposite)
                if swapped { return true }
            }
        }
        return false
    }

    /// The terms of each clause of `text`, parentheses read as part of their clause.
    static func clauses(_ text: String, acronyms: [String: [String]]) -> [Set<String>] {
        text.lowercased().replacingOccurrences(of: #"[()]"#, with: " ", options: .regularExpression)
            .components(separatedBy: CharacterSet(charactersIn: ",;.")).flatMap { $0.components(separatedBy: " and ") }
            .map { Set(AnswerReading($0, numberWords: false, acronyms: acronyms).affirmed) }
    }

    /// The other terms that share a clause with `term`.
    static func partners(of term: String, in clauses: [Set<String>]) -> Set<String> {
        clauses.filter { $0.contains(term) }.reduce(into: Set<String>()) { $0.formUnion($1) }.subtracting([term])
    }

    /// For a question about an order ("order these…", "the steps of…") or a chain of subsets,
    /// the learner's items must come in the model answer's order.
    static func wrongOrder(
        _ answer: String, learner: AnswerReading, expected: String, question: String, acronyms: [String: [String]]
    ) -> Bool {
        let asksOrder = question.lowercased().range(of: #"\b(order|steps|sequence)\b"#, options: .regularExpression) != nil
        let chain = expected.lowercased().contains("subset") && answer.lowercased().contains("subset")
        guard asksOrder || chain else { return false }
        let segments = expected.lowercased().components(separatedBy: CharacterSet(charactersIn: ",;")).flatMap {
            $0.components(separatedBy: " then ")
        }.map { Set(AnswerReading($0, numberWords: false, acronyms: acronyms).affirmed) }
        var positions: [Int] = []
        for (index, segment) in segments.enumerated() {
            let others = segments.enumerated().filter { $0.offset != index }.reduce(into: Set<String>()) { $0.formUnion($1.element) }
            let own = segment.subtracting(others).subtracting(["subset"])
            if let position = learner.affirmed.firstIndex(where: own.contains) { positions.append(position) }
        }
        return positions.count >= 2 && positions != positions.sorted()
    }

    enum NumberCheck { case right, some, wrong, absent, irrelevant }

    /// What the numbers say, when the question asks for a quantity or the words alone do not
    /// settle it: all the model answer's numbers given, some, only other numbers, or none.
    static func numbers(
        _ learner: AnswerReading, reference: AnswerReading, question: String, asksNumber: Bool, wordsRight: Bool
    )
        -> NumberCheck
    {
        let askedNumbers = AnswerReading(question, numberWords: false).numbers
        let expected = reference.numbers.filter { number in !askedNumbers.contains { abs($0 - number) < 1e-9 } }
        guard !expected.isEmpty, asksNumber || !wordsRight else { return .irrelevant }
        let found = expected.filter { number in
            learner.numbers.contains {
                abs($0 - number) < 1e-9 * max(1, abs(number)) && Self.sameUnit(learner.units[$0], reference.units[number])
            }
        }
        if found.count == expected.count { return .right }
        if !found.isEmpty { return .some }
        return learner.numbers.contains { given in !askedNumbers.contains { abs($0 - given) < 1e-9 } } ? .wrong : .absent
    }

    static func sameUnit(_ given: String?, _ expected: String?) -> Bool {
        guard let given, let expected else { return true }
        return given == expected
    }
}

extension AnswerReading {
    /// Words misspelt by a letter or two ("retreive", "chian") read as the vocabulary's word.
    mutating func correctTypos(against vocabulary: Set<String>) {
        affirmed = affirmed.map { term in
            guard !vocabulary.contains(term), term.count >= 4, term.first?.isNumber != true else { return term }
            let allowed = term.count >= 8 ? 2 : 1
            return vocabulary.first { abs($0.count - term.count) <= allowed && $0.count >= 4 && Self.distance($0, term) <= allowed } ?? term
        }
    }

    /// Edit distance with adjacent transpositions (optimal string alignment).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1) }
            }
        }
        return table[a.count][b.count]
    }
}
