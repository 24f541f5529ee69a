import ArgumentParser
import TutorClient
import TutorWire

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `tutor service`: run `tutord` as a systemd user service instead of autostarting it.
struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Run tutord as a systemd user service (install, status, uninstall).",
        discussion: """
            The unit file goes to $XDG_CONFIG_HOME/systemd/user/tutord.service (~/.config/systemd/user/).
            Logs: journalctl --user -u tutord. Reload the configuration: systemctl --user reload tutord.
            """,
        subcommands: [Install.self, Status.self, Uninstall.self]
    )

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Write the unit file, then enable and start it with systemctl --user.",
            discussion: """
                ExecStart is the absolute path of the tutord beside tutor (else on PATH). TUTOR_DATA_DIR,
                TUTOR_SOCKET, TUTOR_CONFIG, XDG_DATA_HOME and XDG_CONFIG_HOME are copied into the unit when
                set, so the service uses the same files as this shell. Exits non-zero only when the unit
                file cannot be written; when systemctl is missing or fails, it prints the commands to run.
                """
        )

        @Flag(help: "Only write the unit file; do not run systemctl.")
        var noEnable = false

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = ServiceContext(global: global)
            guard let daemonPath = SystemdUnit.daemonPath(environment: context.environment) else {
                throw ClientError(
                    .unreachable,
                    "no tutord executable was found beside tutor or on PATH, so there is nothing for the service to start. Build it with `swift build` or put it on PATH."
                )
            }
            let environment = SystemdUnit.assignments(environment: context.environment)
            let text = try SystemdUnit.render(daemonPath: daemonPath, environment: environment)
            do {
                try UnitFile.write(text, to: context.unitPath)
            } catch {
                writeError("tutor: cannot write \(context.unitPath): \(error). Check that the folder is yours and writable.")
                throw ExitCode(1)
            }
            var report = ServiceInstallReport(
                unitPath: context.unitPath,
                tutordPath: daemonPath,
                environment: environment.map { "\($0.key)=\($0.value)" },
                enabled: false,
                started: false,
                unitSocket: context.socketPath,
                answering: nil,
                runningDaemon: nil,
                systemctl: [],
                nextSteps: []
            )
            report.runningDaemon = await context.runningDaemon()
            if noEnable {
                report.nextSteps = ["systemctl --user daemon-reload", "systemctl --user enable --now \(SystemdUnit.name)"]
            } else {
                enable(&report)
            }
            if report.started {
                // Wait for the service's socket, so that a `tutor` command run right after this one
                // finds it instead of autostarting a second tutord (which systemd's would then lose to).
                report.answering = await context.waitForDaemon(timeout: .seconds(5))
                if report.answering == false {
                    report.nextSteps = ["systemctl --user status \(SystemdUnit.name)", "journalctl --user -u tutord"]
                }
            }
            if let running = report.runningDaemon, !running.underSystemd {
                // The autostarted daemon must go first, or systemd's tutord finds the socket taken.
                report.nextSteps =
                    report.enabled ? ["tutor stop", "systemctl --user start \(SystemdUnit.name)"] : ["tutor stop"] + report.nextSteps
            }
            if global.json { return try printJSON(report) }
            print("Wrote \(report.unitPath)")
            print("  ExecStart=\(report.tutordPath)")
            for line in report.environment { print("  Environment=\(line)") }
            printOutcome(report)
        }

        /// Runs `daemon-reload` and `enable [--now]`, stopping at the first failure.
        private func enable(_ report: inout ServiceInstallReport) {
            let reload = Systemctl.run(["daemon-reload"])
            report.systemctl.append(reload)
            guard reload.succeeded else {
                report.nextSteps = ["systemctl --user daemon-reload", "systemctl --user enable --now \(SystemdUnit.name)"]
                return
            }
            // A tutord started outside systemd holds the socket; a second one would exit 75, so only enable.
            let startNow = report.runningDaemon == nil
            let enable = Systemctl.run(startNow ? ["enable", "--now", SystemdUnit.name] : ["enable", SystemdUnit.name])
            report.systemctl.append(enable)
            guard enable.succeeded else {
                report.nextSteps = ["systemctl --user enable --now \(SystemdUnit.name)"]
                return
            }
            report.enabled = true
            report.started = startNow
            if report.runningDaemon?.underSystemd == true {
                report.nextSteps = ["systemctl --user restart \(SystemdUnit.name)"]
            }
        }

        private func printOutcome(_ report: ServiceInstallReport) {
            let outside = report.runningDaemon.flatMap { $0.underSystemd ? nil : $0 }
            if let failed = report.systemctl.first(where: { !$0.succeeded }) {
                writeError("`\(failed.command)` failed: \(failed.problem)")
                writeError("The unit file is in place. To enable and start the service, run:")
                for step in report.nextSteps { writeError("  \(step)") }
                return
            }
            if !report.enabled {
                print("Not enabled (--no-enable). To enable and start it, run:")
            } else if let running = report.runningDaemon, running.underSystemd {
                print("Enabled \(SystemdUnit.name). It is already running (pid \(running.pid)); to apply this unit, run:")
            } else if outside == nil, report.answering == false {
                writeError("Enabled and started \(SystemdUnit.name), but no tutord answers at \(report.unitSocket) after 5 s. See:")
                for step in report.nextSteps { writeError("  \(step)") }
                return
            } else if outside == nil {
                print("Enabled and started \(SystemdUnit.name); it starts with your user session.")
                print("Logs: journalctl --user -u tutord")
                return
            } else {
                print("Enabled \(SystemdUnit.name).")
            }
            if let outside {
                print("A tutord started outside systemd (pid \(outside.pid)) already serves \(outside.socketPath).")
                print("Stop it first, so the service can take the socket:")
            }
            for step in report.nextSteps { print("  \(step)") }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show the unit file, its ExecStart, and what systemctl --user says about it."
        )

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = ServiceContext(global: global)
            let text = FileManager.default.contents(atPath: context.unitPath).map { String(decoding: $0, as: UTF8.self) }
            let lines = text?.split(separator: "\n").map(String.init) ?? []
            func values(_ key: String) -> [String] {
                lines.filter { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
            }
            var upToDate: Bool?
            if let text, let daemonPath = SystemdUnit.daemonPath(environment: context.environment) {
                let current = try? SystemdUnit.render(
                    daemonPath: daemonPath, environment: SystemdUnit.assignments(environment: context.environment))
                upToDate = current == text
            }
            let enabled = Systemctl.run(["is-enabled", SystemdUnit.name])
            let active = Systemctl.run(["is-active", SystemdUnit.name])
            let report = ServiceStatusReport(
                unitPath: context.unitPath,
                installed: text != nil,
                execStart: values("ExecStart").first.map { SystemdUnit.unquoted($0, escapeDollar: true) },
                environment: values("Environment").map { SystemdUnit.unquoted($0, escapeDollar: false) },
                upToDate: upToDate,
                enabled: enabled.stdout.isEmpty ? nil : enabled.stdout,
                active: active.stdout.isEmpty ? nil : active.stdout,
                systemctlError: [enabled, active].first { $0.stdout.isEmpty }?.problem,
                socketPath: context.socketPath,
                daemonAnswers: await DaemonLauncher.isReachable(socketPath: context.socketPath)
            )
            if global.json { return try printJSON(report) }
            var rows: [(String, String)] = [
                ("unit file", report.unitPath + (report.installed ? "" : " (not installed; run `tutor service install`)"))
            ]
            if report.installed {
                rows.append(("ExecStart", report.execStart ?? "(missing)"))
                for line in report.environment { rows.append(("environment", line)) }
                switch report.upToDate {
                case true?: rows.append(("up to date", "yes"))
                case false?: rows.append(("up to date", "no: `tutor service install` would write a different unit"))
                case nil: break
                }
            }
            rows.append(("enabled", report.enabled ?? "unknown"))
            rows.append(("active", report.active ?? "unknown"))
            if let problem = report.systemctlError { rows.append(("systemctl", problem)) }
            rows.append(("socket", report.socketPath + (report.daemonAnswers ? " (a tutord answers)" : " (nothing answers)")))
            printTable(rows)
        }
    }

    struct Uninstall: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "uninstall",
            abstract: "Stop and disable the service (when systemctl works) and remove the unit file."
        )

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = ServiceContext(global: global)
            var report = ServiceUninstallReport(
                unitPath: context.unitPath,
                wasInstalled: access(context.unitPath, F_OK) == 0,
                removed: false,
                systemctl: [],
                nextSteps: []
            )
            if report.wasInstalled {
                let disable = Systemctl.run(["disable", "--now", SystemdUnit.name])
                report.systemctl.append(disable)
                if !disable.succeeded { report.nextSteps.append("systemctl --user stop \(SystemdUnit.name)") }
                // What `systemctl disable` removes, in case it could not run.
                let wants = UnitFile.directory(of: context.unitPath) + "/default.target.wants/" + SystemdUnit.name
                var info = stat()
                if lstat(wants, &info) == 0, info.st_mode & S_IFMT == S_IFLNK { unlink(wants) }
                guard unlink(context.unitPath) == 0 || errno == ENOENT else {
                    writeError("tutor: cannot remove \(context.unitPath): \(String(cString: strerror(errno))).")
                    throw ExitCode(1)
                }
                report.removed = true
                let reload = Systemctl.run(["daemon-reload"])
                report.systemctl.append(reload)
                if !reload.succeeded { report.nextSteps.append("systemctl --user daemon-reload") }
            }
            if global.json { return try printJSON(report) }
            guard report.wasInstalled else {
                print("No unit file at \(report.unitPath); nothing to uninstall.")
                return
            }
            print("Removed \(report.unitPath)")
            if let failed = report.systemctl.first(where: { !$0.succeeded }) {
                writeError("`\(failed.command)` failed: \(failed.problem)")
                writeError("If the service was running, stop it and reload systemd by hand:")
                for step in report.nextSteps { writeError("  \(step)") }
            } else {
                print("Stopped and disabled \(SystemdUnit.name).")
            }
        }
    }
}

