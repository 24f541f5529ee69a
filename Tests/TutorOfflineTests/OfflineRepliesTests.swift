import Foundation
import Synchronization
import Testing
import TutorAgent
import TutorCatalogue
import TutorModel
import TutorOffline
import TutorPrompts
import TutorStore
import TutorToolAdapters

@Suite("Offline replies")
struct OfflineRepliesTests {
    /// The offline model's answer after `tool` returned `json` (a whole result, as the tool writes
    /// it: the model reads it back as the tool's result type), through the real model and templates.
    private func offlineReply(
        tool: ToolName, arguments: String = "{}", json: String, prompts: PromptLibrary = .bundled
    ) async throws
        -> String
    {
        let model = OfflineModel(catalogue: try Catalogue.bundled(), prompts: prompts)
        let messages: [ChatMessage] = [
            .system("s"), .user("go"), .assistant(nil, toolCalls: [ToolCall(id: "t1", name: tool.rawValue, arguments: arguments)]),
            .tool(callID: "t1", content: json),
        ]
        return try await reply(model, messages)
    }

    private func reply(_ model: OfflineModel, _ messages: [ChatMessage]) async throws -> String {
        var text: String?
        for try await event in model.stream(ChatRequest(messages: messages)) {
            if case .completed(let completion) = event { text = completion.message.content }
        }
        return try #require(text)
    }

