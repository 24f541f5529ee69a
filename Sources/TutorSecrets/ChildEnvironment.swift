/// The environment a helper program (`pdftotext`, `notify-send`, `systemctl`) is started with: the
/// few variables it needs, never everything the daemon or the CLI was given.
///
/// The daemon's environment holds secrets (`TUTOR_LLM_API_KEY`, `TUTOR_LLM_EXTRA_HEADERS`, a webhook
/// URL with its token in `TUTOR_NOTIFY_WEBHOOK_URL`), and a child inherits whatever it is handed, so
/// children are handed an allow-list: `PATH`, `HOME`, `USER`, `LOGNAME`, `TMPDIR`, `TZ` and the
/// locale (`LANG`, `LANGUAGE`, `LC_*`), plus, for programs that talk to the user's session, the
/// session's bus and display (`DBUS_SESSION_BUS_ADDRESS`, `DISPLAY`, `WAYLAND_DISPLAY`,
/// `XDG_RUNTIME_DIR`) and the XDG base folders (`systemctl --user enable` finds units through them).
public enum ChildEnvironment {
    /// What a child needs beyond files and the locale.
    public enum Needs: Sendable {
        /// A program that reads files and writes its output (`pdftotext`).
        case files
        /// A program that talks to the user's desktop session or service manager (`notify-send`, `systemctl --user`).
        case session
    }

    /// The variables every child gets, when they are set.
    public static let basic: Set<String> = ["PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "TZ", "LANG", "LANGUAGE"]
    /// The variables a session program also gets.
    public static let session: Set<String> = [
        "DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
        "XDG_CONFIG_DIRS", "XDG_DATA_DIRS",
    ]

    /// The allowed subset of `environment` for a child with these `needs`.
    public static func minimal(from environment: [String: String], for needs: Needs) -> [String: String] {
        environment.filter { key, _ in
            basic.contains(key) || key.hasPrefix("LC_") || (needs == .session && session.contains(key))
        }
    }

    /// The same, as `KEY=value` strings for `posix_spawn`.
    public static func assignments(from environment: [String: String], for needs: Needs) -> [String] {
        minimal(from: environment, for: needs).map { "\($0.key)=\($0.value)" }.sorted()
    }
}
