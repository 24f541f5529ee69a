import ArgumentParser
import TutorClient
import TutorWire

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `tutor catalogue search|show|changes`.
struct CatalogueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue", abstract: "Search and read the AI-engineer roadmap.", subcommands: [Search.self, Show.self, Changes.self])

    struct Changes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "changes", abstract: "What the catalogue's latest version changed, marked where it touches your path.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Every version, not only the latest.") var all = false

        func run() async throws {
            let result = try await global.call(CatalogueChangesMethod.self, CatalogueChangesParams(all: all))
            if global.json { return try printJSON(result) }
            if result.releases.isEmpty { return print("This catalogue (\(result.version)) has no changelog.") }
            for release in result.releases {
                print("Catalogue \(release.version) (\(release.date))")
                print(release.summary)
                let changes = release.changes.sorted { ($0.onPath ? 0 : 1) < ($1.onPath ? 0 : 1) }
                for change in changes {
                    print("  \(change.onPath ? "*" : " ") \(change.change.padded(to: 13)) \(change.id.padded(to: 28)) \(change.title)")
                }
                print("")
            }
            if result.releases.contains(where: { $0.changes.contains(where: \.onPath) }) { print("* on your path") }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "search", abstract: "Find skills, projects, stages and tracks.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Words to look for.") var query: [String]
        @Option(help: "At most this many results.") var limit = 10

        func run() async throws {
            let result = try await global.call(
                CatalogueSearchMethod.self, CatalogueSearchParams(query: query.joined(separator: " "), limit: limit))
            if global.json { return try printJSON(result) }
            if result.hits.isEmpty { return print("Nothing matches. Try fewer or other words.") }
            for hit in result.hits {
                print("\(hit.kind.padded(to: 8)) \(hit.id.padded(to: 32)) \(hit.title)\(hit.stage.map { "  [\($0)]" } ?? "")")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one skill, project, stage or track.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Its id (from `tutor catalogue search`).") var id: String

        func run() async throws {
            let entry = try await global.call(CatalogueShowMethod.self, CatalogueShowParams(id: id))
            if global.json { return try printJSON(entry) }
            print(
                "\(entry.title)  (\(entry.kind) \(entry.id)\(entry.stage.map { ", \($0)" } ?? "")\(entry.skillKind.map { ", \($0)" } ?? ""))"
            )
            print("")
            print(entry.description)
            if let low = entry.hoursMin, let high = entry.hoursMax { print("\nAbout \(formatHours(low))–\(formatHours(high)) for you.") }
            if !entry.prerequisites.isEmpty { print("Needs first: \(entry.prerequisites.joined(separator: ", "))") }
            if !entry.dependants.isEmpty { print("Leads to: \(entry.dependants.joined(separator: ", "))") }
            if !entry.checklist.isEmpty {
                print("\nYou know it when you:")
                for item in entry.checklist { print("  - \(item)") }
            }
            if !entry.resources.isEmpty {
                print("\nResources:")
                for resource in entry.resources { print("  - \(resource.title) (\(resource.type), \(resource.cost)): \(resource.url)") }
            }
            if !entry.skills.isEmpty { print("\nSkills: \(entry.skills.joined(separator: ", "))") }
            if entry.quizItems > 0 { print("\n\(entry.quizItems) quiz questions; `tutor review` asks them once you study it.") }
        }
    }
}

