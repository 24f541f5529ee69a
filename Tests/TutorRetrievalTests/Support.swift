import Foundation
import TutorStore

/// A fresh store in a temporary folder, closed and removed after `body`.
func withTemporaryStore<T>(_ body: (Store, String) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-retrieval-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let store = try Store(path: folder + "/data/tutor.sqlite")
    let result = try await body(store, folder)
    try store.close()
    return result
}

/// The folder of the retrieval fixtures (Tests/Fixtures/retrieval).
let fixtureFolder: String = {
    var url = URL(fileURLWithPath: #filePath)
    url.deleteLastPathComponent()
    url.deleteLastPathComponent()
    return url.appendingPathComponent("Fixtures/retrieval").path
}()

/// Copies the fixture corpus into `folder`/corpus (so tests can edit it) and returns that path.
func copyCorpus(into folder: String) throws -> String {
    let destination = folder + "/corpus"
    try FileManager.default.copyItem(atPath: fixtureFolder + "/corpus", toPath: destination)
    return destination
}

/// Writes `text` to `path`, creating folders on the way.
func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(
        atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// Whether poppler's pdftotext is installed (CI installs it; PDFs are skipped with a note otherwise).
let pdftotextInstalled: Bool =
    ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
    .contains { FileManager.default.isExecutableFile(atPath: "\($0)/pdftotext") } ?? false
