import Foundation

/// The validated roadmap: stages, skills, projects and tracks, with lookups, graph queries and search.
///
/// A `Catalogue` only exists once every check has passed (see ``CatalogueError``), so the graph is
/// acyclic, every reference resolves and all five stages are present. It is an immutable value and
/// cheap to share across tasks.
public struct Catalogue: Sendable {
    /// The five stages, in roadmap order.
    public let stages: [Stage]
    /// Every skill, in stage order, then in the order of its file.
    public let skills: [Skill]
    /// Every portfolio project, in file order.
    public let projects: [Project]
    /// Every track, in file order.
    public let tracks: [Track]
    /// This catalogue's version (`YYYY.MM`), from `changelog.json`; ``unversioned`` without one.
    public let version: String
    /// Every release in `changelog.json`, newest first; empty without one.
    public let releases: [CatalogueRelease]

    /// Lower-cased skill ids, skill aliases and project ids → graph node (skills first, then projects).
    let nodeByKey: [String: Int]
    let trackByID: [String: Int]
    /// Skill index range of each stage, indexed by `StageID.order - 1`.
    let stageRanges: [Range<Int>]
    let graph: Graph
    let searchIndex: SearchIndex

    /// Builds a catalogue from values, running the same validation as loading from files.
    ///
    /// Skills are kept in stage order, then in the order given. Problems are reported against the
    /// file each value would live in (`skills-<stage>.json`, `projects.json`, …). Pass
    /// `checkingContent: false` to check only the structure (ids, references, the graph, stages and
    /// hours) and skip the rules for checklists, resources, quizzes and text, which keeps small
    /// hand-made catalogues in tests short.
    public init(
        stages: [Stage], skills: [Skill], projects: [Project] = [], tracks: [Track] = [], releases: [CatalogueRelease] = [],
        checkingContent: Bool = true
    ) throws {
        var source = CatalogueSource()
        source.stages = stages
        source.skills = skills.map { ($0, "skills-\($0.stage.rawValue).json") }
        source.projects = projects
        source.tracks = tracks
        source.releases = releases
        try self.init(validating: source, checkingContent: checkingContent)
    }

    init(
        stages: [Stage], skills: [Skill], projects: [Project], tracks: [Track], releases: [CatalogueRelease],
        nodeByKey: [String: Int], trackByID: [String: Int], stageRanges: [Range<Int>], graph: Graph
    ) {
        self.stages = stages
        self.skills = skills
        self.projects = projects
        self.tracks = tracks
        self.releases = releases
        self.version = releases.first?.version ?? Self.unversioned
        self.nodeByKey = nodeByKey
        self.trackByID = trackByID
        self.stageRanges = stageRanges
        self.graph = graph
        self.searchIndex = SearchIndex(stages: stages, skills: skills, projects: projects, tracks: tracks)
    }

    // MARK: Lookups

    /// The skill with this id or alias (case-insensitive), so renamed skills keep working.
    public func skill(_ idOrAlias: String) -> Skill? {
        guard let node = node(idOrAlias), node < skills.count else { return nil }
        return skills[node]
    }

    /// The current id of the skill or project named by this id or alias, or nil when there is none.
    public func canonicalID(_ idOrAlias: String) -> String? {
        node(idOrAlias).map(id(ofNode:))
    }

    /// The project with this id (case-insensitive).
    public func project(_ id: String) -> Project? {
        guard let node = node(id), node >= skills.count else { return nil }
        return projects[node - skills.count]
    }

    /// The track with this id (case-insensitive).
    public func track(_ id: String) -> Track? {
        trackByID[Self.key(id)].map { tracks[$0] }
    }

    /// The track written for a background, if the catalogue has one.
    public func track(for background: Background) -> Track? {
        tracks.first { $0.background == background }
    }

    /// The stage with this id; every loaded catalogue has all five.
    public func stage(_ id: StageID) -> Stage {
        stages[id.order - 1]
    }

    /// The skills of one stage, in catalogue order.
    public func skills(in stage: StageID) -> [Skill] {
        Array(skills[stageRanges[stage.order - 1]])
    }

    /// The projects of one stage, in catalogue order.
    public func projects(in stage: StageID) -> [Project] {
        projects.filter { $0.stage == stage }
    }

    /// The skills that list this skill (by id or alias) as a direct prerequisite, in catalogue order.
    public func dependants(of idOrAlias: String) -> [Skill] {
        guard let node = node(idOrAlias), node < skills.count else { return [] }
        return graph.dependants[node].filter { $0 < skills.count }.map { skills[$0] }
    }

    /// The total hours of the skills and projects named, each counted once, for a background.
    ///
    /// Unknown ids add nothing; skills use ``Skill/hours(for:)``.
    public func totalHours(_ ids: some Collection<String>, for background: Background) -> HourRange {
        var seen = Set<Int>()
        var total = HourRange.zero
        for id in ids {
            guard let node = node(id), seen.insert(node).inserted else { continue }
            total = total + (node < skills.count ? skills[node].hours(for: background) : projects[node - skills.count].hours)
        }
        return total
    }

    // MARK: Internals

    /// Normalises an id for lookup: trimmed and lower-cased.
    static func key(_ id: String) -> String {
        let plain = id.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                || $0 == UInt8(ascii: "-")
        }
        return plain ? id : id.trimmingCharacters(in: .whitespaces).lowercased()
    }

    func node(_ idOrAlias: String) -> Int? {
        if let node = nodeByKey[idOrAlias] { return node }
        return nodeByKey[Self.key(idOrAlias)]
    }

    func id(ofNode node: Int) -> String {
        node < skills.count ? skills[node].id : projects[node - skills.count].id
    }
}
