import Foundation
import Testing
import TutorClient
import TutorTesting
import TutorWire

#if canImport(Glibc)
import Glibc
#endif

/// The `tutor` executable as a user runs it: autostart, exit codes, config and chat.
@Suite("CLI", .serialized)
struct CLITests {
    @Test("with no daemon running, `tutor status` starts tutord in the background and reports it")
    func autostart() async throws {
        let home = try TemporaryDaemon()  // folders only; nothing started
        defer {
            if let pidText = try? String(contentsOfFile: home.socketPath + ".lock", encoding: .utf8),
                let pid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                kill(pid, SIGKILL)
            }
            home.removeFiles()
        }
        let refused = try await home.runCLI(["status", "--no-autostart"])
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("no tutord answers at \(home.socketPath)"))

        let started = try await home.runCLI(["status", "--json"])
        #expect(started.status == 0, "\(started.stderr)")
        let status = try JSONDecoder().decode(StatusResult.self, from: Data(started.stdout.utf8))
        #expect(status.socketPath == home.socketPath)
        #expect(FileManager.default.fileExists(atPath: home.dataDirectory + "/tutord.log"))
        // The daemon outlives the CLI that started it.
        let again = try await home.runCLI(["status", "--json", "--no-autostart"])
        #expect(again.status == 0)
        #expect(try JSONDecoder().decode(StatusResult.self, from: Data(again.stdout.utf8)).pid == status.pid)
        let stop = try await home.runCLI(["stop"])
        #expect(stop.status == 0)
        #expect(!DaemonLauncher.isAlive(pid: status.pid), "the daemon process should be gone after `tutor stop`")
    }

    @Test("usage errors exit 2 and say what was wrong")
    func usageErrors() async throws {
        let home = try TemporaryDaemon()
        defer { home.removeFiles() }
        let unknown = try await home.runCLI(["statuss"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("statuss"))
        let badOption = try await home.runCLI(["status", "--frobnicate"])
        #expect(badOption.status == 2)
        let tooLong = try await home.runCLI(["status", "--socket", "/tmp/" + String(repeating: "s", count: 120)])
        #expect(tooLong.status == 2)
        #expect(tooLong.stderr.contains("TUTOR_SOCKET"))
    }

    @Test("`tutor config show` lists every key with its source and never prints the API key")
    func configShow() async throws {
        let secret = "sk-test-DO-NOT-LEAK-4242"
        let daemon = try await TemporaryDaemon.start(
            extraEnvironment: ["TUTOR_LLM_API_KEY": secret, "TUTOR_LLM_MODEL": "llama3.1", "TUTOR_LOG_LEVEL": "trace"],
            configYAML: "llm:\n  base_url: http://127.0.0.1:11434/v1\n  context_window: 16384\n"
        )
        defer { daemon.removeFiles() }
        let json = try await daemon.runCLI(["config", "show", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try JSONDecoder().decode(ConfigShowResult.self, from: Data(json.stdout.utf8))
        func source(_ key: String) -> String? { report.entries.first { $0.key == key }?.source }
        #expect(source("llm.base_url") == "file")
        #expect(source("llm.model") == "environment")
        #expect(source("llm.api_key") == "environment")
        #expect(source("daemon.shutdown_timeout") == "default")
        #expect(report.entries.first { $0.key == "llm.api_key" }?.value == "<redacted>")
        let human = try await daemon.runCLI(["config", "show"])
        let status = try await daemon.runCLI(["status", "--json"])
        #expect(status.stdout.contains("llama3.1"))
        try await daemon.stop()
        for output in [json.stdout, json.stderr, human.stdout, human.stderr, status.stdout, daemon.log] {
            #expect(!output.contains(secret))
        }
    }

    @Test("with no endpoint, `tutor chat` tutors with the offline model: goal, plan, explain, log, quiz")
    func offlineChat() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        _ = try await daemon.runCLI([
            "profile", "set", "--background", "programmer", "--hours", "10", "--available", "mon-fri 19:00-21:00", "--available",
            "sat 09:00-12:00", "--time-zone", "Europe/Paris",
        ])
        let goal = try await daemon.runCLI(["chat", "--tools", "-m", "I want to become an AI engineer"])
        #expect(goal.status == 0, "\(goal.stderr)")
        #expect(goal.stdout.contains("new tasks"))
        #expect(goal.stderr.contains("[add_goal ok]"))
        // The tutor's machinery stays out of the conversation unless asked for.
        let plan = try await daemon.runCLI(["chat", "-m", "what should I study this week?"])
        #expect(plan.stdout.contains("sessions"), "\(plan.stdout)")
        #expect(!plan.stderr.contains("weekly_plan") && !plan.stdout.contains("weekly_plan"), "\(plan.stderr)")
        let explain = try await daemon.runCLI(["chat", "-m", "what is RAG?"])
        #expect(explain.stdout.contains("rag-basics"), "cites the roadmap skill it used: \(explain.stdout)")
        let log = try await daemon.runCLI(["chat", "-m", "log 45 minutes on probability"])
        #expect(log.stdout.contains("Logged 45 minutes"))
        // The check question after "what is RAG?" is still open: it comes first.
        let quiz = try await daemon.runCLI(["chat", "-m", "quiz me"])
        #expect(quiz.stdout.contains("What are the three steps of RAG?"), "\(quiz.stdout)")
        let reveal = try await daemon.runCLI(["chat", "-m", "I think it is the product"])
        #expect(reveal.stdout.contains("The answer:"))
        let graded = try await daemon.runCLI(["chat", "-m", "good"])
        #expect(graded.stdout.contains("Recorded"))
        let json = try await daemon.runCLI(["chat", "--json", "-m", "how am I doing?"])
        let lines = json.stdout.split(separator: "\n")
        #expect(lines.count >= 2, "a JSON object per line: \(json.stdout)")
        for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "\(line)") }
        let help = try await daemon.runCLI(["chat", "-m", "hello"])
        #expect(help.stdout.contains("TUTOR_LLM_BASE_URL"))

        // The interactive prompt reads lines from a pipe too: slash commands work, /quit leaves.
        let interactive = try await daemon.runCLI(
            ["chat"], stdin: "/help\n/session study\n/status\n/tools\nhow long will it take?\n/quit\n")
        #expect(interactive.status == 0, "\(interactive.stderr)")
        #expect(interactive.stdout.contains("/session [NAME]"))
        #expect(interactive.stdout.contains("Now in session 'study'"))
        #expect(interactive.stdout.contains("model offline"))
        #expect(interactive.stdout.contains("Tool calls and compactions are shown"))
        #expect(interactive.stderr.contains("[forecast ok]"), "/tools shows the calls: \(interactive.stderr)")
        #expect(interactive.stdout.contains("years of experience") || interactive.stdout.contains("real-world experience"))
        // In order, as on a terminal: the banner first, each reply after what came before it.
        let reply = interactive.stdout.contains("years of experience") ? "years of experience" : "real-world experience"
        let order = ["Tutor ", "/session [NAME]", "Now in session 'study'", "model offline", reply].map {
            interactive.stdout.range(of: $0)?.lowerBound
        }
        #expect(order.allSatisfy { $0 != nil } && order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "\(interactive.stdout)")

        // Named sessions and their transcripts survive a restart.
        try await daemon.stop()
        try await daemon.launch()
        let export = try await daemon.runCLI(["export"])
        #expect(export.stdout.contains("\"conversationName\" : \"study\""))
        #expect(export.stdout.contains("\"conversationName\" : \"default\""))
        try await daemon.stop()
    }

    @Test("an unreachable daemon with autostart off exits 3 and says what to do")
    func unreachable() async throws {
        let home = try TemporaryDaemon()
        defer { home.removeFiles() }
        let result = try await home.runCLI(["config", "show", "--no-autostart"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("Start it with `tutord`"))
    }
}

