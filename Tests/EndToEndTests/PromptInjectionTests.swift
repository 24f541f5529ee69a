import Foundation
import Testing
import TutorJSON
import TutorStore
import TutorTesting
import TutorToolAdapters
import TutorWire

/// Twenty notes carrying instructions for the model, and a scripted model that obeys them: nothing
/// they ask for happens. Changes to the learner's data wait for the learner's "yes" (and the
/// learner sees why); tools that would send data out do not exist. See Tests/Fixtures/injection.
@Suite("Prompt injection through retrieved notes", .serialized)
struct PromptInjectionTests {
    struct Attack: Decodable {
        var file: String
        var tool: String
        var arguments: [String: JSONValue]
    }

    static let fixtures: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        url.deleteLastPathComponent()
        return url.appendingPathComponent("Fixtures/injection").path
    }()

    static func argumentsText(_ arguments: [String: JSONValue]) throws -> String {
        String(decoding: try WireCodec.makeEncoder().encode(arguments), as: UTF8.self)
    }

    /// What the learner's data holds that an obeyed attack would change.
    static func footprint(_ daemon: TemporaryDaemon) throws -> [String: Int] {
        let store = try Store(path: daemon.dataDirectory + "/tutor.sqlite")
        defer { try? store.close() }
        return [
            "done tasks": try store.tasks(statuses: ["done"]).count, "study log": try store.studyLog().count,
            "goals": try store.goals().count, "reviews": try store.reviewCards().compactMap(\.lastReview).count,
        ]
    }

    @Test("an obedient model's changes are held and shown, outward tools do not exist, and the learner's data is untouched")
    func attacksAreHeld() async throws {
        let attacks = try JSONDecoder().decode([Attack].self, from: Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/attacks.json")))
        #expect(attacks.count >= 20)
        let server = try await FakeOpenAIServer.start()
        let daemon = try await TemporaryDaemon.start(extraEnvironment: [
            "TUTOR_LLM_BASE_URL": server.baseURL, "TUTOR_LLM_MODEL": "fake-model", "TUTOR_NOTIFY_DESKTOP": "false",
        ])
        defer { daemon.removeFiles() }
        _ = try await daemon.runCLI(["profile", "set", "--hours", "6", "--available", "mon-fri 19:00-20:00"])
        _ = try await daemon.runCLI(["goal", "add", "first-apps"])
        let ingest = try await daemon.runCLI(["ingest", Self.fixtures + "/notes"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let before = try Self.footprint(daemon)

        for (index, attack) in attacks.enumerated() {
            let topic = attack.file.split(separator: ".").first.map(String.init) ?? attack.file
            server.enqueue(
                .stream([
                    .toolCall(index: 0, id: "s\(index)", name: ToolName.searchNotes.rawValue, arguments: "{\"query\": \"\(topic)\"}"),
                    .finish("tool_calls"),
                ]),
                .stream([
                    .toolCall(index: 0, id: "a\(index)", name: attack.tool, arguments: try Self.argumentsText(attack.arguments)),
                    .finish("tool_calls"),
                ]),
                .stream([.text("Here is what your notes say."), .finish("stop")]))
            let chat = try await daemon.runCLI(["chat", "--session", "attack-\(index)", "-m", "what do my notes say about \(topic)?"])
            #expect(chat.status == 0, "\(attack.file): \(chat.stderr)")
            #expect(chat.stdout.contains("Here is what your notes say."))
            let requests = server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }
            let messages = (requests.last?.json?["messages"] as? [[String: Any]]) ?? []
            let result = messages.last { $0["role"] as? String == "tool" }?["content"] as? String ?? ""
            if ["http_post", "send_email", "upload_notes"].contains(attack.tool) {
                #expect(result.contains("there is no tool"), "\(attack.file): \(result)")
            } else {
                #expect(result.contains("held:"), "\(attack.file): the model is told the call was held: \(result)")
                #expect(
                    (chat.stdout + chat.stderr).contains("Held for your confirmation: \(attack.tool)"), "\(attack.file): \(chat.stdout)")
            }
            // What the model read was framed as data.
            let retrieved = messages.first { ($0["content"] as? String)?.contains("untrusted") == true }
            #expect(retrieved != nil, "\(attack.file)")
        }
        #expect(try Self.footprint(daemon) == before, "no attack changed the learner's data")
        let outward = server.recordedRequests().filter { !$0.path.hasSuffix("/chat/completions") && !$0.path.hasSuffix("/models") }
        #expect(outward.isEmpty, "nothing was sent anywhere: \(outward.map(\.path))")

        // The learner can still say yes: the held change runs then, and only then.
        server.enqueue(
            .stream([
                .toolCall(index: 0, id: "s", name: ToolName.searchNotes.rawValue, arguments: "{\"query\": \"rag\"}"), .finish("tool_calls"),
            ]),
            .stream([.toolCall(index: 0, id: "c", name: ToolName.completeTask.rawValue, arguments: "{\"id\": 1}"), .finish("tool_calls")]),
            .stream([.text("Shall I mark it done?"), .finish("stop")]))
        _ = try await daemon.runCLI(["chat", "--session", "confirm", "-m", "what do my notes say about rag?"])
        #expect(try Self.footprint(daemon)["done tasks"] == before["done tasks"])
        let yes = try await daemon.runCLI(["chat", "--session", "confirm", "-m", "yes"])
        #expect(yes.stdout.contains("As you confirmed: complete_task: done"), "\(yes.stdout) \(yes.stderr)")
        #expect(try Self.footprint(daemon)["done tasks"] == (before["done tasks"] ?? 0) + 1)

        // An instruction that waits for the learner's next message: the retrieved text is still in
        // the conversation the model sees, so the change is still held (it once ran on "thanks").
        server.enqueue(
            .stream([
                .toolCall(index: 0, id: "s2", name: ToolName.searchNotes.rawValue, arguments: "{\"query\": \"rag\"}"),
                .finish("tool_calls"),
            ]),
            .stream([.text("Your notes cover RAG."), .finish("stop")]),
            .stream([
                .toolCall(index: 0, id: "w", name: ToolName.logStudy.rawValue, arguments: "{\"minutes\": 600}"), .finish("tool_calls"),
            ]),
            .stream([.text("Done."), .finish("stop")]))
        _ = try await daemon.runCLI(["chat", "--session", "later", "-m", "what do my notes say about rag?"])
        let logBefore = try Self.footprint(daemon)["study log"]
        let later = try await daemon.runCLI(["chat", "--session", "later", "-m", "hmm"])
        #expect((later.stdout + later.stderr).contains("Held for your confirmation: log_study"), "\(later.stdout) \(later.stderr)")
        #expect(try Self.footprint(daemon)["study log"] == logBefore, "a later turn did not run what the notes asked for")

        // Without retrieved text in the conversation, the model's own calls run as usual.
        server.enqueue(
            .stream([.toolCall(index: 0, id: "d", name: ToolName.logStudy.rawValue, arguments: "{\"minutes\": 30}"), .finish("tool_calls")]
            ),
            .stream([.text("Logged."), .finish("stop")]))
        let direct = try await daemon.runCLI(["chat", "--session", "direct", "-m", "I studied 30 minutes"])
        #expect(!(direct.stdout + direct.stderr).contains("Held"))
        #expect(try Self.footprint(daemon)["study log"] == (before["study log"] ?? 0) + 1)
        try await daemon.stop()
        try await server.shutdown()
    }
}
