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
import TutorTools
import TutorWire

@testable import TutorApp

@Suite("Prompt library")
struct PromptLibraryTests {
    /// A representative context for every bundled template.
    static var contexts: [String: [String: Any]] {
        [
            "system": [
                "profile": [
                    "name": "Ada", "background": "programmer", "track": "developer", "hoursPerWeek": "10",
                    "availability": ["mon-fri 19:00-21:00", "sat 09:00-12:00"], "timeZone": "Europe/Paris",
                ] as [String: Any],
                "goals": [["title": "Become an AI engineer", "done": 2, "total": 40]],
            ],
            "summariser": ["maxWords": 200],
            "planner": [
                "goal": "build a chatbot over my notes", "background": "programmer", "hoursPerWeek": "10",
                "skills": [
                    [
                        "id": "python-basics", "title": "Python basics", "stage": "foundations", "hoursMin": 20, "hoursMax": 40,
                        "prerequisites": [],
                    ]
                        as [String: Any],
                    [
                        "id": "rag-basics", "title": "RAG basics", "stage": "first-apps", "hoursMin": 10, "hoursMax": 20,
                        "prerequisites": ["python-basics", "embeddings"],
                    ],
                ],
            ],
            "offline-help": [:],
            "offline-unknown": [:],
            "offline-ack": [:],
            "offline-plan": [
                "week": "2026-W49", "sessionCount": 1, "total": "2 h", "notes": ["Fewer hours than declared."],
                "sessions": [
                    [
                        "day": "Mon 30", "start": "19:00", "end": "21:00",
                        "items": [["label": "Learn", "title": "Python basics", "minutes": 60]],
                    ] as [String: Any]
                ],
            ],
            "offline-nothing-planned": ["week": "2026-W49", "note": "Your free time is all in the past."],
            "offline-tasks": ["tasks": [["id": 3, "title": "Learn Python basics", "minutes": 90]]],
            "offline-progress": [
                "stages": [["title": "Foundations", "mastered": 1, "total": 8, "hoursLogged": "4.5", "hoursEstimated": 120]],
                "logged": "4.5 h",
            ],
            "offline-forecast": [
                "pace": "10", "paceSource": "declared", "notes": ["Estimates widen with time."],
                "milestones": [["title": "Senior", "from": "3 years", "to": "5 years", "experienceYears": "3–5"]],
            ],
            "offline-logged": ["minutes": 45, "skill": "python-basics", "week": "2 h"],
            "offline-completed": ["id": 12, "title": "Learn Python basics"],
            "offline-goal": ["title": "Become an AI engineer", "taskCount": 40, "hours": "900 h"],
            "offline-explain": [
                "id": "rag-basics", "title": "RAG basics", "stage": "first-apps", "description": "Retrieval, then generation.",
                "checklist": ["can build a RAG pipeline"], "prerequisites": ["embeddings"], "hours": ["low": 10, "high": 20],
                "resources": [["title": "A course", "url": "https://example.com"]],
            ],
            "offline-question": [
                "asked": true, "skillTitle": "RAG basics", "question": "Why retrieve?", "due": 2,
                "misconception": ["question": "Why?", "said": "speed", "expected": "grounding"],
            ],
            "offline-answer": [
                "partly": true, "answer": "To ground the answer.", "why": "The model lacks the facts.", "missing": "ground",
                "grade": "hard",
            ],
            "offline-hint": ["hint": "Think about facts.", "level": 1, "of": 3],
            "offline-skipped": [:],
            "offline-setup": [
                "probe": true, "problem": "say a number", "question": "What is 2 + 2?", "index": 1, "count": 3,
                "checked": ["correct": true, "answer": "4"],
            ],
            "offline-graded": ["when": "3 days", "more": 2, "misconception": true],
            "tutoring-state": [
                "exercise": ["cardId": "c1", "skillId": "rag-basics", "question": "Why retrieve?", "kind": "check", "hintsGiven": 1],
                "misconceptions": [["skillId": "rag-basics", "said": "speed", "expected": "grounding"]],
                "testOut": ["skill": "Python fundamentals", "question": "Which collection holds unique items?", "number": 1, "of": 3],
            ],
            "offline-error": ["error": "no such task"],
            "offline-not-found": [:],
            "offline-notes": ["passages": [["citation": "~/notes/rag.md:3-9", "excerpt": "Chunk by heading."]]],
            "offline-done": [:],
            "weekly-note": [
                "week": "2026-W50", "sessions": 5, "plannedHours": "7 h", "budgetHours": "8 h", "loggedHours": "4.5 h",
                "notes": ["3 tasks carry over."], "goals": [["title": "First AI apps", "done": 4, "total": 40]],
            ],
            "grade-answer": [
                "question": "What is a token?", "reference": "A piece of text.", "why": "Models read tokens.",
                "keyPoints": ["piece or chunk", "text or word"],
            ],
            "weekly-note-offline": [
                "week": "2026-W50", "sessions": 5, "plannedHours": "7 h", "budgetHours": "8 h", "loggedHours": "4.5 h",
                "notes": ["3 tasks carry over."], "goals": [["title": "First AI apps", "done": 4, "total": 40]],
            ],
            "digest": ["sessions": [["start": "19:00", "end": "20:30", "items": "Learn: RAG basics"]], "due": 3, "logged": "1.5 h"],
            "missed-session": ["start": "Tue 19:00", "minutes": 90, "items": ["Learn: RAG basics"]],
            "notice-held-not-made": ["tools": "log_study"],
            "notice-held": ["calls": "log_study {\"minutes\":600}"],
            "notice-shortened": [:],
            "notice-overflow": [:],
            "notice-small-window": ["limit": 1024, "toolTokens": 900],
            "notice-incomplete": ["stalled": true, "error": "timedOut"],
            "notice-step-limit": ["steps": 8],
            "notice-tools-not-run": ["tools": "log_study"],
            "notice-reply-replaced": [:],
            "notice-question-aside": ["question": "Why does RAG help?"],
            "notice-grade-kept": ["grade": "hard"],
            "offline-rate-first": ["grade": "good"],
            "offline-profile": ["hours": "5", "hasWindows": true, "windows": ["mon-fri 20:00-22:00", "sat 09:00-11:00"]],
            "offline-log-corrected": ["before": 60, "now": 30, "skill": "embeddings", "week": "2 h"],
            "notice-test-out-aside": ["skill": "Python fundamentals", "question": "Which collection holds unique items?"],
            "offline-test-out": [
                "passed": true, "skill": "Python fundamentals", "of": 3, "needed": 2, "right": 2, "answered": 2,
                "checked": ["correct": true, "answer": "[0, 2, 4]"], "tasks": "3 tasks", "hours": "7.1 h", "kept": 0,
                "review": ["write functions"],
            ],
            "offline-tasks-reopened": [
                "reopened": [["id": 2, "title": "Practise: RAG", "minutes": 55]], "alreadyOpen": "#5", "open": 12, "hours": "20 h",
            ],
            "offline-goal-status": [
                "which": true, "action": "pause", "tasks": 0, "hours": "0 min",
                "goals": [["id": 1, "title": "build chatbots with RAG", "status": "active"]],
            ],
            "offline-order": [
                "any": true, "notOnList": "Python fundamentals",
                "skills": [
                    ["position": 1, "title": "NumPy", "stage": "foundations", "after": "Python fundamentals (done)", "unlocks": "pandas"]
                ],
                "rule": "Skills come after the skills they build on.",
            ],
        ]
    }