@Suite("Prompt overrides")
struct PromptOverrideTests {
    @Test("a template in the config folder's prompts/ replaces the bundled one; a broken one is logged and ignored")
    func overrides() async throws {
        let home = try TemporaryDaemon()
        defer { home.removeFiles() }
        let folder = home.root + "/config/tutor/prompts"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "Bonjour! Je peux planifier ta semaine.".write(toFile: folder + "/offline-help.mustache", atomically: true, encoding: .utf8)
        try "{{#broken}} never closed".write(toFile: folder + "/offline-tasks.mustache", atomically: true, encoding: .utf8)
        try await home.launch()
        _ = try await home.runCLI(["profile", "set", "--background", "programmer", "--hours", "6"])
        let hello = try await home.runCLI(["chat", "-m", "hello"])
        #expect(hello.stdout.contains("Bonjour! Je peux planifier ta semaine."))
        #expect(home.log.contains("offline-tasks.mustache was not used"))
        let next = try await home.runCLI(["chat", "-m", "what's next?"])
        #expect(next.status == 0)
        #expect(next.stdout.contains("no open tasks") || next.stdout.contains("No open tasks") || next.stdout.contains("goal"))
        try await home.stop()
    }
}

@Suite("Long conversations")
struct LongConversationTests {
    @Test("a conversation far longer than the context window keeps working, with compactions recorded and /context within the limit")
    func longConversation() async throws {
        // 4,608 tokens: the system prompt, 28 tool schemas, the answer's reserve and one explanation
        // turn (which cannot be summarised) take about 4,100, so a 4,096 window could not hold one turn.
        let daemon = try await TemporaryDaemon.start(extraEnvironment: ["TUTOR_LLM_CONTEXT_WINDOW": "4608"])
        defer { daemon.removeFiles() }
        var compactionNotices = 0
        for topic in ["RAG", "embeddings", "vector databases", "prompt injection", "LoRA", "quantization", "transformers", "evaluation"] {
            var turn = try await daemon.runCLI(["chat", "--tools", "-m", "what is \(topic)?"])
            #expect(!turn.stdout.contains("[summarised "), "a compaction is the tutor's machinery, not part of the answer")
            if turn.stdout.contains("still open") {
                // The last explanation's check question comes back once; asking again moves on.
                if turn.stderr.contains("[summarised ") { compactionNotices += 1 }
                turn = try await daemon.runCLI(["chat", "--tools", "-m", "what is \(topic)?"])
            }
            #expect(turn.status == 0, "\(turn.stderr)")
            #expect(turn.stdout.contains("From the Tutor roadmap"), "\(topic): \(turn.stdout)")
            if turn.stderr.contains("[summarised ") { compactionNotices += 1 }
        }
        #expect(compactionNotices >= 2, "eight explanations hold far more than a 4,608-token window")
        let context = try await daemon.runCLI(["chat"], stdin: "/context\n/quit\n")
        let line = try #require(context.stdout.split(separator: "\n").first { $0.contains("Context of the last request") })
        // "Context of the last request in 'default': N of 1024 tokens, K compactions"
        let figures = try #require(line.split(separator: ": ").last).split(separator: " ")
        let used = try #require(Int(figures[0]))
        #expect(figures[2] == "4608")
        #expect(used <= 4608, "\(line)")
        #expect(line.contains("compactions"))
        // The full transcript is still in the store.
        let export = try await daemon.runCLI(["export"])
        #expect(export.stdout.components(separatedBy: "\"role\" : \"user\"").count - 1 >= 8)
        try await daemon.stop()
    }
}
