import TutorSecrets

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a finished child process printed and how it exited.
struct SubprocessResult {
    /// The exit status, or 128 + the signal number when a signal ended it.
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs short-lived helper programs (`systemctl`) and captures their output.
enum Subprocess {
    /// Runs `arguments[0]` (searched on `PATH`) with the session's part of the CLI's environment
    /// (`ChildEnvironment`: never `TUTOR_LLM_API_KEY` or another secret), stdin from /dev/null.
    ///
    /// - Returns: the result, or `nil` with `reason` filled when the program could not be started
    ///   (for example, it is not installed).
    static func run(_ arguments: [String], reason: inout String) -> SubprocessResult? {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else {
            reason = String(cString: strerror(errno))
            return nil
        }
        guard pipe(&errPipe) == 0 else {
            reason = String(cString: strerror(errno))
            close(outPipe[0])
            close(outPipe[1])
            return nil
        }
        // Close-on-exec (pipe2 is hidden from Swift): the child gets only the dup2'ed copies.
        for descriptor in outPipe + errPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = ChildEnvironment.assignments(from: ProcessInfo.processInfo.environment, for: .session).map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            reason = spawned == ENOENT ? "\(arguments[0]) was not found on PATH" : String(cString: strerror(spawned))
            return nil
        }
        let (stdout, stderr) = readBoth(outPipe[0], errPipe[0])
        close(outPipe[0])
        close(errPipe[0])
        var wait: Int32 = 0
        while waitpid(pid, &wait, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let status = wait & 0x7f == 0 ? (wait >> 8) & 0xff : 128 + (wait & 0x7f)
        return SubprocessResult(status: status, stdout: stdout, stderr: stderr)
    }

    /// Reads two descriptors to end of file together, so neither pipe can fill up and block the child.
    private static func readBoth(_ first: Int32, _ second: Int32) -> (String, String) {
        var buffers: [[UInt8]] = [[], []]
        var open = [true, true]
        let descriptors = [first, second]
        var chunk = [UInt8](repeating: 0, count: 4096)
        while open.contains(true) {
            var polls = descriptors.enumerated().map { index, descriptor in
                pollfd(fd: open[index] ? descriptor : -1, events: Int16(POLLIN), revents: 0)
            }
            guard poll(&polls, 2, -1) >= 0 else {
                if errno == EINTR { continue }
                break
            }
            for index in 0..<2 where open[index] && polls[index].revents != 0 {
                let count = read(descriptors[index], &chunk, chunk.count)
                if count > 0 {
                    buffers[index] += chunk[0..<count]
                } else if count == 0 || errno != EINTR {
                    open[index] = false
                }
            }
        }
        return (String(decoding: buffers[0], as: UTF8.self), String(decoding: buffers[1], as: UTF8.self))
    }
}