/// `tutor checklist SKILL`: a skill's checklist, and evidence for its hands-on items.
struct ChecklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checklist", abstract: "Show a skill's checklist, or record evidence for a hands-on item.",
        discussion: """
            Hands-on items (marked ▸) are what a quiz cannot show: something built or run. Record a link, a file or a \
            command's output for each, and the skill can count as mastered once its quiz is passed too.
              tutor checklist mcp-basics --item 3 --evidence https://github.com/me/my-mcp-server
              pytest -q | tutor checklist ai-coding-assistants --item 3 --evidence -
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The skill's id (from `tutor catalogue search`).") var skill: String
    @Option(help: "The item's number, as listed.") var item: Int?
    @Option(help: "A link, a file path, a note, or - to read a command's output from standard input.") var evidence: String?
    @Option(help: "link, file, output or note (told apart by itself when left out).") var kind: String?
    @Flag(help: "Remove the item's evidence.") var clear = false

    func validate() throws {
        if item == nil, evidence != nil || clear { throw ValidationError("--evidence and --clear need --item N") }
        if item != nil, evidence == nil, !clear { throw ValidationError("--item needs --evidence TEXT (or --clear)") }
        if clear, evidence != nil { throw ValidationError("give --evidence or --clear, not both") }
    }

    func run() async throws {
        let view: ChecklistView
        if let item {
            view = try await global.call(
                ChecklistMarkMethod.self,
                ChecklistMarkParams(skill: skill, item: item, evidence: try readEvidence(), kind: kind, clear: clear ? true : nil))
        } else {
            view = try await global.call(ChecklistShowMethod.self, ChecklistShowParams(skill: skill))
        }
        if global.json { return try printJSON(view) }
        print("\(view.title) (\(view.skillId))")
        for entry in view.items {
            print("  \(entry.handsOn ? "▸" : " ") \(entry.number). \(entry.text)")
            if let evidence = entry.evidence {
                let firstLine = evidence.split(separator: "\n").first.map(String.init) ?? evidence
                print(
                    "       done — \(entry.evidenceKind ?? "evidence"): \(firstLine.count > 100 ? firstLine.prefix(99) + "…" : firstLine)")
            }
        }
        if view.handsOnTotal > 0 { print("\nHands-on (▸): \(view.handsOnDone) of \(view.handsOnTotal) with evidence.") }
        print("Mastery: \(view.status), \(Int((view.mastery * 100).rounded()))% — \(view.reason).")
    }

    /// The evidence text; `-` reads standard input (a command's output piped in), bounded.
    func readEvidence() throws -> String? {
        guard evidence == "-" else {
            guard let evidence, kind == nil || kind == "file", !evidence.hasPrefix("/"), !evidence.contains("://"),
                FileManager.default.fileExists(atPath: evidence)
            else { return evidence }
            // A relative path the learner can see: the daemon gets it absolute.
            return URL(fileURLWithPath: evidence).standardizedFileURL.path
        }
        var text = ""
        while let line = readLine(strippingNewline: false) {
            text += line
            if text.count > 64_000 { break }
        }
        return text
    }
}

/// `tutor review`: an interactive quiz of due items, graded Again / Hard / Good / Easy.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Answer your due review questions.",
        discussion: "Without a terminal (or with --json), prints the next due item; grade it with --grade CARD RATING.")
    @OptionGroup var global: GlobalOptions
    @Option(parsing: .upToNextOption, help: "Grade one card without the prompt: CARD RATING (1 again, 2 hard, 3 good, 4 easy).")
    var grade: [String] = []

    func run() async throws {
        if !grade.isEmpty {
            guard grade.count == 2, let rating = Int(grade[1]) else {
                throw ValidationError("--grade takes CARD RATING, e.g. --grade python-fundamentals#0 3")
            }
            let result = try await global.call(ReviewGradeMethod.self, ReviewGradeParams(cardId: grade[0], rating: rating))
            if global.json { return try printJSON(result) }
            return print("Next review of \(result.cardId) in \(formatDays(result.intervalDays)). \(result.dueCount) still due.")
        }
        try await global.withConnection { try await quiz(on: $0) }
    }

    /// Due items one after another, over one connection.
    private func quiz(on connection: TutorConnection) async throws {
        let interactive = isatty(STDIN_FILENO) == 1 && !global.json
        var reviewed = 0
        while true {
            let next = try await connection.call(ReviewNextMethod.self, NoParams())
            guard let item = next.item else {
                if global.json { return try printJSON(next) }
                return print(
                    reviewed == 0
                        ? "Nothing is due for review. Study a skill and its questions will come." : "All done: \(reviewed) reviewed.")
            }
            if !interactive { return global.json ? try printJSON(next) : print("\(item.cardId): \(item.question)") }
            print("\n[\(item.skillTitle)] \(next.dueCount) due\nQ: \(item.question)")
            print("(think of your answer, then press Enter)", terminator: "")
            _ = readLine()
            print("A: \(item.answer)\n   \(item.why)")
            var rating: Int?
            while rating == nil {
                print("How did you do? 1 again, 2 hard, 3 good, 4 easy, q to stop: ", terminator: "")
                guard let line = readLine()?.lowercased() else { return }
                if line == "q" { return print("Stopped after \(reviewed).") }
                rating = ["1": 1, "a": 1, "2": 2, "h": 2, "3": 3, "g": 3, "4": 4, "e": 4][line]
            }
            let result = try await connection.call(ReviewGradeMethod.self, ReviewGradeParams(cardId: item.cardId, rating: rating!))
            reviewed += 1
            print("Next time in \(formatDays(result.intervalDays)).")
        }
    }
}

func formatDays(_ days: Double) -> String {
    if days < 1 / 24 { return "\(max(1, Int((days * 1440).rounded()))) min" }
    if days < 1 { return "\(Int((days * 24).rounded())) h" }
    return "\(Int(days.rounded())) days"
}

/// `tutor export`.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write everything Tutor keeps as one document.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "json (lossless, for import) or markdown (readable).") var format = "json"
    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.") var output: String?

    func run() async throws {
        let result = try await global.call(ExportMethod.self, ExportParams(format: format))
        if let output {
            try PrivateFile.write(Array(result.content.utf8), to: output)
            if global.json { return try printJSON(["written": output, "format": result.format]) }
            return print("Exported to \(output).")
        }
        writeOut(result.content)
    }
}

/// `tutor import FILE`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Restore a JSON export into an empty store.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The export file (from `tutor export`).") var file: String
    @Flag(help: "Overwrite a store that already holds data.") var replace = false

    func run() async throws {
        // The daemon reads the file itself (it serves only this user), so a backup of any size
        // restores; the request carries its absolute path.
        let path = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ValidationError("cannot read \(file); check the path")
        }
        let result = try await global.call(ImportMethod.self, ImportParams(path: path, replace: replace ? true : nil))
        if global.json { return try printJSON(result) }
        print(
            "Imported \(result.goals) goals, \(result.tasks) tasks, \(result.studyLogEntries) log entries, \(result.reviewCards) review cards."
        )
    }
}
