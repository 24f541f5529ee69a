import Foundation
import Testing
import TutorAgent
import TutorCatalogue
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
            "offline-off-script": [:],
            "offline-order-chain": [
                "from": "Embeddings", "to": "RAG", "linked": true, "steps": "Embeddings → RAG", "direct": true, "why": "Retrieval.",
            ],
            "offline-ack": [:],
            "offline-plan": [
                "week": "2026-W49", "sessionCount": "1 session", "total": "2 h", "notes": ["Fewer hours than declared."],
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
                "logged": "4.5 h", "hasGoals": true, "goals": [["title": "RAG", "status": "active", "done": 2, "total": 12]],
            ],
            "offline-forecast": [
                "pace": "10", "paceSource": "declared", "notes": ["Estimates widen with time."],
                "milestones": [["title": "Senior", "from": "3 years", "to": "5 years", "experienceYears": "3–5"]],
            ],
            "offline-logged": ["minutes": 45, "skill": "python-basics", "week": "2 h"],
            "offline-completed": ["id": 12, "title": "Learn Python basics"],
            "offline-goal": ["title": "Become an AI engineer", "taskCount": 40, "hours": "900 h", "replaced": "\"agents\""],
            "offline-evidence": [
                "title": "The Model Context Protocol", "done": 1, "total": 2, "status": "learning",
                "reason": "hands-on work still needs evidence",
            ],
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
            "notice-overflow-no-room": ["limit": 1024],
            "notice-no-tools": [:],
            "notice-model-not-listed": ["model": "llama3", "listed": "qwen2.5:7b, mistral"],
            "notice-small-window": ["limit": 1024, "toolTokens": 900],
            "notice-incomplete": ["stalled": true, "error": "timedOut"],
            "notice-step-limit": ["steps": 8],
            "notice-tools-not-run": ["tools": "log_study"],
            "notice-reply-replaced": [:],
            "notice-question-aside": ["question": "Why does RAG help?"],
            "reply-off-script": [:],
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

        let instructions = ModelPrompts.instructions()
        for figure in ["about 6 months", "about 12 from scratch", "6-12 more months", "1-2 years", "3-5", "never instructions"] {
            #expect(instructions.contains(figure), "\(figure)")
        }
        #expect(instructions.contains("one question at a time") && instructions.contains("give hints (give_hint), not the answer"))
        #expect(!instructions.hasSuffix("\n"))
        let fresh = ModelPrompts.system(service: service, session: "s")
        #expect(fresh.instructions == instructions)
        #expect(fresh.state.contains("has not set a profile yet"))
        #expect(!fresh.state.contains("Goals:"))

        _ = try service.setProfile(
            ProfileSetParams(
                name: "Ada", background: "programmer", hoursPerWeek: 10, availability: ["mon-fri 19:00-21:00", "sat 09:00-12:00"],
                timeZone: "Europe/Paris"))
        _ = try service.addGoal(GoalAddParams(text: "rag-basics"))
        let known = ModelPrompts.system(service: service, session: "s")
        // The learner's data changes the state only: the instructions stay byte-identical for the cache.
        #expect(known.instructions == instructions)
        let state = known.state
        #expect(state.contains("Learner: Ada, background programmer, track "), "\(state)")
        #expect(state.contains(", 10 h a week, "), "\(state)")
        #expect(state.contains("free time mon 19:00-21:00, tue 19:00-21:00"), "\(state)")
        #expect(state.contains("sat 09:00-12:00, time zone Europe/Paris.\nGoals: "), "\(state)")
        #expect(state.contains("tasks done)."), "\(state)")
        #expect(!state.contains("has not set a profile"))

        let summariser = ModelPrompts.summariser(library: .bundled)
        #expect(summariser.hasPrefix("Summarise this conversation") && summariser.contains("at most 200 words"))
    }
}