    @Test("a plan with two sessions gives two session lines, items joined with semicolons")
    func planLists() async throws {
        let json = """
            {"week": "2026-W49", "timeZone": "UTC", "plannedMinutes": 150, "notes": ["Start small."],
             "generatedAt": "2026-11-30T08:00:00Z", "stored": false, "budgetMinutes": 600, "markdown": "", "iCalendar": "",
             "sessions": [
               {"start": "2026-11-30T19:00:00Z", "end": "2026-11-30T20:30:00Z",
                "items": [{"kind": "learn", "title": "Python basics", "minutes": 60},
                          {"kind": "review", "title": "Review 4 due items", "minutes": 30}]},
               {"start": "2026-12-02T19:00:00Z", "end": "2026-12-02T20:00:00Z",
                "items": [{"kind": "project", "title": "A CLI chatbot", "minutes": 60}]}]}
            """
        let text = try await offlineReply(tool: .weeklyPlan, json: json)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "Your plan for 2026-W49: 2 sessions, 2.5 h in all.")
        #expect(
            lines.filter { $0.hasPrefix("- ") } == [
                // A review's title (as the planner writes it) is not labelled again.
                "- Mon 30 19:00–20:30: Learn Python basics (60 min); Review 4 due items (30 min)",
                "- Wed 2 19:00–20:00: Build A CLI chatbot (60 min)",
            ])
        #expect(lines.contains("Note: Start small."))
        #expect(lines.last == #"Say "done with task N" as you finish, or "log 45 minutes on SKILL"."#)

        // (Asked for a given week, so the model does not move on to the next one.)
        let empty = try await offlineReply(
            tool: .weeklyPlan, arguments: #"{"week":"2026-W49"}"#,
            json:
                #"{"week": "2026-W49", "timeZone": "UTC", "generatedAt": "2026-11-30T08:00:00Z", "stored": false, "sessions": [], "plannedMinutes": 0, "budgetMinutes": 0, "notes": [], "markdown": "", "iCalendar": ""}"#
        )
        #expect(empty == "Nothing is planned for 2026-W49. Add a goal and your free time first.")
    }

    @Test("the other offline replies word their tool results as before")
    func offlineReplies() async throws {
        #expect(
            try await offlineReply(
                tool: .logStudy,
                json: #"{"id": 1, "minutes": 45, "skillId": "python-basics", "loggedAt": "2026-11-30T19:00:00Z", "weekMinutes": 150}"#)
                == "Logged 45 minutes on python-basics. This week so far: 2.5 h.")
        #expect(
            try await offlineReply(
                tool: .logStudy, json: #"{"id": 2, "minutes": 45, "loggedAt": "2026-11-30T19:00:00Z", "weekMinutes": 45}"#)
                == "Logged 45 minutes. This week so far: 45 min.")
        #expect(
            try await offlineReply(
                tool: .listTasks,
                json:
                    #"{"total": 2, "tasks": [{"id": 1, "kind": "learn", "title": "A", "status": "pending", "estimateMinutes": 30, "actualMinutes": 0}, {"id": 2, "kind": "learn", "title": "B", "status": "pending", "estimateMinutes": 60, "actualMinutes": 0}]}"#
            )
                == "Next up:\n- #1 A (30 min)\n- #2 B (60 min)")
        #expect(try await offlineReply(tool: .listTasks, json: #"{"tasks": [], "total": 0}"#).hasPrefix("You have no open tasks."))
        let forecast = try await offlineReply(
            tool: .forecast,
            json:
                #"{"background": "programmer", "hoursPerWeek": 10, "paceSource": "declared", "weeksOfLog": 0, "notes": ["A note."], "milestones": [{"stage": "first-apps", "title": "First apps", "milestone": "First AI apps", "remainingHoursMin": 200, "remainingHoursMax": 300, "monthsFrom": 5, "monthsTo": 7, "dateFrom": "2027-05-01T00:00:00Z", "dateTo": "2027-07-01T00:00:00Z"}, {"stage": "senior", "title": "Senior", "milestone": "Senior AI engineer", "remainingHoursMin": 1200, "remainingHoursMax": 1900, "monthsFrom": 30, "monthsTo": 48, "dateFrom": "2029-06-01T00:00:00Z", "dateTo": "2030-12-01T00:00:00Z", "experienceYears": "3–5"}]}"#
        )
        #expect(
            forecast
                == "At 10 h a week (declared):\n- First apps: 5 months–7 months from now\n- Senior: 2.5 years–4 years from now, plus 3–5 years of real-world experience\nA note."
        )
        let explain = try await offlineReply(
            tool: .catalogueShow,
            json:
                #"{"kind": "skill", "id": "rag-basics", "title": "RAG", "stage": "first-apps", "description": "Retrieve, then generate.", "checklist": ["build a pipeline", "can explain chunking"], "prerequisites": ["embeddings", "python"], "dependants": [], "hoursMin": 10, "hoursMax": 20, "resources": [], "quizItems": 0, "skills": []}"#
        )
        #expect(
            explain
                == """
                RAG (first-apps):
                Retrieve, then generate.
                You know it when you can build a pipeline; can explain chunking.
                Learn first: embeddings, python.
                Expect about 10–20 hours.
                (From the Tutor roadmap, skill rag-basics.)
                Check yourself before moving on: could you build a pipeline, in your own words? Once you have studied it, say "quiz me".
                """)
        #expect(
            try await offlineReply(
                tool: .recordReview,
                json:
                    #"{"cardId": "c1", "nextDue": "2026-12-03T19:00:00Z", "intervalDays": 3, "dueCount": 0, "skillStatus": "learning", "misconceptionRecorded": false, "misconceptionsResolved": 0}"#
            )
                == "Recorded. You will see it again in 3 days. Nothing else is due.")
        #expect(
            try await offlineReply(
                tool: .recordReview,
                json:
                    #"{"cardId": "c1", "nextDue": "2026-11-30T19:10:00Z", "intervalDays": 0.007, "dueCount": 2, "skillStatus": "learning", "misconceptionRecorded": false, "misconceptionsResolved": 0}"#
            )
                == #"Recorded. You will see it again in 10 minutes. 2 more due: say "quiz me"."#)
        #expect(
            try await offlineReply(tool: .logStudy, json: #"{"error": "it's <bad> & \"wrong\""}"#)
                == #"I could not do that: it's <bad> & "wrong""#)
    }

    @Test("the quiz follows the chat's stored open question, not the wording of the templates")
    func quizFollowsStoredState() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-prompts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Overrides that keep nothing of the bundled wording.
        try "Q: {{question}}".write(toFile: folder + "/offline-question.mustache", atomically: true, encoding: .utf8)
        try "A: {{answer}}".write(toFile: folder + "/offline-answer.mustache", atomically: true, encoding: .utf8)
        let prompts = PromptLibrary(overrideDirectory: folder)
        let asked =
            #"{"question": {"cardId": "c7", "skillId": "rag-basics", "skillTitle": "RAG", "question": "Why?", "kind": "review", "hintsAvailable": 3, "dueCount": 1, "repeated": false, "source": "catalogue", "note": ""}}"#
        #expect(try await offlineReply(tool: .askQuestion, json: asked, prompts: prompts) == "Q: Why?")
        #expect(
            try await offlineReply(tool: .askQuestion, json: asked)
                == "[RAG] Why?\nAnswer in your own words; say \"hint\" if you are stuck. (1 due)")

        let open = Mutex(
            ExerciseRecord(session: "s", cardId: "c7", skillId: "rag-basics", kind: "review", askedAt: Date(), updatedAt: Date()))
        let model = OfflineModel(catalogue: try Catalogue.bundled(), prompts: prompts) { _ in ChatState(exercise: open.withLock { $0 }) }
        func firstCall(_ text: String) async throws -> ToolCall? {
            try await ToolContext.$session.withValue("s") {
                for try await event in model.stream(ChatRequest(messages: [.system("s"), .user(text)])) {
                    if case .completed(let completion) = event { return completion.message.toolCalls?.first }
                }
                return nil
            }
        }
        #expect(try await firstCall("because the model lacks facts")?.name == ToolName.checkAnswer.rawValue)
        #expect(try await firstCall("hint please")?.name == ToolName.giveHint.rawValue)
        #expect(try await firstCall("just tell me")?.arguments.contains("\"reveal\":true") == true)
        #expect(
            try await firstCall("what is an embedding?")?.name == ToolName.catalogueShow.rawValue, "a new request is served, not graded")
        #expect(try await firstCall("back to the question")?.name == ToolName.askQuestion.rawValue, "and the open question can be resumed")
        #expect(try await firstCall("show my plan")?.name == ToolName.weeklyPlan.rawValue, "other requests go through")
        open.withLock {
            $0.phase = "answered"
            $0.suggestedRating = 2
        }
        let grade = try #require(try await firstCall("ok"))
        #expect(grade.name == ToolName.recordReview.rawValue && grade.arguments.contains("c7") && grade.arguments.contains("\"rating\":2"))
        // "log 1h" names a number but is no grade: the suggested grade is kept and the time logged.
        let call = try await ToolContext.$session.withValue("s") { () async throws -> [ToolCall] in
            for try await event in model.stream(ChatRequest(messages: [.system("s"), .user("log 1h on embeddings")])) {
                if case .completed(let completion) = event { return completion.message.toolCalls ?? [] }
            }
            return []
        }
        #expect(call.map(\.name) == [ToolName.recordReview.rawValue, ToolName.logStudy.rawValue])
        #expect(call.first?.arguments.contains("\"rating\":2") == true && call.last?.arguments.contains("\"minutes\":60") == true)
        // Outside a chat session there is no open question: the same words are an ordinary request.
        var outside: ToolCall?
        for try await event in model.stream(ChatRequest(messages: [.system("s"), .user("what is an embedding?")])) {
            if case .completed(let completion) = event { outside = completion.message.toolCalls?.first }
        }
        #expect(outside?.name == ToolName.catalogueShow.rawValue)
    }

    @Test("help and unknown messages come from the templates")
    func helpAndUnknown() async throws {
        let model = OfflineModel(catalogue: try Catalogue.bundled())
        let help = try await reply(model, [.system("s"), .user("help")])
        #expect(help == model.help)
        #expect(help.contains("TUTOR_LLM_BASE_URL") && help.hasPrefix("No language model is connected"))
        let unknown = try await reply(model, [.system("s"), .user("xyzzy plugh")])
        #expect(unknown == "I am not sure what you mean.\n\n" + help)
        // Thanks get a short answer, not the list of everything it can do.
        let thanks = try await reply(model, [.system("s"), .user("Thanks!")])
        #expect(thanks.hasPrefix("Glad to help.") && !thanks.contains("TUTOR_LLM_BASE_URL"), "\(thanks)")
    }
}
