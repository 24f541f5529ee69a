import TutorWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Finds and starts `tutord` in the background when no daemon answers, then waits for its socket.
public enum DaemonLauncher {
    /// `tutord` beside the running executable, else the first one on `PATH`.
    public static func locateDaemon(environment: [String: String]) -> String? {
        if let own = ownExecutablePath() {
            let candidate = directory(of: own) + "/tutord"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        for folder in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = String(folder) + "/tutord"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Starts `executable` detached from this terminal (new session, stdin from /dev/null, output
    /// appended to `logPath`), then waits until `socketPath` accepts connections.
    ///
    /// - Throws: ``ClientError`` `unreachable` saying why, with the end of the daemon's log when it exited.
    public static func start(
        executable: String,
        arguments: [String],
        socketPath: String,
        logPath: String,
        timeout: Duration = .seconds(5)
    ) async throws -> Int32 {
        makeFolders(directory(of: logPath))
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The daemon outlives us: it must not keep any descriptor we inherited (a parent's pipe
        // held open by the daemon would make that parent wait for us forever).
        for descriptor in inheritedDescriptors() where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        // A new session, so Ctrl-C in this terminal never reaches the daemon; default signal handling.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        let setsid: Int16 = 0x80  // POSIX_SPAWN_SETSID, hidden from Swift behind _GNU_SOURCE
        posix_spawnattr_setflags(&attributes, setsid | Int16(POSIX_SPAWN_SETSIGDEF) | Int16(POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard status == 0 else {
            throw ClientError(
                .unreachable,
                "cannot start \(executable) with its log at \(logPath): \(String(cString: strerror(status))). Check that both paths exist and are yours."
            )
        }

        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await isReachable(socketPath: socketPath) { return pid }
            var exitStatus: Int32 = 0
            if waitpid(pid, &exitStatus, WNOHANG) == pid {
                throw ClientError(
                    .unreachable,
                    "tutord exited during start-up. Its last words (\(logPath)):\n" + tail(of: logPath, lines: 5)
                )
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        throw ClientError(
            .unreachable,
            "tutord (pid \(pid)) did not open \(socketPath) within \(timeout); see \(logPath)"
        )
    }

    /// Whether something accepts connections on `socketPath`, or sits there that this client
    /// refuses to talk to (``SocketTrust``): then the caller's next connection says why, instead of
    /// a start-up waiting in vain.
    public static func isReachable(socketPath: String) async -> Bool {
        do {
            try await TutorConnection.with(socketPath: socketPath) { _ in }
            return true
        } catch let error as ClientError where error.code == .untrustedSocket {
            return true
        } catch {
            return false
        }
    }

    static func ownExecutablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return CommandLine.arguments.first }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether process `pid` is still running (a zombie waiting to be reaped counts as gone).
    public static func isAlive(pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return true }
        let text = String(decoding: stat, as: UTF8.self)
        // The state follows the parenthesised command name: "pid (comm) S ...".
        guard let close = text.lastIndex(of: ")") else { return true }
        let state = text[text.index(after: close)...].drop(while: { $0 == " " }).first
        return state != "Z" && state != "X"
    }

    /// Open descriptors of this process that an exec would pass on (those without close-on-exec).
    static func inheritedDescriptors() -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return [] }
        return entries.compactMap { Int32($0) }.filter { descriptor in
            let flags = fcntl(descriptor, F_GETFD)
            return flags >= 0 && flags & FD_CLOEXEC == 0
        }
    }

    /// Creates `folder` and its missing parents, owner-only (0700).
    static func makeFolders(_ folder: String) {
        var built = ""
        for component in folder.split(separator: "/") {
            built += "/" + component
            _ = mkdir(built, 0o700)
        }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func tail(of path: String, lines: Int) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "(no log)" }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
