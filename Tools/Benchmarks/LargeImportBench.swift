import ArgumentParser
import Foundation
import TutorTesting

/// A large backup round trip: an export padded to `entries` study-log entries of about 500 bytes
/// each, imported into a real daemon (`tutor import FILE --replace`, by path), then exported again.
/// Prints the wall times and the daemon's peak resident memory (VmHWM) after each step.
struct LargeImportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "large-import",
        abstract: "Import and export a padded backup (200,000 log entries, about 116 MB) through a real daemon.")

    @Option(help: "Study-log entries in the padded export.") var entries = 200_000

    func run() async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_LOG_LEVEL": "warning"])
        defer { daemon.removeFiles() }
        _ = try await daemon.runCLI(["profile", "set", "--background", "programmer", "--hours", "10"])
        _ = try await daemon.runCLI(["goal", "add", "first-apps"])
        let export = try await daemon.runCLI(["export"])
        guard var document = try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any] else {
            throw ValidationError("the export is not a JSON object: \(export.stderr)")
        }
        let note = String(repeating: "notes on attention and retrieval ", count: 14)
        document["studyLog"] = (1...entries).map { index in
            [
                "id": index, "minutes": 30 + index % 60, "skillId": "python-fundamentals", "note": note,
                "loggedAt": "2026-01-01T18:00:00.000Z",
            ] as [String: Any]
        }
        let path = daemon.root + "/big.json"
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let pid = daemon.process!.processIdentifier
        let before = ProcessMemory.kib(pid: pid, field: "VmHWM:")

        let clock = ContinuousClock()
        var imported: CLIResult?
        let importTime = try await clock.measure {
            imported = try await daemon.runCLI(["import", path, "--replace"], timeout: .seconds(600))
        }
        guard imported?.status == 0 else { throw ValidationError("import failed: \(imported?.stderr ?? "")") }
        let afterImport = ProcessMemory.kib(pid: pid, field: "VmHWM:")
        let again = daemon.root + "/again.json"
        let exportTime = try await clock.measure {
            _ = try await daemon.runCLI(["export", "-o", again], timeout: .seconds(600))
        }
        let afterExport = ProcessMemory.kib(pid: pid, field: "VmHWM:")
        let exported = (try FileManager.default.attributesOfItem(atPath: again)[.size] as? Int) ?? 0
        try await daemon.stop()
        print("| step | wall time | daemon peak RSS (VmHWM) |")
        print("|---|---|---|")
        print(
            "| `tutor import big.json --replace` (\(bytes / 1_000_000) MB, \(entries) entries) | \(seconds(importTime)) | \(mebibytes(before)) → \(mebibytes(afterImport)) |"
        )
        print(
            "| `tutor export -o again.json` (\(exported / 1_000_000) MB) | \(seconds(exportTime)) | \(mebibytes(afterImport)) → \(mebibytes(afterExport)) |"
        )
    }

    func seconds(_ duration: Duration) -> String {
        String(format: "%.1f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
