import ArgumentParser
import Foundation
import TutorCatalogue
import TutorClient
import TutorLearning
import TutorStore
import TutorTesting
import TutorWire

#if canImport(Glibc)
import Glibc
#endif

/// `tutor-bench`: measures the daemon from outside, as a client sees it. Build in release and run
/// `swift run -c release tutor-bench all`; the figures go to Docs/benchmarks.md.
@main
struct TutorBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tutor-bench",
        abstract: "Benchmarks for tutord (run from a release build).",
        subcommands: [
            AgentBench.self, CrashBench.self, GradingBench.self, HostileBench.self, HTTPReplay.self, LangChainBench.self,
            LargeImportBench.self,
            Learning.self,
            Micro.self,
            ReportBench.self, RetrievalBench.self,
            StatusRoundTrip.self, MCPBench.self,
            Startup.self,
            IdleMemory.self, All.self,
        ],
        defaultSubcommand: All.self
    )
}

/// Status round trips over one connection: latency percentiles.
struct StatusRoundTrip: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status-roundtrip")
    @Option var count = 10_000
    @Option var warmup = 500

    func run() async throws {
        print(try await Self.measureRaw(count: count, warmup: warmup).row)
        print(try await Self.measure(count: count, warmup: warmup).row)
    }

    /// With a blocking socket client, so the figure is the daemon's own latency.
    static func measureRaw(count: Int, warmup: Int) async throws -> Measurement {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_LOG_LEVEL": "warning"])
        defer { daemon.removeFiles() }
        let socket = try RawSocket(path: daemon.socketPath)
        let request = Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}\n".utf8)
        for _ in 0..<warmup {
            try socket.send(request)
            _ = try socket.blockingReadLine()
        }
        var samples: [Duration] = []
        samples.reserveCapacity(count)
        let clock = ContinuousClock()
        for _ in 0..<count {
            let started = clock.now
            try socket.send(request)
            guard try socket.blockingReadLine()?.contains("\"result\"") == true else { throw TestingError("status failed") }
            samples.append(clock.now - started)
        }
        try await daemon.stop()
        return latency("status round trip, blocking client (\(count) calls, one connection)", samples)
    }

    /// With the CLI's own NIO client, so the figure includes the client side as `tutor` pays it.
    static func measure(count: Int, warmup: Int) async throws -> Measurement {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_LOG_LEVEL": "warning"])
        defer { daemon.removeFiles() }
        var samples: [Duration] = []
        samples.reserveCapacity(count)
        try await TutorConnection.with(socketPath: daemon.socketPath) { connection in
            for _ in 0..<warmup { _ = try await connection.call(StatusMethod.self, NoParams()) }
            let clock = ContinuousClock()
            for _ in 0..<count {
                let started = clock.now
                _ = try await connection.call(StatusMethod.self, NoParams())
                samples.append(clock.now - started)
            }
        }
        try await daemon.stop()
        return latency("status round trip, tutor's NIO client (\(count) calls, one connection)", samples)
    }
}

/// Time from spawning tutord to its socket accepting a connection.
struct Startup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "startup")
    @Option var runs = 20

    func run() async throws { print(try await Self.measure(runs: runs).row) }

    static func measure(runs: Int) async throws -> Measurement {
        var samples: [Duration] = []
        for _ in 0..<runs {
            let daemon = try TemporaryDaemon(extraEnvironment: ["TUTOR_LOG_LEVEL": "warning"])
            defer { daemon.removeFiles() }
            let clock = ContinuousClock()
            let started = clock.now
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TemporaryDaemon.binaryFolder + "/tutord")
            process.environment = daemon.environment
            process.standardError = FileHandle.nullDevice
            try process.run()
            while (try? RawSocket(path: daemon.socketPath)) == nil {
                guard clock.now - started < .seconds(10) else { throw TestingError("tutord did not start") }
                usleep(200)
            }
            samples.append(clock.now - started)
            process.terminate()
            process.waitUntilExit()
        }
        let sorted = samples.sorted()
        return Measurement(
            name: "tutord start to socket ready (\(runs) runs, fresh data folder each)",
            figures: [("p50", millis(percentile(sorted, 0.5))), ("max", millis(sorted.last ?? .zero))],
            target: "≤ 200 ms"
        )
    }
}

