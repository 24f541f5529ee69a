extension Catalogue {
    /// Validates `source` and builds the catalogue, or throws a ``CatalogueError`` with every problem.
    ///
    /// Structure (always): all five stages, once each, in the right order, each with skills;
    /// lower-case kebab-case ids, unique across skills and projects, aliases clashing with nothing;
    /// every prerequisite, focus and assumed-known id resolves; no prerequisite in a later stage;
    /// an acyclic skill graph (each cycle reported with its path); hours with 0 < min <= max.
    /// Content (`checkingContent`): titles and descriptions, at least three "can …" checklist items,
    /// at least two resources with https URLs, at least three complete quiz items for concept and
    /// recall skills, at least one topic per skill, and project checklists.
    init(validating source: CatalogueSource, checkingContent: Bool) throws {
        var report = ProblemReport(problems: source.problems)
        let undecoded = source.undecodedIDs

        // Stages: all five, once each.
        var stageByID: [StageID: Stage] = [:]
        for stage in source.stages {
            let file = source.stagesFile, id = stage.id.rawValue
            guard stageByID[stage.id] == nil else {
                report.add(file, id, "stage '\(id)' is listed more than once")
                continue
            }
            stageByID[stage.id] = stage
            if stage.order != stage.id.order {
                report.add(file, id, "stage '\(id)' has order \(stage.order) but is stage \(stage.id.order) of the roadmap")
            }
            if checkingContent {
                let texts = [("title", stage.title), ("summary", stage.summary), ("milestone", stage.milestone)]
                for (field, text) in texts where text.isBlank {
                    report.add(file, id, "stage '\(id)' has an empty \(field)")
                }
            }
        }
        for id in StageID.allCases where stageByID[id] == nil && !undecoded.contains(id.rawValue) {
            report.add(source.stagesFile, id.rawValue, "stage '\(id.rawValue)' is missing")
        }

        // Skills in stage order, then the order read; projects follow as graph nodes.
        let ordered = source.skills.enumerated().sorted {
            ($0.element.skill.stage, $0.offset) < ($1.element.skill.stage, $1.offset)
        }.map(\.element)
        let skills = ordered.map(\.skill)
        let files = ordered.map(\.file)
        let projects = source.projects
        let skillCount = skills.count

        // Ids and aliases.
        var nodeByKey: [String: Int] = [:]
        nodeByKey.reserveCapacity(skillCount * 2 + projects.count)
        var aliasKeys = Set<String>()
        func describeNode(_ node: Int) -> String {
            node < skillCount
                ? "skill '\(skills[node].id)' in \(files[node])"
                : "project '\(projects[node - skillCount].id)' in \(source.projectsFile)"
        }
        for (node, skill) in skills.enumerated() {
            let key = Self.key(skill.id)
            if !skill.id.isKebabCase {
                report.add(files[node], skill.id, "skill id '\(skill.id)' must be lower-case words joined by single hyphens")
            }
            if let other = nodeByKey[key] {
                report.add(files[node], skill.id, "skill id '\(skill.id)' is already used by \(describeNode(other))")
            } else {
                nodeByKey[key] = node
            }
        }
        for (index, project) in projects.enumerated() {
            let node = skillCount + index, key = Self.key(project.id)
            if !project.id.isKebabCase {
                report.add(source.projectsFile, project.id, "project id '\(project.id)' must be lower-case words joined by single hyphens")
            }
            if let other = nodeByKey[key] {
                report.add(source.projectsFile, project.id, "project id '\(project.id)' is already used by \(describeNode(other))")
            } else {
                nodeByKey[key] = node
            }
        }
        for (node, skill) in skills.enumerated() {
            for alias in skill.aliases {
                let key = Self.key(alias)
                if !alias.isKebabCase {
                    report.add(
                        files[node], skill.id,
                        "skill '\(skill.id)' has alias '\(alias)', which must be lower-case words joined by single hyphens")
                }
                if let other = nodeByKey[key] {
                    if other == node {
                        let what = aliasKeys.contains(key) ? "lists alias '\(alias)' more than once" : "lists its own id as an alias"
                        report.add(files[node], skill.id, "skill '\(skill.id)' \(what)")
                    } else {
                        let owner = aliasKeys.contains(key) ? "an alias of \(describeNode(other))" : describeNode(other)
                        report.add(files[node], skill.id, "skill '\(skill.id)' has alias '\(alias)', which clashes with \(owner)")
                    }
                } else {
                    nodeByKey[key] = node
                    aliasKeys.insert(key)
                }
            }
        }

        let skillIDs = skills.map(\.id)
        func unknownSkill(_ id: String) -> String {
            let suggestion = closestMatch(to: Self.key(id), in: skillIDs).map { " (did you mean '\($0)'?)" } ?? ""
            return "unknown skill '\(id)'\(suggestion)"
        }
        /// Resolves a reference to a skill node, or says what is wrong with it (`.undecoded` when the skill
        /// exists but failed to decode, which has been reported already).
        func resolveSkill(_ id: String) -> Result<Int, ReferenceFailure> {
            let key = Self.key(id)
            guard let node = nodeByKey[key] else {
                return .failure(undecoded.contains(key) ? .undecoded : .problem(unknownSkill(id)))
            }
            guard node < skillCount else {
                return .failure(.problem("project '\(id)', but only skills can be referenced here"))
            }
            return .success(node)
        }

        // Skill references and content.
        var prerequisites = [[Int]](repeating: [], count: skillCount + projects.count)
        for (node, skill) in skills.enumerated() {
            let file = files[node], id = skill.id
            var resolved: [Int] = []
            for prereq in skill.prerequisites {
                switch resolveSkill(prereq) {
                case .failure(.undecoded):
                    continue
                case .failure(.problem(let text)):
                    report.add(file, id, "skill '\(id)' requires \(text)")
                case .success(let other) where other == node:
                    report.add(file, id, "skill '\(id)' requires itself")
                case .success(let other) where resolved.contains(other):
                    report.add(file, id, "skill '\(id)' lists prerequisite '\(prereq)' more than once")
                case .success(let other):
                    resolved.append(other)
                    if skills[other].stage > skill.stage {
                        report.add(
                            file, id,
                            "skill '\(id)' (stage '\(skill.stage.rawValue)') requires '\(skills[other].id)' from the later stage '\(skills[other].stage.rawValue)'"
                        )
                    }
                }
            }
            prerequisites[node] = resolved
            checkHours(skill.hours, field: "hours", of: "skill '\(id)'", file: file, id: id, into: &report)
            if let beginner = skill.hoursBeginner {
                checkHours(beginner, field: "hoursBeginner", of: "skill '\(id)'", file: file, id: id, into: &report)
            }
            if checkingContent { checkContent(of: skill, file: file, into: &report) }
        }

        // Cycles, each reported once with its path.
        for cycle in findCycles(prerequisites: prerequisites, skillCount: skillCount) {
            let path = (cycle + [cycle[0]]).map { skills[$0].id }.joined(separator: " → ")
            let first = skills[cycle[0]]
            report.add(files[cycle[0]], first.id, "skill '\(first.id)' is in a prerequisite cycle: \(path) (each requires the next)")
        }

        // Projects.
        for (index, project) in projects.enumerated() {
            let file = source.projectsFile, id = project.id
            var resolved: [Int] = []
            for prereq in project.prerequisites {
                switch resolveSkill(prereq) {
                case .failure(.undecoded):
                    continue
                case .failure(.problem(let text)):
                    report.add(file, id, "project '\(id)' requires \(text)")
                case .success(let other) where resolved.contains(other):
                    report.add(file, id, "project '\(id)' lists prerequisite '\(prereq)' more than once")
                case .success(let other):
                    resolved.append(other)
                    if skills[other].stage > project.stage {
                        report.add(
                            file, id,
                            "project '\(id)' (stage '\(project.stage.rawValue)') requires '\(skills[other].id)' from the later stage '\(skills[other].stage.rawValue)'"
                        )
                    }
                }
            }
            prerequisites[skillCount + index] = resolved
            checkHours(project.hours, field: "hours", of: "project '\(id)'", file: file, id: id, into: &report)
            if checkingContent {
                if project.title.isBlank { report.add(file, id, "project '\(id)' has an empty title") }
                if project.description.isBlank { report.add(file, id, "project '\(id)' has an empty description") }
                if project.checklist.isEmpty || project.checklist.contains(where: \.isBlank) {
                    report.add(file, id, "project '\(id)' needs a checklist of non-empty acceptance criteria")
                }
            }
        }

        // Tracks.
        var trackByID: [String: Int] = [:]
        for (index, track) in source.tracks.enumerated() {
            let file = source.tracksFile, id = track.id
            if !id.isKebabCase {
                report.add(file, id, "track id '\(id)' must be lower-case words joined by single hyphens")
            }
            if trackByID[Self.key(id)] != nil {
                report.add(file, id, "track id '\(id)' is listed more than once")
            } else {
                trackByID[Self.key(id)] = index
            }
            if track.focus.isEmpty { report.add(file, id, "track '\(id)' has no focus skills") }
            var focus = Set<Int>(), known = Set<Int>()
            for (list, field) in [(track.focus, "focus"), (track.assumedKnown, "assumedKnown")] {
                for ref in list {
                    switch resolveSkill(ref) {
                    case .failure(.undecoded):
                        continue
                    case .failure(.problem(let text)):
                        report.add(file, id, "track '\(id)' lists \(text) in \(field)")
                    case .success(let node):
                        let inserted = field == "focus" ? focus.insert(node).inserted : known.insert(node).inserted
                        if !inserted { report.add(file, id, "track '\(id)' lists '\(ref)' in \(field) more than once") }
                        if field == "assumedKnown", focus.contains(node) {
                            report.add(file, id, "track '\(id)' lists '\(ref)' both in focus and in assumedKnown")
                        }
                    }
                }
            }
            if checkingContent, track.title.isBlank { report.add(file, id, "track '\(id)' has an empty title") }
        }

        // Every stage holds skills.
        var stageRanges: [Range<Int>] = []
        var start = 0
        for stage in StageID.allCases {
            var end = start
            while end < skillCount, skills[end].stage == stage { end += 1 }
            stageRanges.append(start..<end)
            if start == end, stageByID[stage] != nil {
                report.add(
                    source.stagesFile, stage.rawValue, "stage '\(stage.rawValue)' has no skills (expected skills-\(stage.rawValue).json)")
            }
            start = end
        }

        // The changelog: versions newest first, each id one the catalogue knows.
        var versions = Set<String>()
        for release in source.releases {
            let file = source.changelogFile
            if !versions.insert(release.version).inserted {
                report.add(file, release.version, "version '\(release.version)' is listed more than once")
            }
            if !release.date.isISODate {
                report.add(file, release.version, "release '\(release.version)' has date '\(release.date)': write YYYY-MM-DD")
            }
            for id in release.ids where nodeByKey[Self.key(id)] == nil {
                report.add(file, release.version, "release '\(release.version)' names '\(id)', which is no skill or project")
            }
        }
        if zip(source.releases, source.releases.dropFirst()).contains(where: { $0.date < $1.date }) {
            report.add(source.changelogFile, nil, "releases must be listed newest first")
        }

        guard report.problems.isEmpty else { throw CatalogueError(problems: report.problems) }

        let stageOrder = skills.map(\.stage.order) + projects.map(\.stage.order)
        self.init(
            stages: StageID.allCases.map { stageByID[$0]! },
            skills: skills, projects: projects, tracks: source.tracks, releases: source.releases, nodeByKey: nodeByKey,
            trackByID: trackByID,
            stageRanges: stageRanges,
            graph: Graph(prerequisites: prerequisites, stageOrder: stageOrder, skillCount: skillCount))
    }
}

