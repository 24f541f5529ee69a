#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock beside the socket that proves this is the only `tutord` serving it.
///
/// The lock is an `flock` on `<socket>.lock`, released by the kernel when the process dies, so a
/// killed daemon never leaves a lock that blocks the next one. The file holds the owner's pid.
public final class InstanceLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock.
    ///
    /// - Throws: ``DaemonError`` with code `alreadyRunning` naming the running daemon's pid.
    public init(socketPath: String) throws(DaemonError) {
        path = socketPath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw DaemonError(.cannotPrepareFolder, "cannot create the lock file \(path): \(String(cString: strerror(errno))).")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let pid = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self).trimmingWhitespace() : "unknown"
            throw DaemonError(
                .alreadyRunning,
                "another tutord (pid \(pid)) is already serving \(socketPath). Stop it first with `tutor stop`, or give this one another --socket."
            )
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
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
