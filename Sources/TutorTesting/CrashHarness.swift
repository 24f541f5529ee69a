import Foundation
import Synchronization
import TutorClient
import TutorStore
import TutorWire

#if canImport(Glibc)
import Glibc
#endif

/// Kills a real `tutord` with SIGKILL while clients write to it, then checks that every write the
/// clients saw acknowledged is in the database, that SQLite and the full-text index are
/// consistent, and that the daemon serves again. Used by the end-to-end tests (a few rounds) and by
/// `tutor-bench crash` (50 rounds or more).
public enum CrashHarness {
    /// What one round did and found.
    public struct Round: Sendable, CustomStringConvertible {
        public var killedAfter: Duration
        /// Acknowledged writes, by kind.
        public var acknowledged: [String: Int]
        /// What was wrong; empty when the round passed.
        public var problems: [String]

        public var description: String {
            let writes = acknowledged.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return "killed after \(killedAfter): \(writes)"
                + (problems.isEmpty ? " — ok" : " — PROBLEMS: \(problems.joined(separator: "; "))")
        }
    }

    /// Writes the clients saw succeed.
    final class Ledger: Sendable {
        struct State {
            var studyLogs: [Int64: Int] = [:]
            var completedTasks: [Int64] = []
            var chatMessages: [String] = []
            var ingestedMarkers: [(path: String, marker: String)] = []
            var plans = 0
            /// Errors the daemon answered with (not the connection dropping at the kill).
            var refusals: [String] = []
        }
        let state = Mutex(State())
    }

    /// Gives the daemon a profile, a goal with tasks and a notes folder, once.
    public static func prepare(_ daemon: TemporaryDaemon) async throws {
        let socket = daemon.socketPath
        _ = try await TutorConnection.call(
            socketPath: socket, ProfileSetMethod.self,
            ProfileSetParams(hoursPerWeek: 10, availability: ["mon-sun 08:00-22:00"], timeZone: "UTC"))
        _ = try await TutorConnection.call(socketPath: socket, GoalAddMethod.self, GoalAddParams(text: "first-apps"))
        let notes = daemon.root + "/crash-notes"
        try FileManager.default.createDirectory(atPath: notes, withIntermediateDirectories: true)
        for index in 0..<20 {
            let text = "# Note \(index)\n\n" + String(repeating: "Retrieval and ranking notes, paragraph \(index). ", count: 40) + "\n"
            try text.write(toFile: notes + "/note-\(index).md", atomically: true, encoding: .utf8)
        }
    }

