import Foundation
import TutorClient
import TutorWire

#if canImport(Glibc)
import Glibc
#endif

/// A real `tutord` process on a temporary socket and data folder, for end-to-end tests and benchmarks.
///
/// Every instance gets its own folder under `/tmp` (short, so the socket path fits), its own
/// environment (no inherited `TUTOR_*` or `XDG_*` values), and is stopped by ``stop(signal:timeout:)``
/// or ``kill()``. Call ``removeFiles()`` when done.
public final class TemporaryDaemon: @unchecked Sendable {
    /// The temporary root holding `config/`, `data/` and `run/`.
    public let root: String
    public let socketPath: String
    public let dataDirectory: String
    public let configFile: String
    /// The environment the daemon and any CLI run through ``runCLI(_:)`` get; a change applies
    /// from the next ``launch(arguments:timeout:)`` (for a restart with other settings).
    public var environment: [String: String]
    public private(set) var process: Process?
    private var logPipe = Pipe()
    private let logBuffer = LockedBuffer()

    /// Creates the folders without starting anything.
    public init(extraEnvironment: [String: String] = [:], configYAML: String? = nil) throws {
        var template = Array("/tmp/tutor-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestingError("mkdtemp failed: \(errno)") }
        root = String(cString: made)
        socketPath = root + "/run/tutor/tutord.sock"
        dataDirectory = root + "/data/tutor"
        configFile = root + "/config/tutor/config.yaml"
        try FileManager.default.createDirectory(atPath: root + "/config/tutor", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/run", withIntermediateDirectories: true)
        if let configYAML {
            try configYAML.write(toFile: configFile, atomically: true, encoding: .utf8)
            chmod(configFile, 0o600)
        }
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("TUTOR_") && !key.hasPrefix("XDG_") && key != "OPENAI_API_KEY"
        }
        environment["HOME"] = root
        environment["XDG_CONFIG_HOME"] = root + "/config"
        environment["XDG_DATA_HOME"] = root + "/data"
        environment["XDG_RUNTIME_DIR"] = root + "/run"
        environment["PATH"] = Self.binaryFolder + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        for (key, value) in extraEnvironment { environment[key] = value }
        self.environment = environment
    }

    /// Creates the folders and starts `tutord`, returning once its socket accepts connections.
    public static func start(
        extraEnvironment: [String: String] = [:],
        configYAML: String? = nil,
        arguments: [String] = []
    ) async throws -> TemporaryDaemon {
        let daemon = try TemporaryDaemon(extraEnvironment: extraEnvironment, configYAML: configYAML)
        try await daemon.launch(arguments: arguments)
        return daemon
    }

    /// Starts `tutord` and waits (up to `timeout`) for its socket.
    public func launch(arguments: [String] = [], timeout: Duration = .seconds(20)) async throws {
        let process = Process()
        logPipe = Pipe()
        process.executableURL = URL(fileURLWithPath: Self.binaryFolder + "/tutord")
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = logPipe
        process.standardError = logPipe
        let buffer = logBuffer
        logPipe.fileHandleForReading.readabilityHandler = { handle in
            buffer.append(handle.availableData)
        }
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await DaemonLauncher.isReachable(socketPath: socketPath) { return }
            if !process.isRunning {
                throw TestingError("tutord exited with \(process.terminationStatus) during start-up:\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestingError("tutord did not open \(socketPath) within \(timeout):\n\(log)")
    }

    /// Everything the daemon wrote to stdout and stderr so far.
    public var log: String { logBuffer.text }

    /// Sends `signal` and waits for the process to exit; returns its exit status and how long it took.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(15)) async throws -> (status: Int32, elapsed: Duration) {
        guard let process else { throw TestingError("the daemon was never started") }
        let started = ContinuousClock.now
        if process.isRunning { Glibc.kill(process.processIdentifier, signal) }
        while process.isRunning {
            if ContinuousClock.now - started > timeout {
                Glibc.kill(process.processIdentifier, SIGKILL)
                throw TestingError("tutord did not exit within \(timeout) of signal \(signal):\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let elapsed = ContinuousClock.now - started
        // Collect the last lines the daemon wrote before it exited.
        logPipe.fileHandleForReading.readabilityHandler = nil
        logBuffer.append(logPipe.fileHandleForReading.readDataToEndOfFile())
        return (process.terminationStatus, elapsed)
    }

    /// Kills the daemon with SIGKILL, as a crash would, and waits for it to be gone.
    public func kill() async throws {
        try await stop(signal: SIGKILL)
    }

    /// Removes the temporary folder (stopping a daemon still running first).
    public func removeFiles() {
        if let process, process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        logPipe.fileHandleForReading.readabilityHandler = nil
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Runs the `tutor` CLI with this daemon's environment; returns exit code, stdout and stderr.
    public func runCLI(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(60)) async throws -> CLIResult {
        try await Self.run(
            executable: Self.binaryFolder + "/tutor", arguments: arguments, environment: environment, stdin: stdin, timeout: timeout)
    }

    /// Runs any executable and captures its output.
    public static func run(
        executable: String,
        arguments: [String],
        environment: [String: String],
        stdin: String? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let outBuffer = LockedBuffer(), errBuffer = LockedBuffer()
        out.fileHandleForReading.readabilityHandler = { outBuffer.append($0.availableData) }
        err.fileHandleForReading.readabilityHandler = { errBuffer.append($0.availableData) }
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let started = ContinuousClock.now
        while process.isRunning {
            if ContinuousClock.now - started > timeout {
                process.terminate()
                throw TestingError("\(executable) \(arguments) did not finish within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        out.fileHandleForReading.readabilityHandler = nil
        err.fileHandleForReading.readabilityHandler = nil
        outBuffer.append(out.fileHandleForReading.readDataToEndOfFile())
        errBuffer.append(err.fileHandleForReading.readDataToEndOfFile())
        return CLIResult(status: process.terminationStatus, stdout: outBuffer.text, stderr: errBuffer.text)
    }

    /// The folder holding the built `tutord` and `tutor`: `TUTOR_BIN_DIR`, else beside the running test binary.
    public static var binaryFolder: String {
        if let explicit = ProcessInfo.processInfo.environment["TUTOR_BIN_DIR"], !explicit.isEmpty { return explicit }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // Inside an .xctest bundle on macOS, climb out of it.
        while folder.path.contains(".xctest") { folder.deleteLastPathComponent() }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let candidate = URL(fileURLWithPath: exe).deletingLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: candidate.path + "/tutord") { return candidate.path }
        }
        return folder.path
    }
}

/// What a command printed and how it exited.
public struct CLIResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// A failure in test support itself.
public struct TestingError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

final class LockedBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.withLock { data.append(more) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
