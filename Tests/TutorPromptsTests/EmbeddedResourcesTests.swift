import Foundation
import Testing

@testable import TutorPrompts

/// The build plugin that puts the prompts (and the catalogue) into the binary: what is embedded must
/// be the files as written, byte for byte, so that an installed tutor behaves as the repository says.
@Suite("Embedded resources")
struct EmbeddedResourcesTests {
    /// The repository's top folder, from this file's place in it.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("text that looks like a string delimiter, an interpolation or an escape is embedded unchanged")
    func trickyTextRoundTrips() throws {
        let fixtures = Self.repository.appendingPathComponent("Tests/TutorPromptsTests/Fixtures")
        let embedded = Dictionary(uniqueKeysWithValues: TutorPromptsTests.EmbeddedResources.files.map { ($0.path, $0.text) })
        #expect(embedded.keys.sorted() == ["Fixtures/no-newline.mustache", "Fixtures/tricky.json"])
        for name in ["tricky.json", "no-newline.mustache"] {
            let onDisk = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
            #expect(embedded["Fixtures/" + name] == onDisk, "Fixtures/\(name) differs from its embedded copy")
        }
    }

    @Test("every template in Prompts/ is built in, named after its file, and parses")
    func everyTemplateIsBuiltIn() throws {
        let folder = Self.repository.appendingPathComponent("Prompts")
        let walker = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
        var onDisk: [String: String] = [:]
        for case let url as URL in walker where url.pathExtension == "mustache" {
            onDisk[url.deletingPathExtension().lastPathComponent] = try String(contentsOf: url, encoding: .utf8)
        }
        let builtIn = Dictionary(uniqueKeysWithValues: PromptLibrary.bundledTemplates.map { ($0.name, $0.text) })
        #expect(onDisk.count > 20)
        #expect(builtIn == onDisk)
        let library = PromptLibrary.bundled
        #expect(library.warnings.isEmpty, "\(library.warnings)")
        #expect(library.names == onDisk.keys.sorted())
    }

    @Test("templates sit in one folder per kind: model prompts, scheduled messages, offline replies")
    func templatesAreSortedByKind() throws {
        let files = TutorPrompts.EmbeddedResources.files
        #expect(Set(files.map { $0.path.split(separator: "/")[0] }) == ["Model", "Messages", "Offline"])
        for file in files where file.path.hasPrefix("Offline/") {
            #expect(file.path.hasPrefix("Offline/offline-"), "\(file.path) is not an offline reply")
        }
    }
}