/// KiB as MiB with one decimal ("n/a" when unreadable).
func mebibytes(_ kib: Int) -> String {
    kib < 0 ? "n/a" : String(format: "%.1f MiB", Double(kib) / 1024)
}

/// Resident memory of an idle daemon after it has served some requests.
struct IdleMemory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "idle-rss")

    func run() async throws { print(try await Self.measure().row) }

    static func measure() async throws -> Measurement {
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_LOG_LEVEL": "warning"])
        defer { daemon.removeFiles() }
        let pid = daemon.process!.processIdentifier
        let before = ProcessMemory.kib(pid: pid)
        let privateBefore = ProcessMemory.privateKiB(pid: pid)
        for _ in 0..<1000 { _ = try await TutorConnection.call(socketPath: daemon.socketPath, StatusMethod.self, NoParams()) }
        try await Task.sleep(for: .seconds(2))
        let after = ProcessMemory.kib(pid: pid)
        let privateAfter = ProcessMemory.privateKiB(pid: pid)
        try await daemon.stop()
        return Measurement(
            name: "tutord private memory at idle (anonymous + private dirty, smaps_rollup), with RSS beside it",
            figures: [
                ("private at start", mebibytes(privateBefore)), ("private after 1000 connections", mebibytes(privateAfter)),
                ("RSS at start", mebibytes(before)), ("RSS after", mebibytes(after)),
            ],
            target: "private ≤ 16 MiB"
        )
    }
}

/// Every benchmark, one table row each.
struct All: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all")

    func run() async throws {
        print("| benchmark | figures | target |")
        print("|---|---|---|")
        print(try await StatusRoundTrip.measureRaw(count: 10_000, warmup: 500).row)
        print(try await StatusRoundTrip.measure(count: 10_000, warmup: 500).row)
        print(try await Startup.measure(runs: 20).row)
        print(try await IdleMemory.measure().row)
        for row in try Learning.measure() { print(row.row) }
        for row in try await AgentBench.measure() { print(row.row) }
        print(try await LangChainBench.measure(python: ".build/bench-venv/bin/python").row)
        for row in try await RetrievalBench.measure() { print(row.row) }
        print(try await CrashBench.measure(rounds: 50).row)
        print(try await HostileBench.measure(seconds: 60).row)
    }
}

struct Measurement {
    var name: String
    var figures: [(String, String)]
    var target: String
    var row: String {
        "| \(name) | \(figures.map { "\($0.0) \($0.1)" }.joined(separator: ", ")) | \(target) |"
    }
}

/// A latency row: p50, p99 and max of `samples` against the status target.
func latency(_ name: String, _ samples: [Duration]) -> Measurement {
    let sorted = samples.sorted()
    return Measurement(
        name: name,
        figures: [
            ("p50", micros(percentile(sorted, 0.50))),
            ("p99", micros(percentile(sorted, 0.99))),
            ("max", micros(sorted.last ?? .zero)),
        ],
        target: "p50 ≤ 100 µs, p99 ≤ 1 ms"
    )
}

