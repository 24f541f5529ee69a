import Foundation
import Testing
import TutorCatalogue

/// A copy of the bundled catalogue in a temporary folder, edited through plain JSON objects so a
/// test can break it in exactly the way it means to.
final class TemporaryCatalogue {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tutor-catalogue-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, data) in Catalogue.bundledFiles {
            try data.write(to: directory.appendingPathComponent(name))
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func load() throws -> Catalogue {
        try Catalogue.load(directory: directory)
    }

    /// Loads the folder expecting it to fail, and returns the error.
    func loadError(sourceLocation: SourceLocation = #_sourceLocation) throws -> CatalogueError {
        do {
            _ = try load()
        } catch let error as CatalogueError {
            return error
        }
        Issue.record("the catalogue loaded although it should not have", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    /// Rewrites one file's top-level object.
    func edit(_ file: String, _ change: (inout [String: Any]) throws -> Void) throws {
        let url = directory.appendingPathComponent(file)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        try change(&object)
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: url)
    }

    /// Rewrites one entry of the array under `key` (e.g. "skills") of `file`, found by id.
    func edit(_ file: String, _ key: String, id: String, _ change: (inout [String: Any]) throws -> Void) throws {
        try edit(file) { object in
            var entries = try #require(object[key] as? [[String: Any]])
            let index = try #require(entries.firstIndex { $0["id"] as? String == id }, "no \(key) entry '\(id)' in \(file)")
            try change(&entries[index])
            object[key] = entries
        }
    }

    /// Rewrites one skill, found by id, in its skills file.
    func editSkill(_ id: String, in stage: StageID, _ change: (inout [String: Any]) throws -> Void) throws {
        try edit("skills-\(stage.rawValue).json", "skills", id: id, change)
    }

    /// Appends an entry to the array under `key` of `file`.
    func append(_ file: String, _ key: String, _ entry: [String: Any]) throws {
        try edit(file) { object in
            var entries = object[key] as? [[String: Any]] ?? []
            entries.append(entry)
            object[key] = entries
        }
    }
}

/// Asserts that `ids` lists every skill after all of its direct prerequisites that are also listed.
func expectTopological(
    _ ids: [String], in catalogue: Catalogue, sourceLocation: SourceLocation = #_sourceLocation
) {
    var position: [String: Int] = [:]
    for (index, id) in ids.enumerated() { position[id] = index }
    for id in ids {
        let prerequisites = catalogue.skill(id)?.prerequisites ?? catalogue.project(id)?.prerequisites ?? []
        for prereq in prerequisites {
            guard let canonical = catalogue.canonicalID(prereq), let before = position[canonical] else { continue }
            #expect(before < position[id]!, "'\(canonical)' must come before '\(id)'", sourceLocation: sourceLocation)
        }
    }
}
