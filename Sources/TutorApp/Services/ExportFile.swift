#if canImport(Glibc)
import Glibc
#endif

/// Reading an export file the client names (`import` with a `path`), so that a backup of any size
/// restores: the request carries the path, not the bytes, and the 1 MiB request line never limits it.
///
/// The daemon reads the file with its own credentials, and it serves only its own user (every
/// connection from another uid is refused, by `SO_PEERCRED`, before a request is read), so what it
/// can read is what the user who asked can read. The path must be absolute and name a regular file
/// (a link is followed, as the user's own shell would); the file may be at most
/// ``maximumBytes`` long.
enum ExportFile {
    /// The largest export accepted: far above any learner's history, below what would exhaust memory.
    static let maximumBytes = 1 << 30

    /// The bytes of the export at `path`.
    /// - Throws: `AppError` (`.badInput`) naming the path, what is wrong and what to do.
    static func read(_ path: String) throws(AppError) -> [UInt8] {
        guard path.hasPrefix("/") else {
            throw .badInput("the export path '\(path)' is not absolute; give the full path of the file from `tutor export`.")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw .badInput("cannot read the export \(path): \(String(cString: strerror(errno))). Check the path and its permissions.")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw .badInput("\(path) is not a regular file; give the file `tutor export -o` wrote.")
        }
        let size = Int(status.st_size)
        guard size <= maximumBytes else {
            throw .badInput("\(path) is \(size) bytes, more than the \(maximumBytes >> 20) MiB an export may be; is it a Tutor export?")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var offset = 0
        while offset < size {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + offset, size - offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw .badInput("cannot read the export \(path) to its end: \(count < 0 ? String(cString: strerror(errno)) : "it shrank").")
            }
            offset += count
        }
        return bytes
    }
}
