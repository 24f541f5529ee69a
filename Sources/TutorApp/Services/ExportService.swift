import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

/// Export and import: everything the learner owns as one document, and back.
public struct ExportService: AppService {
    public let context: AppContext

    public init(context: AppContext) { self.context = context }

    // MARK: Export and import

    /// Everything as one document: lossless JSON, or a readable Markdown record.
    public func export(_ params: ExportParams) throws -> ExportResult {
        switch params.format ?? "json" {
        case "json":
            return ExportResult(format: "json", content: String(decoding: try store.snapshot().encoded(), as: UTF8.self))
        case "markdown":
            return ExportResult(format: "markdown", content: try markdownRecord())
        case let other:
            throw Self.badInput("unknown export format '\(other)'; use json or markdown")
        }
    }

    /// Restores a JSON export, given inline or as a file's path; refuses a non-empty store unless
    /// `replace` is set. One transaction: all of it or nothing.
    public func importData(_ params: ImportParams) async throws -> ImportResult {
        switch (params.content, params.path) {
        case (let content?, nil):
            return try await importData(Array(content.utf8), replace: params.replace ?? false)
        case (nil, let path?):
            return try await importData(try ExportFile.read(path), replace: params.replace ?? false)
        default:
            throw Self.badInput("import takes either content (the export itself) or path (an export file), not both or neither")
        }
    }

    /// Restores the JSON export in `bytes`.
    public func importData(_ bytes: [UInt8], replace: Bool) async throws -> ImportResult {
        // An export nests six levels at most; refuse deep nesting before the recursive parser sees it.
        guard WireCodec.nestingDepth(bytes, stoppingAfter: 32) <= 32 else {
            throw Self.badInput("that file is not a Tutor export: it nests far deeper than an export does. Use a file from `tutor export`.")
        }
        let snapshot = try StoreSnapshot.decode(Data(bytes))
        // A daemon shutting down cancels the import: before the write, or by interrupting it (the
        // transaction is rolled back, so the store stays as it was).
        try Task.checkCancellation()
        let store = self.store
        try await withTaskCancellationHandler {
            try store.restore(snapshot, replace: replace)
        } onCancel: {
            store.interrupt()
        }
        // A backup made on an older catalogue gets what the current one adds to its goals' paths.
        _ = try CatalogueService(context: context).followCatalogue()
        return ImportResult(
            goals: snapshot.goals.count, tasks: snapshot.tasks.count, studyLogEntries: snapshot.studyLog.count,
            reviewCards: snapshot.reviewCards.count)
    }

    func markdownRecord() throws -> String {
        let snapshot = try store.snapshot()
        var lines = ["# Tutor record", ""]
        if let profile = snapshot.profile {
            lines += [
                "## Profile", "",
                "- Name: \(profile.name ?? "—")", "- Background: \(profile.background)", "- Track: \(profile.track ?? "—")",
                "- Hours a week: \(profile.hoursPerWeek)", "- Free time: \(profile.availability.joined(separator: "; "))",
                "- Time zone: \(profile.timeZone)", "",
            ]
        }
        lines += ["## Goals", ""]
        for goal in snapshot.goals {
            let tasks = snapshot.tasks.filter { $0.goalId == goal.id }
            lines.append(
                "- \(goal.title) (\(goal.kind), \(goal.status)): \(tasks.filter { $0.status == "done" }.count) of \(tasks.count) tasks done"
            )
        }
        lines += ["", "## Tasks", ""]
        for task in snapshot.tasks {
            let box = task.status == "done" ? "[x]" : "[ ]"
            let evidence = task.evidence.map { " — \($0)" } ?? ""
            lines.append("- \(box) \(task.title) (\(task.actualMinutes)/\(task.estimateMinutes) min)\(evidence)")
        }
        lines += ["", "## Study log", ""]
        let formatter = ISO8601DateFormatter()
        for entry in snapshot.studyLog {
            lines.append(
                "- \(formatter.string(from: entry.loggedAt)): \(entry.minutes) min\(entry.skillId.map { " on \($0)" } ?? "")\(entry.note.map { " — \($0)" } ?? "")"
            )
        }
        lines += ["", "## Skills", ""]
        for state in snapshot.skillStates {
            lines.append("- \(catalogue.skill(state.skillId)?.title ?? state.skillId): \(state.status) (\(Int(state.mastery * 100))%)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
