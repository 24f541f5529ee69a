#if canImport(Glibc)
import Glibc
#endif

/// Writing a file the learner asked for (`tutor export -o`, `tutor plan --ics/--markdown`) without
/// being turned against another file.
///
/// The bytes go to a new temporary file in the target's folder (created with `O_EXCL | O_NOFOLLOW`,
/// so nothing planted there is followed), are flushed, and the temporary file is renamed over the
/// target: a reader sees the old file or the whole new one, never half. The file is `0600` whatever
/// the umask, since an export holds the learner's whole history. A symbolic link, a device, a FIFO
/// or a folder already at the target is refused, naming it and the fix: tutor replaces only a
/// regular file (or creates one).
public enum PrivateFile {
    /// Writes `bytes` to `path` through a temporary file and a rename.
    /// - Parameters:
    ///   - bytes: the whole content.
    ///   - path: the target; its folder must exist.
    ///   - mode: the permissions of the file written (default `0600`, the owner alone).
    /// - Throws: `ClientError` (`.usage`) naming the path, what is wrong and what to do.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws {
        guard !path.isEmpty else { throw ClientError(.usage, "the output path is empty; name a file to write.") }
        if let problem = targetProblem(path) { throw ClientError(.usage, problem) }
        let folder = folder(of: path)
        let base = path.split(separator: "/").last.map(String.init) ?? path
        var descriptor: Int32 = -1
        var temporary = ""
        for attempt in 0..<16 {
            temporary = folder + "/." + base + ".tmp-\(getpid())-\(attempt)-\(UInt32.random(in: 0...UInt32.max))"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else {
            throw ClientError(
                .usage,
                "cannot write \(path): \(reason(errno)) (creating a temporary file in \(folder)). "
                    + "Check that the folder exists and is yours and writable, or choose another path.")
        }
        var problem: String?
        fchmod(descriptor, mode)
        var offset = 0
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    problem = reason(errno)
                    return
                }
                offset += written
            }
        }
        if problem == nil, fsync(descriptor) != 0 { problem = reason(errno) }
        close(descriptor)
        if problem == nil, let again = targetProblem(path) {
            unlink(temporary)
            throw ClientError(.usage, again)
        }
        if problem == nil, rename(temporary, path) != 0 { problem = reason(errno) }
        if let problem {
            unlink(temporary)
            throw ClientError(.usage, "cannot write \(path): \(problem). Check the disk's free space and the folder's permissions.")
        }
    }

    /// Why `path` must not be replaced: nil when nothing is there or it is a regular file.
    static func targetProblem(_ path: String) -> String? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        let kind = status.st_mode & S_IFMT
        let what: String
        switch kind {
        case S_IFREG: return nil
        case S_IFLNK: what = "a symbolic link (tutor does not write through links, which could point at any file)"
        case S_IFDIR: what = "a folder"
        case S_IFCHR, S_IFBLK: what = "a device"
        case S_IFIFO: what = "a FIFO"
        case S_IFSOCK: what = "a socket"
        default: what = "not a regular file"
        }
        return "refusing to write \(path): it is \(what). Remove it, or choose a path where tutor can create a new file."
    }

    private static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