/// The installing user's view of paths: their environment with `--socket` applied.
struct ServiceContext {
    var environment: [String: String]
    var unitPath: String
    var socketPath: String

    init(global: GlobalOptions) {
        environment = global.environment
        if let socket = global.socket { environment["TUTOR_SOCKET"] = socket }
        unitPath = SystemdUnit.unitPath(environment: environment)
        socketPath = TutorPaths.resolve(environment: environment).socketPath
    }

    /// Whether a daemon answers on the socket within `timeout`.
    func waitForDaemon(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await DaemonLauncher.isReachable(socketPath: socketPath) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// The tutord answering on the socket, if any, and whether systemd runs it as tutord.service.
    func runningDaemon() async -> RunningDaemon? {
        guard await DaemonLauncher.isReachable(socketPath: socketPath),
            let status = try? await TutorConnection.call(socketPath: socketPath, StatusMethod.self, NoParams())
        else { return nil }
        let mainPID = Systemctl.run(["show", "--property=MainPID", "--value", SystemdUnit.name])
        return RunningDaemon(pid: status.pid, socketPath: socketPath, underSystemd: mainPID.succeeded && mainPID.stdout == "\(status.pid)")
    }
}

/// A tutord found serving the socket during `tutor service install`.
struct RunningDaemon: Codable {
    var pid: Int32
    var socketPath: String
    /// Whether it is tutord.service's main process.
    var underSystemd: Bool
}

/// `tutor service install --json`.
struct ServiceInstallReport: Codable {
    var unitPath: String
    var tutordPath: String
    /// The unit's `Environment=` assignments, `KEY=value`.
    var environment: [String]
    var enabled: Bool
    var started: Bool
    /// The socket the service serves (the installer's, given the unit's environment).
    var unitSocket: String
    /// Whether the started service answered on its socket within 5 s (nil when not started here).
    var answering: Bool?
    var runningDaemon: RunningDaemon?
    var systemctl: [SystemctlRun]
    /// Commands still to run by hand, in order; empty when nothing is left to do.
    var nextSteps: [String]
}

/// `tutor service status --json`.
struct ServiceStatusReport: Codable {
    var unitPath: String
    var installed: Bool
    var execStart: String?
    var environment: [String]
    /// Whether the file is what `tutor service install` would write now (nil when not installed).
    var upToDate: Bool?
    /// `systemctl --user is-enabled` (nil when systemctl could not tell).
    var enabled: String?
    /// `systemctl --user is-active` (nil when systemctl could not tell).
    var active: String?
    var systemctlError: String?
    var socketPath: String
    var daemonAnswers: Bool
}

/// `tutor service uninstall --json`.
struct ServiceUninstallReport: Codable {
    var unitPath: String
    var wasInstalled: Bool
    var removed: Bool
    var systemctl: [SystemctlRun]
    var nextSteps: [String]
}

/// One `systemctl --user` invocation and what came of it.
struct SystemctlRun: Codable {
    var command: String
    /// The exit status; nil when systemctl could not be started at all.
    var status: Int32?
    var stdout: String
    var stderr: String