/// Collects problems in the order found.
private struct ProblemReport {
    var problems: [CatalogueError.Problem]

    mutating func add(_ file: String, _ id: String?, _ message: String) {
        problems.append(.init(file: file, id: id, message: message))
    }
}

private enum ReferenceFailure: Error {
    /// The referenced entry exists but did not decode; its own problem has been reported.
    case undecoded
    case problem(String)
}

private func checkHours(_ hours: HourRange, field: String, of owner: String, file: String, id: String, into report: inout ProblemReport) {
    guard hours.min.isFinite, hours.max.isFinite, hours.min > 0, hours.min <= hours.max else {
        report.add(file, id, "\(owner) has \(field) \(format(hours.min))–\(format(hours.max)); need 0 < min <= max")
        return
    }
}

private func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}

private func checkContent(of skill: Skill, file: String, into report: inout ProblemReport) {
    let id = skill.id, name = "skill '\(id)'"
    if skill.title.isBlank { report.add(file, id, "\(name) has an empty title") }
    if skill.description.isBlank { report.add(file, id, "\(name) has an empty description") }
    if skill.topics.isEmpty { report.add(file, id, "\(name) has no topics") }
    for topic in skill.topics where !topic.isKebabCase {
        report.add(file, id, "\(name) has topic '\(topic)', which must be lower-case words joined by single hyphens")
    }

    if skill.checklist.count < 3 {
        report.add(file, id, "\(name) has \(skill.checklist.count) checklist item\(skill.checklist.count == 1 ? "" : "s"); need at least 3")
    }
    for (index, item) in skill.checklist.enumerated() where !item.hasPrefix("can ") || item.count < 8 {
        report.add(file, id, "\(name) checklist item \(index + 1) must start with \"can \" and say what the learner can do: \"\(item)\"")
    }
    for item in skill.handsOn where !skill.checklist.contains(item) {
        report.add(file, id, "\(name) lists hands-on item \"\(item)\", which is not in its checklist: copy the item's text exactly")
    }

    if skill.resources.count < 2 {
        report.add(file, id, "\(name) has \(skill.resources.count) resource\(skill.resources.count == 1 ? "" : "s"); need at least 2")
    }
    for (index, resource) in skill.resources.enumerated() {
        if resource.title.isBlank { report.add(file, id, "\(name) resource \(index + 1) has an empty title") }
        if !resource.url.isHTTPSURL {
            report.add(file, id, "\(name) resource \(index + 1) has URL '\(resource.url)'; need an https URL with a host")
        }
    }

    if skill.kind.needsQuiz, skill.quiz.count < 3 {
        report.add(
            file, id,
            "\(name) is a \(skill.kind.rawValue) skill with \(skill.quiz.count) quiz item\(skill.quiz.count == 1 ? "" : "s"); need at least 3"
        )
    }
    for (index, item) in skill.quiz.enumerated() {
        let empty = [("question", item.question), ("answer", item.answer), ("why", item.why)].filter { $0.1.isBlank }.map(\.0)
        if !empty.isEmpty {
            report.add(file, id, "\(name) quiz item \(index + 1) has an empty \(empty.joined(separator: ", "))")
        }
    }
}

