import Foundation
import Testing
import TutorCatalogue
import TutorStore
import TutorTesting
import TutorWire

/// `tutor report` for a learner with a year of made-up history (written through the services,
/// deterministic), rendered by Debian's headless Chromium and checked through the DOM it built:
/// no request leaves the file, every goal skill is a node in the state `tutor progress --json`
/// implies, the charts carry the store's numbers, nothing overflows at 375 px, no console errors.
@Suite(
    "Progress report in headless Chromium", .serialized,
    .enabled(if: HeadlessChromium.isInstalled, "chromium is not installed: run `bash Tools/install-deps.sh`"))
struct ReportTests {
    private func decode<T: Decodable>(_ type: T.Type, _ result: CLIResult) throws -> T {
        #expect(result.status == 0, "\(result.stderr)")
        return try WireCodec.makeDecoder().decode(T.self, from: Data(result.stdout.utf8))
    }

    /// A daemon over a store holding a year of history up to now.
    private func seededDaemon() async throws -> TemporaryDaemon {
        let daemon = try TemporaryDaemon()
        try FileManager.default.createDirectory(
            atPath: daemon.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let summary = try await onOwnThread {
            try YearOfHistory.seed(storePath: daemon.dataDirectory + "/tutor.sqlite", endingAt: Date())
        }
        #expect(summary.studyDays > 200 && summary.reviews > 100 && summary.forecasts >= 52, "\(summary)")
        try await daemon.launch()
        return daemon
    }

    @Test("a year of history: nodes, states and charts match the store; self-contained; fits 375 px light and dark, and 1,440 px")
    func yearOfHistory() async throws {
        let daemon = try await seededDaemon()
        defer { daemon.removeFiles() }
        let page = daemon.root + "/out/report.html"
        try FileManager.default.createDirectory(atPath: daemon.root + "/out", withIntermediateDirectories: true)
        let written = try decode(ReportResult.self, try await daemon.runCLI(["report", "--out", page, "--json"]))
        #expect(written.path == page)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.utf8.count == written.bytes)
        // Nothing the browser could fetch: no URL, no reference to another file.
        for pattern in ["https?://", "url\\(", "\\bsrc=", "\\bhref=", "@import", "<script", "<link"] {
            #expect(html.range(of: pattern, options: [.regularExpression, .caseInsensitive]) == nil, "\(pattern) in the report")
        }

        let progress = try decode(ProgressResult.self, try await daemon.runCLI(["progress", "--json"]))
        let roadmap = try decode(RoadmapResult.self, try await daemon.runCLI(["roadmap", "--json"]))
        let store = try Store(path: daemon.dataDirectory + "/tutor.sqlite")
        defer { try? store.close() }
        let narrow = try await HeadlessChromium.measure(page: page, width: 375)

        // Every skill of the goal is a node; states follow from progress, prerequisites and due cards.
        let goals = Set(try store.goals().filter(\.isPursued).compactMap(\.id))
        let goalSkills = Set(try store.tasks().filter { goals.contains($0.goalId ?? -1) }.compactMap(\.skillId))
        #expect(goalSkills.count > 10)
        #expect(goalSkills.isSubset(of: Set(narrow.nodes.keys)), "missing: \(goalSkills.subtracting(narrow.nodes.keys))")
        #expect(Set(roadmap.goalPath) == goalSkills)
        #expect(narrow.nodes.count == (try Catalogue.bundled()).skills.count)
        let status = Dictionary(uniqueKeysWithValues: progress.skills.map { ($0.id, $0.status) })
        let minutes = Dictionary(uniqueKeysWithValues: progress.skills.map { ($0.id, $0.minutesLogged) })
        let due = Set(try store.dueReviewCards(at: Date()).map(\.skillId))
        var seen: Set<String> = []
        for skill in roadmap.skills {
            let known = skill.prerequisites.allSatisfy { status[$0] == "mastered" }
            let started = (minutes[skill.id] ?? 0) > 0
            let expected =
                switch status[skill.id] ?? "not-started" {
                case "mastered": due.contains(skill.id) ? "due-for-review" : "known"
                case "not-started" where !started: known ? "next" : "locked"
                default: due.contains(skill.id) ? "due-for-review" : "in-progress"
                }
            #expect(narrow.nodes[skill.id] == expected, "\(skill.id): \(narrow.nodes[skill.id] ?? "no node"), expected \(expected)")
            seen.insert(narrow.nodes[skill.id] ?? "")
        }
        #expect(seen.count >= 3, "a year of study shows several states: \(seen)")
        // Every weekly forecast of the year was kept, one a day, and the page draws their history.
        #expect(try store.forecastHistory().count >= 52)
        #expect(html.contains("class=\"chart history\""))

        // The charts carry the store's numbers: minutes per day and per ISO week, and the streak.
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var perDay: [String: Int] = [:], perWeek: [String: Int] = [:]
        for entry in try store.studyLog() {
            let parts = calendar.dateComponents([.year, .month, .day, .yearForWeekOfYear, .weekOfYear], from: entry.loggedAt)
            perDay[String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!), default: 0] += entry.minutes
            perWeek[String(format: "%04d-W%02d", parts.yearForWeekOfYear!, parts.weekOfYear!), default: 0] += entry.minutes
        }
        #expect(narrow.days.count == 365)
        for (day, minutes) in narrow.days { #expect(minutes == perDay[day] ?? 0, "\(day)") }
        #expect(narrow.days.values.reduce(0, +) > 0)
        #expect(narrow.weeks.count == 52)
        for (week, minutes) in narrow.weeks { #expect(minutes == perWeek[week] ?? 0, "\(week)") }
        var streak = 0
        var day = Date()
        if perDay[key(day, calendar)] == nil { day.addTimeInterval(-86_400) }
        while perDay[key(day, calendar)] != nil {
            streak += 1
            day.addTimeInterval(-86_400)
        }
        #expect(narrow.streak == streak)

        // Self-contained, quiet, and within the width at 375 px (light and dark) and 1,440 px.
        let dark = try await HeadlessChromium.measure(page: page, width: 375, dark: true)
        let wide = try await HeadlessChromium.measure(page: page, width: 1440)
        #expect(!narrow.dark && dark.dark)
        for measured in [narrow, dark, wide] {
            #expect(measured.resources == 0)
            #expect(measured.console.isEmpty, "\(measured.console)")
            #expect(measured.scrollWidth <= measured.viewportWidth, "\(measured.scrollWidth) > \(measured.viewportWidth)")
            #expect(measured.overflowing.isEmpty, "\(measured.overflowing)")
        }
        let png = daemon.root + "/out/report.png"
        try await HeadlessChromium.screenshot(page: page, to: png, width: 1440, height: 2400)
        #expect(HeadlessChromium.pngSize(png).map { $0.width == 1440 && $0.height == 2400 } == true)
        try await daemon.stop()
    }

    private func key(_ date: Date, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}

/// `tutor roadmap` and `tutor report` through the CLI, without a browser.
@Suite("Roadmap and report commands", .serialized)
struct RoadmapCommandTests {
    @Test("roadmap: a tree per stage with states and the goal path, filters, clear errors; report writes a file")
    func roadmapTree() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        #expect(try await daemon.runCLI(["profile", "set", "--hours", "5", "--available", "mon-fri 19:00-20:00"]).status == 0)
        #expect(try await daemon.runCLI(["goal", "add", "rag-basics"]).status == 0)
        #expect(try await daemon.runCLI(["log", "45m", "--skill", "python-fundamentals"]).status == 0)
        let catalogue = try Catalogue.bundled()
        let tree = try await daemon.runCLI(["roadmap"])
        #expect(tree.status == 0, "\(tree.stderr)")
        #expect(!tree.stdout.contains("\u{1B}"), "no colour when the output is not a terminal")
        for stage in catalogue.stages { #expect(tree.stdout.contains(stage.title)) }
        #expect(tree.stdout.contains("★"))
        let rag = try #require(catalogue.skill("rag-basics"))
        #expect(tree.stdout.contains("\(rag.title) ★"))
        // Time logged on it: in progress (0 % mastery yet), or due for review when its first cards are due at once.
        let python = try #require(catalogue.skill("python-fundamentals")).title
        #expect(tree.stdout.contains("◐ \(python) ★  in progress 0%") || tree.stdout.contains("↻ \(python)"), "\(tree.stdout)")
        var environment = daemon.environment
        environment["NO_COLOR"] = nil
        let coloured = try await TemporaryDaemon.run(
            executable: TemporaryDaemon.binaryFolder + "/tutor", arguments: ["roadmap", "--color"], environment: environment)
        #expect(coloured.stdout.contains("\u{1B}["))
        environment["NO_COLOR"] = "1"
        let plain = try await TemporaryDaemon.run(
            executable: TemporaryDaemon.binaryFolder + "/tutor", arguments: ["roadmap", "--color"], environment: environment)
        #expect(!plain.stdout.contains("\u{1B}"))

        // Filtered to one stage, the tree still names the prerequisites from other stages by title, never by id.
        let stageTree = try await daemon.runCLI(["roadmap", "--stage", "first-apps"])
        for skill in catalogue.skills(in: .foundations) {
            #expect(!stageTree.stdout.contains(skill.id + ",") && !stageTree.stdout.contains(skill.id + "\n"))
        }
        #expect(stageTree.stdout.contains("needs: "))
        let stage = try await daemon.runCLI(["roadmap", "--stage", "first-apps", "--json"])
        let staged = try WireCodec.makeDecoder().decode(RoadmapResult.self, from: Data(stage.stdout.utf8))
        #expect(!staged.skills.isEmpty && staged.skills.allSatisfy { $0.stage == "first-apps" })
        let goal = try await daemon.runCLI(["roadmap", "--goal", "1", "--json"])
        let path = try WireCodec.makeDecoder().decode(RoadmapResult.self, from: Data(goal.stdout.utf8))
        #expect(path.skills.map(\.id).contains("rag-basics") && path.skills.allSatisfy(\.onGoalPath))
        let badStage = try await daemon.runCLI(["roadmap", "--stage", "expert"])
        #expect(badStage.status != 0 && badStage.stderr.contains("unknown stage 'expert'") && badStage.stderr.contains("first-apps"))
        let badGoal = try await daemon.runCLI(["roadmap", "--goal", "cooking"])
        #expect(badGoal.status != 0 && badGoal.stderr.contains("no goal matches 'cooking'"), "\(badGoal.stderr)")

        // A relative --out is the CLI's working folder; the file is the learner's alone.
        let written = try await TemporaryDaemon.run(
            executable: "/bin/sh", arguments: ["-c", "cd \(daemon.root) && tutor report --out mine.html"], environment: daemon.environment)
        #expect(written.status == 0, "\(written.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: daemon.root + "/mine.html")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: daemon.root + "/mine.html", encoding: .utf8).contains("data-skill=\"rag-basics\""))
        // Without xdg-open on PATH, --open says what is missing and where the file is.
        environment = daemon.environment
        environment["PATH"] = TemporaryDaemon.binaryFolder
        let opened = try await TemporaryDaemon.run(
            executable: TemporaryDaemon.binaryFolder + "/tutor", arguments: ["report", "--out", daemon.root + "/b.html", "--open"],
            environment: environment)
        #expect(opened.status == 1 && opened.stderr.contains("xdg-open is not installed"), "\(opened.stderr)")
        try await daemon.stop()
    }
}