    var succeeded: Bool { status == 0 }

    /// Why it failed, in one line.
    var problem: String {
        guard let status else { return stderr }
        return stderr.isEmpty ? (stdout.isEmpty ? "exit status \(status)" : stdout) : stderr
    }
}

/// `systemctl --user`, run synchronously.
enum Systemctl {
    static func run(_ arguments: [String]) -> SystemctlRun {
        let argv = ["systemctl", "--user"] + arguments
        let command = argv.joined(separator: " ")
        var reason = ""
        guard let result = Subprocess.run(argv, reason: &reason) else {
            return SystemctlRun(command: command, status: nil, stdout: "", stderr: reason)
        }
        return SystemctlRun(command: command, status: result.status, stdout: trimmed(result.stdout), stderr: trimmed(result.stderr))
    }

    private static func trimmed(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingPrefix(while: \.isWhitespace) }.joined(separator: "; ")
    }
}

/// Writing the unit file.
enum UnitFile {
    /// Writes `text` to `path` (mode 0644) through a temporary file and a rename, creating folders.
    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: directory(of: path), withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw UnitFileError(String(cString: strerror(errno))) }
        var bytes = Array(text.utf8)
        let written = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let problem = written == bytes.count ? nil : String(cString: strerror(errno))
        // The umask may have taken bits away; a unit file is world-readable like every other.
        fchmod(descriptor, 0o644)
        close(descriptor)
        if let problem {
            unlink(temporary)
            throw UnitFileError(problem)
        }
        guard rename(temporary, path) == 0 else {
            let problem = String(cString: strerror(errno))
            unlink(temporary)
            throw UnitFileError(problem)
        }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

struct UnitFileError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