/// Every cycle in the skill graph, one per back edge of a depth-first search, as the path of nodes
/// where each requires the next (and the last requires the first).
private func findCycles(prerequisites: [[Int]], skillCount: Int) -> [[Int]] {
    enum Colour { case white, grey, black }
    var colour = [Colour](repeating: .white, count: skillCount)
    var cycles: [[Int]] = []
    for root in 0..<skillCount where colour[root] == .white {
        var stack: [(node: Int, next: Int)] = [(root, 0)]
        colour[root] = .grey
        while let top = stack.last {
            let edges = prerequisites[top.node]
            if top.next < edges.count {
                stack[stack.count - 1].next += 1
                let child = edges[top.next]
                switch colour[child] {
                case .white:
                    colour[child] = .grey
                    stack.append((child, 0))
                case .grey:
                    let start = stack.lastIndex { $0.node == child }!
                    cycles.append(stack[start...].map(\.node))
                case .black:
                    break
                }
            } else {
                colour[top.node] = .black
                stack.removeLast()
            }
        }
    }
    return cycles
}

/// The candidate closest to `key` by edit distance, if it is close enough to be a plausible typo.
private func closestMatch(to key: String, in candidates: [String]) -> String? {
    let target = Array(key.utf8)
    var best: (distance: Int, candidate: String)?
    for candidate in candidates {
        let bytes = Array(candidate.utf8)
        guard abs(bytes.count - target.count) <= 3 else { continue }
        let distance = editDistance(target, bytes)
        if distance < (best?.distance ?? Int.max) { best = (distance, candidate) }
    }
    // Close enough to be a typo: a few edits, and few relative to the length ("y" is not a typo of "x").
    guard let best, best.distance <= min(3, max(1, target.count / 4)), best.distance * 3 <= target.count else { return nil }
    return best.candidate
}

