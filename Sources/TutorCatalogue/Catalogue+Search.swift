import Foundation

/// One search result: a skill, project, stage or track, with its relevance score.
public struct CatalogueHit: Codable, Sendable, Equatable, Hashable {
    /// What kind of catalogue entry a hit is.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case skill, project, stage, track
    }

    public var kind: Kind
    /// The entry's id (for a stage, the `StageID` raw value).
    public var id: String
    public var title: String
    /// Higher is better; only meaningful relative to the other hits of the same query.
    public var score: Double

    public init(kind: Kind, id: String, title: String, score: Double) {
        self.kind = kind
        self.id = id
        self.title = title
        self.score = score
    }
}

extension Catalogue {
    /// Free-text search over skills, projects, stages and tracks, best match first.
    ///
    /// Case-insensitive. The query is split into words, stop words ("how", "an", "become", …) are
    /// dropped and plurals and -ing/-ed forms are folded together, so "fine tune with lora" meets
    /// "Fine-tuning with LoRA". Words in ids, titles, aliases and topics weigh more than words in
    /// descriptions and checklists, rare words more than common ones, and entries that match every
    /// word, or the words as a phrase, more than partial matches. A query that is exactly an id or
    /// alias ranks that entry first. Ties keep catalogue order: stages, skills, projects, tracks.
    public func search(_ query: String, limit: Int = 10) -> [CatalogueHit] {
        searchIndex.search(query, limit: limit)
    }
}

/// An inverted index over the catalogue's text, built once when the catalogue is created.
struct SearchIndex: Sendable {
    struct Document: Sendable {
        var kind: CatalogueHit.Kind
        var id: String
        var title: String
        /// Lower-cased id and aliases, for exact matches.
        var exactKeys: [String]
        /// Term sequences of the id, title, aliases and topics, for phrase matches.
        var phrases: [[String]]
    }

    struct Posting: Sendable {
        var document: Int32
        var weight: Float
    }

    /// Field weights: where a term appears says how much the entry is about it.
    enum Weight {
        static let id: Float = 10
        static let alias: Float = 9
        static let title: Float = 8
        static let topic: Float = 6
        static let label: Float = 4
        static let body: Float = 2
        static let checklist: Float = 1
    }

    let documents: [Document]
    let postings: [String: [Posting]]

    init(stages: [Stage], skills: [Skill], projects: [Project], tracks: [Track]) {
        var builder = Builder()
        for stage in stages {
            builder.add(.stage, id: stage.id.rawValue, title: stage.title) { add in
                add(stage.id.rawValue, Weight.id, true)
                add(stage.title, Weight.title, true)
                add(stage.summary, Weight.body, false)
                add(stage.milestone, Weight.body, false)
            }
        }
        for skill in skills {
            builder.add(.skill, id: skill.id, title: skill.title, aliases: skill.aliases) { add in
                add(skill.id, Weight.id, true)
                add(skill.title, Weight.title, true)
                for alias in skill.aliases { add(alias, Weight.alias, true) }
                for topic in skill.topics { add(topic, Weight.topic, true) }
                add(skill.description, Weight.body, false)
                for item in skill.checklist { add(item, Weight.checklist, false) }
            }
        }
        for project in projects {
            builder.add(.project, id: project.id, title: project.title) { add in
                add(project.id, Weight.id, true)
                add(project.title, Weight.title, true)
                add(project.description, Weight.body, false)
                for item in project.checklist { add(item, Weight.checklist, false) }
            }
        }
        for track in tracks {
            builder.add(.track, id: track.id, title: track.title) { add in
                add(track.id, Weight.id, true)
                add(track.title, Weight.title, true)
                add(track.background.rawValue, Weight.label, true)
                add(track.description, Weight.body, false)
            }
        }
        documents = builder.documents
        postings = builder.postings
    }

    /// Accumulates documents and postings.
    private struct Builder {
        var documents: [Document] = []
        var postings: [String: [Posting]] = [:]
        var memo: [String: String] = [:]