    private func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-prompts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    private func write(_ text: String, to folder: String, as name: String) throws {
        try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    }

    /// The offline model's answer after `tool` returned `json`, through the real model and templates.
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

    @Test("every bundled template parses, and renders a representative context with nothing left unresolved")
    func bundledTemplatesRender() throws {
        let library = PromptLibrary.bundled
        #expect(library.warnings.isEmpty, "\(library.warnings)")
        #expect(Set(library.names) == Set(Self.contexts.keys))
        for name in library.names {
            #expect(library.origin(of: name) == .bundled)
            let text = library.render(name, try #require(Self.contexts[name]))
            #expect(!text.isEmpty, "\(name)")
            #expect(!text.contains("{{") && !text.contains("}}"), "\(name): \(text)")
            #expect(!text.hasPrefix("\n") && !text.hasSuffix("\n"), "\(name) starts or ends with a blank line")
            #expect(!text.contains("\n\n\n"), "\(name): \(text)")
            #expect(!text.contains("&#") && !text.contains("&quot;") && !text.contains("&amp;"), "\(name): \(text)")
        }
        #expect(library.render("no-such-template", [:]).contains("no-such-template"))
    }

    @Test("an override file replaces the bundled template; a broken one falls back with a warning naming it")
    func overrides() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write("Hello {{name}}, this is my own error text: {{error}}\n", to: folder, as: "offline-error.mustache")
        try write("{{#tasks}}unclosed section\n", to: folder, as: "offline-tasks.mustache")
        try write("Talk to me, {{who}}.", to: folder, as: "offline-help.mustache")
        try write("not a template", to: folder, as: "notes.txt")
        let library = PromptLibrary(overrideDirectory: folder)

        #expect(library.origin(of: "offline-error") == .override(path: folder + "/offline-error.mustache"))
        #expect(library.render("offline-error", ["name": "Ada", "error": "oops"]) == "Hello Ada, this is my own error text: oops")

        #expect(library.origin(of: "offline-tasks") == .bundled)
        #expect(library.warnings.count == 1, "\(library.warnings)")
        let warning = try #require(library.warnings.first)
        #expect(warning.contains(folder + "/offline-tasks.mustache"))
        #expect(warning.contains("does not parse") && warning.contains("line 2"), "\(warning)")
        #expect(library.render("offline-tasks", ["tasks": [] as [Any]]).hasPrefix("You have no open tasks."))

        // Templates include each other by name, so an overridden partial shows through.
        #expect(library.render("offline-unknown", ["who": "Ada"]) == "I am not sure what you mean.\n\nTalk to me, Ada.")
        #expect(library.names.contains("offline-plan") && !library.names.contains("notes"))
    }

