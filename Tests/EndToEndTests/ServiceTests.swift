import Foundation
import Testing
import TutorTesting
import TutorWire

#if canImport(Glibc)
import Glibc
#endif

/// `tutor service install|status|uninstall`: the systemd user unit, as a user would install it.
///
/// Every test puts its own `systemctl` first on `PATH` (one that records its arguments, one that
/// fails like systemctl without a user bus, or none at all), so no test ever touches the systemd
/// user manager of whoever runs the tests.
@Suite("Service mode", .serialized)
struct ServiceTests {
    /// `Tools/systemd/tutord.service` in this checkout.
    static let templatePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tools/systemd/tutord.service").path

    /// The built tutord, symlinks resolved: what ExecStart must name.
    static var builtDaemon: String {
        URL(fileURLWithPath: TemporaryDaemon.binaryFolder + "/tutord").resolvingSymlinksInPath().path
    }

    @Test("install --no-enable writes exactly Tools/systemd/tutord.service, with the built tutord as ExecStart")
    func templateMatchesDocumentedUnit() async throws {
        let home = try TemporaryDaemon()
        defer { home.removeFiles() }
        let fake = try FakeSystemctl(in: home, behaviour: .records)
        // Only HOME and the runtime folder: no TUTOR_* or XDG_CONFIG_HOME/XDG_DATA_HOME, so no Environment= lines.
        let environment = ["HOME": home.root, "XDG_RUNTIME_DIR": home.root + "/run", "PATH": fake.folder]
        let result = try await TemporaryDaemon.run(
            executable: TemporaryDaemon.binaryFolder + "/tutor", arguments: ["service", "install", "--no-enable", "--json"],
            environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let unitPath = home.root + "/.config/systemd/user/tutord.service"
        let written = try String(contentsOfFile: unitPath, encoding: .utf8)
        let template = try String(contentsOfFile: Self.templatePath, encoding: .utf8)
        #expect(template.contains("ExecStart=@TUTORD@\n"))
        #expect(
            written == template.replacingOccurrences(of: "ExecStart=@TUTORD@\n", with: "ExecStart=\(Self.builtDaemon)\n"),
            "the unit in Sources/tutor/SystemdUnit.swift has drifted from Tools/systemd/tutord.service")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(report?["unitPath"] as? String == unitPath)
        #expect(report?["tutordPath"] as? String == Self.builtDaemon)
        #expect((report?["environment"] as? [String])?.isEmpty == true)
        #expect(report?["enabled"] as? Bool == false)
        let attributes = try FileManager.default.attributesOfItem(atPath: unitPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o644)
        #expect(fake.calls.isEmpty, "--no-enable must not run systemctl: \(fake.calls)")
        try await Self.expectVerifies(unitPath, home: home)
    }