    /// One round: the daemon must be running. Starts the writers, kills the daemon after
    /// `killAfter`, verifies the store, and starts the daemon again.
    public static func round(_ daemon: TemporaryDaemon, number: Int, killAfter: Duration) async throws -> Round {
        let socket = daemon.socketPath
        let ledger = Ledger()
        let notes = daemon.root + "/crash-notes"
        let pending = try await TutorConnection.call(
            socketPath: socket, TaskListMethod.self, TaskListParams(status: ["pending"], limit: 200)
        ).tasks.map(\.id).shuffled()

        let writers = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Study logs, one after another.
                    for index in 0..<10_000 {
                        let minutes = 1 + (number * 7 + index) % 240
                        guard
                            let result = try? await TutorConnection.call(
                                socketPath: socket, StudyLogMethod.self, StudyLogParams(minutes: minutes, note: "crash \(number)-\(index)"))
                        else { return }
                        ledger.state.withLock { $0.studyLogs[result.id] = minutes }
                    }
                }
                group.addTask {
                    for id in pending {
                        guard
                            (try? await TutorConnection.call(socketPath: socket, TaskDoneMethod.self, TaskDoneParams(id: id, minutes: 5)))
                                != nil
                        else { return }
                        ledger.state.withLock { $0.completedTasks.append(id) }
                    }
                }
                group.addTask {
                    for _ in 0..<10_000 {
                        guard
                            (try? await TutorConnection.call(socketPath: socket, PlanWeekMethod.self, PlanParams(regenerate: true))) != nil
                        else { return }
                        ledger.state.withLock { $0.plans += 1 }
                    }
                }
                group.addTask {
                    for index in 0..<10_000 {
                        let message = "how am i doing? (round \(number), turn \(index))"
                        do {
                            _ = try await TutorConnection.call(
                                socketPath: socket, ChatSendMethod.self, ChatSendParams(session: "crash-\(number % 3)", message: message))
                        } catch let error as ClientError where error.code == .daemon {
                            ledger.state.withLock { $0.refusals.append("chat: \(error)") }
                            return
                        } catch {
                            return
                        }
                        ledger.state.withLock { $0.chatMessages.append(message) }
                    }
                }
                group.addTask {
                    for index in 0..<10_000 {
                        let path = notes + "/note-\(index % 20).md"
                        let marker = "crashmarker\(number)x\(index)"
                        guard let handle = FileHandle(forWritingAtPath: path) else { return }
                        handle.seekToEndOfFile()
                        handle.write(Data("\nAdded \(marker).\n".utf8))
                        try? handle.close()
                        guard
                            (try? await TutorConnection.call(socketPath: socket, NotesIngestMethod.self, NotesIngestParams(paths: [notes])))
                                != nil
                        else { return }
                        ledger.state.withLock { $0.ingestedMarkers.append((path, marker)) }
                    }
                }
            }
        }
        try await Task.sleep(for: killAfter)
        try await daemon.kill()
        await writers.value

        let state = ledger.state.withLock { $0 }
        var problems = state.refusals.map { "the daemon refused a write: \($0)" }
        let store = try Store(path: daemon.dataDirectory + "/tutor.sqlite")
        if try store.integrityCheck() != ["ok"] { problems.append("integrity_check failed") }
        do {
            try store.checkFullTextIndex()
        } catch {
            problems.append("FTS5 integrity-check failed: \(error)")
        }
        let counts = try store.retrievalCounts(model: nil)
        if counts.indexedRows != counts.noteChunks + counts.catalogueChunks {
            problems.append("full-text rows \(counts.indexedRows) ≠ chunks \(counts.noteChunks + counts.catalogueChunks)")
        }
        let logs = Dictionary(uniqueKeysWithValues: try store.studyLog().compactMap { entry in entry.id.map { ($0, entry.minutes) } })
        for (id, minutes) in state.studyLogs where logs[id] != minutes { problems.append("acknowledged study log \(id) is missing") }
        for id in state.completedTasks where try store.task(id: id)?.status != "done" {
            problems.append("acknowledged task \(id) is not done")
        }
        for message in state.chatMessages {
            let found = try (0..<3).contains { session in
                try store.messages(conversation: "crash-\(session)").contains { $0.role == "user" && $0.content == message }
            }
            if !found { problems.append("acknowledged chat message '\(message)' is missing") }
        }
        for (path, marker) in state.ingestedMarkers.suffix(5) {
            guard let document = try store.document(path: path), let id = document.id else {
                problems.append("acknowledged ingest of \(path) is missing")
                continue
            }
            let text = try store.passages(chunkIds: try store.chunkIDs(documentId: id)).map(\.text).joined()
            if !text.contains(marker) { problems.append("acknowledged ingest of \(marker) is missing") }
        }
        try store.close()

        try await daemon.launch()
        if (try? await TutorConnection.call(socketPath: socket, StatusMethod.self, NoParams())) == nil {
            problems.append("the daemon does not serve after restart")
        }
        return Round(
            killedAfter: killAfter,
            acknowledged: [
                "study logs": state.studyLogs.count, "tasks done": state.completedTasks.count, "plans": state.plans,
                "chat turns": state.chatMessages.count, "ingests": state.ingestedMarkers.count,
            ], problems: problems)
    }
}
