import Foundation

extension Catalogue {
    /// The catalogue shipped with Tutor (the `Catalogue` folder of this module's resources), validated.
    ///
    /// Loaded once per process and then shared; later calls return the same value or rethrow the
    /// same ``CatalogueError``.
    public static func bundled() throws -> Catalogue {
        try bundledResult.get()
    }

    /// Loads and validates a catalogue folder laid out like the bundled one.
    ///
    /// The folder holds `stages.json`, `projects.json`, `tracks.json`, optionally `changelog.json`, and one or more
    /// `skills-*.json` files (conventionally `skills-<stage>.json`, each with a top-level `stage`).
    /// Other files are ignored. Throws a ``CatalogueError`` listing every problem found, including
    /// unreadable files and entries that do not decode.
    public static func load(directory: URL) throws -> Catalogue {
        try Catalogue(validating: CatalogueSource(directory: directory), checkingContent: true)
    }

    /// Loads and validates catalogue files given by name (`stages.json`, `skills-foundations.json`, …)
    /// with their contents, as ``load(directory:)`` does for the files of a folder.
    public static func load(files: [String: Data]) throws -> Catalogue {
        try Catalogue(validating: CatalogueSource(files: files, folder: "the catalogue"), checkingContent: true)
    }

    /// The files of the catalogue built into the binary (from this module's `Resources/Catalogue`),
    /// by file name, e.g. to write out as the starting point of a user's own.
    public static var bundledFiles: [String: Data] {
        var files: [String: Data] = [:]
        for file in EmbeddedResources.files where file.path.hasPrefix("Resources/Catalogue/") {
            files[String(file.path.dropFirst("Resources/Catalogue/".count))] = Data(file.text.utf8)
        }
        return files
    }

    private static let bundledResult: Result<Catalogue, CatalogueError> = {
        do {
            return .success(try load(files: bundledFiles))
        } catch let error as CatalogueError {
            return .failure(error)
        } catch {
            return .failure(CatalogueError(problems: [.init(file: "Catalogue", id: nil, message: "\(error)")]))
        }
    }()
}

/// The raw contents of a catalogue before validation, with the problems met while reading it.
struct CatalogueSource {
    var stages: [Stage] = []
    var skills: [(skill: Skill, file: String)] = []
    var projects: [Project] = []
    var tracks: [Track] = []
    /// Newest first; empty when the folder has no changelog.
    var releases: [CatalogueRelease] = []
    var stagesFile = "stages.json"
    var changelogFile = "changelog.json"
    var projectsFile = "projects.json"
    var tracksFile = "tracks.json"
    /// Problems found while reading: missing files, invalid JSON, entries that do not decode.
    var problems: [CatalogueError.Problem] = []
    /// Lower-cased ids of entries that failed to decode, so that references to them are not also
    /// reported as unknown.
    var undecodedIDs: Set<String> = []
    /// The files' contents by name.
    private var files: [String: Data] = [:]
    /// Files that exist but could not be read (already reported).
    private var unreadable: Set<String> = []

    init() {}

