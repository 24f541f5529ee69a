import Foundation
import GRDB
import Testing
import TutorClient
import TutorStore
import TutorTesting
import TutorWire

#if canImport(Glibc)
import Glibc
#endif

/// A real `tutord` on a temporary socket, driven the way a user or a crash would drive it.
@Suite("Daemon lifecycle", .serialized)
struct DaemonLifecycleTests {
    private func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int
    }

    @Test("status reports where the daemon lives and what it serves")
    func status() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let result = try await daemon.runCLI(["status", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let status = try JSONDecoder().decode(StatusResult.self, from: Data(result.stdout.utf8))
        #expect(status.socketPath == daemon.socketPath)
        #expect(status.dataDirectory == daemon.dataDirectory)
        #expect(status.databasePath == daemon.dataDirectory + "/tutor.sqlite")
        #expect(status.pid == daemon.process?.processIdentifier)
        #expect(status.protocolVersion == tutorProtocolVersion)
        #expect(status.schemaVersion == Store.migrationNames.count)
        #expect(status.model == "offline")
        #expect(status.counts == .init(goals: 0, tasks: 0))
        // --json prints one JSON document and nothing else on stdout.
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{"))
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("}"))
        let human = try await daemon.runCLI(["status"])
        #expect(human.stdout.contains("offline"))
        #expect(human.stdout.contains(daemon.socketPath))
        try await daemon.stop()
    }

    @Test("socket 0600, its folder 0700, data folder 0700, database 0600")
    func permissions() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        #expect(mode(daemon.socketPath) == 0o600)
        #expect(mode(daemon.root + "/run/tutor") == 0o700)
        #expect(mode(daemon.dataDirectory) == 0o700)
        #expect(mode(daemon.dataDirectory + "/tutor.sqlite") == 0o600)
        try await daemon.stop()
    }

    @Test("SIGTERM with an idle client connected exits 0 within the 5 s bound and removes the socket")
    func sigtermWithIdleClient() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let client = try RawSocket(path: daemon.socketPath)
        try client.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}\n")
        #expect(try await client.readJSON()?["result"] != nil)
        // The client now sits idle on an open connection.
        let (status, elapsed) = try await daemon.stop(signal: SIGTERM)
        #expect(status == 0, "\(daemon.log)")
        #expect(elapsed < .seconds(5), "shutdown took \(elapsed)")
        #expect(await client.waitForClose(), "the idle client's connection should be closed")
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
        #expect(daemon.log.contains("database closed"))
    }

    @Test("SIGINT shuts down gracefully too")
    func sigint() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let (status, _) = try await daemon.stop(signal: SIGINT)
        #expect(status == 0, "\(daemon.log)")
    }

    @Test("`tutor stop` stops the daemon and waits until it is gone")
    func stopCommand() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let result = try await daemon.runCLI(["stop"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("stopped"))
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
        let (status, _) = try await daemon.stop(signal: 0)
        #expect(status == 0)
        let again = try await daemon.runCLI(["stop"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("not running"))
    }

    @Test("a second tutord on the same socket exits with a clear message and the first keeps serving")
    func secondInstanceRefused() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let second = try await TemporaryDaemon.run(
            executable: TemporaryDaemon.binaryFolder + "/tutord", arguments: [], environment: daemon.environment, timeout: .seconds(20))
        #expect(second.status == 75)
        #expect(second.stderr.contains("already serving \(daemon.socketPath)"))
        #expect(second.stderr.contains("pid \(daemon.process!.processIdentifier)"))
        #expect(await DaemonLauncher.isReachable(socketPath: daemon.socketPath))
        try await daemon.stop()
    }

    @Test("a socket path another program serves is not taken from it: tutord exits 75 and the program keeps its socket")
    func socketPathTaken() async throws {
        let other = try TemporaryDaemon()
        defer { other.removeFiles() }
        // Another program listening where tutord is told to serve.
        let path = other.root + "/run/other.sock"
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0 && listen(listener, 4) == 0)
        var environment = other.environment
        environment["TUTOR_SOCKET"] = path
        let tutord = try await TemporaryDaemon.run(
            executable: TemporaryDaemon.binaryFolder + "/tutord", arguments: [], environment: environment, timeout: .seconds(20))
        #expect(tutord.status == 75, "\(tutord.stderr)")
        #expect(tutord.stderr.contains("another program is serving on \(path)"), "\(tutord.stderr)")
        #expect((try? RawSocket(path: path)) != nil, "the program still has its socket")
    }

    @Test("a second tutord on another socket but the same data folder exits with a clear message; the first keeps serving")
    func secondInstanceOnDataFolderRefused() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        // A shell without XDG_RUNTIME_DIR puts the socket in the data folder: another socket, same database.
        var environment = daemon.environment
        environment["XDG_RUNTIME_DIR"] = nil
        let otherSocket = daemon.dataDirectory + "/tutord.sock"
        let second = try await TemporaryDaemon.run(
            executable: TemporaryDaemon.binaryFolder + "/tutord", arguments: [], environment: environment, timeout: .seconds(20))
        #expect(second.status == 75, "\(second.stderr)")
        #expect(second.stderr.contains("already uses the data folder \(daemon.dataDirectory)"), "\(second.stderr)")
        #expect(second.stderr.contains("pid \(daemon.process!.processIdentifier)") && second.stderr.contains(daemon.socketPath))
        #expect(!FileManager.default.fileExists(atPath: otherSocket), "the second daemon never listened")
        #expect(await DaemonLauncher.isReachable(socketPath: daemon.socketPath))
        try await daemon.stop()
    }

    @Test(
        "a symbolic link planted at the lock, data lock or socket path is refused and its target left untouched",
        arguments: ["socket lock", "data lock", "socket"])
    func plantedSymlinkRefused(at place: String) async throws {
        let daemon = try TemporaryDaemon()
        defer { daemon.removeFiles() }
        let target = daemon.root + "/precious.txt"
        try "do not touch\n".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: daemon.dataDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: daemon.root + "/run/tutor", withIntermediateDirectories: true)
        let link =
            switch place {
            case "socket lock": daemon.socketPath + ".lock"
            case "data lock": daemon.dataDirectory + "/tutord.lock"
            default: daemon.socketPath
            }
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let started = try await TemporaryDaemon.run(
            executable: TemporaryDaemon.binaryFolder + "/tutord", arguments: [], environment: daemon.environment, timeout: .seconds(20))
        #expect(started.status != 0, "\(started.stderr)")
        #expect(
            started.stderr.contains("refusing") && started.stderr.contains(link) && started.stderr.contains("symbolic link"),
            "\(started.stderr)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "do not touch\n")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == target, "the link is left for the user to inspect")
    }

    @Test("a stale socket left by a killed daemon is replaced, and the data survives")
    func staleSocketRecovery() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        try await daemon.kill()
        #expect(FileManager.default.fileExists(atPath: daemon.socketPath), "SIGKILL leaves the socket file behind")
        #expect(await DaemonLauncher.isReachable(socketPath: daemon.socketPath) == false)
        try await daemon.launch()
        let status = try await TutorConnection.call(socketPath: daemon.socketPath, StatusMethod.self, NoParams())
        #expect(status.pid == daemon.process?.processIdentifier)
        #expect(status.schemaVersion == Store.migrationNames.count)
        try await daemon.stop()
    }

    @Test("a database from a newer Tutor stops start-up with a message naming both versions and what to do; nothing is written")
    func newerDatabaseRefused() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        #expect(try await daemon.runCLI(["goal", "add", "first-apps"]).status == 0)
        try await daemon.stop()
        let database = daemon.dataDirectory + "/tutor.sqlite"
        do {
            let store = try Store(path: database)
            try store.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v42-from-the-future')") }
            try store.close()
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let result = try await TemporaryDaemon.run(
            executable: TemporaryDaemon.binaryFolder + "/tutord", arguments: [], environment: daemon.environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("refusing to open the database \(database)"), "\(result.stderr)")
        #expect(result.stderr.contains("v42-from-the-future"))
        #expect(result.stderr.contains("up to \(Store.migrationNames.last!)"))
        #expect(result.stderr.contains("Upgrade tutor"))
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath), "no socket: nothing is served")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before, "the database changed")
    }

    @Test("a data folder and a plan folder the user made keep their permissions; tutord warns that others can read them")
    func userFoldersLeftAlone() async throws {
        let daemon = try TemporaryDaemon()
        defer { daemon.removeFiles() }
        let data = daemon.root + "/shared-data", plans = daemon.root + "/plans"
        for folder in [data, plans] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            chmod(folder, 0o750)
        }
        daemon.environment["TUTOR_DATA_DIR"] = data
        daemon.environment["TUTOR_NOTIFY_PLAN_FOLDER"] = plans
        daemon.environment["TUTOR_NOTIFY_DESKTOP"] = "false"
        try await daemon.launch()
        _ = try await daemon.runCLI(["profile", "set", "--hours", "5", "--available", "mon-fri 19:00-20:00"])
        #expect(try await daemon.runCLI(["jobs", "run", "weekly-plan"]).status == 0)
        try await daemon.stop()
        #expect(mode(data) == 0o750, "the data folder was changed to \(String(mode(data) ?? 0, radix: 8))")
        #expect(mode(plans) == 0o750)
        #expect(mode(data + "/tutor.sqlite") == 0o600, "the files Tutor makes are still private")
        #expect(try FileManager.default.contentsOfDirectory(atPath: plans).contains { $0.hasSuffix(".ics") })
        for folder in [data, plans] {
            #expect(daemon.log.contains("\(folder) can be read by other users (mode 750)"), "\(daemon.log)")
            #expect(daemon.log.contains("chmod 700 \(folder)"))
        }
    }

    @Test("an invalid config file stops start-up with a message naming the file and key")
    func invalidConfig() async throws {
        let daemon = try TemporaryDaemon(configYAML: "daemon:\n  max_connections: many\n")
        defer { daemon.removeFiles() }
        let result = try await TemporaryDaemon.run(
            executable: TemporaryDaemon.binaryFolder + "/tutord", arguments: [], environment: daemon.environment)
        #expect(result.status == 78)
        #expect(result.stderr.contains(daemon.configFile))
        #expect(result.stderr.contains("daemon.max_connections"))
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
    }
}

