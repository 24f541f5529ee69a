/// The small English vocabulary the offline grader knows beyond spelling: words that say the same
/// thing, words that say the opposite, negations, number words and units.
public enum Lexicon {
    /// Multi-word phrases read as one word (before the text is split).
    static let phrases: [(String, String)] = [
        ("back off", "backoff"), ("backs off", "backoff"), ("blows? up", "diverge"), ("blew up", "diverge"),
        ("bounces? around", "oscillate"), ("jumps? around", "oscillate"), ("made up", "fabricated"),
        ("makes? up", "fabricates"), ("making up", "fabricating"), ("right away", "immediately"),
        ("straight away", "immediately"), ("at once", "together"), ("at the same time", "together"),
        ("looks? at", "attends"), ("pays? attention to", "attends"), ("comes? from", "origin"),
        ("came from", "origin"), ("goes through", "pass"), ("going through", "pass"), ("go through", "pass"),
        ("went through", "pass"), ("virtual machines?", "vm"), ("n squared", "quadratic"),
        ("o\\(n\\^?2\\)", "quadratic"), ("o\\(n squared\\)", "quadratic"), ("different words", "paraphrase"),
        ("other words", "paraphrase"), ("look up", "retrieve"), ("up to date", "current"),
    ]

    /// Groups of words that mean the same here; the first word's stem stands for the group.
    static let synonymGroups: [[String]] = [
        ["large", "big", "huge"], ["small", "little", "tiny"], ["fast", "quick", "rapid", "speed"],
        ["opposite", "against", "reverse"], ["stop", "prevent", "block", "avoid", "mask"],
        ["let", "allow", "enable", "permit"], ["later", "future", "subsequent"],
        ["earlier", "previous", "prior", "past", "older", "old"],
        ["subset", "part", "inside", "kind", "type", "branch", "subfield", "subcategory", "contained"],
        ["piece", "chunk", "fragment"], ["number", "numeric", "numerical"],
        ["document", "doc", "file"], ["information", "info"], ["application", "app", "program", "software"],
        ["environment", "env"], ["configuration", "config", "setting"], ["artefact", "artifact"],
        ["behaviour", "behavior", "behave", "role", "persona"], ["licence", "license"], ["neighbour", "neighbor"],
        ["change", "shift", "alter", "modify"], ["spread", "vary", "variation", "variance", "dispersion"],
        ["mean", "average"], ["forget", "lose"], ["imitate", "mimic", "copy", "reproduce", "replicate"],
        ["produce", "generate", "create"], ["predict", "forecast", "estimate"], ["category", "class", "label"],
        ["continuous", "real"], ["cost", "price", "expense", "expensive", "costly", "money"],
        ["delay", "latency", "lag"], ["error", "fail", "failure", "crash", "exception"],
        ["truncate", "cut", "trim", "shorten"], ["revoke", "rotate", "invalidate", "disable", "regenerate"],
        ["backend", "server", "proxy"], ["immediately", "instantly", "asap"],
        ["deterministic", "predictable", "reproducible", "repeatable"], ["likely", "probable"],
        ["probability", "chance", "likelihood"], ["history", "conversation", "transcript"],
        ["state", "memory", "remember", "memorize"], ["example", "demonstration", "sample", "shot"],
        ["instruction", "command", "directive"], ["separate", "apart", "distinguish", "isolate", "separately"],
        ["rule", "constraint", "guideline"], ["parse", "process"], ["malformed", "invalid", "broken", "garbage"],
        ["manipulate", "malicious", "attacker", "hostile", "adversarial"],
        ["plausible", "convincing", "believable", "confident", "realistic"],
        ["false", "wrong", "incorrect", "untrue", "fabricate", "fake", "invent", "nonsense"],
        ["verify", "check", "validate"], ["ground", "base", "anchor"], ["retrieve", "fetch", "search", "find"],
        ["cite", "citation", "source", "reference"], ["cheap", "cheaper", "inexpensive", "affordable"],
        ["update", "refresh", "edit"], ["vector", "array", "list"], ["meaning", "semantic", "semantics", "sense"],
        ["represent", "capture", "encode"], ["nearest", "closest", "similar"],
        ["store", "save", "keep", "hold", "persist", "retain"], ["miss", "overlook"], ["relevant", "pertinent"],
        ["exact", "literal", "verbatim"], ["abuse", "misuse"], ["exhaust", "drain", "overload"],
        ["resource", "capacity", "compute"], ["plant", "inject", "sneak", "hide", "hidden", "embed"],
        ["augment", "add", "insert", "include", "put", "append", "stuff"],
        ["autonomy", "agency", "permission", "privilege", "power"], ["script", "javascript", "xss"],
        ["accuracy", "quality", "performance"], ["simulate", "emulate"], ["soften", "smooth", "flatten"],
        ["mismatch", "difference", "discrepancy", "inconsistency", "differ", "different"],
        ["paraphrase", "phrasing", "wording", "reword", "rephrase", "formulation"],
        ["rate", "share", "proportion", "fraction", "percentage", "ratio"], ["protected", "sensitive"],
        ["attribute", "characteristic", "trait"], ["decide", "choose", "pick", "select", "determine"],
        ["fixed", "predefined", "hardcoded", "predetermined", "static", "scripted"],
        ["reasoning", "thought", "reason"], ["observation", "result", "feedback"],
        ["endless", "infinite", "forever", "unbounded"], ["connect", "integrate", "integration", "plug", "link"],
        ["shared", "joint", "common", "unified"], ["image", "picture", "photo", "visual"],
        ["overall", "whole", "global", "entire", "full", "complete"],
        ["particular", "single", "individual", "specific"], ["cause", "causation", "causal", "causality"],
        ["waste", "fragmentation", "inefficient"], ["delete", "remove", "erase", "drop"],
        ["collect", "gather", "acquire"], ["need", "necessary", "required", "require"],
        ["purpose", "goal", "aim"], ["start", "beginning", "begin", "opening"], ["end", "ending", "last"],
        ["middle", "center", "centre"], ["budget", "limit", "cap", "quota"], ["compact", "condense", "compress"],
        ["secret", "credential", "password"], ["split", "divide", "break", "chop", "segment"],
        ["grow", "increase", "rise", "expand", "bigger", "larger"], ["decrease", "shrink", "reduce", "fall", "lower"],
        ["diverge", "explode"], ["oscillate", "fluctuate", "unstable"], ["tune", "adjust", "optimize"],
        ["data", "dataset"], ["order", "position", "sequence", "ordering"], ["ignore", "unaware", "blind"],
        ["together", "jointly", "both", "simultaneously"], ["secure", "security", "protect", "safeguard"],
        ["manage", "operate", "maintain", "administer"], ["available", "availability"],
    ]