private func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

extension String {
    var isBlank: Bool { allSatisfy(\.isWhitespace) }

    /// `YYYY-MM-DD` with plausible digits.
    var isISODate: Bool {
        let parts = split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let month = Int(parts[1]), let day = Int(parts[2]), Int(parts[0]) != nil
        else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// Lower-case ASCII letters and digits in words joined by single hyphens, e.g. `rag-basics`.
    var isKebabCase: Bool {
        var previousWasHyphen = true
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                previousWasHyphen = false
            case UInt8(ascii: "-") where !previousWasHyphen:
                previousWasHyphen = true
            default:
                return false
            }
        }
        return !previousWasHyphen
    }

    /// An absolute https URL with a dotted host name and no whitespace or control characters.
    ///
    /// A byte-level check rather than `URLComponents`, which is slow enough to matter at load time.
    var isHTTPSURL: Bool {
        guard hasPrefix("https://") else { return false }
        var host = 0, dots = 0, lastWasDot = true, inHost = true
        for byte in utf8.dropFirst(8) {
            if byte <= 0x20 || byte == 0x7f || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") {
                return false
            }
            guard inHost else { continue }
            switch byte {
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"):
                inHost = false
            case UInt8(ascii: "."):
                if lastWasDot { return false }
                dots += 1
                host += 1
                lastWasDot = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: ":"):
                host += 1
                lastWasDot = false
            default:
                return false
            }
        }
        return host > 0 && dots > 0 && !lastWasDot
    }
}