        /// Adds one document; `fields` calls its argument with (text, weight, isPhrase) for each field.
        mutating func add(
            _ kind: CatalogueHit.Kind, id: String, title: String, aliases: [String] = [],
            fields: ((String, Float, Bool) -> Void) -> Void
        ) {
            var weights: [String: Float] = [:]
            var phrases: [[String]] = []
            fields { text, weight, isPhrase in
                let terms = SearchIndex.terms(text, memo: &memo)
                for term in terms where weights[term, default: 0] < weight { weights[term] = weight }
                if isPhrase, terms.count > 1 { phrases.append(terms) }
            }
            let document = Int32(documents.count)
            for (term, weight) in weights {
                postings[term, default: []].append(Posting(document: document, weight: weight))
            }
            documents.append(
                Document(
                    kind: kind, id: id, title: title, exactKeys: ([id] + aliases).map { $0.lowercased() },
                    phrases: phrases))
        }
    }

    func search(_ query: String, limit: Int) -> [CatalogueHit] {
        guard limit > 0 else { return [] }
        var terms: [String] = []
        for term in Self.terms(query) where !terms.contains(term) { terms.append(term) }
        let exact = Self.exactKey(query)
        guard !terms.isEmpty || !exact.isEmpty else { return [] }

        let total = Float(documents.count)
        func idf(_ postings: [Posting]) -> Float {
            let frequency = Float(postings.count)
            return log(1 + (total - frequency + 0.5) / (frequency + 0.5))
        }

        var scores = [Float](repeating: 0, count: documents.count)
        var matched = [Int](repeating: 0, count: documents.count)
        var named = [Int](repeating: 0, count: documents.count)
        for term in terms {
            var best: [Int32: Float] = [:]
            // The field the term was found in, per document: a name (id, alias, title, topic) or text.
            var bestField: [Int32: Float] = [:]
            if let exactPostings = postings[term] {
                let weight = idf(exactPostings)
                for posting in exactPostings {
                    best[posting.document] = posting.weight * weight
                    bestField[posting.document] = posting.weight
                }
            } else if term.utf8.count >= 3 {
                // An unknown word may be the start of one the index knows ("vec" → "vector"), at half weight.
                for (indexed, prefixPostings) in postings where indexed.hasPrefix(term) {
                    let weight = idf(prefixPostings) / 2
                    for posting in prefixPostings where best[posting.document, default: 0] < posting.weight * weight {
                        best[posting.document] = posting.weight * weight
                        // A short start names nothing ("cover" is not "coverage"); a long one may ("backprop").
                        if term.utf8.count >= 6 {
                            bestField[posting.document] = max(bestField[posting.document, default: 0], posting.weight)
                        }
                    }
                }
            }
            for (document, score) in best {
                scores[Int(document)] += score
                matched[Int(document)] += 1
                if bestField[document, default: 0] >= Weight.topic { named[Int(document)] += 1 }
            }
        }

        var hits: [(document: Int, score: Float)] = []
        for (index, document) in documents.enumerated() {
            var score = scores[index]
            if score > 0 {
                // Favour entries that match every word, then those that match them in sequence.
                let coverage = Float(matched[index]) / Float(terms.count)
                score *= coverage * coverage
                // An entry none of whose names (id, alias, title, topic) carries a word only
                // mentions the words in passing: "tell me a joke" meets a checklist's "can tell
                // classification from regression", which is no reason to teach it.
                if named[index] == 0 { score *= 0.01 }
                if terms.count > 1, document.phrases.contains(where: { $0.containsSequence(terms) }) { score *= 1.5 }
            }
            if !exact.isEmpty, document.exactKeys.contains(exact) { score += 1000 }
            if score > 0 { hits.append((index, score)) }
        }
        hits.sort { $0.score != $1.score ? $0.score > $1.score : $0.document < $1.document }
        return hits.prefix(limit).map { hit in
            let document = documents[hit.document]
            return CatalogueHit(
                kind: document.kind, id: document.id, title: document.title,
                score: (Double(hit.score) * 1000).rounded() / 1000)
        }
    }

    // MARK: Text processing

    /// The query as an id would be written: trimmed, lower-cased, spaces as hyphens.
    static func exactKey(_ query: String) -> String {
        query.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .split(whereSeparator: { $0 == " " || $0 == "_" }).joined(separator: "-")
    }

    /// Words that carry no meaning in a search ("how do I become an …").
    static let stopWords: Set<String> = [
        "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "become",
        "becoming", "been", "before", "being", "but", "by", "can", "could", "did", "do", "does", "doing", "each",
        "for", "from", "get", "getting", "go", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it",
        "its", "just", "me", "more", "most", "my", "need", "no", "not", "of", "on", "one", "or", "other", "our",
        "out", "over", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there",
        "these", "they", "this", "those", "through", "to", "too", "up", "very", "want", "was", "we", "were",
        "what", "when", "where", "which", "while", "who", "why", "will", "with", "would", "you", "your",
    ]

