import ArgumentParser
import Foundation
import TutorApp
import TutorCatalogue
import TutorReport
import TutorStore
import TutorTesting
import TutorWire

/// The progress report for a learner with a year of history (`YearOfHistory`): the time to gather
/// its data from the store and render the HTML, with every skill of the catalogue (124 since 2026.12) in the graph.
struct ReportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Report generation: a year of history, the whole roadmap graph (20 runs).")
    @Option(help: "Keep the seeded store and write report.html in this folder (Tools/screenshots.sh uses it).") var keep: String?
    @Option(help: "How many timed runs.") var runs = 20

    func run() async throws {
        let folder = keep ?? (FileManager.default.temporaryDirectory.path + "/tutor-report-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: folder) } }
        // A fixed end date: the same history and the same page every run.
        let end = Date(timeIntervalSince1970: 1_796_670_000)
        let seedStart = ContinuousClock.now
        let summary = try YearOfHistory.seed(storePath: folder + "/tutor.sqlite", endingAt: end)
        let seeded = ContinuousClock.now - seedStart
        let store = try Store(path: folder + "/tutor.sqlite")
        let service = ReportService(context: AppContext(store: store, catalogue: try Catalogue.bundled(), now: { end }))
        var html = try service.renderReport()
        var samples: [Duration] = []
        for _ in 0..<runs {
            let started = ContinuousClock.now
            html = try service.renderReport()
            samples.append(ContinuousClock.now - started)
        }
        samples.sort()
        if keep != nil { try html.write(toFile: folder + "/report.html", atomically: true, encoding: .utf8) }
        let roadmap = try RoadmapService(context: service.context).roadmap(RoadmapParams())
        let naive = ReportPage.layout(roadmap, sweeps: 0).crossings, swept = ReportPage.layout(roadmap).crossings
        try store.close()
        let skills = html.components(separatedBy: "<g class=\"node ").count - 1
        print("roadmap graph: \(naive) edge crossings in the catalogue's order, \(swept) after barycenter sweeps")
        print("seeded \(summary.studyDays) study days, \(summary.reviews) reviews, \(summary.forecasts) forecasts in \(millis(seeded))")
        print(
            Measurement(
                name:
                    "report: \(skills) skills, a year of history (\(summary.studyDays) study days, \(summary.reviews) reviews), \(html.utf8.count / 1024) KB of HTML (\(runs) runs)",
                figures: [("p50", millis(percentile(samples, 0.5))), ("max", millis(samples.last ?? .zero))], target: "≤ 100 ms"
            ).row)
    }
}
