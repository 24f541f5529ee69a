import Testing
import TutorCatalogue
import TutorDialogue
import TutorJSON
import TutorToolAdapters

/// The dialogue's decisions, without a model, tools or store: what a message means given what the
/// chat waits for. Each case is a path a learner took.
@Suite("Dialogue router")
struct DialogueRouterTests {
    static let router = DialogueRouter(catalogue: try! Catalogue.bundled())

    func tools(_ text: String, _ awaiting: Awaiting) -> [ToolName] {
        Self.router.decide(text, awaiting: awaiting).calls.map(\.tool)
    }

    @Test("while a question is open, requests are served and never graded; anything else is the answer")
    func openQuestion() {
        let open = Awaiting.answer(reminded: false)
        for request in [
            "hi", "can I get a job in 3 months?", "what should I study this week?", "log 45 minutes on python", "why this order?",
        ] {
            let decision = Self.router.decide(request, awaiting: open)
            #expect(!decision.calls.contains { $0.tool == .checkAnswer }, "\(request) was graded")
            #expect(decision.setAside == .question || decision.reply != nil, "\(request)")
        }
        for answer in [
            "it retrieves documents and adds them to the prompt", "DL is a subset of ML which is a subset of AI", "yes", "3",
            "I dunno, numbers?",
        ] {
            #expect(tools(answer, open) == [.checkAnswer], "\(answer)")
        }
        #expect(tools("hint", open) == [.giveHint])
        #expect(tools("no idea", open) == [.giveHint])
        #expect(tools("just tell me the answer", open) == [.checkAnswer])
        #expect(tools("skip", open) == [.skipQuestion])
        #expect(tools("back to the question", open) == [.askQuestion])
    }

    @Test("while a grade waits, only a grade or an ok records it; a request keeps the suggestion and is served")
    func pendingGrade() {
        let grade = Awaiting.grade(card: "rag-basics#0", suggested: 2)
        let kept = Self.router.decide("log 1h on embeddings", awaiting: grade)
        #expect(kept.calls.map(\.tool) == [.recordReview, .logStudy])
        #expect(kept.calls.first?.arguments["rating"] == .int(2) && kept.calls.last?.arguments["minutes"] == .int(60))
        #expect(kept.setAside == .grade(2))
        #expect(Self.router.decide("good", awaiting: grade).calls.first?.arguments["rating"] == .int(3))
        #expect(Self.router.decide("ok", awaiting: grade).calls.first?.arguments["rating"] == .int(2))
        for unclear in ["hint", "but I was right", "hmm"] {
            #expect(Self.router.decide(unclear, awaiting: grade).reply == .rateFirst, "\(unclear)")
        }
        #expect(tools("skip that, how do I log time?", grade) == [.skipQuestion])
        #expect(tools("oops I meant 30 minutes", grade) == [.recordReview, .correctLog])
    }

