import Foundation
import Testing
import TutorClient
import TutorStore
import TutorTesting
import TutorWire

#if canImport(Glibc)
import Glibc
#endif

/// Hostile and sloppy input on the socket: each gets a JSON-RPC error and the daemon goes on.
@Suite("Socket protocol", .serialized)
struct ProtocolTests {
    private func code(_ reply: [String: Any]?) -> Int? {
        (reply?["error"] as? [String: Any])?["code"] as? Int
    }

    private func message(_ reply: [String: Any]?) -> String {
        (reply?["error"] as? [String: Any])?["message"] as? String ?? ""
    }

    @Test("garbage, bad UTF-8, oversized lines, unknown methods and bad params each get an error; the connection goes on")
    func badFrames() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let socket = try RawSocket(path: daemon.socketPath)

        try socket.send("this is not json\n")
        var reply = try await socket.readJSON()
        #expect(code(reply) == -32700)
        #expect(reply?["id"] is NSNull)

        try socket.send([0x7B, 0xFF, 0xFE, 0x7D, 0x0A])
        reply = try await socket.readJSON()
        #expect(code(reply) == -32700)
        #expect(message(reply).contains("UTF-8"))

        // 1 MiB + 1 byte of line, sent in pieces, then the newline.
        let big =
            [UInt8]("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"status\",\"params\":{\"pad\":\"".utf8)
            + [UInt8](repeating: UInt8(ascii: "a"), count: JSONRPC.maximumLineBytes)
        for start in stride(from: 0, to: big.count, by: 65536) {
            try socket.send(Array(big[start..<min(start + 65536, big.count)]))
        }
        try socket.send("\"}}\n")
        reply = try await socket.readJSON()
        #expect(code(reply) == -32600)
        #expect(message(reply).contains("1 MiB"))

        // "id": null is refused with an error whose id is null, and the call does not run.
        try socket.send("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"goal.add\",\"params\":{\"text\":\"first-apps\"}}\n")
        reply = try await socket.readJSON()
        #expect(code(reply) == -32600)
        #expect(reply?["id"] is NSNull)
        #expect(message(reply).contains("\"id\" is null"), "\(message(reply))")
        let goals = try await daemon.runCLI(["goal", "list", "--json"])
        #expect(!goals.stdout.contains("first-apps"), "the call with a null id ran: \(goals.stdout)")

        try socket.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"teach.me\"}\n")
        reply = try await socket.readJSON()
        #expect(code(reply) == -32601)
        #expect(reply?["id"] as? Int == 2)
        #expect(message(reply).contains("teach.me"))

        try socket.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"status\",\"params\":{\"verbose\":true}}\n")
        reply = try await socket.readJSON()
        #expect(code(reply) == -32602)
        #expect(message(reply).contains("verbose"))

        try socket.send("{\"jsonrpc\":\"2.0\",\"id\":\"split-")
        try await Task.sleep(for: .milliseconds(50))
        try socket.send("across-reads\",\"method\":\"status\"}\n")
        reply = try await socket.readJSON()
        #expect(reply?["id"] as? String == "split-across-reads")
        #expect((reply?["result"] as? [String: Any])?["pid"] as? Int32 == daemon.process?.processIdentifier)

        // And a fresh client is served as usual.
        let status = try await TutorConnection.call(socketPath: daemon.socketPath, StatusMethod.self, NoParams())
        #expect(status.schemaVersion == Store.migrationNames.count)
        try await daemon.stop()
    }

    @Test("an idle connection is told why and closed after the idle timeout")
    func idleTimeout() async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_IDLE_TIMEOUT": "1"])
        defer { daemon.removeFiles() }
        let socket = try RawSocket(path: daemon.socketPath)
        let notice = try await socket.readJSON()
        #expect(code(notice) == RPCError.idleTimeoutCode)
        #expect(await socket.waitForClose())
        #expect(await DaemonLauncher.isReachable(socketPath: daemon.socketPath))
        try await daemon.stop()
    }

    @Test("connections over the cap are refused with a message; the others keep working")
    func connectionCap() async throws {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_MAX_CONNECTIONS": "2"])
        defer { daemon.removeFiles() }
        // The start-up probe's connection must be gone before counting starts.
        try await Task.sleep(for: .milliseconds(300))
        let first = try RawSocket(path: daemon.socketPath)
        let second = try RawSocket(path: daemon.socketPath)
        // Make sure both are being served before the third arrives.
        for socket in [first, second] {
            try socket.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}\n")
            let reply = try await socket.readJSON()
            #expect(reply?["result"] != nil)
        }
        let third = try RawSocket(path: daemon.socketPath)
        let refusal = try await third.readJSON()
        #expect(code(refusal) == RPCError.busyCode)
        #expect(message(refusal).contains("at most 2"))
        #expect(await third.waitForClose())
        try first.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"status\"}\n")
        let reply = try await first.readJSON()
        #expect(reply?["result"] != nil)
        try await daemon.stop()
    }

    @Test(
        "a connection from another user is refused by the peer-uid check",
        .enabled(
            if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        )
    )
    func otherUserRefused() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        // The daemon makes its socket 0600 just after it starts accepting: wait for that, then open
        // the file permissions on purpose, so only the peer-uid check stands in the way.
        for _ in 0..<500 where !daemon.log.contains("listening") { try await Task.sleep(for: .milliseconds(10)) }
        for folder in [daemon.root, daemon.root + "/run", daemon.root + "/run/tutor"] { chmod(folder, 0o755) }
        chmod(daemon.socketPath, 0o666)
        let script = """
            import socket, sys, time
            # Connect errors are retried briefly and reported; the refusal itself must come from the daemon.
            for attempt in range(5):
                try:
                    s = socket.socket(socket.AF_UNIX)
                    s.settimeout(20)
                    s.connect("\(daemon.socketPath)")
                    break
                except OSError as error:
                    import os
                    path = "\(daemon.socketPath)"
                    modes = []
                    while path not in ("", "/"):
                        try:
                            modes.append(path + " " + oct(os.stat(path).st_mode))
                        except OSError as stat_error:
                            modes.append(path + " " + str(stat_error))
                        path = os.path.dirname(path)
                    print("connect attempt", attempt, "failed:", error, modes, file=sys.stderr)
                    time.sleep(0.2)
            # The daemon speaks first: a refusal, then it closes. Sending could race with the close.
            print(s.makefile().readline().strip())
            """
        let result = try await TemporaryDaemon.run(
            executable: "/usr/bin/setpriv",
            arguments: ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script],
            environment: daemon.environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\(RPCError.forbiddenCode)"), "stdout: \(result.stdout) stderr: \(result.stderr) log: \(daemon.log)")
        #expect(result.stdout.contains("serves only its owner"))
        #expect(!result.stdout.contains("\"result\""))
        #expect(daemon.log.contains("refused a connection from another user"))
        try await daemon.stop()
    }
}
