import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Whether the socket at a path can be trusted with the learner's data: the client checks it
/// before it sends anything, because whoever owns the socket path reads every request.
///
/// The path must be a socket owned by the current user, in a folder owned by the user (or root)
/// that neither the group nor others can write. After connecting, the kernel's `SO_PEERCRED` must
/// name the current user as the listener too, which closes the window between the path checks and
/// `connect` (the socket swapped for another user's in between).
public enum SocketTrust {
    /// Why the socket at `path` must not be used, with the fix; nil when it may be (or does not
    /// exist, so that connecting reports that no daemon answers).
    public static func problem(socketPath path: String, uid: UInt32 = getuid()) -> String? {
        var socketStatus = stat()
        guard lstat(path, &socketStatus) == 0 else { return nil }
        let fix =
            "Point TUTOR_SOCKET (or --socket) at a folder only you can write (by default $XDG_RUNTIME_DIR/tutor/tutord.sock)"
        let kind = socketStatus.st_mode & S_IFMT
        if kind == S_IFLNK {
            return "refusing to use \(path): it is a symbolic link, which could lead to anyone's socket. \(fix), or remove the link."
        }
        if socketStatus.st_uid != uid {
            return "refusing to send anything to \(path): the socket belongs to uid \(socketStatus.st_uid), not to you (uid \(uid)), "
                + "so another user may be listening there. \(fix), or remove \(path) if it should be yours."
        }
        let folder = parentFolder(of: path)
        var folderStatus = stat()
        guard stat(folder, &folderStatus) == 0 else { return nil }
        if folderStatus.st_uid != uid && folderStatus.st_uid != 0 {
            return "refusing to use \(path): its folder \(folder) belongs to uid \(folderStatus.st_uid), not to you (uid \(uid)), "
                + "so its owner could replace the socket. \(fix)."
        }
        if folderStatus.st_mode & (S_IWGRP | S_IWOTH) != 0 {
            let mode = String(folderStatus.st_mode & 0o7777, radix: 8)
            return "refusing to use \(path): its folder \(folder) is writable by others (mode \(mode)), so anyone could replace "
                + "the socket. Run `chmod go-w \(folder)`, or point TUTOR_SOCKET (or --socket) at a folder only you can write."
        }
        return nil
    }

    /// Why the listener on `channel` must not be used: nil when the kernel says it runs as `uid`.
    static func peerProblem(channel: any Channel, socketPath: String, uid: UInt32 = getuid()) -> EventLoopFuture<String?> {
        #if os(Linux)
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeSucceededFuture("cannot check who listens at \(socketPath)")
        }
        let credentials: EventLoopFuture<PeerCredentialsMirror> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET),
            name: SocketOptionName(SO_PEERCRED)
        )
        return credentials.map { peer in
            guard peer.uid != uid else { return nil }
            return "refusing to send anything to \(socketPath): the process listening there (pid \(peer.pid)) runs as uid "
                + "\(peer.uid), not as you (uid \(uid)). Point TUTOR_SOCKET (or --socket) at a folder only you can write."
        }
        #else
        return channel.eventLoop.makeSucceededFuture(nil)
        #endif
    }

    static func parentFolder(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }
}

/// glibc's `struct ucred` (pid, uid, gid), which Swift cannot see because glibc declares it only
/// under `_GNU_SOURCE`.
struct PeerCredentialsMirror: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