    /// Shorthands expanded before stemming.
    static let expansions: [String: [String]] = [
        "db": ["database"], "dbs": ["database"], "vectordb": ["vector", "database"],
        "finetune": ["fine", "tune"], "finetuning": ["fine", "tune"], "finetuned": ["fine", "tune"],
        "genai": ["generative", "ai"], "k8s": ["kubernetes"],
    ]

    /// Splits text into lower-cased, stemmed search terms, without stop words.
    ///
    /// Letters and digits form words (any non-ASCII byte counts as a letter); everything else separates them.
    static func terms(_ text: String) -> [String] {
        var memo: [String: String] = [:]
        return terms(text, memo: &memo)
    }

    /// `terms(_:)` with a cache of stems, for indexing many texts that share their words.
    static func terms(_ text: String, memo: inout [String: String]) -> [String] {
        var terms: [String] = []
        var word: [UInt8] = []
        func flush() {
            guard !word.isEmpty else { return }
            defer { word.removeAll(keepingCapacity: true) }
            let raw = String(decoding: word, as: UTF8.self)
            if let known = memo[raw] {
                terms.append(known)
            } else if stopWords.contains(raw) {
                return
            } else if let expanded = expansions[raw] {
                terms += expanded.map { stem(Array($0.utf8)) }
            } else {
                let stemmed = stem(&word)
                memo[raw] = stemmed
                terms.append(stemmed)
            }
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), 0x80...: word.append(byte)
            default: flush()
            }
        }
        flush()
        return terms
    }

    /// Light stemming that folds plurals and -ing/-ed forms together: "databases" and "database" →
    /// "databas", "tuning", "tuned" and "tune" → "tun", "embeddings" and "embed" → "embed"; also
    /// -er, -ity, -ment, -ation and -ise/-ize/-ate, so "deployment" meets "deploy", "tokenizer"
    /// "tokenisation" and "security" "secure".
    ///
    /// Not a linguistic stem; it only has to map a word and its variants to the same key.
    static func stem(_ word: [UInt8]) -> String {
        var word = word
        return stem(&word)
    }

    /// Stems `w` in place (it may change) and returns the stem; allocation-free apart from the result.
    static func stem(_ w: inout [UInt8]) -> String {
        var n = w.count
        func ends(_ suffix: StaticString) -> Bool {
            let count = suffix.utf8CodeUnitCount
            guard n >= count else { return false }
            return suffix.withUTF8Buffer { bytes in
                for index in 0..<count where w[n - count + index] != bytes[index] { return false }
                return true
            }
        }
        let s = UInt8(ascii: "s"), e = UInt8(ascii: "e")
        if n > 4, ends("ies") {
            n -= 2
            w[n - 1] = UInt8(ascii: "y")
        } else if n > 3, w[n - 1] == s, !ends("ss"), !ends("us") {
            n -= 1
        }
        if n > 4, ends("ing") {
            n -= 3
        } else if n > 3, ends("ed") {
            n -= 2
        }
        if n > 5, ends("er") {
            n -= 2
        } else if n > 6, ends("ity") {
            n -= 3
        }
        // A doubled final consonant ("embedd", "modell") folds to one; "ss" stays.
        if n > 3, w[n - 1] == w[n - 2], w[n - 1] != s, !isVowel(w[n - 1]) { n -= 1 }
        if n > 7, ends("ment") { n -= 4 }
        if n > 2, w[n - 1] == e { n -= 1 }
        // Derivational endings, so British and American spellings and verb and noun meet:
        // "optimisation", "optimize" → "optim"; "evaluation", "evaluated" → "evalu".
        if n > 7, ends("ation") { n -= 5 }
        if n > 5, ends("is") || ends("iz") {
            n -= 2
        } else if n > 6, ends("at") {
            n -= 2
        }
        return String(decoding: w[..<n], as: UTF8.self)
    }

    private static func isVowel(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"): true
        default: false
        }
    }
}

extension Array where Element == String {
    /// Whether `sequence` occurs in this array as a contiguous run.
    func containsSequence(_ sequence: [String]) -> Bool {
        guard !sequence.isEmpty, sequence.count <= count else { return false }
        for start in 0...(count - sequence.count) where self[start] == sequence[0] {
            if self[start..<(start + sequence.count)].elementsEqual(sequence) { return true }
        }
        return false
    }
}