func percentile(_ sorted: [Duration], _ fraction: Double) -> Duration {
    guard !sorted.isEmpty else { return .zero }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

func micros(_ duration: Duration) -> String {
    let value = Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    return String(format: "%.0f µs", value)
}

func millis(_ duration: Duration) -> String {
    let value = Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
    return String(format: "%.1f ms", value)
}

/// The pieces of a status call, timed alone: where the round trip's time goes.
struct Micro: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "micro")

    func run() async throws {
        let folder = "/tmp/tutor-micro-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        let clock = ContinuousClock()
        func time(_ name: String, _ body: () throws -> Void) rethrows {
            for _ in 0..<1000 { try body() }
            let started = clock.now
            for _ in 0..<10_000 { try body() }
            print("\(name): \(micros((clock.now - started) / 10_000))")
        }
        try time("store.counts") { _ = try store.counts() }
        try store.saveProfile(ProfileRecord(availability: ["mon-fri 19:00-21:00"], createdAt: Date(), updatedAt: Date()), at: Date())
        try time("store.profile") { _ = try store.profile() }
        try time("store.read (empty transaction)") { _ = try store.read { _ in 0 } }
        try time("store.goals") { _ = try store.goals() }
        try time("store.skillStates") { _ = try store.skillStates() }
        try time("store.minutesBySkill") { _ = try store.minutesBySkill() }
        try time("store.studyLog") { _ = try store.studyLog() }
        try time("store.messages (empty session)") { _ = try store.messages(conversation: "none") }
        let message = MessageRecord(conversationName: "m", role: "assistant", content: "Here is your forecast.", createdAt: Date())
        try time("store.appendMessages (one message)") { try store.appendMessages([message], conversation: "m", at: Date()) }
        try time("store.appendMessages (three messages)") {
            try store.appendMessages([message, message, message], conversation: "m", at: Date())
        }
        try time("store.write (empty transaction)") { try store.write { _ in } }
        let status = StatusResult(
            version: "0.1.0", protocolVersion: 1, pid: 1, uptimeSeconds: 1, socketPath: "/run/user/1000/tutor/tutord.sock",
            dataDirectory: "/home/a/.local/share/tutor", databasePath: "/home/a/.local/share/tutor/tutor.sqlite",
            schemaVersion: 3, schemaMigration: "v3-conversations", model: "offline", endpoint: nil, counts: .init(goals: 0, tasks: 0))
        try time("encode status response") { _ = try WireCodec.encodeLine(Response(id: .number(1), result: status)) }
        let request = Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}".utf8)
        time("decode request") { _ = WireCodec.decodeRequest(request) }
        var line = try WireCodec.encodeLine(Response(id: .number(1), result: status))
        line.removeLast()
        try time("decode status reply") { _ = try WireCodec.decodeReply(StatusResult.self, from: line) }
        try store.close()
    }
}

