import TutorClient

#if canImport(Glibc)
import Glibc
#endif

/// The systemd user unit `tutor service install` writes, and how it is rendered.
enum SystemdUnit {
    /// The unit's name, as systemctl knows it.
    static let name = "tutord.service"

    /// The unit template. It must stay identical to `Tools/systemd/tutord.service`, which documents
    /// it; an end-to-end test (`ServiceTests`) compares the two.
    static let template = """
        # tutord as a systemd user service. `tutor service install` writes this file to
        # ~/.config/systemd/user/tutord.service with @TUTORD@ replaced by the absolute path of tutord, and
        # adds Environment= lines after ExecStart for the installer's TUTOR_DATA_DIR, TUTOR_SOCKET,
        # TUTOR_CONFIG, XDG_DATA_HOME and XDG_CONFIG_HOME when set. Docs/service.md explains each line.

        [Unit]
        Description=Tutor daemon (tutord), the study coach behind the tutor CLI
        # Give up after 5 starts within 5 minutes, until `systemctl --user reset-failed tutord`.
        StartLimitIntervalSec=300
        StartLimitBurst=5

        [Service]
        # tutord does not speak sd_notify; it binds its socket a moment after it starts.
        Type=simple
        ExecStart=@TUTORD@
        # tutord reloads its configuration on SIGHUP (`systemctl --user reload tutord`).
        ExecReload=/bin/kill -HUP $MAINPID
        # Restart after a crash or an error exit, not after a clean stop (`tutor stop`, SIGTERM).
        Restart=on-failure
        RestartSec=5
        # A restart cannot fix these: 75 another tutord already serves the socket, 78 invalid configuration.
        RestartPreventExitStatus=75 78
        # Covers the longest daemon.shutdown_timeout (300 s) plus tutord's 1 s cancellation bound.
        TimeoutStopSec=310
        # tutord logs to stderr; journald keeps it with timestamps: journalctl --user -u tutord.
        StandardOutput=journal
        StandardError=journal
        # Files tutord creates are owner-only (tutord also sets umask 077 itself).
        UMask=0077

        # Sandboxing limited to what an unprivileged user manager enforces (prctl and seccomp). Namespace
        # options (ProtectSystem=, ProtectHome=, PrivateTmp=, PrivateDevices=, ProtectKernel*=) are left
        # out: in a user unit they need unprivileged user namespaces, which many distributions restrict.
        # No privilege gain through setuid, setgid or file capabilities, for tutord or what it runs.
        NoNewPrivileges=yes
        # No creating setuid or setgid files.
        RestrictSUIDSGID=yes
        # No changing the execution domain (personality(2)).
        LockPersonality=yes
        # No realtime scheduling.
        RestrictRealtime=yes
        # No creating namespaces; tutord needs none.
        RestrictNamespaces=yes
        # Native system calls only (no 32-bit ABI to slip past the filters above).
        SystemCallArchitectures=native
        # AF_UNIX for tutord's socket, AF_INET and AF_INET6 for an LLM endpoint, AF_NETLINK for getaddrinfo.
        RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK

        [Install]
        WantedBy=default.target
        """

    /// The environment variables copied into the unit when the installing user has them set, so
    /// the service uses the same data folder, socket and config file as this user's `tutor`.
    static let pinnedVariables = ["TUTOR_DATA_DIR", "TUTOR_SOCKET", "TUTOR_CONFIG", "XDG_DATA_HOME", "XDG_CONFIG_HOME"]

    /// Where the unit goes: `$XDG_CONFIG_HOME/systemd/user/tutord.service`, else under `~/.config`.
    static func unitPath(environment: [String: String]) -> String {
        let configHome =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (environment["HOME"] ?? "/tmp") + "/.config"
        return configHome + "/systemd/user/" + name
    }

    /// The `Environment=` assignments for `environment`: every pinned variable that is set and not empty.
    static func assignments(environment: [String: String]) -> [(key: String, value: String)] {
        pinnedVariables.compactMap { key in
            guard let value = environment[key], !value.isEmpty else { return nil }
            return (key, value)
        }
    }

    /// The unit text for `tutord` at `daemonPath`, with one `Environment=` line per assignment after `ExecStart=`.
    ///
    /// - Throws: ``ClientError`` `usage` when a path holds a control character (a unit file cannot carry one).
    static func render(daemonPath: String, environment: [(key: String, value: String)]) throws -> String {
        for text in [daemonPath] + environment.map(\.value)
        where text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            throw ClientError(
                .usage, "the path \(text.debugDescription) holds a control character, which a systemd unit cannot carry; use another path")
        }
        let execStart = "ExecStart=" + quoted(daemonPath, escapeDollar: true)
        let lines = [execStart] + environment.map { "Environment=" + quoted($0.key + "=" + $0.value, escapeDollar: false) }
        return template.replacing("ExecStart=@TUTORD@", with: lines.joined(separator: "\n")) + "\n"
    }

    /// `text` as one word of a unit file: `%` doubled (specifiers), `$` doubled in command lines
    /// (variable expansion), and in double quotes with C escapes when it holds a space, quote or backslash.
    static func quoted(_ text: String, escapeDollar: Bool) -> String {
        var escaped = text.replacing("%", with: "%%")
        if escapeDollar { escaped = escaped.replacing("$", with: "$$") }
        guard escaped.contains(where: { $0 == " " || $0 == "\"" || $0 == "\\" || $0 == "'" }) else { return escaped }
        escaped = escaped.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
        return "\"" + escaped + "\""
    }

    /// The inverse of ``quoted(_:escapeDollar:)``, for showing a value as the service sees it.
    static func unquoted(_ word: String, escapeDollar: Bool) -> String {
        var text = word
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
            text = String(text.dropFirst().dropLast()).replacing("\\\"", with: "\"").replacing("\\\\", with: "\\")
        }
        if escapeDollar { text = text.replacing("$$", with: "$") }
        return text.replacing("%%", with: "%")
    }

    /// The `tutord` the unit should start: beside this `tutor` or on `PATH`, symlinks resolved.
    static func daemonPath(environment: [String: String]) -> String? {
        guard let found = DaemonLauncher.locateDaemon(environment: environment) else { return nil }
        guard let resolved = realpath(found, nil) else { return found }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