    /// Reads every catalogue file in `directory`, collecting problems instead of stopping at the first.
    init(directory: URL) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            self.init()
            problems.append(
                .init(
                    file: directory.lastPathComponent, id: nil,
                    message: "cannot list the catalogue folder \(directory.path): \(error.localizedDescription)"))
            return
        }
        var files: [String: Data] = [:]
        var problems: [CatalogueError.Problem] = []
        var unreadable: Set<String> = []
        for name in names where name.hasSuffix(".json") {
            do {
                files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
            } catch {
                problems.append(.init(file: name, id: nil, message: "cannot read the file: \(error.localizedDescription)"))
                unreadable.insert(name)
            }
        }
        self.init(files: files, folder: "the catalogue folder", earlier: problems, unreadable: unreadable)
    }

    /// Reads catalogue files given by name with their contents, collecting problems instead of stopping at the first.
    init(files: [String: Data], folder: String, earlier: [CatalogueError.Problem] = [], unreadable unreadableFiles: Set<String> = []) {
        self.files = files
        problems = earlier
        unreadable = unreadableFiles
        let names = Array(files.keys) + Array(unreadableFiles)

        if let file: StagesFile = read(stagesFile) {
            stages = entries(file.stages, file: stagesFile, kind: "stage")
        }

        var skillFiles: [(stage: StageID?, name: String, skills: [Skill])] = []
        for name in names.sorted() where name.hasPrefix("skills-") && name.hasSuffix(".json") {
            guard let file: SkillsFile = read(name) else { continue }
            let named = String(name.dropFirst("skills-".count).dropLast(".json".count))
            let declared = file.stage.flatMap(StageID.init(rawValue:))
            switch (file.stage, declared) {
            case (nil, _):
                problems.append(.init(file: name, id: nil, message: "the file has no top-level \"stage\""))
            case (let raw?, nil):
                problems.append(.init(file: name, id: nil, message: "the file declares unknown stage '\(raw)'"))
            case (_, let stage?):
                if let namedStage = StageID(rawValue: named), namedStage != stage {
                    problems.append(
                        .init(file: name, id: nil, message: "the file is named for stage '\(named)' but declares stage '\(stage.rawValue)'")
                    )
                }
            }
            let skills = entries(file.skills, file: name, kind: "skill")
            if let declared {
                for skill in skills where skill.stage != declared {
                    problems.append(
                        .init(
                            file: name, id: skill.id,
                            message:
                                "skill '\(skill.id)' has stage '\(skill.stage.rawValue)' but the file's stage is '\(declared.rawValue)'"))
                }
            }
            skillFiles.append((declared, name, skills))
        }
        if skillFiles.isEmpty, !names.contains(where: { $0.hasPrefix("skills-") && $0.hasSuffix(".json") }) {
            problems.append(.init(file: "skills-*.json", id: nil, message: "\(folder) has no skills files"))
        }
        // Stage order, then file name; a file with an unknown stage keeps its place at the end.
        skillFiles.sort { ($0.stage?.order ?? 99, $0.name) < ($1.stage?.order ?? 99, $1.name) }
        skills = skillFiles.flatMap { file in file.skills.map { ($0, file.name) } }

        if let file: ProjectsFile = read(projectsFile) {
            projects = entries(file.projects, file: projectsFile, kind: "project")
        }
        if let file: TracksFile = read(tracksFile) {
            tracks = entries(file.tracks, file: tracksFile, kind: "track")
        }
        // Optional: a user's own catalogue may have no changelog, and is then unversioned.
        if files[changelogFile] != nil, let file: ChangelogFile = read(changelogFile) {
            releases = file.releases
        }
    }

    /// Reads and decodes one file, recording a problem and returning nil when that fails.
    private mutating func read<File: Decodable>(_ name: String) -> File? {
        guard let data = files[name] else {
            if !unreadable.contains(name) { problems.append(.init(file: name, id: nil, message: "the file is missing")) }
            return nil
        }
        do {
            return try JSONDecoder().decode(File.self, from: data)
        } catch {
            problems.append(.init(file: name, id: nil, message: "cannot be read: " + describe(error, below: [])))
            return nil
        }
    }

    /// The entries that decoded; a problem for each one that did not.
    private mutating func entries<T>(_ lenient: [Lenient<T>], file: String, kind: String) -> [T] {
        var values: [T] = []
        values.reserveCapacity(lenient.count)
        for (index, entry) in lenient.enumerated() {
            if let value = entry.value {
                values.append(value)
            } else {
                let name = entry.id.map { "\(kind) '\($0)'" } ?? "\(kind) #\(index + 1)"
                problems.append(.init(file: file, id: entry.id, message: "\(name) cannot be read: \(entry.failure ?? "unknown error")"))
                if let id = entry.id { undecodedIDs.insert(Catalogue.key(id)) }
            }
        }
        return values
    }
}

// MARK: File shapes

private struct StagesFile: Decodable {
    var stages: [Lenient<Stage>]
}

private struct SkillsFile: Decodable {
    var stage: String?
    var skills: [Lenient<Skill>]
}

private struct ProjectsFile: Decodable {
    var projects: [Lenient<Project>]
}

private struct ChangelogFile: Decodable {
    var releases: [CatalogueRelease]
}

private struct TracksFile: Decodable {
    var tracks: [Lenient<Track>]
}

/// One array element that may fail to decode without failing its file, keeping its id for the report.
private struct Lenient<T: Decodable>: Decodable {
    var value: T?
    var id: String?
    var failure: String?

    init(from decoder: any Decoder) throws {
        id = try? decoder.container(keyedBy: IDKey.self).decode(String.self, forKey: .id)
        do {
            value = try T(from: decoder)
        } catch {
            failure = describe(error, below: decoder.codingPath)
        }
    }

    private enum IDKey: String, CodingKey { case id }
}

/// A short, readable account of a decoding error, with the field path relative to `base`.
private func describe(_ error: any Error, below base: [any CodingKey]) -> String {
    func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys.dropFirst(base.count) {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }
    guard let error = error as? DecodingError else { return error.localizedDescription }
    switch error {
    case .keyNotFound(let key, let context):
        return "missing field '\(path(context.codingPath + [key]))'"
    case .typeMismatch(let type, let context):
        return "field '\(path(context.codingPath))' should be \(expected(type))"
    case .valueNotFound(let type, let context):
        return "field '\(path(context.codingPath))' is null but should be \(expected(type))"
    case .dataCorrupted(let context):
        let field = path(context.codingPath)
        if field.isEmpty {
            let underlying = context.underlyingError.map { ": \($0.localizedDescription)" } ?? ""
            return "not valid JSON (\(context.debugDescription)\(underlying))"
        }
        return "field '\(field)': \(context.debugDescription)"
    @unknown default:
        return "\(error)"
    }
}

private func expected(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Double.Type, is Int.Type: "a number"
    case is [Any].Type, is [String].Type: "a list"
    case is [String: Any].Type: "an object"
    default: "\(type)"
    }
}
