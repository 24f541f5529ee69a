import Foundation
import Testing
import TutorTesting

#if canImport(Glibc)
import Glibc
#endif

/// The programs `tutord` starts (`pdftotext` for PDFs, `notify-send` for desktop notices) get the
/// few variables they need, never the daemon's secrets.
@Suite("Child processes", .serialized)
struct ChildEnvironmentTests {
    @Test("pdftotext and notify-send started by tutord see PATH, HOME and the session, not the API key, headers or webhook URL")
    func childrenGetNoSecrets() async throws {
        let key = "sk-child-secret-0b9d", header = "header-secret-33aa", hookToken = "hook-secret-7c1e"
        let daemon = try TemporaryDaemon(extraEnvironment: [
            "TUTOR_LLM_API_KEY": key, "TUTOR_LLM_EXTRA_HEADERS": "X-Proxy-Token: \(header)",
            "TUTOR_NOTIFY_WEBHOOK_URL": "http://user:\(hookToken)@127.0.0.1:9/hook?token=\(hookToken)",
            "TUTOR_NOTIFY_DESKTOP": "true", "DBUS_SESSION_BUS_ADDRESS": "unix:path=\(NSTemporaryDirectory())/no-bus",
            "LANG": "C.UTF-8",
        ])
        defer { daemon.removeFiles() }
        // Stand-ins that write their environment where the test finds it.
        let bin = daemon.root + "/fakebin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for (name, output) in [("pdftotext", "printf 'Attention weighs every token against every other.\\n'"), ("notify-send", ":")] {
            let script = "#!/bin/sh\nenv > '\(daemon.root)/\(name).env'\n\(output)\n"
            try script.write(toFile: bin + "/" + name, atomically: true, encoding: .utf8)
            chmod(bin + "/" + name, 0o755)
        }
        daemon.environment["PATH"] = bin + ":" + (daemon.environment["PATH"] ?? "/usr/bin:/bin")
        try await daemon.launch()

        let notes = daemon.root + "/notes"
        try FileManager.default.createDirectory(atPath: notes, withIntermediateDirectories: true)
        try "%PDF-1.4 stand-in".write(toFile: notes + "/paper.pdf", atomically: true, encoding: .utf8)
        let ingest = try await daemon.runCLI(["ingest", notes])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let search = try await daemon.runCLI(["search", "attention"])
        #expect(search.stdout.contains("Attention weighs"), "the stand-in pdftotext ran: \(search.stdout)")
        // A notice: the weekly plan job posts one (desktop and webhook).
        _ = try await daemon.runCLI(["profile", "set", "--hours", "5", "--available", "mon-fri 19:00-20:00"])
        let job = try await daemon.runCLI(["jobs", "run", "weekly-plan"])
        #expect(job.status == 0, "\(job.stderr)")
        let notifyEnv = daemon.root + "/notify-send.env"
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: notifyEnv) { try await Task.sleep(for: .milliseconds(25)) }
        try await daemon.stop()

        for name in ["pdftotext", "notify-send"] {
            let environment = try String(contentsOfFile: daemon.root + "/\(name).env", encoding: .utf8)
            let names = Set(environment.split(separator: "\n").compactMap { $0.split(separator: "=").first.map(String.init) })
            #expect(!environment.contains(key), "\(name) got the API key")
            #expect(!environment.contains(header), "\(name) got a secret header")
            #expect(!environment.contains(hookToken), "\(name) got the webhook URL")
            #expect(!names.contains { $0.hasPrefix("TUTOR_") }, "\(name) got \(names.filter { $0.hasPrefix("TUTOR_") })")
            #expect(names.isSuperset(of: ["PATH", "HOME", "LANG"]), "\(name): \(names.sorted())")
            #expect(names.contains("DBUS_SESSION_BUS_ADDRESS") == (name == "notify-send"), "\(name): \(names.sorted())")
        }
    }
}