/// Shutdown with work in flight: replies are finished within the bound, and the bound holds.
@Suite("Shutdown with requests in flight", .serialized)
struct InFlightShutdownTests {
    @Test("SIGTERM lets an in-flight request finish and deliver its reply, then exits 0")
    func inFlightFinishes() async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_DEBUG_METHODS": "1"])
        defer { daemon.removeFiles() }
        let client = try RawSocket(path: daemon.socketPath)
        try client.send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"debug.sleep\",\"params\":{\"milliseconds\":1500}}\n")
        try await Task.sleep(for: .milliseconds(300))
        kill(daemon.process!.processIdentifier, SIGTERM)
        let reply = try await client.readJSON()
        #expect(reply?["id"] as? Int == 7)
        #expect((reply?["result"] as? [String: Any])?["milliseconds"] as? Int == 1500)
        let (status, elapsed) = try await daemon.stop(signal: 0)
        #expect(status == 0, "\(daemon.log)")
        #expect(elapsed < .seconds(5))
        #expect(await client.waitForClose())
    }

    @Test("a request that outlasts daemon.shutdown_timeout is cut off and the daemon still exits promptly")
    func boundHolds() async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_DEBUG_METHODS": "1", "TUTOR_SHUTDOWN_TIMEOUT": "1"])
        defer { daemon.removeFiles() }
        let client = try RawSocket(path: daemon.socketPath)
        try client.send("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"debug.sleep\",\"params\":{\"milliseconds\":60000}}\n")
        try await Task.sleep(for: .milliseconds(300))
        let (status, elapsed) = try await daemon.stop(signal: SIGTERM)
        #expect(elapsed < .seconds(4), "shutdown took \(elapsed) with a 1 s bound")
        #expect(status == 0, "\(daemon.log)")
        // The client learns its request was cut off, or sees the connection close.
        if let reply = try? await client.readJSON() {
            #expect((reply["error"] as? [String: Any])?["code"] as? Int == RPCError.shuttingDownCode)
        }
        #expect(await client.waitForClose())
    }

    @Test("work deaf to cancellation cannot hold the daemon: after the bound it exits 0, saying why, instead of crashing")
    func watchdogEndsAnOverrun() async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_DEBUG_METHODS": "1", "TUTOR_SHUTDOWN_TIMEOUT": "1"])
        defer { daemon.removeFiles() }
        let client = try RawSocket(path: daemon.socketPath)
        try client.send(
            "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"debug.sleep\",\"params\":{\"milliseconds\":60000,\"ignoringCancellation\":true}}\n")
        try await Task.sleep(for: .milliseconds(300))
        let (status, elapsed) = try await daemon.stop(signal: SIGTERM, timeout: .seconds(30))
        #expect(status == 0, "\(daemon.log.suffix(3000))")
        #expect(elapsed < .seconds(12), "a 1 s bound and the watchdog's 5 s more: \(elapsed)")
        #expect(daemon.log.contains("shutdown took longer than 6 s"), "\(daemon.log.suffix(2000))")
        #expect(!daemon.log.contains("Fatal error"), "ServiceLifecycle's own bound no longer crashes the daemon")
    }

    @Test("SIGTERM during a long `tutor eval` stops the run at the next turn and exits 0 within the bound")
    func sigtermDuringEval() async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_SHUTDOWN_TIMEOUT": "1"])
        defer { daemon.removeFiles() }
        let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/eval/scenarios").path
        let run = Task { try await daemon.runCLI(["eval", scenarios], timeout: .seconds(300)) }
        try await Task.sleep(for: .seconds(3))
        let (status, elapsed) = try await daemon.stop(signal: SIGTERM, timeout: .seconds(30))
        let eval = try await run.value
        #expect(status == 0, "\(daemon.log.suffix(3000))")
        #expect(elapsed < .seconds(5), "the run stops when cancelled: \(elapsed)")
        #expect(!daemon.log.contains("shutdown took longer") && !daemon.log.contains("Fatal error"), "\(daemon.log.suffix(2000))")
        #expect(eval.status != 0, "the interrupted run says so: \(eval.stderr)")
    }

    @Test("without TUTOR_DEBUG_METHODS the debug method does not exist")
    func debugMethodsOffByDefault() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        do {
            _ = try await TutorConnection.call(socketPath: daemon.socketPath, DebugSleepMethod.self, .init(milliseconds: 1))
            Issue.record("debug.sleep was served")
        } catch let error as ClientError {
            #expect(error.rpcError?.code == RPCError.methodNotFoundCode)
        }
        try await daemon.stop()
    }
}

/// Shutdown racing with connections that are still being accepted.
@Suite("Shutdown races")
struct ShutdownRaceTests {
    @Test("a signal that lands while connections are being accepted still exits 0, every time")
    func signalDuringAccept() async throws {
        // Before the fix, about half of these rounds crashed: an accepted connection dropped by the
        // closing listener took an unfinished NIO writer with it.
        for round in 0..<12 {
            let daemon = try await TemporaryDaemon.start()
            defer { daemon.removeFiles() }
            let first = try RawSocket(path: daemon.socketPath)
            kill(daemon.process!.processIdentifier, round.isMultiple(of: 2) ? SIGINT : SIGTERM)
            let second = try? RawSocket(path: daemon.socketPath)
            let (status, _) = try await daemon.stop(signal: 0)
            #expect(status == 0, "round \(round): \(daemon.log)")
            _ = (first, second)
        }
    }
}
