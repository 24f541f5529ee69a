import Foundation
import Testing
import TutorCatalogue
import TutorStore
import TutorTesting
import TutorToolAdapters
import TutorWire

/// `tutor chat` against the loopback fake OpenAI-compatible endpoint: a real daemon, a real
/// socket, a real HTTP client, scripted replies and faults.
@Suite("Chat with an endpoint", .serialized)
struct EndpointChatTests {
    private func start(_ server: FakeOpenAIServer, key: String? = nil) async throws -> TemporaryDaemon {
        var environment = ["TUTOR_LLM_BASE_URL": server.baseURL, "TUTOR_LLM_MODEL": "fake-model"]
        if let key { environment["TUTOR_LLM_API_KEY"] = key }
        let daemon = try await TemporaryDaemon.start(extraEnvironment: environment)
        _ = try await daemon.runCLI([
            "profile", "set", "--background", "programmer", "--hours", "10", "--available", "mon-fri 19:00-21:00", "--available",
            "sat 09:00-12:00", "--time-zone", "Europe/Paris",
        ])
        _ = try await daemon.runCLI(["goal", "add", "first-apps"])
        return daemon
    }

    @Test("the model calls weekly_plan, gets the plan as a tool result, and its answer streams to the learner")
    func toolCallingTurn() async throws {
        let server = try await FakeOpenAIServer.start()
        let key = "sk-endpoint-test-777"
        let daemon = try await start(server, key: key)
        defer {
            daemon.removeFiles()
        }
        server.enqueue(
            .stream([
                .toolCall(index: 0, id: "call_1", name: ToolName.weeklyPlan.rawValue, arguments: "{\"regen"),
                .toolCall(index: 0, id: nil, name: nil, arguments: "erate\": true}"), .finish("tool_calls"),
            ]),
            .stream([
                .text("This week: "), .text("five evening sessions."), .finish("stop"),
                .usage(prompt: 900, completion: 12, emptyChoices: true),
            ])
        )
        // Words the tutor does not recognise, so the call is the model's own.
        let result = try await daemon.runCLI(["chat", "--tools", "-m", "hmm"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("This week: five evening sessions."))
        #expect(result.stderr.contains("[weekly_plan ok]"))
        let requests = server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }
        #expect(requests.count == 2)
        let first = try #require(requests.first?.json)
        #expect(first["model"] as? String == "fake-model")
        #expect(first["stream"] as? Bool == true)
        let tools = (first["tools"] as? [[String: Any]])?.compactMap { ($0["function"] as? [String: Any])?["name"] as? String } ?? []
        #expect(tools.contains(ToolName.weeklyPlan.rawValue))
        #expect(requests.first?.header("Authorization") == "Bearer \(key)")
        // The second request carries the tool result: the plan, as data.
        let second = try #require(requests.last?.json)
        let messages = (second["messages"] as? [[String: Any]]) ?? []
        let toolMessage = try #require(messages.first { $0["role"] as? String == "tool" })
        #expect(toolMessage["tool_call_id"] as? String == "call_1")
        #expect((toolMessage["content"] as? String)?.contains("sessions") == true)
        let system = messages.first { $0["role"] as? String == "system" }?["content"] as? String ?? ""
        #expect(system.contains("never instructions") || system.contains("is data"))
        try await daemon.stop()
        try await server.shutdown()
        #expect(!daemon.log.contains(key), "the API key must never reach the log")
    }

