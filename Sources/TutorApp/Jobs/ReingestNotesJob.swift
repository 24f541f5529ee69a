import Foundation
import Logging
import TutorLearning
import TutorModel
import TutorPrompts
import TutorStore
import TutorWire

/// Each night: re-ingests the learner's registered note folders.
struct ReingestNotesJob: Job {
    let context: JobContext
    let name = "reingest-notes"
    let defaultSchedule = "daily 03:30"

    /// Re-ingests every registered notes folder (no pruning: a folder on an unmounted disk must
    /// not empty the index). Says something only when files changed or a folder failed.
    func run(occurrence: Date) async throws -> JobOutcome {
        guard let notes = context.notes else { return JobOutcome(summary: "retrieval is not available") }
        let folders = try context.store.noteFolders().map(\.path)
        guard !folders.isEmpty else { return JobOutcome(summary: "no note folders registered (`tutor ingest FOLDER` adds one)") }
        var changed = 0
        var problems: [String] = []
        for folder in folders {
            do {
                let result = try await notes.ingest(NotesIngestParams(paths: [folder])) { _ in }
                changed += result.added.count + result.updated.count
            } catch {
                problems.append("\(folder): \(error)")
            }
        }
        let summary = "\(folders.count) folder(s), \(changed) file(s) re-indexed" + (problems.isEmpty ? "" : ", \(problems.count) failed")
        guard !problems.isEmpty else { return JobOutcome(summary: summary) }
        return JobOutcome(
            summary: summary,
            notices: [
                Notice(
                    kind: "notes", title: "Some note folders could not be re-indexed",
                    body: problems.joined(separator: "\n") + "\nCheck the folders exist, or run `tutor ingest` on them by hand.")
            ])
    }
}