    @Test("the setup takes its answers, lets the learner change their goal, and sets other requests aside")
    func setup() {
        #expect(tools("I know a bit of python", .setup(step: "background")) == [.placementAnswer])
        #expect(tools("weekday evenings after 8pm and saturday mornings", .setup(step: "availability")) == [.placementAnswer])
        #expect(tools("3", .setup(step: "hours")) == [.placementAnswer])
        let changed = Self.router.decide("actually I want to build chatbots with RAG", awaiting: .setup(step: "probe"))
        #expect(
            changed.calls.first?.tool == .placementStart && changed.calls.first?.arguments["goal"] == .string("build chatbots with RAG"))
        #expect(tools("later", .setup(step: "probe")) == [.placementCancel])
        #expect(Self.router.decide("what should I study this week?", awaiting: .setup(step: "hours")).reply == .setupAside)
        #expect(tools("no idea", .setup(step: "probe")) == [.placementAnswer])
    }

    @Test("a first message that says who the learner is starts the setup with the goal and the introduction")
    func firstRun() {
        let start = Self.router.decide("hello! I want to become an AI engineer but I only know a bit of python", awaiting: .firstRun)
        #expect(start.calls == [PlannedCall(.placementStart, ["goal": .string("become an AI engineer")])])
        #expect(tools("hi", .firstRun) == [.placementStart])
        let into = Self.router.decide("hey, I'd like to get into AI", awaiting: .firstRun)
        #expect(into.calls == [PlannedCall(.placementStart, ["goal": .string("become an AI engineer")])])
        #expect(tools("what are my tasks?", .firstRun) == [.placementStart], "without a profile, the setup comes first")
        // An introduction with the goal in it, not after "I want to" (SmolLM2's newcomer got a chat, no setup).
        let rag = Self.router.decide("hi! I'm a python backend dev and want to build RAG apps", awaiting: .firstRun)
        let introduction = JSONValue.string("hi! I'm a python backend dev and want to build RAG apps")
        #expect(rag.calls == [PlannedCall(.placementStart, ["goal": .string("build RAG apps"), "introduction": introduction])])
        let greeting = Self.router.decide("hello, I am a data scientist", awaiting: .firstRun)
        #expect(greeting.calls == [PlannedCall(.placementStart, ["introduction": .string("hello, I am a data scientist")])])
        // Saying who they are, without a request: the setup starts (a bare "programmer" used to reach the model).
        #expect(tools("programmer", .firstRun) == [.placementStart])
        #expect(tools("I'm a frontend developer", .firstRun) == [.placementStart])
        #expect(tools("hmm", .firstRun) == [], "nothing said: the model answers")
        #expect(tools("Say hello to a new student.", .firstRun) == [], "a role named in a request is no introduction")
    }

    @Test("everyday requests in the learner's own words")
    func everydayRequests() {
        let done = Self.router.decide("I finished tasks 1, 2 and 3", awaiting: .nothing)
        #expect(done.calls.map(\.tool) == [.completeTask, .completeTask, .completeTask])
        #expect(done.calls.map { $0.arguments["id"] } == [.int(1), .int(2), .int(3)])
        #expect(tools("why this order?", .nothing) == [.explainOrder])
        let python = Self.router.decide("why do I have to learn python first?", awaiting: .nothing)
        #expect(python.calls.first?.tool == .explainOrder && python.calls.first?.arguments["skill"] == .string("python-fundamentals"))
        #expect(tools("why are my tasks in this order?", .nothing) == [.explainOrder])
        #expect(tools("undo that", .nothing) == [.correctLog])
        let hours = Self.router.decide("wait, actually I only have 5 hours a week", awaiting: .nothing)
        #expect(tools("actually make that 4 hours a week", .nothing) == [.updateProfile, .forecast])
        #expect(hours.calls.map(\.tool) == [.updateProfile, .forecast] && hours.calls[0].arguments["hours_per_week"] == .double(5))
        let free = Self.router.decide("I'm free sat 9-11 and weeknights after 8pm now", awaiting: .nothing)
        #expect(free.calls.first?.arguments["availability"] == .array([.string("sat 09:00-11:00"), .string("mon-fri 20:00-22:00")]))
        #expect(tools("how long until I'm an AI engineer at 15 hours a week?", .nothing) == [.forecast])
        #expect(tools("what is a learning rate schedule?", .nothing) == [.catalogueShow], "a topic, not the plan")
        #expect(Self.router.decide("how do I log time?", awaiting: .nothing).reply == .help)
        #expect(Self.router.decide("thanks!", awaiting: .nothing).reply == .thanks)
    }

    @Test("\"I already know X\" and \"skip X\" start a test-out on the skill the words name; \"skip that\" still skips")
    func testOutRequests() {
        for (text, words) in [
            ("I already know python", "python"), ("I know git already, can I skip it?", "git"),
            ("skip the linear algebra part", "linear algebra"), ("can I test out of SQL?", "sql"),
            ("I already know cobol", "cobol"),
        ] {
            let decision = Self.router.decide(text, awaiting: .nothing)
            #expect(decision.calls == [PlannedCall(.testOut, ["skill": .string(words)])], "\(text)")
        }
        #expect(tools("skip that", .answer(reminded: false)) == [.skipQuestion])
        #expect(tools("skip", .answer(reminded: false)) == [.skipQuestion])
        #expect(Self.router.decide("I already know that", awaiting: .answer(reminded: false)).calls.first?.tool == .checkAnswer)
        // In the setup it says what the learner knows: the step's answer, not a test-out.
        #expect(tools("I already know python", .setup(step: "background")) == [.placementAnswer])
        #expect(tools("I already know python", .firstRun) == [.placementStart])
        // While a question is open it is a new request: served, the question set aside.
        let aside = Self.router.decide("I already know git", awaiting: .answer(reminded: false))
        #expect(aside.calls.map(\.tool) == [.testOut] && aside.setAside == .question)
    }

    @Test("while a test-out waits, anything that is not a request is the answer; stop ends it; a request sets it aside")
    func runningTestOut() {
        let testOut = Awaiting.testOut(skill: "python-fundamentals", reminded: false)
        for answer in ["a set", "[0, 2, 4]", "3", "no idea", "try/except", "yes"] {
            #expect(
                Self.router.decide(answer, awaiting: testOut).calls == [PlannedCall(.testOut, ["answer": .string(answer)])], "\(answer)")
        }
        for stop in ["stop", "never mind", "skip"] {
            #expect(Self.router.decide(stop, awaiting: testOut).calls == [PlannedCall(.testOut, ["stop": true])], "\(stop)")
        }
        #expect(Self.router.decide("back to the question", awaiting: testOut).calls == [PlannedCall(.testOut)])
        for request in ["what's next?", "why this order?", "log 45 minutes on python", "what is RAG?"] {
            let decision = Self.router.decide(request, awaiting: testOut)
            #expect(!decision.calls.contains { $0.tool == .testOut }, "\(request) was graded")
            #expect(decision.setAside == .testOut, "\(request)")
        }
        let other = Self.router.decide("I already know git", awaiting: testOut)
        #expect(other.calls == [PlannedCall(.testOut, ["skill": .string("git")])] && other.setAside == nil)
        #expect(
            DialogueRouter.withheldTools(testOut).contains(.placementAnswer) && !DialogueRouter.withheldTools(testOut).contains(.testOut))
    }

    @Test("undoing finished tasks: reopen the ones named, or keep only the ones meant")
    func undoFinishedTasks() {
        for text in ["undo task 2", "I didn't actually finish task 2", "reopen task 2", "task #2 is not done"] {
            #expect(Self.router.decide(text, awaiting: .nothing).calls == [PlannedCall(.reopenTasks, ["ids": [2]])], "\(text)")
        }
        #expect(Self.router.decide("I haven't finished tasks 4 and 5", awaiting: .nothing).calls.first?.arguments["ids"] == [4, 5])
        let meant = Self.router.decide("oops, I meant tasks 1 and 3", awaiting: .nothing)
        #expect(meant.calls == [PlannedCall(.reopenTasks, ["meant": [1, 3]])])
        #expect(tools("oops I meant 30 minutes", .nothing) == [.correctLog], "a duration is still a log correction")
        #expect(tools("I finished tasks 1, 2 and 3", .nothing) == [.completeTask, .completeTask, .completeTask])
    }

    @Test("pausing, resuming and dropping a goal, with the goal's words when given")
    func goalChanges() {
        let cases: [(String, String, String?)] = [
            ("pause my goal", "pause", nil), ("pause the RAG goal", "pause", "rag"),
            ("I want to drop the AI engineer goal", "drop", "ai engineer"), ("resume my goal", "resume", nil),
            ("put my goal on hold for a few weeks", "pause", nil), ("give up on the RAG goal", "drop", "rag"),
        ]
        for (text, action, goal) in cases {
            var arguments: [String: JSONValue] = ["action": .string(action)]
            if let goal { arguments["goal"] = .string(goal) }
            #expect(Self.router.decide(text, awaiting: .nothing).calls == [PlannedCall(.changeGoal, arguments)], "\(text)")
        }
        #expect(tools("my goal is to become an AI engineer", .nothing) == [.addGoal])
        #expect(tools("new goal: rag-basics", .nothing) == [.addGoal])
    }

    @Test("durations in everyday forms")
    func durations() {
        #expect(IntentReader.minutes(in: "log 1h on embeddings") == 60)
        #expect(IntentReader.minutes(in: "studied for 1h30") == 90)
        #expect(IntentReader.minutes(in: "1.5 hours of python") == 90)
        #expect(IntentReader.minutes(in: "45 min") == 45)
        #expect(IntentReader.minutes(in: "half an hour on numpy") == 30)
        #expect(IntentReader.minutes(in: "I read the embeddings chapter") == nil)
    }

    @Test("tools that cannot apply are not offered")
    func withheld() {
        #expect(DialogueRouter.withheldTools(.nothing).contains(.checkAnswer))
        #expect(!DialogueRouter.withheldTools(.answer(reminded: false)).contains(.checkAnswer))
        #expect(DialogueRouter.withheldTools(.answer(reminded: false)).contains(.placementAnswer))
        #expect(!DialogueRouter.withheldTools(.setup(step: "hours")).contains(.placementAnswer))
    }

    /// Found by a newcomer: "can you write my cover letter?" and "how are you?" were graded as
    /// answers, and "tell me a joke" was taught as supervised learning.
    @Test("a request the tutor does not do is understood as such: never an answer, never a lesson")
    func offScript() {
        for text in ["tell me a joke", "can you write my cover letter?", "how are you?", "who are you", "what time is it?"] {
            let nothing = Self.router.decide(text, awaiting: .nothing)
            #expect(nothing.intent == .offScript && nothing.reply == .offScript && nothing.calls.isEmpty, "\(text): \(nothing)")
            let open = Self.router.decide(text, awaiting: .answer(reminded: false))
            #expect(open.calls.isEmpty && open.reply == .offScript && open.setAside == .question, "\(text): \(open)")
            let grading = Self.router.decide(text, awaiting: .grade(card: "c", suggested: 3))
            #expect(grading.calls.isEmpty && grading.reply == .rateFirst, "\(text) recorded a grade: \(grading)")
        }
        // Requests that begin the same way and are the tutor's to serve.
        #expect(tools("can you explain RAG?", .nothing) == [.catalogueShow])
        #expect(tools("do you know transformers?", .nothing) == [.catalogueShow])
        #expect(tools("can you quiz me?", .nothing) == [.askQuestion])
        #expect(tools("what is the fastest path to a job?", .nothing) == [.forecast])
    }

    @Test("why one skill comes before another: both are read, the one asked to come first as before")
    func whyOneBeforeAnother() {
        let decision = Self.router.decide("why do I need embeddings before RAG?", awaiting: .nothing)
        #expect(
            decision.calls == [PlannedCall(.explainOrder, ["skill": .string("rag-basics"), "before": .string("embeddings-basics")])],
            "\(decision.calls)")
        let after = Self.router.decide("why python after git?", awaiting: .nothing)
        #expect(after.calls.first?.arguments["before"] == .string("git-basics"), "\(after.calls)")
        #expect(after.calls.first?.arguments["skill"] == .string("python-fundamentals"), "\(after.calls)")
        #expect(tools("why this order?", .nothing) == [.explainOrder])
        #expect(Self.router.decide("why this order?", awaiting: .nothing).calls.first?.arguments["before"] == nil)
    }

    /// Found on Python's docs (issue 18): "what is asyncio.gather?" was taught as the attention
    /// mechanism, a roadmap entry that only mentions gathering in passing.
    @Test("a question the roadmap only touches in passing goes to the learner's notes, not to a lesson on the wrong skill")
    func notesOverAWeakRoadmapMatch() {
        let decision = Self.router.decide("what is asyncio.gather?", awaiting: .nothing, canSearchNotes: true)
        #expect(decision.calls.map(\.tool) == [.catalogueSearch, .searchNotes], "\(decision.calls)")
        let rag = Self.router.decide("what is RAG?", awaiting: .nothing, canSearchNotes: true)
        #expect(rag.calls.map(\.tool) == [.catalogueShow, .searchNotes], "\(rag.calls)")
    }

    /// Found by a newcomer during the setup's foundation questions.
    @Test("in the setup, a change of hours is kept and answers that contain request words are answers")
    func setupSlips() {
        let hours = Self.router.decide("actually I can do 12 hours a week", awaiting: .setup(step: "probe"))
        #expect(hours.calls == [PlannedCall(.placementStart, ["hours_per_week": .double(12)])], "\(hours.calls)")
        #expect(tools("next word probabilities", .setup(step: "probe")) == [.placementAnswer])
        #expect(tools("def defines a function", .setup(step: "probe")) == [.placementAnswer])
        #expect(Self.router.decide("what's next?", awaiting: .setup(step: "probe")).reply == .setupAside)
        for request in ["next", "what next", "what comes next?", "what should I do next?"] {
            #expect(tools(request, .nothing) == [.listTasks], "\(request)")
        }
        #expect(
            tools("def defines a function", .testOut(skill: "python-fundamentals", reminded: false)) == [.testOut],
            "an answer, not a request for a definition")
    }

    /// Found with SmolLM2 as a newcomer's model: "what if I did 10 hours?" logged 10 hours of
    /// study, and "explain embeddings like I'm five" taught embedding-based recommendations.
    @Test("a supposition is a forecast, never a log; how to explain is not what to explain")
    func supposedHoursAndManner() {
        let supposed = Self.router.decide("what if I did 10 hours?", awaiting: .nothing)
        #expect(supposed.calls == [PlannedCall(.forecast, ["hours_per_week": .double(10)])], "\(supposed.calls)")
        #expect(tools("I did 10 hours of python", .nothing) == [.logStudy])
        let eli5 = Self.router.decide("explain embeddings like I'm five", awaiting: .nothing)
        #expect(eli5.calls == [PlannedCall(.catalogueShow, ["id": .string("embeddings-basics")])], "\(eli5.calls)")
    }

    /// With SmolLM2, "actually it was 30" went to the model, which answered "30 days later: 45 min.".
    @Test("a bare number in a correction after a log is the log's minutes")
    func bareCorrection() {
        for text in ["actually it was 30", "it was 30", "oops, make that 20", "sorry it was 30"] {
            let decision = Self.router.decide(text, awaiting: .nothing)
            #expect(decision.intent == .correctLog(minutes: Int(text.split(separator: " ").last!)!), "\(text): \(decision.intent)")
        }
        #expect(tools("it was 30 years ago", .nothing) != [.correctLog])
    }
}