    /// Pairs of stems where saying one where the model answer says the other is a contradiction.
    static let antonymPairs: [(String, String)] = [
        ("opposite", "direction"), ("opposite", "toward"), ("opposite", "along"), ("stop", "let"),
        ("later", "earlier"), ("grow", "decrease"), ("high", "low"), ("large", "small"), ("input", "output"),
        ("fp", "fn"), ("precision", "recall"), ("deterministic", "random"), ("deterministic", "creative"),
        ("same", "mismatch"), ("subset", "superset"), ("global", "local"), ("encoder", "decoder"),
    ]

    /// Words that turn the next words (or, for "rather than" and "instead of", the rest of the
    /// clause) negative.
    static let negators: Set<String> = [
        "not", "no", "never", "without", "cannot", "isnt", "dont", "doesnt", "cant", "wont", "arent", "didnt", "shouldnt",
        "wasnt", "neither", "nor", "none",
    ]

    /// Words that end a negation's scope: "not big and saturated" negates only "big".
    static let clauseWords: Set<String> = ["and", "or", "but", "so", "because", "while", "whereas", "since", "then"]

    /// A negated word that means a positive one: "doesn't know the order" is "ignores the order".
    static let negatedMeaning: [String: String] = Dictionary(
        uniqueKeysWithValues: ["know", "see", "care", "notice", "consider"].map {
            (canonical(KeyTerms.stem($0)), canonical(KeyTerms.stem("ignore")))
        })

    /// Numbers written as words ("ten hours"), as answers and the setup read them.
    public static let numberWords: [String: Double] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
        "thousand": 1000, "half": 0.5,
    ]

    /// Stems of units a number can carry, each with the unit it names.
    static let units: [String: String] = [
        "year": "year", "yr": "year", "month": "month", "week": "week", "day": "day", "hour": "hour", "hr": "hour",
        "minut": "minute", "gb": "gb", "mb": "mb", "million": "million", "billion": "billion",
    ]

    private static let table: [String: String] = {
        var table: [String: String] = [:]
        for group in synonymGroups {
            let head = spelling(KeyTerms.stem(group[0]))
            for word in group { table[spelling(KeyTerms.stem(word))] = head }
        }
        return table
    }()

    private static let antonyms: [String: Set<String>] = {
        var map: [String: Set<String>] = [:]
        for (a, b) in antonymPairs {
            let first = canonical(KeyTerms.stem(a)), second = canonical(KeyTerms.stem(b))
            map[first, default: []].insert(second)
            map[second, default: []].insert(first)
        }
        return map
    }()

    /// British and American spellings brought together: "normalis" → "normaliz", "behaviour" → "behavior".
    static func spelling(_ stem: String) -> String {
        var stem = stem
        if stem.count >= 6, stem.hasSuffix("is") { stem = String(stem.dropLast(2)) + "iz" }
        if stem.count >= 7, stem.hasSuffix("iser") { stem = String(stem.dropLast(4)) + "izer" }
        if stem.count >= 6, stem.hasSuffix("our") { stem = String(stem.dropLast(3)) + "or" }
        return stem
    }

    /// The stem that stands for `stem` and all its synonyms.
    static func canonical(_ stem: String) -> String {
        let spelled = spelling(stem)
        return table[spelled] ?? spelled
    }

    /// The stems that contradict `stem`.
    static func antonyms(of stem: String) -> Set<String> { antonyms[stem] ?? [] }
}
