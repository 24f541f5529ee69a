import GRDB

extension Store {
    /// The names of every migration, oldest first. A landed migration is never edited: add a new one.
    public static let migrationNames = [
        "v1-learner", "v2-study-log-and-plans", "v3-conversations", "v4-learning-state", "v5-documents", "v6-jobs-and-inbox",
        "v7-tutoring", "v8-chunk-index-written-directly", "v9-test-outs-and-paused-goals", "v10-forecast-history",
        "v11-catalogue-version-and-hands-on-evidence",
    ]

    /// The migrator with every named migration registered.
    public static var migrator: DatabaseMigrator { migrator(upTo: nil) }

    /// A migrator holding the migrations up to and including `last` (all when nil); tests use it
    /// to build databases as earlier versions of Tutor left them.
    public static func migrator(upTo last: String?) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (name, migration) in migrations {
            migrator.registerMigration(name, migrate: migration)
            if name == last { break }
        }
        return migrator
    }

    private static let migrations: [(String, @Sendable (Database) throws -> Void)] = [
        (
            "v1-learner",
            { db in
                // The learner's profile: one row.
                try db.create(table: "profile") { t in
                    t.primaryKey("id", .integer).check { $0 == 1 }
                    t.column("name", .text)
                    t.column("background", .text).notNull().defaults(to: "programmer")
                        .check { ["programmer", "data-scientist", "beginner"].contains($0) }
                    t.column("track", .text)
                    t.column("hoursPerWeek", .double).notNull().defaults(to: 10).check { $0 > 0 && $0 <= 100 }
                    t.column("availability", .jsonText).notNull().defaults(to: "[]")
                    t.column("timeZone", .text).notNull().defaults(to: "UTC")
                    t.column("targetDate", .text)
                    t.column("createdAt", .datetime).notNull()
                    t.column("updatedAt", .datetime).notNull()
                }
                // What the learner wants to reach: a skill, a stage, a project, a track or free text.
                try db.create(table: "goal") { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.column("title", .text).notNull()
                    t.column("kind", .text).notNull()
                        .check { ["skill", "stage", "project", "track", "text"].contains($0) }
                    t.column("target", .text)
                    t.column("status", .text).notNull().defaults(to: "active")
                        .check { ["active", "done", "dropped"].contains($0) }
                    t.column("createdAt", .datetime).notNull()
                }
                // Concrete steps towards goals.
                try db.create(table: "task") { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.belongsTo("goal", onDelete: .cascade)
                    t.column("skillId", .text).indexed()
                    t.column("kind", .text).notNull()
                        .check { ["learn", "practice", "check", "project", "review"].contains($0) }
                    t.column("title", .text).notNull()
                    t.column("status", .text).notNull().defaults(to: "pending")
                        .check { ["pending", "learning", "done", "skipped"].contains($0) }
                    t.column("position", .integer).notNull().defaults(to: 0)
                    t.column("estimateMinutes", .integer).notNull().check { $0 >= 0 }
                    t.column("actualMinutes", .integer).notNull().defaults(to: 0).check { $0 >= 0 }
                    t.column("evidence", .text)
                    t.column("createdAt", .datetime).notNull()
                    t.column("completedAt", .datetime)
                }
            }
        ),
        (
            "v2-study-log-and-plans",
            { db in
                // Every stretch of study the learner reports.
                try db.create(table: "studyLog") { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.column("skillId", .text).indexed()
                    t.belongsTo("task", onDelete: .setNull)
                    t.column("minutes", .integer).notNull().check { $0 > 0 && $0 <= 24 * 60 }
                    t.column("note", .text)
                    t.column("loggedAt", .datetime).notNull().indexed()
                }
                // A generated plan for one ISO week (YYYY-Www); its sessions live as JSON.
                try db.create(table: "plan") { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.column("week", .text).notNull().unique()
                    t.column("sessions", .jsonText).notNull()
                    t.column("generatedAt", .datetime).notNull()
                }
            }
        ),
        (
            "v3-conversations",
            { db in
                // Named chat sessions and their transcripts.
                try db.create(table: "conversation") { t in
                    t.primaryKey("name", .text)
                    t.column("summary", .text)
                    t.column("createdAt", .datetime).notNull()
                    t.column("updatedAt", .datetime).notNull()
                }
                try db.create(table: "message") { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.belongsTo("conversation", onDelete: .cascade).notNull()
                    t.column("role", .text).notNull()
                        .check { ["system", "user", "assistant", "tool"].contains($0) }
                    t.column("content", .text).notNull()
                    t.column("toolCalls", .jsonText)
                    t.column("toolCallId", .text)
                    t.column("createdAt", .datetime).notNull()
                }
            }
        ),
        (
            "v4-learning-state",
            { db in
                // Project tasks name their project; a skill or project has each kind of task once,
                // so decomposing a second goal never duplicates work.
                try db.alter(table: "task") { t in t.add(column: "projectId", .text) }
                try db.create(
                    index: "task_skill_kind", on: "task", columns: ["skillId", "kind"], unique: true, condition: Column("skillId") != nil)
                try db.create(
                    index: "task_project_kind", on: "task", columns: ["projectId", "kind"], unique: true,
                    condition: Column("projectId") != nil)
                // Mastery per skill, kept apart from tasks: evidence can come from quizzes and projects.
                try db.create(table: "skillState") { t in
                    t.primaryKey("skillId", .text)
                    t.column("mastery", .double).notNull().defaults(to: 0).check { $0 >= 0 && $0 <= 1 }
                    t.column("status", .text).notNull().defaults(to: "not-started")
                        .check { ["not-started", "learning", "mastered"].contains($0) }
                    t.column("evidence", .jsonText).notNull().defaults(to: "[]")
                    t.column("updatedAt", .datetime).notNull()
                }
                // FSRS cards for catalogue quiz items, and every grading.
                try db.create(table: "reviewCard") { t in
                    t.primaryKey("id", .text)
                    t.column("skillId", .text).notNull().indexed()
                    t.column("state", .integer).notNull().check { [1, 2, 3].contains($0) }
                    t.column("step", .integer)
                    t.column("stability", .double)
                    t.column("difficulty", .double)
                    t.column("due", .datetime).notNull().indexed()
                    t.column("lastReview", .datetime)
                }
                try db.create(table: "reviewLog") { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.belongsTo("card", inTable: "reviewCard", onDelete: .cascade).notNull()
                    t.column("rating", .integer).notNull().check { [1, 2, 3, 4].contains($0) }
                    t.column("reviewedAt", .datetime).notNull()
                }
            }
        ),
        (
            "v5-documents",
            { db in
                // Files the learner ingested (source `notes`) and the catalogue's text (`catalogue`).
                try db.create(table: "document") { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.column("path", .text).notNull().unique()
                    t.column("source", .text).notNull().check { ["notes", "catalogue"].contains($0) }
                    t.column("kind", .text).notNull()
                    t.column("title", .text).notNull()
                    t.column("contentHash", .text).notNull()
                    t.column("size", .integer).notNull()
                    t.column("modifiedAt", .double).notNull()
                    t.column("indexedAt", .datetime).notNull()
                }
                // Passages of a document, each with its heading path and line range.
                try db.create(table: "chunk") { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.belongsTo("document", onDelete: .cascade).notNull()
                    t.column("ordinal", .integer).notNull()
                    t.column("heading", .text).notNull().defaults(to: "")
                    t.column("text", .text).notNull()
                    t.column("startLine", .integer).notNull()
                    t.column("endLine", .integer).notNull()
                    t.column("tokens", .integer).notNull()
                }
                // The full-text index over chunks, kept in sync by triggers (external content).
                try db.create(virtualTable: "chunkFTS", using: FTS5()) { t in
                    t.synchronize(withTable: "chunk")
                    t.tokenizer = .porter(wrapping: .unicode61())
                    t.column("heading")
                    t.column("text")
                }
                try db.execute(sql: "INSERT INTO chunkFTS(chunkFTS, rank) VALUES('automerge', 16)")
                // One vector per chunk, tagged with the model that computed it (float32, little-endian).
                try db.create(table: "embedding") { t in
                    t.primaryKey("chunkId", .integer).references("chunk", onDelete: .cascade)
                    t.column("model", .text).notNull().indexed()
                    t.column("vector", .blob).notNull()
                }
                // Folders the learner registered with `tutor ingest`, re-ingested by the scheduler.
                try db.create(table: "noteFolder") { t in
                    t.primaryKey("path", .text)
                    t.column("addedAt", .datetime).notNull()
                    t.column("lastIngestAt", .datetime)
                }
            }
        ),
        (
            "v6-jobs-and-inbox",
            { db in
                // Scheduled jobs: when each runs, and the last occurrence it handled.
                try db.create(table: "job") { t in
                    t.primaryKey("name", .text)
                    t.column("schedule", .text).notNull()
                    t.column("lastOccurrence", .datetime)
                    t.column("lastRunAt", .datetime)
                    t.column("lastStatus", .text)
                    t.column("lastSummary", .text)
                    t.column("createdAt", .datetime).notNull()
                }
                // One row per occurrence a job claimed: the unique key is what makes a job run at
                // most once per occurrence, even across a crash.
                try db.create(table: "jobRun") { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.column("job", .text).notNull().references("job", onDelete: .cascade)
                    t.column("occurrence", .datetime).notNull()
                    t.column("startedAt", .datetime).notNull()
                    t.column("finishedAt", .datetime)
                    t.column("status", .text).notNull().check { ["running", "done", "failed", "interrupted"].contains($0) }
                    t.column("summary", .text)
                    t.uniqueKey(["job", "occurrence"])
                }
                // Messages for the learner, shown by `tutor inbox` and when a chat starts.
                try db.create(table: "inbox") { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.column("kind", .text).notNull()
                    t.column("title", .text).notNull()
                    t.column("body", .text).notNull()
                    t.column("createdAt", .datetime).notNull().indexed()
                    t.column("readAt", .datetime)
                }
                // Outgoing webhook deliveries, retried with backoff until delivered or given up.
                try db.create(table: "delivery") { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.column("inboxId", .integer).references("inbox", onDelete: .cascade)
                    t.column("url", .text).notNull()
                    t.column("payload", .text).notNull()
                    t.column("status", .text).notNull().check { ["pending", "delivered", "failed"].contains($0) }
                    t.column("attempts", .integer).notNull().defaults(to: 0)
                    t.column("nextAttemptAt", .datetime)
                    t.column("lastError", .text)
                    t.column("createdAt", .datetime).notNull()
                    t.column("deliveredAt", .datetime)
                }
            }
        ),
        (
            "v7-tutoring",
            { db in
                // The question a chat session is working on: asked, hints given, then answered.
                try db.create(table: "exercise") { t in
                    t.primaryKey("session", .text)
                    t.column("cardId", .text).notNull()
                    t.column("skillId", .text).notNull()
                    t.column("kind", .text).notNull().check { ["check", "review"].contains($0) }
                    t.column("phase", .text).notNull().check { ["asked", "answered"].contains($0) }
                    t.column("hintsGiven", .integer).notNull().defaults(to: 0)
                    t.column("reminded", .boolean).notNull().defaults(to: false)
                    t.column("learnerAnswer", .text)
                    t.column("verdict", .text)
                    t.column("suggestedRating", .integer)
                    t.column("askedAt", .datetime).notNull()
                    t.column("updatedAt", .datetime).notNull()
                }
                // Wrong answers, kept on their skill until a later answer to the same question is right.
                try db.create(table: "misconception") { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.column("skillId", .text).notNull().indexed()
                    t.column("cardId", .text).notNull()
                    t.column("learnerAnswer", .text).notNull()
                    t.column("expected", .text).notNull()
                    t.column("recordedAt", .datetime).notNull()
                    t.column("revisitedAt", .datetime)
                    t.column("resolvedAt", .datetime)
                }
                // A first-run setup held in a chat: what it has gathered so far, step by step.
                try db.create(table: "placementDraft") { t in
                    t.primaryKey("session", .text)
                    t.column("step", .text).notNull().check { ["background", "hours", "availability", "goal", "probe"].contains($0) }
                    t.column("background", .text)
                    t.column("hoursPerWeek", .double)
                    t.column("availability", .text).notNull()
                    t.column("goal", .text)
                    t.column("questions", .text).notNull()
                    t.column("answers", .text).notNull()
                    t.column("startedAt", .datetime).notNull()
                    t.column("updatedAt", .datetime).notNull()
                }
                // Quiz questions a model wrote, checked against the skill's roadmap text before storing.
                try db.create(table: "quizItem") { t in
                    t.primaryKey("id", .text)
                    t.column("skillId", .text).notNull().indexed()
                    t.column("question", .text).notNull()
                    t.column("answer", .text).notNull()
                    t.column("why", .text).notNull()
                    t.column("source", .text).notNull()
                    t.column("createdAt", .datetime).notNull()
                }
            }
        ),
        (
            "v8-chunk-index-written-directly",
            { db in
                // `Store.replaceDocuments` adds a chunk's full-text row itself, in the same
                // transaction: through the insert trigger, SQLite 3.40's FTS5 flushed a segment
                // per chunk (see Docs/retrieval.md). The delete and update triggers stay.
                try db.execute(sql: "DROP TRIGGER IF EXISTS __chunkFTS_ai")
            }
        ),
        (
            "v9-test-outs-and-paused-goals",
            { db in
                // A paused goal keeps its status (active) and its tasks; while paused, they are
                // left out of the weekly plans.
                try db.alter(table: "goal") { t in t.add(column: "pausedAt", .datetime) }
                // "I already know X": a short test on a skill's check questions, one per chat
                // session at a time while open, kept afterwards as the record of the attempt.
                try db.create(table: "testOut") { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.column("session", .text).notNull()
                    t.column("skillId", .text).notNull()
                    t.column("cards", .jsonText).notNull()
                    t.column("verdicts", .jsonText).notNull()
                    t.column("status", .text).notNull().defaults(to: "open")
                        .check { ["open", "passed", "failed", "stopped"].contains($0) }
                    t.column("reminded", .boolean).notNull().defaults(to: false)
                    t.column("tasksSkipped", .integer).notNull().defaults(to: 0)
                    t.column("minutesSkipped", .integer).notNull().defaults(to: 0)
                    t.column("startedAt", .datetime).notNull()
                    t.column("updatedAt", .datetime).notNull()
                }
                try db.create(
                    index: "testOut_open", on: "testOut", columns: ["session"], unique: true, condition: Column("status") == "open")
            }
        ),
        (
            "v10-forecast-history",
            { db in
                // What each day's forecast at the learner's own pace said, one row a day (the
                // day's latest), so the report can show how the forecast moved.
                try db.create(table: "forecastHistory") { t in
                    t.primaryKey("day", .text)
                    t.column("hoursPerWeek", .double).notNull()
                    t.column("milestones", .jsonText).notNull()
                    t.column("recordedAt", .datetime).notNull()
                }
            }
        ),
        (
            "v11-catalogue-version-and-hands-on-evidence",
            { db in
                // The catalogue version the learner's goals were last brought in line with: one row.
                try db.create(table: "catalogueState") { t in
                    t.primaryKey("id", .integer).check { $0 == 1 }
                    t.column("version", .text).notNull()
                    t.column("updatedAt", .datetime).notNull()
                }
                // Evidence for a skill's hands-on checklist items: one per item, replaced when re-recorded.
                try db.create(table: "checklistEvidence") { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.column("skillId", .text).notNull()
                    t.column("item", .text).notNull()
                    t.column("kind", .text).notNull().check { ["link", "file", "output", "note"].contains($0) }
                    t.column("evidence", .text).notNull()
                    t.column("createdAt", .datetime).notNull()
                    t.uniqueKey(["skillId", "item"])
                }
            }
        ),
    ]
}