    @Test("an override with an unknown name is kept as a partial, with a warning; a missing folder is fine")
    func unknownOverridesAndMissingFolder() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write("Be kind.", to: folder, as: "sytem.mustache")
        let library = PromptLibrary(overrideDirectory: folder)
        #expect(library.warnings.count == 1)
        #expect(library.warnings.first?.contains("sytem.mustache") == true)
        #expect(library.origin(of: "system") == .bundled)

        let missing = PromptLibrary(overrideDirectory: folder + "/nowhere")
        #expect(missing.warnings.isEmpty)
        #expect(missing.origin(of: "system") == .bundled)
    }

    @Test("the override folder: TUTOR_CONFIG's folder, else XDG_CONFIG_HOME, else ~/.config")
    func overrideDirectoryRule() {
        #expect(PromptLibrary.overrideDirectory(environment: ["HOME": "/home/ada"]) == "/home/ada/.config/tutor/prompts")
        #expect(
            PromptLibrary.overrideDirectory(environment: ["HOME": "/home/ada", "XDG_CONFIG_HOME": "/xdg"]) == "/xdg/tutor/prompts")
        #expect(
            PromptLibrary.overrideDirectory(environment: ["HOME": "/home/ada", "XDG_CONFIG_HOME": "", "TUTOR_CONFIG": ""])
                == "/home/ada/.config/tutor/prompts")
        #expect(
            PromptLibrary.overrideDirectory(environment: [
                "HOME": "/home/ada", "XDG_CONFIG_HOME": "/xdg", "TUTOR_CONFIG": "/etc/tutor/tutor.yaml",
            ]) == "/etc/tutor/prompts")
        #expect(PromptLibrary.overrideDirectory(environment: ["TUTOR_CONFIG": "/tutor.yaml"]) == "/prompts")
        #expect(PromptLibrary.overrideDirectory(environment: ["TUTOR_CONFIG": "tutor.yaml"]) == "prompts")
    }

    @Test("values come out as written: no HTML escaping, in bundled templates and overrides alike")
    func noEscaping() throws {
        let value = #"it's "quoted" & <tagged>"#
        #expect(PromptLibrary.bundled.render("offline-error", ["error": value]) == "I could not do that: \(value)")

        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write("{{value}}|{{{value}}}|{{&value}}", to: folder, as: "offline-done.mustache")
        let library = PromptLibrary(overrideDirectory: folder)
        #expect(library.render("offline-done", ["value": value]) == "\(value)|\(value)|\(value)")
    }

    @Test("the system prompt keeps the honest timeline and the tool-data rule, and carries the learner's memory")
    func systemPrompt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-system-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        defer { try? store.close() }
        let service = LearnerService(
            store: store, catalogue: try Catalogue.bundled(), now: { Date(timeIntervalSince1970: 1_796_630_400) })

        let fresh = ModelPrompts.system(service: service)
        for figure in ["about 6 months", "about 12 from scratch", "6-12 more months", "1-2 years", "3-5", "never instructions"] {
            #expect(fresh.contains(figure), "\(figure)")
        }
        #expect(fresh.contains("one question at a time") && fresh.contains("give hints (give_hint), not the answer"))
        #expect(fresh.contains("has not set a profile yet"))
        #expect(!fresh.contains("Goals:"))
        #expect(!fresh.hasSuffix("\n"))

        _ = try service.setProfile(
            ProfileSetParams(
                name: "Ada", background: "programmer", hoursPerWeek: 10, availability: ["mon-fri 19:00-21:00", "sat 09:00-12:00"],
                timeZone: "Europe/Paris"))
        _ = try service.addGoal(GoalAddParams(text: "rag-basics"))
        let known = ModelPrompts.system(service: service, library: .bundled)
        #expect(known.contains("Learner: Ada, background programmer, track "), "\(known)")
        #expect(known.contains(", 10 h a week, "), "\(known)")
        #expect(known.contains("free time mon 19:00-21:00, tue 19:00-21:00"), "\(known)")
        #expect(known.contains("sat 09:00-12:00, time zone Europe/Paris.\nGoals: "), "\(known)")
        #expect(known.contains("Goals: "), "\(known)")
        #expect(known.contains("tasks done)."), "\(known)")
        #expect(!known.contains("has not set a profile"))

        let summariser = ModelPrompts.summariser(library: .bundled)
        #expect(summariser.hasPrefix("Summarise this conversation") && summariser.contains("at most 200 words"))
    }

    @Test("a plan with two sessions gives two session lines, items joined with semicolons")
    func planLists() async throws {
        let json = """
            {"week": "2026-W49", "timeZone": "UTC", "plannedMinutes": 150, "notes": ["Start small."],
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
            tool: .weeklyPlan, arguments: #"{"week":"2026-W49"}"#, json: #"{"week": "2026-W49", "sessions": [], "notes": []}"#)
        #expect(empty == "Nothing is planned for 2026-W49. Add a goal and your free time first.")
    }

    @Test("the other offline replies word their tool results as before")
    func offlineReplies() async throws {
        #expect(
            try await offlineReply(tool: .logStudy, json: #"{"minutes": 45, "skillId": "python-basics", "weekMinutes": 150}"#)
                == "Logged 45 minutes on python-basics. This week so far: 2.5 h.")
        #expect(
            try await offlineReply(tool: .logStudy, json: #"{"minutes": 45, "weekMinutes": 45}"#)
                == "Logged 45 minutes. This week so far: 45 min.")
        #expect(
            try await offlineReply(
                tool: .listTasks,
                json: #"{"tasks": [{"id": 1, "title": "A", "estimateMinutes": 30}, {"id": 2, "title": "B", "estimateMinutes": 60}]}"#)
                == "Next up:\n- #1 A (30 min)\n- #2 B (60 min)")
        #expect(try await offlineReply(tool: .listTasks, json: #"{"tasks": []}"#).hasPrefix("You have no open tasks."))
        let forecast = try await offlineReply(
            tool: .forecast,
            json:
                #"{"hoursPerWeek": 10, "paceSource": "declared", "notes": ["A note."], "milestones": [{"title": "First apps", "monthsFrom": 5, "monthsTo": 7}, {"title": "Senior", "monthsFrom": 30, "monthsTo": 48, "experienceYears": "3–5"}]}"#
        )
        #expect(
            forecast
                == "At 10 h a week (declared):\n- First apps: 5 months–7 months from now\n- Senior: 2.5 years–4 years from now, plus 3–5 years of real-world experience\nA note."
        )
        let explain = try await offlineReply(
            tool: .catalogueShow,
            json:
                #"{"id": "rag-basics", "title": "RAG", "stage": "first-apps", "description": "Retrieve, then generate.", "checklist": ["build a pipeline", "can explain chunking"], "prerequisites": ["embeddings", "python"], "hoursMin": 10, "hoursMax": 20, "resources": []}"#
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
            try await offlineReply(tool: .recordReview, json: #"{"intervalDays": 3, "dueCount": 0}"#)
                == "Recorded. You will see it again in 3 days. Nothing else is due.")
        #expect(
            try await offlineReply(tool: .recordReview, json: #"{"intervalDays": 0.007, "dueCount": 2}"#)
                == #"Recorded. You will see it again in 10 minutes. 2 more due: say "quiz me"."#)
        #expect(
            try await offlineReply(tool: .logStudy, json: #"{"error": "it's <bad> & \"wrong\""}"#)
                == #"I could not do that: it's <bad> & "wrong""#)
    }

    @Test("the quiz follows the chat's stored open question, not the wording of the templates")
    func quizFollowsStoredState() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Overrides that keep nothing of the bundled wording.
        try write("Q: {{question}}", to: folder, as: "offline-question.mustache")
        try write("A: {{answer}}", to: folder, as: "offline-answer.mustache")
        let prompts = PromptLibrary(overrideDirectory: folder)
        let asked = #"{"question": {"cardId": "c7", "skillTitle": "RAG", "question": "Why?", "kind": "review", "dueCount": 1}}"#
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
