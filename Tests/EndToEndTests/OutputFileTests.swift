import Foundation
import Testing
import TutorTesting

#if canImport(Glibc)
import Glibc
#endif

/// `tutor export -o FILE`, `tutor plan --ics FILE` and `--markdown FILE` write the learner's data
/// to a path the learner names: only the learner may read what they write, and something planted
/// at the path (a link to another file, a FIFO, a device) is refused, not written through.
@Suite("Files the CLI writes", .serialized)
struct OutputFileTests {
    private func mode(_ path: String) -> mode_t {
        var status = stat()
        guard lstat(path, &status) == 0 else { return 0 }
        return status.st_mode & 0o7777
    }

    private func kind(_ path: String) -> mode_t {
        var status = stat()
        guard lstat(path, &status) == 0 else { return 0 }
        return status.st_mode & S_IFMT
    }

    private func setUpLearner(_ daemon: TemporaryDaemon) async throws {
        let profile = try await daemon.runCLI(["profile", "set", "--hours", "5", "--available", "mon-fri 19:00-20:00"])
        #expect(profile.status == 0, "\(profile.stderr)")
        let goal = try await daemon.runCLI(["goal", "add", "first-apps"])
        #expect(goal.status == 0, "\(goal.stderr)")
    }

    @Test("export -o, plan --ics and --markdown write files only the learner can read, replacing an old 0644 file")
    func writtenPrivately() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        try await setUpLearner(daemon)
        let export = daemon.root + "/backup.json", ics = daemon.root + "/plan.ics", markdown = daemon.root + "/plan.md"
        // An older file, readable by everyone, is replaced by a private one.
        try "old".write(toFile: export, atomically: false, encoding: .utf8)
        chmod(export, 0o644)
        let exported = try await daemon.runCLI(["export", "-o", export])
        #expect(exported.status == 0, "\(exported.stderr)")
        let planned = try await daemon.runCLI(["plan", "--ics", ics, "--markdown", markdown])
        #expect(planned.status == 0, "\(planned.stderr)")
        for path in [export, ics, markdown] {
            #expect(mode(path) == 0o600, "\(path) is \(String(mode(path), radix: 8)), not 0600")
            #expect(kind(path) == S_IFREG)
        }
        #expect(try String(contentsOfFile: export, encoding: .utf8).contains("\"goals\""))
        #expect(try String(contentsOfFile: ics, encoding: .utf8).hasPrefix("BEGIN:VCALENDAR"))
        // No temporary file is left beside them.
        let left = try FileManager.default.contentsOfDirectory(atPath: daemon.root).filter { $0.contains(".tmp-") }
        #expect(left.isEmpty, "left behind: \(left)")
        try await daemon.stop()
    }

    @Test("a symbolic link or a FIFO planted at the output path is refused, naming it, and the file it points at is untouched")
    func plantedPathsRefused() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        try await setUpLearner(daemon)
        let victim = daemon.root + "/victim.txt"
        try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
        let link = daemon.root + "/link.json", fifo = daemon.root + "/fifo.ics"
        #expect(symlink(victim, link) == 0)
        #expect(mkfifo(fifo, 0o600) == 0)
        for arguments in [["export", "-o", link], ["plan", "--markdown", link], ["plan", "--ics", fifo], ["export", "-o", "/dev/null"]] {
            let result = try await daemon.runCLI(arguments, timeout: .seconds(20))
            let path = arguments[2]
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("refusing to write \(path)"), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("Remove it, or choose a path"), "\(result.stderr)")
        }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        #expect(kind(link) == S_IFLNK)
        #expect(kind(fifo) == S_IFIFO)
        try await daemon.stop()
    }
}
