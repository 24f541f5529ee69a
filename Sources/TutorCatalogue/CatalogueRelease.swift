import Foundation

/// One version of the catalogue and what it changed, as listed in `changelog.json`.
///
/// The ids say which skills and projects a learner should hear about: new ones, ones whose
/// prerequisites moved, whose hour estimates changed, or whose content (facts, questions,
/// resources) was corrected.
public struct CatalogueRelease: Codable, Sendable, Equatable, Hashable {
    /// `YYYY.MM`, newest first in the file.
    public var version: String
    /// `YYYY-MM-DD`.
    public var date: String
    public var summary: String
    public var added: [String]
    public var prerequisitesChanged: [String]
    public var estimatesChanged: [String]
    public var contentChanged: [String]

    public init(
        version: String, date: String, summary: String, added: [String] = [], prerequisitesChanged: [String] = [],
        estimatesChanged: [String] = [], contentChanged: [String] = []
    ) {
        self.version = version
        self.date = date
        self.summary = summary
        self.added = added
        self.prerequisitesChanged = prerequisitesChanged
        self.estimatesChanged = estimatesChanged
        self.contentChanged = contentChanged
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        date = try container.decode(String.self, forKey: .date)
        summary = try container.decode(String.self, forKey: .summary)
        added = try container.decodeIfPresent([String].self, forKey: .added) ?? []
        prerequisitesChanged = try container.decodeIfPresent([String].self, forKey: .prerequisitesChanged) ?? []
        estimatesChanged = try container.decodeIfPresent([String].self, forKey: .estimatesChanged) ?? []
        contentChanged = try container.decodeIfPresent([String].self, forKey: .contentChanged) ?? []
    }

    /// Every id the release names, in the order of its lists.
    public var ids: [String] { added + prerequisitesChanged + estimatesChanged + contentChanged }
}

extension Catalogue {
    /// The version of a catalogue folder without a `changelog.json` (a user's own catalogue).
    public static let unversioned = "unversioned"

    /// The releases newer than `version`, newest first. A version the changelog does not know
    /// (nil: a learner from before catalogues had versions) counts as the oldest release.
    public func releases(after version: String?) -> [CatalogueRelease] {
        guard let index = releases.firstIndex(where: { $0.version == version }) ?? (releases.isEmpty ? nil : releases.count - 1)
        else { return [] }
        return Array(releases[..<index])
    }
}