    @Test("the unit carries the installer's TUTOR_* and XDG_* paths; status shows it; uninstall removes it")
    func installStatusUninstall() async throws {
        let home = try TemporaryDaemon()
        defer { home.removeFiles() }
        // A data folder with a space and a percent sign, which the unit file must quote and escape.
        let dataDirectory = home.root + "/my data/100%"
        home.environment["TUTOR_DATA_DIR"] = dataDirectory
        home.environment["TUTOR_SOCKET"] = home.root + "/run/elsewhere.sock"
        home.environment["TUTOR_CONFIG"] = home.configFile
        let fake = try FakeSystemctl(in: home, behaviour: .records)

        let install = try await home.runCLI(["service", "install", "--no-enable"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.contains("systemctl --user enable --now tutord.service"), "says what to run: \(install.stdout)")
        let unitPath = home.root + "/config/systemd/user/tutord.service"
        let unit = try String(contentsOfFile: unitPath, encoding: .utf8)
        let lines = unit.split(separator: "\n").map(String.init)
        #expect(lines.contains("ExecStart=\(Self.builtDaemon)"))
        #expect(lines.contains("Environment=\"TUTOR_DATA_DIR=\(home.root)/my data/100%%\""), "\(unit)")
        #expect(lines.contains("Environment=TUTOR_SOCKET=\(home.root)/run/elsewhere.sock"))
        #expect(lines.contains("Environment=TUTOR_CONFIG=\(home.configFile)"))
        #expect(lines.contains("Environment=XDG_DATA_HOME=\(home.root)/data"))
        #expect(lines.contains("Environment=XDG_CONFIG_HOME=\(home.root)/config"))
        try await Self.expectVerifies(unitPath, home: home)

        let status = try await home.runCLI(["service", "status", "--json"])
        #expect(status.status == 0, "\(status.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(report["installed"] as? Bool == true)
        #expect(report["unitPath"] as? String == unitPath)
        #expect(report["execStart"] as? String == Self.builtDaemon)
        let environment = report["environment"] as? [String] ?? []
        #expect(environment.contains("TUTOR_SOCKET=\(home.root)/run/elsewhere.sock"))
        #expect(environment.contains("TUTOR_DATA_DIR=\(dataDirectory)"), "shown unquoted, as tutord sees it: \(environment)")
        #expect(report["upToDate"] as? Bool == true)
        #expect(report["enabled"] as? String == "enabled", "what the fake systemctl answered")
        #expect(report["active"] as? String == "active")
        #expect(report["socketPath"] as? String == home.root + "/run/elsewhere.sock")
        #expect(report["daemonAnswers"] as? Bool == false)
        let human = try await home.runCLI(["service", "status"])
        #expect(human.stdout.contains(unitPath))
        #expect(human.stdout.contains("ExecStart    \(Self.builtDaemon)"), "\(human.stdout)")

        // Another data folder in the shell than in the unit: status says the unit is out of date.
        home.environment["TUTOR_DATA_DIR"] = home.root + "/other"
        let stale = try await home.runCLI(["service", "status", "--json"])
        #expect(stale.stdout.contains("\"upToDate\" : false"), "\(stale.stdout)")

        let uninstall = try await home.runCLI(["service", "uninstall", "--json"])
        #expect(uninstall.status == 0, "\(uninstall.stderr)")
        #expect(!FileManager.default.fileExists(atPath: unitPath))
        #expect(uninstall.stdout.contains("\"removed\" : true"))
        #expect(fake.calls.suffix(2) == ["--user disable --now tutord.service", "--user daemon-reload"])
        let after = try await home.runCLI(["service", "status", "--json"])
        #expect(after.stdout.contains("\"installed\" : false"))
        let again = try await home.runCLI(["service", "uninstall"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("nothing to uninstall"))
    }

    @Test("install enables and starts the unit through systemctl --user, then waits for its socket; systemctl gets no secret")
    func installEnables() async throws {
        let home = try TemporaryDaemon()
        defer { home.removeFiles() }
        let fake = try FakeSystemctl(in: home, behaviour: .records)
        home.environment["TUTOR_LLM_API_KEY"] = "sk-shell-secret-51c2"
        home.environment["TUTOR_LLM_EXTRA_HEADERS"] = "X-Proxy-Token: header-secret-7e1"
        let install = try await home.runCLI(["service", "install", "--json"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(fake.calls == ["--user daemon-reload", "--user enable --now tutord.service"])
        // systemctl sees the session (runtime folder, HOME, PATH), not the shell's secrets.
        #expect(fake.environment.contains("XDG_RUNTIME_DIR=\(home.root)/run"), "\(fake.environment)")
        #expect(fake.environment.contains("HOME=\(home.root)"))
        #expect(!fake.environment.contains("secret"), "\(fake.environment)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(install.stdout.utf8)) as? [String: Any])
        #expect(report["enabled"] as? Bool == true)
        #expect(report["started"] as? Bool == true)
        // The stand-in started nothing, so after 5 s install says where to look.
        #expect(report["answering"] as? Bool == false)
        #expect(report["nextSteps"] as? [String] == ["systemctl --user status tutord.service", "journalctl --user -u tutord"])
    }

    @Test("when systemctl fails or is missing, install keeps the file, exits 0 and prints the commands to run")
    func systemctlUnavailable() async throws {
        for behaviour in [FakeSystemctl.Behaviour.failsWithoutBus, .missing] {
            let home = try TemporaryDaemon()
            defer { home.removeFiles() }
            _ = try FakeSystemctl(in: home, behaviour: behaviour)
            let install = try await home.runCLI(["service", "install"])
            #expect(install.status == 0, "\(behaviour): \(install.stderr)")
            #expect(FileManager.default.fileExists(atPath: home.root + "/config/systemd/user/tutord.service"))
            let reason = behaviour == .missing ? "systemctl was not found on PATH" : "Failed to connect to bus"
            #expect(install.stderr.contains(reason), "\(behaviour): \(install.stderr)")
            #expect(install.stderr.contains("  systemctl --user daemon-reload\n  systemctl --user enable --now tutord.service"))
            let status = try await home.runCLI(["service", "status"])
            #expect(status.status == 0)
            #expect(status.stdout.contains(reason), "\(status.stdout)")
            let uninstall = try await home.runCLI(["service", "uninstall"])
            #expect(uninstall.status == 0, "\(uninstall.stderr)")
            #expect(!FileManager.default.fileExists(atPath: home.root + "/config/systemd/user/tutord.service"))
            #expect(uninstall.stderr.contains("systemctl --user stop tutord.service"))
        }
    }

    @Test("install exits 1 when the unit file cannot be written")
    func unwritable() async throws {
        let home = try TemporaryDaemon()
        defer { home.removeFiles() }
        _ = try FakeSystemctl(in: home, behaviour: .records)
        // A regular file where the config folder should be: no one, not even root, can create folders in it.
        try "".write(toFile: home.root + "/not-a-folder", atomically: true, encoding: .utf8)
        home.environment["XDG_CONFIG_HOME"] = home.root + "/not-a-folder"
        let install = try await home.runCLI(["service", "install"])
        #expect(install.status == 1)
        #expect(install.stderr.contains("cannot write \(home.root)/not-a-folder/systemd/user/tutord.service"), "\(install.stderr)")
    }

    @Test("with an autostarted tutord on the socket, install only enables the unit and says to stop that daemon first")
    func autostartedDaemonRunning() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let fake = try FakeSystemctl(in: daemon, behaviour: .records)
        let pid = try #require(daemon.process?.processIdentifier)
        let install = try await daemon.runCLI(["service", "install"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(fake.calls.contains("--user enable tutord.service"), "\(fake.calls)")
        #expect(!fake.calls.contains("--user enable --now tutord.service"), "a second tutord would exit 75: \(fake.calls)")
        #expect(
            install.stdout.contains("A tutord started outside systemd (pid \(pid)) already serves \(daemon.socketPath)"),
            "\(install.stdout)")
        #expect(install.stdout.contains("  tutor stop\n  systemctl --user start tutord.service"))
        let json = try await daemon.runCLI(["service", "install", "--json"])
        #expect(json.stdout.contains("\"underSystemd\" : false"), "\(json.stdout)")
        let stopped = try await daemon.stop()
        #expect(stopped.status == 0)
    }

    /// Runs `systemd-analyze verify --user` on `unitPath` and expects no complaint about the unit.
    ///
    /// It needs no running systemd: with `--user` it only wants `XDG_RUNTIME_DIR` to exist. It does
    /// check that ExecStart is executable, so it is run on the rendered unit, not on the template.
    static func expectVerifies(_ unitPath: String, home: TemporaryDaemon) async throws {
        let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let analyze else {
            Issue.record("systemd-analyze is not installed; run Tools/install-deps.sh (it installs the systemd package)")
            return
        }
        let result = try await TemporaryDaemon.run(
            executable: analyze, arguments: ["verify", "--user", unitPath],
            environment: [
                "HOME": home.root, "XDG_RUNTIME_DIR": home.root + "/run", "PATH": "/usr/local/bin:/usr/bin:/bin", "SYSTEMD_PAGER": "",
            ])
        let text = result.stdout + result.stderr
        #expect(result.status == 0, "systemd-analyze verify --user \(unitPath):\n\(text)")
        let complaints = text.split(separator: "\n").filter { $0.contains("tutord") }
        #expect(complaints.isEmpty, "systemd-analyze verify warned about the unit:\n\(text)")
    }
}

/// A stand-in `systemctl` in a folder of its own, put first on the CLI's `PATH`.
struct FakeSystemctl {
    enum Behaviour: Equatable {
        /// Exits 0, logs its arguments, answers `is-enabled` with "enabled" and `is-active` with "active".
        case records
        /// Fails as systemctl does without a user session bus.
        case failsWithoutBus
        /// No systemctl on PATH at all.
        case missing
    }

    let folder: String
    let log: String

    init(in home: TemporaryDaemon, behaviour: Behaviour) throws {
        folder = home.root + "/fakebin"
        log = home.root + "/systemctl.log"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let script: String
        switch behaviour {
        case .records:
            script = """
                #!/bin/sh
                echo "$*" >> '\(log)'
                /usr/bin/env > '\(log).env'
                case "$2" in
                is-enabled) echo enabled ;;
                is-active) echo active ;;
                esac
                exit 0

                """
        case .failsWithoutBus:
            script = "#!/bin/sh\necho 'Failed to connect to bus: No medium found' >&2\nexit 1\n"
        case .missing:
            script = ""
        }
        if !script.isEmpty {
            try script.write(toFile: folder + "/systemctl", atomically: true, encoding: .utf8)
            chmod(folder + "/systemctl", 0o755)
        }
        // Only this folder: the CLI finds tutord beside itself and needs nothing else from PATH.
        home.environment["PATH"] = folder
    }

    /// The environment of the fake's last call, one `KEY=value` per line.
    var environment: String { (try? String(contentsOfFile: log + ".env", encoding: .utf8)) ?? "" }

    /// The argument lists the fake was called with, one per call.
    var calls: [String] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}

/// The installed unit run by a real systemd user manager: the sandbox lets tutord serve, crashes
/// are restarted, a clean stop is not.
///
/// A container has no running systemd, so the test starts one: `systemd --user` (from the systemd
/// package that Tools/install-deps.sh installs) with a temporary HOME and XDG_RUNTIME_DIR, in a
/// private mount namespace whose fresh /run holds the /run/systemd/system marker the manager looks
/// for. Nothing outside the namespace changes. It needs root for the mount namespace.
@Suite("Service under systemd", .serialized)
struct ServiceUnderSystemdTests {
    static let systemd = ["/usr/lib/systemd/systemd", "/lib/systemd/systemd"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let canRun =
        getuid() == 0 && systemd != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") && mountNamespaceWorks()

    /// Whether this machine lets us make a private mount namespace (a container without
    /// CAP_SYS_ADMIN does not, even as root).
    static func mountNamespaceWorks() -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--mount", "--propagation", "private", "/bin/true"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test(
        "systemd --user runs the installed unit: tutord serves under the sandbox, restarts after a crash, stays down after tutor stop",
        .enabled(if: canRun, "needs root with mount namespaces, unshare and systemd (Tools/install-deps.sh)")
    )
    func realUserManager() async throws {
        let home = try TemporaryDaemon()
        home.environment["DBUS_SESSION_BUS_ADDRESS"] = nil  // systemctl must only reach the manager below
        let managerLog = home.root + "/systemd.log"
        // Not Foundation's Process: it learns of a child's exit when the child closes an inherited
        // socket, and systemd closes every descriptor it inherits at start-up, which would leave
        // Process waiting on the manager and blind to every later child's exit.
        let manager = try Self.spawn(
            [
                "/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/system && exec \"$0\" --user", try #require(Self.systemd),
            ],
            environment: home.environment, log: managerLog)
        var pids: [Int32] = []
        defer {
            kill(manager, SIGTERM)  // the manager stops tutord.service on SIGTERM
            var status: Int32 = 0
            let deadline = Date().addingTimeInterval(10)
            while waitpid(manager, &status, WNOHANG) == 0, Date() < deadline { usleep(20_000) }
            if kill(manager, 0) == 0 {
                kill(manager, SIGKILL)
                waitpid(manager, &status, 0)
            }
            for pid in pids { kill(pid, SIGKILL) }
            home.removeFiles()
        }
        func systemctl(_ arguments: String...) async throws -> String {
            let result = try await TemporaryDaemon.run(
                executable: "/bin/sh", arguments: ["-c", "systemctl --user \"$@\"", "systemctl"] + arguments, environment: home.environment)
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func daemonPID(within timeout: Duration, otherThan old: Int32? = nil) async throws -> Int32? {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                let status = try await home.runCLI(["status", "--json", "--no-autostart"])
                if status.status == 0, let pid = try? JSONDecoder().decode(StatusResult.self, from: Data(status.stdout.utf8)).pid,
                    pid != old
                {
                    return pid
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            return nil
        }
        let privateSocket = home.root + "/run/systemd/private"
        let ready = ContinuousClock.now + .seconds(15)
        while !FileManager.default.fileExists(atPath: privateSocket), ContinuousClock.now < ready {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(
            FileManager.default.fileExists(atPath: privateSocket),
            "systemd --user did not start: \((try? String(contentsOfFile: managerLog, encoding: .utf8)) ?? "")")

        let install = try await home.runCLI(["service", "install"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.contains("Enabled and started tutord.service"), "\(install.stdout)\(install.stderr)")
        #expect(install.stdout.contains("journalctl --user -u tutord"))
        #expect(!install.stderr.contains("no tutord answers"), "install waits for the service's socket: \(install.stderr)")
        let pid = try #require(try await daemonPID(within: .seconds(15)), "tutord.service never answered on \(home.socketPath)")
        pids.append(pid)
        #expect(try await systemctl("show", "--property=MainPID", "--value", "tutord.service") == "\(pid)")
        // The sandbox is applied: no new privileges, a seccomp filter.
        let procStatus = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        #expect(procStatus.contains("NoNewPrivs:\t1"))
        #expect(procStatus.contains("Seccomp:\t2"))
        // And tutord works under it: the store, the socket, a chat turn.
        let chat = try await home.runCLI(["chat", "--no-autostart", "-m", "what is RAG?"])
        #expect(chat.status == 0, "\(chat.stderr)")
        #expect(chat.stdout.contains("rag-basics"))
        let status = try await home.runCLI(["service", "status", "--json"])
        #expect(status.stdout.contains("\"enabled\" : \"enabled\""), "\(status.stdout)")
        #expect(status.stdout.contains("\"active\" : \"active\""))
        #expect(status.stdout.contains("\"daemonAnswers\" : true"))

        // A crash is restarted (Restart=on-failure, RestartSec=5).
        kill(pid, SIGKILL)
        let restarted = try #require(try await daemonPID(within: .seconds(20), otherThan: pid), "tutord was not restarted after SIGKILL")
        pids.append(restarted)
        #expect(try await systemctl("show", "--property=NRestarts", "--value", "tutord.service") == "1")

        // A clean stop is not.
        let stop = try await home.runCLI(["stop"])
        #expect(stop.status == 0, "\(stop.stderr)")
        try await Task.sleep(for: .seconds(1))
        #expect(try await systemctl("is-active", "tutord.service") == "inactive")

        let uninstall = try await home.runCLI(["service", "uninstall"])
        #expect(uninstall.status == 0, "\(uninstall.stderr)")
        #expect(uninstall.stdout.contains("Stopped and disabled tutord.service"), "\(uninstall.stdout)\(uninstall.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.root + "/config/systemd/user/tutord.service"))
        #expect(try await systemctl("show", "--property=LoadState", "--value", "tutord.service") == "not-found")
    }

    /// Starts `arguments` with posix_spawn, stdin from /dev/null and output appended to `log`.
    static func spawn(_ arguments: [String], environment: [String: String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
        guard status == 0 else { throw TestingError("cannot start \(arguments[0]): \(String(cString: strerror(status)))") }
        return pid
    }
}
