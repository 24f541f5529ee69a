import Foundation
import Testing
import TutorCatalogue
import TutorTesting
import TutorWire

/// The learner's journey through the CLI and a real daemon: profile, goal, plan, log, forecast,
/// review, export and import, and bad input that must change nothing.
@Suite("Learner flow", .serialized)
struct LearnerFlowTests {
    let catalogue: Catalogue
    init() throws { catalogue = try Catalogue.bundled() }

    private func decode<T: Decodable>(_ type: T.Type, _ result: CLIResult) throws -> T {
        #expect(result.status == 0, "\(result.stderr)")
        return try WireCodec.makeDecoder().decode(T.self, from: Data(result.stdout.utf8))
    }

    /// The ISO week after the one containing now, as YYYY-Www.
    private func nextWeek() -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let date = Date().addingTimeInterval(7 * 86_400)
        let components = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return String(format: "%04d-W%02d", components.yearForWeekOfYear!, components.weekOfYear!)
    }

    private func setUpProgrammer(_ daemon: TemporaryDaemon) async throws {
        let profile = try decode(
            ProfileView.self,
            try await daemon.runCLI([
                "profile", "set", "--json", "--background", "programmer", "--hours", "10", "--available", "mon-fri 19:00-21:00",
                "--available", "sat 09:00-12:00", "--time-zone", "Europe/Paris",
            ]))
        #expect(profile.availability.count == 6)
        #expect(profile.track == "developer")
    }

    @Test("a programmer with 10 h a week who wants to become an AI engineer gets a valid weekly plan")
    func becomeAnAIEngineer() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        try await setUpProgrammer(daemon)
        let goal = try decode(GoalAddResult.self, try await daemon.runCLI(["goal", "add", "--json", "become an AI engineer"]))
        #expect(goal.goal.kind == "track")
        #expect(goal.addedTasks.count > 300)

        let week = nextWeek()
        let icsPath = daemon.root + "/plan.ics", mdPath = daemon.root + "/plan.md"
        let plan = try decode(
            PlanResult.self, try await daemon.runCLI(["plan", "--json", "--week", week, "--ics", icsPath, "--markdown", mdPath]))
        #expect(plan.week == week)
        #expect(!plan.sessions.isEmpty)
        let tasks = try decode(TaskListResult.self, try await daemon.runCLI(["tasks", "--json", "--all"])).tasks

        // Inside the windows, in the learner's zone.
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        var total = 0
        for session in plan.sessions {
            let weekday = calendar.component(.weekday, from: session.start)  // 1 = Sunday
            let start = calendar.dateComponents([.hour, .minute], from: session.start)
            let end = calendar.dateComponents([.hour, .minute], from: session.end)
            let startMinute = start.hour! * 60 + start.minute!, endMinute = end.hour! * 60 + end.minute!
            #expect(calendar.isDate(session.start, inSameDayAs: session.end))
            switch weekday {
            case 2...6: #expect(startMinute >= 19 * 60 && endMinute <= 21 * 60, "weekday session \(session.start)")
            case 7: #expect(startMinute >= 9 * 60 && endMinute <= 12 * 60, "Saturday session \(session.start)")
            default: Issue.record("a session on Sunday: \(session.start)")
            }
            let minutes = Int(session.end.timeIntervalSince(session.start) / 60)
            #expect(minutes >= 25 && minutes <= 120)
            total += minutes
        }
        #expect(total <= 600, "no more than the 10 weekly hours")
        #expect(plan.plannedMinutes <= 600)

        // Never a skill before its prerequisites: all of a prerequisite's open tasks come earlier.
        let items = plan.sessions.sorted { $0.start < $1.start }.flatMap(\.items)
        for (index, item) in items.enumerated() {
            guard let skillID = item.skillId, let skill = catalogue.skill(skillID) else { continue }
            for prerequisite in skill.prerequisites.compactMap({ catalogue.canonicalID($0) }) {
                let open = Set(tasks.filter { $0.skillId == prerequisite && $0.status != "done" }.map(\.id))
                let placedBefore = Set(
                    items[..<index].filter { $0.skillId == prerequisite && ($0.part == nil || $0.part == $0.parts) }.compactMap(\.taskId))
                #expect(open.isSubset(of: placedBefore), "\(skillID) placed before its prerequisite \(prerequisite) was finished")
            }
        }

        // The files were written: a calendar with one event per session, and the Markdown.
        let ics = try String(contentsOfFile: icsPath, encoding: .utf8)
        #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\n"))
        #expect(ics.components(separatedBy: "BEGIN:VEVENT").count - 1 == plan.sessions.count)
        #expect(ics.contains("TZID=Europe/Paris"))
        #expect(FileManager.default.fileExists(atPath: mdPath))

        // Asking again returns the stored plan; --regenerate plans afresh.
        let again = try decode(PlanResult.self, try await daemon.runCLI(["plan", "--json", "--week", week]))
        #expect(again.stored)
        #expect(again.sessions == plan.sessions)
        try await daemon.stop()
    }

    @Test("the forecast reproduces the seed's timeline and scales with hours")
    func forecast() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        try await setUpProgrammer(daemon)
        let ten = try decode(ForecastResult.self, try await daemon.runCLI(["forecast", "--json"]))
        let firstApps = try #require(ten.milestones.first { $0.stage == "first-apps" })
        #expect((firstApps.monthsFrom + firstApps.monthsTo) / 2 > 5 && (firstApps.monthsFrom + firstApps.monthsTo) / 2 < 7)
        let beginner = try decode(ForecastResult.self, try await daemon.runCLI(["forecast", "--json", "--background", "beginner"]))
        let beginnerFirst = try #require(beginner.milestones.first { $0.stage == "first-apps" })
        #expect((beginnerFirst.monthsFrom + beginnerFirst.monthsTo) / 2 > 10.5)
        let twenty = try decode(ForecastResult.self, try await daemon.runCLI(["forecast", "--json", "--hours", "20"]))
        let fast = try #require(twenty.milestones.first { $0.stage == "first-apps" })
        #expect(abs(fast.monthsTo / firstApps.monthsTo - 0.5) < 0.01)
        #expect(ten.milestones.last?.experienceYears == "3–5")
        let human = try await daemon.runCLI(["forecast"])
        #expect(human.stdout.contains("years of experience"))
        // The 22 portfolio projects, beside the study-only milestones.
        let projects = try #require(ten.milestones.last?.projectHoursMax)
        #expect(projects == 476 && ten.milestones.last?.projectHoursMin == 276)
        #expect(human.stdout.contains("with projects:") && human.stdout.contains("276–476 h of building"), "\(human.stdout)")
        try await daemon.stop()
    }

    @Test("a learner fixes mistakes from the CLI: a wrong log entry, a goal to pause or drop, a task to skip and reopen")
    func fixingMistakes() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        try await setUpProgrammer(daemon)
        _ = try await daemon.runCLI(["goal", "add", "foundations"])
        _ = try await daemon.runCLI(["goal", "add", "rag-basics"])
        _ = try await daemon.runCLI(["log", "45m", "--skill", "python-fundamentals"])
        _ = try await daemon.runCLI(["log", "30"])
        let listed = try decode(StudyListResult.self, try await daemon.runCLI(["log", "list", "--json"]))
        #expect(listed.entries.map(\.minutes) == [30, 45], "newest first")
        #expect(listed.entries.last?.skillTitle == "Python fundamentals")

        let edited = try decode(
            StudyLogCorrection.self, try await daemon.runCLI(["log", "edit", "\(listed.entries[1].id)", "20m", "--json"]))
        #expect(edited.minutesBefore == 45 && edited.minutesNow == 20)
        let undone = try decode(StudyLogCorrection.self, try await daemon.runCLI(["log", "undo", "--json"]))
        #expect(undone.removed && undone.minutesBefore == 30 && undone.weekMinutes == 20)
        let missing = try await daemon.runCLI(["log", "rm", "999"])
        #expect(missing.status == 1 && missing.stderr.contains("no study-log entry 999"), "\(missing.stderr)")
        let progress = try decode(ProgressResult.self, try await daemon.runCLI(["progress", "--json"]))
        #expect(progress.minutesLogged == 20, "the log as corrected")

        let paused = try decode(GoalStatusChange.self, try await daemon.runCLI(["goal", "pause", "2", "--json"]))
        #expect(paused.outcome == "paused" && paused.goal?.status == "paused")
        let plan = try decode(PlanResult.self, try await daemon.runCLI(["plan", "--json", "--week", nextWeek()]))
        let ragTasks = Set(
            try decode(TaskListResult.self, try await daemon.runCLI(["tasks", "--json", "--all"])).tasks.filter {
                $0.skillId == "rag-basics"
            }
            .map(\.id))
        #expect(
            !plan.sessions.flatMap(\.items).contains { ragTasks.contains($0.taskId ?? -1) }, "a paused goal's own tasks are off the plan")
        _ = try await daemon.runCLI(["goal", "resume", "2"])
        let dropped = try decode(GoalStatusChange.self, try await daemon.runCLI(["goal", "remove", "1", "--json"]))
        #expect(dropped.outcome == "dropped")
        let again = try decode(GoalStatusChange.self, try await daemon.runCLI(["goal", "remove", "1", "--json"]))
        #expect(again.outcome == "unchanged")

        let skipped = try decode(TaskView.self, try await daemon.runCLI(["task", "skip", "3", "--json"]))
        #expect(skipped.status == "skipped")
        let reopened = try decode(TaskReopening.self, try await daemon.runCLI(["task", "reopen", "3", "--json"]))
        #expect(reopened.reopened.map(\.id) == [3])
        try await daemon.stop()
    }

    @Test("hands-on checklist evidence through the CLI, and the catalogue's changes marked on the learner's path")
    func checklistAndChanges() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        try await setUpProgrammer(daemon)
        _ = try await daemon.runCLI(["goal", "add", "first-apps"])

        let shown = try await daemon.runCLI(["checklist", "mcp-basics"])
        #expect(shown.status == 0 && shown.stdout.contains("▸ 3. can build a small MCP server"), "\(shown.stdout)")
        #expect(shown.stdout.contains("Hands-on (▸): 0 of 2 with evidence."))
        let marked = try decode(
            ChecklistView.self,
            try await daemon.runCLI(["checklist", "mcp-basics", "--json", "--item", "3", "--evidence", "https://example.org/my-server"]))
        #expect(marked.handsOnDone == 1 && marked.items[2].evidenceKind == "link")
        let output = try await daemon.runCLI(["checklist", "mcp-basics", "--item", "4", "--evidence", "-"], stdin: "tools: 3\nok\n")
        #expect(output.status == 0 && output.stdout.contains("done — output: tools: 3"), "\(output.stdout) \(output.stderr)")
        let refused = try await daemon.runCLI(["checklist", "mcp-basics", "--item", "1", "--evidence", "x"])
        #expect(refused.status == 1 && refused.stderr.contains("shown by quiz answers"), "\(refused.stderr)")
        let usage = try await daemon.runCLI(["checklist", "mcp-basics", "--item", "3"])
        #expect(usage.status == 2, "\(usage.stderr)")

        let changes = try decode(CatalogueChangesResult.self, try await daemon.runCLI(["catalogue", "changes", "--json"]))
        #expect(changes.version == catalogue.version && changes.learnerVersion == catalogue.version)
        #expect(changes.releases.first?.changes.first { $0.id == "reasoning-models" }?.onPath == true)
        let text = try await daemon.runCLI(["catalogue", "changes"])
        #expect(text.stdout.contains("* added") && text.stdout.contains("reasoning-models"), "\(text.stdout)")
        try await daemon.stop()
    }

    @Test("logging study, finishing tasks and reviewing move progress; export → import → export is byte-identical")
    func progressReviewExportImport() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        try await setUpProgrammer(daemon)
        let goal = try decode(GoalAddResult.self, try await daemon.runCLI(["goal", "add", "--json", "first-apps"]))
        let first = try #require(goal.addedTasks.first)
        let skill = try #require(first.skillId)
        _ = try decode(StudyLogResult.self, try await daemon.runCLI(["log", "90m", "--skill", skill, "--note", "first session", "--json"]))
        let done = try decode(
            TaskView.self,
            try await daemon.runCLI(["task", "done", "\(first.id)", "--minutes", "30", "--evidence", "notes/day1.md", "--json"]))
        #expect(done.status == "done")
        let progress = try decode(ProgressResult.self, try await daemon.runCLI(["progress", "--json"]))
        #expect(progress.minutesLogged == 120)
        #expect(progress.skills.contains { $0.id == skill && $0.minutesLogged == 120 })

        // Reviews exist once a quiz skill is studied.
        if let quizSkill = catalogue.skills.first(where: { !$0.quiz.isEmpty && $0.stage == .foundations }) {
            _ = try await daemon.runCLI(["log", "20m", "--skill", quizSkill.id])
            let next = try decode(ReviewNextResult.self, try await daemon.runCLI(["review", "--json"]))
            let item = try #require(next.item)
            let graded = try decode(ReviewGradeResult.self, try await daemon.runCLI(["review", "--json", "--grade", item.cardId, "3"]))
            #expect(graded.nextDue > Date())
        }

        let export = try await daemon.runCLI(["export"])
        #expect(export.status == 0)
        let file = daemon.root + "/export.json"
        try export.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try await daemon.runCLI(["import", file])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--replace"))

        let fresh = try await TemporaryDaemon.start()
        defer { fresh.removeFiles() }
        let imported = try await fresh.runCLI(["import", file])
        #expect(imported.status == 0, "\(imported.stderr)")
        let again = try await fresh.runCLI(["export"])
        #expect(again.stdout == export.stdout)
        if again.stdout != export.stdout {
            try? again.stdout.write(toFile: "/tmp/tutor-export-again.json", atomically: true, encoding: .utf8)
            try? export.stdout.write(toFile: "/tmp/tutor-export-first.json", atomically: true, encoding: .utf8)
        }
        let markdown = try await fresh.runCLI(["export", "--format", "markdown"])
        #expect(markdown.stdout.contains("# Tutor record"))
        try await fresh.stop()
        try await daemon.stop()
    }

    @Test(
        "bad input gets a clear error, exit 1, and changes nothing",
        arguments: [
            (["log", "30m", "--skill", "no-such-skill"], "unknown skill 'no-such-skill'"),
            (["profile", "set", "--available", "mon 21:00-19:00"], "availability"),
            (["profile", "set", "--hours", "0"], "0.5 to 80"),
            (["task", "done", "1", "--minutes=-5"], "zero or more"),
            (["task", "done", "999999"], "no task 999999"),
            (["plan", "--week", "2026-W60"], "2026-W60"),
            (["profile", "set", "--time-zone", "Mars/Olympus"], "Mars/Olympus"),
            (["catalogue", "show", "no-such-thing"], "no-such-thing"),
            (["review", "--grade", "python-fundamentals#0", "7"], "rating"),
            (["goal", "add", "off"], "\"off\" is not something to learn"),
            (["goal", "add", "foundations"], "you already have this goal: #1"),
            (["checklist", "mcp-basics", "--item", "2", "--evidence", "https://example.org"], "shown by quiz answers"),
        ]
    )
    func badInput(arguments: [String], message: String) async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        try await setUpProgrammer(daemon)
        _ = try await daemon.runCLI(["goal", "add", "foundations"])
        let before = try await daemon.runCLI(["export"])
        let result = try await daemon.runCLI(arguments)
        #expect(result.status == 1, "\(arguments): \(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        let after = try await daemon.runCLI(["export"])
        #expect(before.stdout == after.stdout, "\(arguments) changed the store")
        try await daemon.stop()
    }

    @Test("a malformed duration is a usage error before anything is sent")
    func badDuration() async throws {
        let home = try TemporaryDaemon()
        defer { home.removeFiles() }
        let result = try await home.runCLI(["log", "ninety", "--no-autostart"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("90m"))
    }
}
