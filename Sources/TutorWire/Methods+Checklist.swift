import Foundation

// MARK: Hands-on checklists

/// `checklist.show`: a skill's checklist, which items are hands-on, and the evidence recorded.
public enum ChecklistShowMethod: RPCMethod {
    public static let name = "checklist.show"
    public typealias Params = ChecklistShowParams
    public typealias Result = ChecklistView
}

/// `checklist.mark`: records, replaces or clears the evidence for one hands-on item, then
/// re-evaluates the skill's mastery.
public enum ChecklistMarkMethod: RPCMethod {
    public static let name = "checklist.mark"
    public typealias Params = ChecklistMarkParams
    public typealias Result = ChecklistView
}

public struct ChecklistShowParams: Codable, Sendable, Equatable {
    /// A skill id or alias.
    public var skill: String
    public init(skill: String) { self.skill = skill }
}

public struct ChecklistMarkParams: Codable, Sendable, Equatable {
    public var skill: String
    /// The item's number as `checklist.show` lists it, from 1.
    public var item: Int
    /// A link, an absolute file path, a command's output or a short note; nil with `clear`.
    public var evidence: String?
    /// `link`, `file`, `output` or `note`; nil lets the daemon tell links and paths from notes.
    public var kind: String?
    /// Removes the item's evidence instead of recording it.
    public var clear: Bool?
    public init(skill: String, item: Int, evidence: String? = nil, kind: String? = nil, clear: Bool? = nil) {
        self.skill = skill
        self.item = item
        self.evidence = evidence
        self.kind = kind
        self.clear = clear
    }
}

/// One checklist item and, for a hands-on one, its evidence.
public struct ChecklistItemView: Codable, Sendable, Equatable {
    public var number: Int
    public var text: String
    public var handsOn: Bool
    public var evidence: String?
    public var evidenceKind: String?
    public var recordedAt: Date?
    public init(
        number: Int, text: String, handsOn: Bool, evidence: String? = nil, evidenceKind: String? = nil, recordedAt: Date? = nil
    ) {
        self.number = number
        self.text = text
        self.handsOn = handsOn
        self.evidence = evidence
        self.evidenceKind = evidenceKind
        self.recordedAt = recordedAt
    }
}

/// A skill's checklist with the mastery it now has.
public struct ChecklistView: Codable, Sendable, Equatable {
    public var skillId: String
    public var title: String
    public var items: [ChecklistItemView]
    public var handsOnDone: Int
    public var handsOnTotal: Int
    /// `not-started`, `learning` or `mastered`.
    public var status: String
    public var mastery: Double
    /// Why, in words the learner can act on.
    public var reason: String
    public init(
        skillId: String, title: String, items: [ChecklistItemView], handsOnDone: Int, handsOnTotal: Int, status: String, mastery: Double,
        reason: String
    ) {
        self.skillId = skillId
        self.title = title
        self.items = items
        self.handsOnDone = handsOnDone
        self.handsOnTotal = handsOnTotal
        self.status = status
        self.mastery = mastery
        self.reason = reason
    }
}

// MARK: Catalogue versions

/// `catalogue.changes`: the catalogue's version and what its releases changed, each change marked
/// when it touches the learner's own path.
public enum CatalogueChangesMethod: RPCMethod {
    public static let name = "catalogue.changes"
    public typealias Params = CatalogueChangesParams
    public typealias Result = CatalogueChangesResult
}

public struct CatalogueChangesParams: Codable, Sendable, Equatable {
    /// Every release; by default only the current one.
    public var all: Bool?
    public init(all: Bool? = nil) { self.all = all }
}

/// One skill or project a release changed.
public struct CatalogueChangeView: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    /// `added`, `prerequisites`, `estimate` or `content`.
    public var change: String
    /// Whether the learner has work on it (a task) or a goal aiming at it.
    public var onPath: Bool
    public init(id: String, title: String, change: String, onPath: Bool) {
        self.id = id
        self.title = title
        self.change = change
        self.onPath = onPath
    }
}

public struct CatalogueReleaseView: Codable, Sendable, Equatable {
    public var version: String
    public var date: String
    public var summary: String
    public var changes: [CatalogueChangeView]
    public init(version: String, date: String, summary: String, changes: [CatalogueChangeView]) {
        self.version = version
        self.date = date
        self.summary = summary
        self.changes = changes
    }
}

public struct CatalogueChangesResult: Codable, Sendable, Equatable {
    public var version: String
    /// The version the learner's goals follow (equal to `version` once the daemon has brought them in line).
    public var learnerVersion: String?
    public var releases: [CatalogueReleaseView]
    public init(version: String, learnerVersion: String?, releases: [CatalogueReleaseView]) {
        self.version = version
        self.learnerVersion = learnerVersion
        self.releases = releases
    }
}
