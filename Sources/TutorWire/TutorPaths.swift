/// Where Tutor keeps its files, resolved from the environment the way both `tutor` and `tutord` must agree on.
///
/// - config: `TUTOR_CONFIG`, else `$XDG_CONFIG_HOME/tutor/config.yaml`, else `~/.config/tutor/config.yaml`
/// - data: `TUTOR_DATA_DIR`, else `$XDG_DATA_HOME/tutor`, else `~/.local/share/tutor`
/// - socket: `TUTOR_SOCKET`, else `$XDG_RUNTIME_DIR/tutor/tutord.sock`, else `<data>/tutord.sock`
public struct TutorPaths: Sendable, Equatable {
    public var configFile: String
    public var dataDirectory: String
    public var socketPath: String

    /// The longest path a Unix domain socket address can hold on Linux (`sun_path` less its terminator).
    public static let maximumSocketPathBytes = 107

    public init(configFile: String, dataDirectory: String, socketPath: String) {
        self.configFile = configFile
        self.dataDirectory = dataDirectory
        self.socketPath = socketPath
    }

    /// Resolves the paths from an environment dictionary (pass the process environment in production).
    public static func resolve(environment: [String: String]) -> TutorPaths {
        func nonEmpty(_ key: String) -> String? {
            guard let value = environment[key], !value.isEmpty else { return nil }
            return value
        }
        let home = nonEmpty("HOME") ?? "/tmp"
        let configHome = nonEmpty("XDG_CONFIG_HOME") ?? home + "/.config"
        let dataHome = nonEmpty("XDG_DATA_HOME") ?? home + "/.local/share"
        let config = nonEmpty("TUTOR_CONFIG") ?? configHome + "/tutor/config.yaml"
        let data = nonEmpty("TUTOR_DATA_DIR") ?? dataHome + "/tutor"
        let socket: String
        if let explicit = nonEmpty("TUTOR_SOCKET") {
            socket = explicit
        } else if let runtime = nonEmpty("XDG_RUNTIME_DIR") {
            socket = runtime + "/tutor/tutord.sock"
        } else {
            socket = data + "/tutord.sock"
        }
        return TutorPaths(configFile: config, dataDirectory: data, socketPath: socket)
    }

    /// Checks that a socket path fits in a socket address; returns a message naming the fix when it does not.
    public static func socketPathProblem(_ path: String) -> String? {
        let length = path.utf8.count
        guard length > maximumSocketPathBytes else { return nil }
        return "the socket path \(path) is \(length) bytes long, more than the \(maximumSocketPathBytes) a Unix socket allows; "
            + "set TUTOR_SOCKET (or --socket) to a shorter path"
    }
}