/// The learning policies on realistic inputs: catalogue load, a week's plan, a forecast.
struct Learning: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "learning")

    func run() async throws {
        for row in try Self.measure() { print(row.row) }
    }

    static func measure() throws -> [Measurement] {
        let clock = ContinuousClock()
        func samples(_ count: Int, _ body: () throws -> Void) rethrows -> [Duration] {
            try (0..<count).map { _ in
                let started = clock.now
                try body()
                return clock.now - started
            }
        }
        // `bundled()` caches; time a fresh load and validation of the same folder each run.
        let files = Catalogue.bundledFiles
        let loads = try samples(20) { _ = try Catalogue.load(files: files) }.sorted()
        let catalogue = try Catalogue.bundled()

        // 200 pending tasks from the whole-roadmap goal, as a new learner on the developer track has them.
        let proposed = GoalDecomposer.decompose(.track("developer"), catalogue: catalogue, background: .programmer)
        let tasks = proposed.prefix(200).enumerated().map { index, task in
            SchedulableTask(
                id: Int64(index + 1), skillId: task.skillId, projectId: task.projectId, kind: task.kind, title: task.title,
                remainingMinutes: task.estimateMinutes, isStarted: false,
                prerequisiteSkillIDs: (task.skillId.flatMap { catalogue.skill($0)?.prerequisites } ?? []), order: index)
        }
        let windows = try ["mon-fri 19:00-21:00", "sat 09:00-12:00"].flatMap { try AvailabilityWindow.parse($0) }
        let request = WeeklyPlanRequest(
            week: try ISOWeek.parse("2026-W50"), timeZone: TimeZone(identifier: "Europe/Paris")!, windows: windows, hoursPerWeek: 10,
            tasks: tasks, doneSkillIDs: [], dueReviewCount: 12, notBefore: nil, settings: SchedulerSettings())
        let plans = samples(200) { _ = WeeklyScheduler.plan(request) }.sorted()

        let log = (0..<120).map { (date: Date(timeIntervalSince1970: 1_790_000_000 + Double($0) * 43_200), minutes: 50) }
        let forecastRequest = ForecastRequest(
            catalogue: catalogue, background: .programmer, declaredHoursPerWeek: 10, log: log,
            completedSkillIDs: Set(catalogue.skills.prefix(20).map(\.id)), now: Date(timeIntervalSince1970: 1_796_000_000))
        let forecasts = samples(200) { _ = Forecaster.forecast(forecastRequest) }.sorted()

        return [
            Measurement(
                name: "catalogue load and validation (\(catalogue.skills.count) skills, \(catalogue.projects.count) projects; 20 loads)",
                figures: [("p50", millis(percentile(loads, 0.5))), ("max", millis(loads.last ?? .zero))], target: "≤ 30 ms"),
            Measurement(
                name: "plan a week: 200 pending tasks from the whole roadmap, 6 windows, 12 due reviews (200 runs)",
                figures: [("p50", micros(percentile(plans, 0.5))), ("p99", micros(percentile(plans, 0.99)))], target: "p50 ≤ 5 ms"),
            Measurement(
                name: "forecast: whole roadmap, 120 log entries (200 runs)",
                figures: [("p50", micros(percentile(forecasts, 0.5))), ("p99", micros(percentile(forecasts, 0.99)))], target: "≤ 5 ms"),
        ]
    }
}