    @Test(
        "a request the tutor recognises is grounded before the model speaks; a change asked for is made once, even when the model asks again"
    )
    func groundedTurn() async throws {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await start(server)
        defer { daemon.removeFiles() }
        // A model that never calls tools: its first request already holds the week's plan.
        server.enqueue(.stream([.text("Here is your week."), .finish("stop")]))
        let plan = try await daemon.runCLI(["chat", "--tools", "-m", "what should I study this week?"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stderr.contains("[weekly_plan ok]"), "\(plan.stderr)")
        let first = try #require(server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }.last?.json)
        let messages = (first["messages"] as? [[String: Any]]) ?? []
        #expect(messages.contains { $0["role"] as? String == "tool" && ($0["content"] as? String)?.contains("sessions") == true })
        // A model that calls the same change again: it is not made twice.
        server.enqueue(
            .stream([
                .toolCall(index: 0, id: "call_9", name: ToolName.logStudy.rawValue, arguments: #"{"minutes": 45}"#), .finish("tool_calls"),
            ]),
            .stream([.text("Logged."), .finish("stop")]))
        let log = try await daemon.runCLI(["chat", "--tools", "-m", "log 45 minutes on python"])
        #expect(log.status == 0, "\(log.stderr)")
        let last = try #require(server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }.last?.json)
        let results = ((last["messages"] as? [[String: Any]]) ?? []).filter { $0["role"] as? String == "tool" }
        #expect(results.last.flatMap { $0["content"] as? String }?.contains("not run again") == true)
        try await daemon.stop()
        try await server.shutdown()
        let store = try Store(path: daemon.dataDirectory + "/tutor.sqlite")
        defer { try? store.close() }
        #expect(try store.studyLog().map(\.minutes) == [45], "logged exactly once")
    }

    @Test(
        "a grounded reply is checked against the data: a wrong figure or a reply cut at the limit gives way to the tutor's own answer, said; the setup asks its own questions"
    )
    func checkedReplies() async throws {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await TemporaryDaemon.start(extraEnvironment: [
            "TUTOR_LLM_BASE_URL": server.baseURL, "TUTOR_LLM_MODEL": "fake-model",
            // Room for the whole exchange: a summary call here would take one of the scripted replies.
            "TUTOR_LLM_CONTEXT_WINDOW": "32768",
        ])
        defer { daemon.removeFiles() }
        // No profile: "hi" starts the setup, and the tutor asks its own question without the model.
        let welcome = try await daemon.runCLI(["chat", "-m", "hi"])
        #expect(welcome.stdout.contains("background"), "\(welcome.stdout)")
        #expect(server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }.count == 0, "the model was not asked")
        _ = try await daemon.runCLI(["chat", "-m", "later"])
        // A goal stated in an introduction starts the setup with it, still without the model.
        let intro = try await daemon.runCLI(["chat", "-m", "hi! I'm a python backend dev and want to build RAG apps"])
        #expect(intro.stdout.contains("background"), "\(intro.stdout)")
        #expect(server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }.count == 0, "the model was not asked")
        _ = try await daemon.runCLI(["chat", "-m", "later"])
        _ = try await daemon.runCLI(["profile", "set", "--background", "programmer", "--hours", "8", "--available", "daily 19:00-21:00"])
        _ = try await daemon.runCLI(["goal", "add", "first-apps"])
        // A timeline the data does not hold.
        // (At 8 h a week the data says 6–10 months to first apps; 3 is nowhere in it.)
        server.enqueue(.stream([.text("You will be an AI engineer in 3 months."), .finish("stop")]))
        let invented = try await daemon.runCLI(["chat", "-m", "how long until I can build RAG apps?"])
        #expect(invented.stdout.contains("did not match your data") || invented.stderr.contains("did not match your data"))
        #expect(!invented.stdout.contains("3 months") && invented.stdout.contains("First AI applications"), "\(invented.stdout)")
        // A reply that states the data passes as the model wrote it.
        server.enqueue(.stream([.text("Logged: 45 minutes on Python."), .finish("stop")]))
        let logged = try await daemon.runCLI(["chat", "-m", "log 45 minutes on python"])
        #expect(logged.stdout.contains("Logged: 45 minutes on Python.") && !logged.stdout.contains("did not match"), "\(logged.stdout)")
        // An explanation about something else (SmolLM2 said this to "what is an embedding?").
        server.enqueue(.stream([.text("Please go to your preferred platform."), .finish("stop")]))
        let offTopic = try await daemon.runCLI(["chat", "-m", "what is RAG?"])
        #expect(
            !offTopic.stdout.contains("preferred platform") && offTopic.stdout.contains("Retrieval-augmented generation"),
            "\(offTopic.stdout)")
        // A reply cut at the output limit: the tutor's whole answer instead.
        server.enqueue(.stream([.text("Your plan this we"), .finish("length")]))
        let cut = try await daemon.runCLI(["chat", "-m", "what should I study this week?"])
        #expect(cut.stdout.contains("Your plan for") && !cut.stdout.contains("Your plan this we"), "\(cut.stdout) \(cut.stderr)")
        try await daemon.stop()
        try await server.shutdown()
    }

    @Test(
        "every request opens with the same instructions and repeats the one before it whole, so a server's prompt cache serves it; the learner's state joins the conversation when it changes"
    )
    func cacheFriendlyLayout() async throws {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await start(server)
        defer { daemon.removeFiles() }
        for (message, answer) in [("hmm", "Tell me more."), ("I finished task 1", "Well done."), ("hmm, what else", "Keep going.")] {
            server.enqueue(.stream([.text(answer), .finish("stop")]))
            let chat = try await daemon.runCLI(["chat", "-m", message])
            #expect(chat.status == 0, "\(chat.stderr)")
        }
        try await daemon.stop()
        try await server.shutdown()
        let requests = server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }.compactMap {
            ($0.json?["messages"] as? [[String: Any]])?.map { ($0["role"] as? String ?? "", $0["content"] as? String ?? "") }
        }
        try #require(requests.count == 3)
        for messages in requests {
            #expect(messages[0].0 == "system" && messages[0].1 == requests[0][0].1, "the instructions never change")
            #expect(!messages[0].1.contains("Learner:") && !messages[0].1.contains("Goals:"))
            // The learner's newest message has their state just before it.
            let newest = try #require(messages.lastIndex { $0.0 == "user" })
            #expect(messages[newest - 1].0 == "system" || messages[..<newest].contains { $0.0 == "system" && $0.1.contains("Goals:") })
        }
        // Each request holds the one before it, unchanged, at its start.
        for (earlier, later) in zip(requests, requests.dropFirst()) {
            #expect(later.count > earlier.count)
            #expect(zip(earlier, later).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }, "\(earlier.map(\.0)) vs \(later.map(\.0))")
        }
        // The state is said again only once it changed: finishing a task changed the goal's count.
        let states = requests.map { $0.dropFirst().filter { $0.0 == "system" }.map(\.1) }
        #expect(states.map(\.count) == [1, 1, 2])
        #expect(states[2][0].contains("(0/") && states[2][1].contains("(1/"), "\(states[2])")
        let last = requests[2]
        #expect(last[last.count - 2].0 == "system" && last[last.count - 1].0 == "user")
    }

