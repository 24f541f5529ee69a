#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock that proves this is the only `tutord` serving a socket, or using a data folder.
///
/// The lock is an `flock` on a file (`<socket>.lock`, `<data>/tutord.lock`), released by the kernel
/// when the process dies, so a killed daemon never leaves a lock that blocks the next one. The file
/// holds the owner's pid and socket. It is opened with `O_NOFOLLOW` and must be a regular file of
/// the daemon's own user with one link: a symbolic or hard link planted at the path would make the
/// daemon truncate and write whatever it points to, so it is refused and left untouched.
public final class InstanceLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock beside the socket.
    ///
    /// - Throws: ``DaemonError`` with code `alreadyRunning` naming the running daemon's pid.
    public convenience init(socketPath: String) throws(DaemonError) {
        try self.init(path: socketPath + ".lock", socketPath: socketPath) { pid, _ in
            "another tutord (pid \(pid)) is already serving \(socketPath). Stop it first with `tutor stop`, or give this one another --socket."
        }
    }

    /// Takes the lock of the data folder, so two daemons never share one database.
    ///
    /// - Throws: ``DaemonError`` with code `alreadyRunning` naming the running daemon's pid and socket.
    public convenience init(dataDirectory: String, socketPath: String) throws(DaemonError) {
        try self.init(path: dataDirectory + "/tutord.lock", socketPath: socketPath) { pid, otherSocket in
            "another tutord (pid \(pid)) already uses the data folder \(dataDirectory), serving \(otherSocket ?? "another socket"). "
                + "Two daemons on one database would corrupt each other's work: stop it first (`tutor stop --socket \(otherSocket ?? "<its socket>")`), "
                + "or give this one another data folder (TUTOR_DATA_DIR)."
        }
    }

    private init(path: String, socketPath: String, taken: (String, String?) -> String) throws(DaemonError) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP {
                throw DaemonError(
                    .cannotPrepareFolder,
                    "refusing the lock file \(path): it is a symbolic link, and following it would overwrite its target. Remove the link (`rm \(path)`) and start tutord again."
                )
            }
            throw DaemonError(.cannotPrepareFolder, "cannot create the lock file \(path): \(String(cString: strerror(code))).")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == getuid(), info.st_nlink == 1 else {
            close(fd)
            throw DaemonError(
                .cannotPrepareFolder,
                "refusing the lock file \(path): it is not a regular file of yours with a single link (uid \(info.st_uid), \(info.st_nlink) links), so writing it could change another file. Remove it (`rm \(path)`) and start tutord again."
            )
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 4200)
            let count = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let lines = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n").map(String.init) : []
            let pid = lines.first?.trimmingWhitespace() ?? "unknown"
            throw DaemonError(.alreadyRunning, taken(pid.isEmpty ? "unknown" : pid, lines.count > 1 ? lines[1] : nil))
        }
        let owner = Array("\(getpid())\n\(socketPath)\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, owner, owner.count, 0)
        descriptor = fd
    }

    /// Releases the lock (also released by the kernel if the process dies).
    public func release() {
        _ = ftruncate(descriptor, 0)
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