/// The agent loop against the loopback fake endpoint: the daemon's own time per tool-calling turn,
/// the cost of each streamed chunk from endpoint to client, and 100 sessions at once.
struct AgentBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent")
    @Option var turns = 200
    @Option(help: "Copy the daemon's /proc/PID/smaps here when its RSS is read (which mappings hold the memory).")
    var smaps: String?

    func run() async throws {
        for row in try await Self.measure(turns: turns, smaps: smaps) { print(row.row) }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func measure(turns: Int = 200, smaps: String? = nil) async throws -> [Measurement] {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await TemporaryDaemon.start(extraEnvironment: [
            "TUTOR_LOG_LEVEL": "warning", "TUTOR_LLM_BASE_URL": server.baseURL, "TUTOR_MAX_CONNECTIONS": "256",
        ])
        defer { daemon.removeFiles() }
        let socket = daemon.socketPath
        _ = try await TutorConnection.call(
            socketPath: socket, ProfileSetMethod.self,
            ProfileSetParams(background: "programmer", hoursPerWeek: 10, availability: ["mon-fri 19:00-21:00"], timeZone: "UTC"))
        _ = try await TutorConnection.call(socketPath: socket, GoalAddMethod.self, GoalAddParams(text: "first-apps"))
        let clock = ContinuousClock()

        // 1. Tool-calling turns: the model asks for the forecast, then answers. Overhead is the
        //    client's round trip less the endpoint's own time on the turn's two requests (measured
        //    by the fake endpoint from each request reaching it to the last byte of its reply), so
        //    the daemon's HTTP client, SSE decoding and hops count as the daemon's.
        var overheads: [Duration] = []
        // The daemon's own accounting too: its time in the turn less model time, and its CPU time.
        var handlerOverheads: [Double] = []
        var cpuBefore: Double?
        let pid = daemon.process!.processIdentifier
        try await TutorConnection.with(socketPath: socket) { connection in
            for index in 0..<(turns + 20) {
                if index == 20 { cpuBefore = ProcessCPU.seconds(pid: pid) }
                server.enqueue(
                    .stream([.toolCall(index: 0, id: "call_\(index)", name: "forecast", arguments: "{}"), .finish("tool_calls")]),
                    .stream([.text("Here is your forecast."), .finish("stop")]))
                let served = server.chatServiceTime
                let started = clock.now
                let result = try await connection.call(
                    ChatSendMethod.self, ChatSendParams(session: "bench-\(index)", message: "how long?"))
                let total = clock.now - started
                if index >= 20 {
                    overheads.append(total - (server.chatServiceTime - served))
                    handlerOverheads.append((result.elapsedSeconds ?? 0) - (result.modelSeconds ?? 0))
                }
            }
        }
        let sortedOverheads = overheads.sorted()
        let sortedHandler = handlerOverheads.sorted()
        let cpuPerTurn = zip(cpuBefore.map { [$0] } ?? [], [ProcessCPU.seconds(pid: pid) ?? 0]).map { ($1 - $0) / Double(turns) }.first

        // 1b. The same turns through a blocking socket client (as the status row's "daemon's own
        //     latency"): the client adds one `send` and blocking reads, no event loop or task hops.
        var rawOverheads: [Duration] = []
        // The part of the daemon's "model time" that is its own: the HTTP client, SSE decoding and
        // hops (the daemon's time waiting on the model less the endpoint's own time).
        var httpClientSide: [Duration] = []
        let raw = try RawSocket(path: socket)
        for index in 0..<(turns + 20) {
            server.enqueue(
                .stream([.toolCall(index: 0, id: "raw_\(index)", name: "forecast", arguments: "{}"), .finish("tool_calls")]),
                .stream([.text("Here is your forecast."), .finish("stop")]))
            let request = try WireCodec.encodeLine(
                Request(
                    id: .number(Int64(index)), method: ChatSendMethod.name,
                    params: ChatSendParams(session: "raw-\(index)", message: "how long?")))
            let served = server.chatServiceTime
            let started = clock.now
            try raw.send(request)
            var reply: [UInt8] = []
            while let line = try raw.blockingReadLine() {
                // Notifications carry no id; the reply is the one line that does.
                if !line.hasPrefix("{\"jsonrpc\":\"2.0\",\"method\"") {
                    reply = Array(line.utf8)
                    break
                }
            }
            let total = clock.now - started
            guard case .success(_, let result) = try WireCodec.decodeReply(ChatSendResult.self, from: reply) else {
                throw TestingError("a chat turn through the blocking client failed: \(String(decoding: reply, as: UTF8.self))")
            }
            if index >= 20 {
                let endpoint = server.chatServiceTime - served
                rawOverheads.append(total - endpoint)
                httpClientSide.append(.nanoseconds(Int64((result.modelSeconds ?? 0) * 1e9)) - endpoint)
            }
        }
        let sortedRaw = rawOverheads.sorted()

        // 1c. The floor under the HTTP part: AsyncHTTPClient alone, in a process of its own (as the
        //     daemon is), replaying the daemon's last two requests against the same endpoint and
        //     replies, the body read to its end.
        let bodies = server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }.suffix(2).map(\.body)
        let httpFloor = try await HTTPReplay.measure(server: server, bodies: bodies, rounds: turns + 20).dropFirst(20).sorted()

        // 2. Cost per streamed chunk: a 2,010-chunk answer against a 10-chunk one, end to end.
        var chunkTurn = 0
        func turn(chunks: Int) async throws -> Duration {
            chunkTurn += 1
            server.enqueue(.stream((0..<chunks).map { .text("w\($0) ") } + [.finish("stop")]))
            let started = clock.now
            _ = try await TutorConnection.call(
                socketPath: socket, ChatSendMethod.self, ChatSendParams(session: "chunks-\(chunkTurn)", message: "stream")
            ) { _, _ in }
            return clock.now - started
        }
        var short: [Duration] = [], long: [Duration] = []
        for _ in 0..<10 {
            short.append(try await turn(chunks: 10))
            long.append(try await turn(chunks: 2010))
        }
        let perChunk = (percentile(long.sorted(), 0.5) - percentile(short.sorted(), 0.5)) / 2000

        // 3. 100 sessions at once, each on its own connection.
        server.loopWhenExhausted([.stream([.text("ok"), .finish("stop")])])
        let failures = await withTaskGroup(of: Int.self) { group in
            for index in 0..<100 {
                group.addTask {
                    do {
                        _ = try await TutorConnection.call(
                            socketPath: socket, ChatSendMethod.self, ChatSendParams(session: "many-\(index)", message: "hello"))
                        return 0
                    } catch {
                        return 1
                    }
                }
            }
            return await group.reduce(0, +)
        }
        let rss = ProcessMemory.kib(pid: daemon.process!.processIdentifier)
        let privateMemory = ProcessMemory.privateKiB(pid: daemon.process!.processIdentifier)
        if let smaps {
            // /proc files report a size of 0: read to the end rather than copying.
            let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/\(daemon.process!.processIdentifier)/smaps"))
            try (try file.readToEnd() ?? Data()).write(to: URL(fileURLWithPath: smaps))
            try file.close()
        }
        try await daemon.stop()
        try await server.shutdown()
        return [
            Measurement(
                name:
                    "daemon overhead per tool-calling turn (2 model calls, forecast tool): blocking client's round trip less the endpoint's own time (\(turns) turns)",
                figures: [("p50", micros(percentile(sortedRaw, 0.5))), ("p99", micros(percentile(sortedRaw, 0.99)))],
                target: "p50 ≤ 0.8 ms, p99 ≤ 5 ms"),
            Measurement(
                name:
                    "the floor under its HTTP part: AsyncHTTPClient alone, in its own process, sending the turn's two requests (same bodies and replies), round trip less the endpoint's own time",
                figures: [("p50", micros(percentile(httpFloor, 0.5))), ("p99", micros(percentile(httpFloor, 0.99)))],
                target: "(context)"),
            Measurement(
                name: "the same through tutor's NIO client (client-side view)",
                figures: [("p50", micros(percentile(sortedOverheads, 0.5))), ("p99", micros(percentile(sortedOverheads, 0.99)))],
                target: "—"),
            Measurement(
                name:
                    "the same turns by the daemon's own accounting: time in the chat handler less model time, tutord's CPU time (user + system, all threads) per turn, and how much of model time was the daemon's HTTP client (model time less the endpoint's own time)",
                figures: [
                    ("handler p50", String(format: "%.0f µs", sortedHandler[sortedHandler.count / 2] * 1e6)),
                    (
                        "handler p99",
                        String(format: "%.0f µs", sortedHandler[min(sortedHandler.count - 1, sortedHandler.count * 99 / 100)] * 1e6)
                    ),
                    ("CPU per turn", cpuPerTurn.map { String(format: "%.0f µs", $0 * 1e6) } ?? "unreadable"),
                    ("HTTP client side of model time p50", micros(percentile(httpClientSide.sorted(), 0.5))),
                ],
                target: "(context for the rows above)"),
            Measurement(
                name: "cost per streamed chunk, endpoint → daemon → CLI client (2,010 vs 10 chunks, medians of 10)",
                figures: [("per chunk", String(format: "%.1f µs", seconds(perChunk) * 1e6))], target: "≤ 10 µs"),
            Measurement(
                name: "100 concurrent chat sessions, one connection each",
                figures: [
                    ("errors", "\(failures)"), ("daemon private memory after", mebibytes(privateMemory)),
                    ("RSS after", mebibytes(rss)),
                ], target: "no errors; private ≤ 24 MiB"),
        ]
    }
}