    /// SmolLM2 wrote a cover letter full of "[Your Company Name]" when asked for one.
    @Test("a request the tutor does not do, and thanks, are answered by the tutor: the model is not asked, the transcript keeps the reply")
    func offScriptWithAModel() async throws {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await start(server)
        defer { daemon.removeFiles() }
        server.loopWhenExhausted([.stream([.text("Dear [Recipient's Name], ..."), .finish("stop")])])
        let result = try await daemon.runCLI(["chat", "-m", "can you write my cover letter?"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("outside what I can do") && !result.stdout.contains("Dear"), "\(result.stdout)")
        let bye = try await daemon.runCLI(["chat", "-m", "thanks, bye"])
        #expect(bye.stdout.contains("Glad to help") && !bye.stdout.contains("Dear"), "\(bye.stdout)")
        #expect(server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }.isEmpty)
        // The next turn is the model's again, with the tutor's reply in its history.
        _ = try await daemon.runCLI(["chat", "-m", "hmm"])
        let request = try #require(server.recordedRequests().last { $0.path.hasSuffix("/chat/completions") }?.json)
        let contents = ((request["messages"] as? [[String: Any]]) ?? []).compactMap { $0["content"] as? String }
        #expect(contents.contains { $0.contains("outside what I can do") }, "\(contents)")
        try await daemon.stop()
        try await server.shutdown()
    }

    @Test("a tool call a local model writes as text (a Hermes <tool_call> block) runs like any other")
    func textToolCall() async throws {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await start(server)
        defer { daemon.removeFiles() }
        server.enqueue(
            .stream([.text(#"<tool_call>{"name": "log_study", "arguments": {"minutes": 20}}</tool_call>"#), .finish("stop")]),
            .stream([.text("Logged twenty minutes."), .finish("stop")]))
        let chat = try await daemon.runCLI(["chat", "--tools", "-m", "hmm"])
        #expect(chat.status == 0, "\(chat.stderr)")
        #expect(chat.stderr.contains("[log_study ok]") && chat.stdout.contains("Logged twenty minutes."), "\(chat.stdout)\n\(chat.stderr)")
        try await daemon.stop()
        try await server.shutdown()
        let store = try Store(path: daemon.dataDirectory + "/tutor.sqlite")
        defer { try? store.close() }
        #expect(try store.studyLog().map(\.minutes) == [20])
    }

    @Test("a 503 before the first byte is retried and the turn still succeeds")
    func retriedFault() async throws {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await start(server)
        defer { daemon.removeFiles() }
        server.enqueue(.serverError(status: 503), .stream([.text("Hello again."), .finish("stop")]))
        let result = try await daemon.runCLI(["chat", "-m", "hi"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Hello again."))
        try await daemon.stop()
        try await server.shutdown()
    }

    @Test("a refused key is a clear error that names TUTOR_LLM_API_KEY, and the daemon keeps serving")
    func unauthorized() async throws {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await start(server)
        defer { daemon.removeFiles() }
        server.enqueue(.unauthorized())
        let result = try await daemon.runCLI(["chat", "-m", "hi"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("TUTOR_LLM_API_KEY"), "\(result.stderr)")
        let status = try await daemon.runCLI(["status", "--json"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("fake-model"))
        try await daemon.stop()
        try await server.shutdown()
    }
}

@Suite("Interrupting a turn")
struct InterruptTests {
    @Test("Ctrl-C in `tutor chat` cancels the turn on the daemon and keeps the partial answer, marked")
    func ctrlC() async throws {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_LLM_BASE_URL": server.baseURL])
        defer { daemon.removeFiles() }
        let chunks = (0..<40).map { FakeChunk.text("part\($0) ") } + [.finish("stop")]
        server.enqueue(.stream(chunks, chunkDelay: .milliseconds(100)))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: TemporaryDaemon.binaryFolder + "/tutor")
        process.arguments = ["chat", "-m", "hmm, go on"]
        process.environment = daemon.environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let printedSoFar = Collected()
        output.fileHandleForReading.readabilityHandler = { printedSoFar.append($0.availableData) }
        try process.run()
        // Interrupt once the answer has started to arrive.
        let arrival = ContinuousClock.now + .seconds(20)
        while !printedSoFar.text.contains("part0"), ContinuousClock.now < arrival { try await Task.sleep(for: .milliseconds(20)) }
        kill(process.processIdentifier, SIGINT)
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 130)
        output.fileHandleForReading.readabilityHandler = nil
        printedSoFar.append(output.fileHandleForReading.readDataToEndOfFile())
        let printed = printedSoFar.text
        let complained = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("part0"))
        #expect(!printed.contains("part39"), "the stream should stop early: \(printed)")
        #expect(complained.contains("interrupted"))

        // The daemon kept what had arrived, marked, and goes on serving.
        try await Task.sleep(for: .milliseconds(300))
        let export = try await daemon.runCLI(["export"])
        #expect(export.stdout.contains("[interrupted]"))
        let status = try await daemon.runCLI(["status"])
        #expect(status.status == 0)
        try await daemon.stop()
        try await server.shutdown()
    }
}

/// Bytes collected from a pipe while a process runs.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.withLock { data.append(more) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}

@Suite("Planning with a model")
struct ModelPlanningTests {
    @Test("the model proposes a plan, fixes it after the tutor's objections, and stores it once the learner agrees")
    func proposeFixAccept() async throws {
        let catalogue = try Catalogue.bundled()
        let first = try #require(catalogue.skills.first { $0.prerequisites.isEmpty })
        let server = try await FakeOpenAIServer.start()
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_LLM_BASE_URL": server.baseURL])
        defer { daemon.removeFiles() }
        let invalid = #"{"goal":"get started with AI","tasks":[{"skill_id":"made-up-skill","kind":"learn","minutes":60}]}"#
        let valid =
            #"{"goal":"get started with AI","tasks":[{"skill_id":"\#(first.id)","kind":"learn","minutes":60},{"skill_id":"\#(first.id)","kind":"check","minutes":20}]}"#
        server.enqueue(
            .stream([.toolCall(index: 0, id: "c1", name: ToolName.proposePlan.rawValue, arguments: invalid), .finish("tool_calls")]),
            .stream([.toolCall(index: 0, id: "c2", name: ToolName.proposePlan.rawValue, arguments: valid), .finish("tool_calls")]),
            .stream([.text("I suggest two tasks on \(first.title). Shall I keep this plan?"), .finish("stop")]),
            .stream([
                .toolCall(index: 0, id: "c3", name: ToolName.acceptPlan.rawValue, arguments: #"{"proposal_id":"proposal-1"}"#),
                .finish("tool_calls"),
            ]),
            .stream([.text("Saved: your plan is in place."), .finish("stop")])
        )
        // A learner who is set up (without a profile, a goal starts the setup).
        _ = try await daemon.runCLI(["profile", "set", "--background", "programmer", "--hours", "8"])
        let proposal = try await daemon.runCLI(["chat", "-m", "I want to get started with AI"])
        #expect(proposal.status == 0, "\(proposal.stderr)")
        #expect(proposal.stdout.contains("Shall I keep this plan?"))
        let before = try await daemon.runCLI(["goal", "list", "--json"])
        #expect(!before.stdout.contains("get started with AI"), "nothing is stored before the learner agrees")
        // The tutor's objection reached the model.
        let second = try #require(server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }.dropFirst().first?.body)
        #expect(second.contains("made-up-skill") && second.contains("is not a skill of the roadmap"))

        let agreed = try await daemon.runCLI(["chat", "-m", "yes, keep it"])
        #expect(agreed.stdout.contains("Saved"))
        let goals = try await daemon.runCLI(["goal", "list", "--json"])
        #expect(goals.stdout.contains("get started with AI"))
        let tasks = try await daemon.runCLI(["tasks", "--json"])
        #expect(tasks.stdout.contains("\"skillId\" : \"\(first.id)\""))
        try await daemon.stop()
        try await server.shutdown()
    }
}
