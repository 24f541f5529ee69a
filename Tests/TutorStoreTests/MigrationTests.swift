import Foundation
import GRDB
import Testing

@testable import TutorStore

@Suite("Store migrations")
struct MigrationTests {
    private func temporaryPath() -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-store-\(UUID().uuidString)")
        return folder.path + "/tutor.sqlite"
    }

    @Test("every migration applies to an empty database, in order, and the tables exist")
    func fromEmpty() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: Store.parentFolder(of: path)) }
        let store = try Store(path: path)
        let schema = try store.schemaVersion()
        #expect(schema.count == Store.migrationNames.count)
        #expect(schema.newest == Store.migrationNames.last)
        let tables = try store.read { db in
            try String.fetchAll(
                db,
                sql:
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name"
            )
        }
        #expect(
            tables == [
                "catalogueState", "checklistEvidence", "chunk", "chunkFTS", "chunkFTS_config", "chunkFTS_data", "chunkFTS_docsize",
                "chunkFTS_idx", "conversation", "delivery", "document", "embedding", "exercise", "forecastHistory", "goal", "inbox", "job",
                "jobRun", "message", "misconception", "noteFolder",
                "placementDraft", "plan", "profile", "quizItem", "reviewCard", "reviewLog", "skillState", "studyLog", "task", "testOut",
            ])
        #expect(try store.integrityCheck() == ["ok"])
        let journal = try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        try store.close()
    }

    @Test("a database left by the first migration set upgrades with its data intact")
    func upgradeKeepsData() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: Store.parentFolder(of: path)) }
        try Store.makePrivateFolder(Store.parentFolder(of: path))
        do {
            // What an earlier Tutor (knowing only v1) left on disk.
            let old = try DatabaseQueue(path: path)
            try Store.migrator(upTo: "v1-learner").migrate(old)
            try old.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO profile (id, name, background, hoursPerWeek, timeZone, createdAt, updatedAt)
                        VALUES (1, 'Ada', 'beginner', 7.5, 'Europe/Paris', '2026-01-01 10:00:00', '2026-01-01 10:00:00');
                        INSERT INTO goal (title, kind, target, createdAt) VALUES ('Become an AI engineer', 'track', 'developer', '2026-01-02 09:00:00');
                        INSERT INTO task (goalId, skillId, kind, title, estimateMinutes, status, createdAt)
                        VALUES (1, 'python-fundamentals', 'learn', 'Learn Python basics', 240, 'done', '2026-01-02 09:00:00');
                        """)
            }
            #expect(try old.read { db in try Store.migrator.hasCompletedMigrations(db) } == false)
        }
        let store = try Store(path: path)
        #expect(try store.schemaVersion().count == Store.migrationNames.count)
        let (name, background, hours) = try store.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT name, background, hoursPerWeek FROM profile")!
            return (row["name"] as String, row["background"] as String, row["hoursPerWeek"] as Double)
        }
        #expect(name == "Ada")
        #expect(background == "beginner")
        #expect(hours == 7.5)
        #expect(try store.counts() == (goals: 1, tasks: 1))
        let task = try store.read { db in try Row.fetchOne(db, sql: "SELECT skillId, status, estimateMinutes FROM task")! }
        #expect(task["skillId"] as String == "python-fundamentals")
        #expect(task["status"] as String == "done")
        #expect(task["estimateMinutes"] as Int == 240)
        // The new tables work alongside the old rows.
        try store.write { db in
            try db.execute(
                sql:
                    "INSERT INTO studyLog (skillId, taskId, minutes, loggedAt) VALUES ('python-fundamentals', 1, 90, '2026-01-03 19:00:00')"
            )
        }
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT SUM(minutes) FROM studyLog") } == 90)
        try store.close()
    }

    @Test("a database migrated by a newer Tutor is refused at open, naming both versions and what to do; nothing is written")
    func newerSchemaRefused() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: Store.parentFolder(of: path)) }
        do {
            // What a newer Tutor, with one more migration, leaves on disk.
            let store = try Store(path: path)
            try store.write { db in
                try db.execute(sql: "INSERT INTO goal (title, kind, createdAt) VALUES ('kept', 'text', '2026-01-01')")
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-a-newer-tutor')")
            }
            try store.close()
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try Store(path: path) }
        #expect(error?.code == .newerSchema)
        let message = error?.description ?? ""
        #expect(message.contains("v99-from-a-newer-tutor"), "\(message)")
        #expect(message.contains("\(Store.migrationNames.count + 1) migrations"), "\(message)")
        #expect(message.contains("this tutor knows \(Store.migrationNames.count), up to \(Store.migrationNames.last!)"), "\(message)")
        #expect(message.contains("Upgrade tutor") && message.contains("tutor import"), "\(message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the file changed")
    }

    @Test("the folder is 0700 and the database file 0600")
    func permissions() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: Store.parentFolder(of: path)) }
        let store = try Store(path: path)
        try store.write { db in try db.execute(sql: "INSERT INTO goal (title, kind, createdAt) VALUES ('x', 'text', '2026-01-01')") }
        let folder = try FileManager.default.attributesOfItem(atPath: Store.parentFolder(of: path))[.posixPermissions] as? Int
        let file = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(folder == 0o700)
        #expect(file == 0o600)
        try store.close()
    }

    @Test("invariants hold in the schema: bad values are refused and nothing is written")
    func constraints() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: Store.parentFolder(of: path)) }
        let store = try Store(path: path)
        #expect(throws: StoreError.self) {
            try store.write { db in
                try db.execute(sql: "INSERT INTO goal (title, kind, createdAt) VALUES ('ok', 'text', '2026-01-01')")
                try db.execute(sql: "INSERT INTO studyLog (minutes, loggedAt) VALUES (-5, '2026-01-01')")
            }
        }
        // The whole transaction rolled back: the valid goal is not there either.
        #expect(try store.counts().goals == 0)
        #expect(throws: StoreError.self) {
            try store.write { db in
                try db.execute(
                    sql: "INSERT INTO profile (id, background, createdAt, updatedAt) VALUES (1, 'wizard', '2026-01-01', '2026-01-01')")
            }
        }
        #expect(throws: StoreError.self) {
            try store.write { db in
                try db.execute(
                    sql: "INSERT INTO task (goalId, kind, title, estimateMinutes, createdAt) VALUES (99, 'learn', 't', 10, '2026-01-01')")
            }
        }
        try store.close()
    }

    @Test("an unwritable folder is a clear error naming the path")
    func unwritableFolder() {
        do {
            _ = try Store(path: "/proc/tutor-cannot-exist/tutor.sqlite")
            Issue.record("a store opened under /proc")
        } catch {
            #expect(error.code == .cannotCreateFolder)
            #expect(error.description.contains("/proc/tutor-cannot-exist"))
            #expect(error.description.contains("TUTOR_DATA_DIR"))
        }
    }
}
