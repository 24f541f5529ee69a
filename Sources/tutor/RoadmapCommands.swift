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

/// `tutor roadmap`: the stages and skills as a tree, each marked with the learner's state.
struct RoadmapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roadmap", abstract: "The roadmap as a tree: each skill's state, its prerequisites and your goal path.",
        discussion: """
            Marks: ✓ known, ◐ in progress (with mastery), ↻ due for review, → next (every prerequisite known), · locked.
            ★ marks a skill on your goal path. A skill sits under the prerequisite of its own stage with the longest \
            chain; "needs" lists the others. Colour only on a terminal, and never with NO_COLOR set.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this stage: foundations, first-apps, advanced, professional or senior.") var stage: String?
    @Option(help: "Only the skills on this goal's path (its number, or words of its title).") var goal: String?
    @Flag(help: "Colour even when the output is not a terminal (NO_COLOR still wins).") var color = false

    func run() async throws {
        let roadmap = try await global.call(RoadmapMethod.self, RoadmapParams(stage: stage, goal: goal))
        if global.json { return try printJSON(roadmap) }
        // A filtered roadmap still names the prerequisites it leaves out by their titles.
        let all = stage == nil && goal == nil ? roadmap : try await global.call(RoadmapMethod.self, RoadmapParams())
        let titles = Dictionary(uniqueKeysWithValues: all.skills.map { ($0.id, $0.title) })
        let environment = ProcessInfo.processInfo.environment
        let colour = (color || isatty(STDOUT_FILENO) == 1) && (environment["NO_COLOR"] ?? "").isEmpty
        writeControl(RoadmapTree.render(roadmap, titles: titles, colour: colour))
    }
}

/// `tutor report`: writes the HTML progress report.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write your progress report: one HTML file (no network needed) with the roadmap, hours, forecast, reviews and plan.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .long], help: "The HTML file to write (default: report.html in the data folder).") var out: String?
    @Flag(help: "Open it with the desktop's opener (xdg-open).") var open = false

    func run() async throws {
        let path = out.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
        let result = try await global.call(ReportMethod.self, ReportParams(out: path))
        if global.json { return try printJSON(result) }
        print("Report written to \(result.path) (\(result.bytes / 1024) KB, \(result.skills) skills).")
        guard open else { return }
        if let problem = Opener.open(result.path) {
            writeError("tutor: could not open the report: \(problem). Open \(result.path) in a browser.")
            throw ExitCode(1)
        }
    }
}

/// Hands a file to the desktop's opener without waiting for the application it starts.
enum Opener {
    /// Starts `xdg-open path` with no terminal attached; returns what went wrong, or nil.
    static func open(_ path: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard folders.contains(where: { access("\($0)/xdg-open", X_OK) == 0 }) else {
            return "xdg-open is not installed (Debian: apt-get install xdg-utils)"
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor in Int32(0)...2 {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let arguments: [String] = ["xdg-open", path]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "xdg-open", &actions, nil, argv, environ)
        return spawned == 0 ? nil : String(cString: strerror(spawned))
    }
}
