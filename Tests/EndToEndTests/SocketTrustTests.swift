import Foundation
import Testing
import TutorTesting

#if canImport(Glibc)
import Glibc
#endif

/// The client sends nothing to a socket that is not safely the user's own.
@Suite("The client checks whose socket it talks to", .serialized)
struct SocketTrustTests {
    @Test("a socket in a folder others can write is refused before anything is sent, naming the folder and the fix")
    func sharedFolder() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let folder = daemon.root + "/run/tutor"
        chmod(folder, 0o777)
        let refused = try await daemon.runCLI(["status", "--no-autostart"])
        #expect(refused.status == 3, "stdout: \(refused.stdout) stderr: \(refused.stderr)")
        #expect(refused.stderr.contains(folder) && refused.stderr.contains("writable by others"), "\(refused.stderr)")
        #expect(refused.stderr.contains("chmod go-w \(folder)"), "\(refused.stderr)")
        #expect(!refused.stdout.contains("pid"))
        chmod(folder, 0o700)
        let served = try await daemon.runCLI(["status", "--no-autostart"])
        #expect(served.status == 0, "\(served.stderr)")
        try await daemon.stop()
    }

    @Test("starting a daemon on a socket in a shared folder ends with the same clear refusal, not a start-up timeout")
    func autostartInSharedFolder() async throws {
        let daemon = try TemporaryDaemon()
        defer { daemon.removeFiles() }
        let folder = daemon.root + "/shared"
        mkdir(folder, 0o777)
        chmod(folder, 0o777)
        let socketPath = folder + "/tutord.sock"
        daemon.environment["TUTOR_SOCKET"] = socketPath
        let refused = try await daemon.runCLI(["status"])
        // The daemon it started serves that socket: stop it by the pid in its lock.
        let lock = (try? String(contentsOfFile: socketPath + ".lock", encoding: .utf8)) ?? ""
        if let pid = Int32(lock.split(separator: "\n").first ?? "") { kill(pid, SIGKILL) }
        #expect(refused.status == 3, "stdout: \(refused.stdout) stderr: \(refused.stderr)")
        #expect(refused.stderr.contains("\(folder) is writable by others"), "\(refused.stderr)")
    }

    @Test(
        "another user's listener is refused, by the socket's owner and by SO_PEERCRED, and receives nothing",
        .enabled(
            if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        )
    )
    func otherUsersListener() async throws {
        var template = Array("/tmp/tutor-trust-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestingError("mkdtemp failed") }
        let root = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: root) }
        chmod(root, 0o711)
        let theirs = root + "/theirs", mine = root + "/mine"
        mkdir(theirs, 0o700)
        chown(theirs, 65534, 65534)
        mkdir(mine, 0o700)
        // A fake daemon run by uid 65534 that counts every byte it is sent.
        let script = """
            import socket, sys, time
            s = socket.socket(socket.AF_UNIX)
            s.bind("\(theirs)/fake.sock")
            s.listen(8)
            s.settimeout(0.2)
            received = 0
            deadline = time.time() + 20
            while time.time() < deadline:
                try:
                    connection, _ = s.accept()
                except socket.timeout:
                    continue
                connection.settimeout(1)
                try:
                    while True:
                        data = connection.recv(65536)
                        if not data:
                            break
                        received += len(data)
                except socket.timeout:
                    pass
                connection.close()
                with open("\(theirs)/received", "w") as f:
                    f.write(str(received))
            """
        let fake = Process()
        fake.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        fake.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script]
        try fake.run()
        defer { if fake.isRunning { fake.terminate() } }
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: theirs + "/fake.sock") {
            try await Task.sleep(for: .milliseconds(10))
        }
        // Moved into a folder of ours: only the socket's owner gives it away.
        let socketPath = mine + "/tutord.sock"
        #expect(rename(theirs + "/fake.sock", socketPath) == 0)
        let environment = try TemporaryDaemon().environment
        var env = environment
        env["TUTOR_SOCKET"] = socketPath
        let byOwner = try await TemporaryDaemon.run(
            executable: TemporaryDaemon.binaryFolder + "/tutor", arguments: ["status", "--no-autostart"], environment: env)
        #expect(byOwner.status == 3, "stdout: \(byOwner.stdout) stderr: \(byOwner.stderr)")
        #expect(byOwner.stderr.contains("belongs to uid 65534") && byOwner.stderr.contains(socketPath), "\(byOwner.stderr)")

        // Made to look like ours: the kernel still says who listens.
        chown(socketPath, 0, 0)
        let byPeer = try await TemporaryDaemon.run(
            executable: TemporaryDaemon.binaryFolder + "/tutor", arguments: ["chat", "--no-autostart", "-m", "my secret plan"],
            environment: env)
        #expect(byPeer.status == 3, "stdout: \(byPeer.stdout) stderr: \(byPeer.stderr)")
        #expect(byPeer.stderr.contains("runs as uid 65534"), "\(byPeer.stderr)")

        try await Task.sleep(for: .milliseconds(1500))
        let received = (try? String(contentsOfFile: theirs + "/received", encoding: .utf8)) ?? "0"
        #expect(received == "0", "the other user's listener received \(received) bytes")
        if let home = env["HOME"] { try? FileManager.default.removeItem(atPath: home) }
    }
}
