import Foundation
import GRDB
import Testing

@testable import TutorStore

@Suite("Learner data in the store")
struct LearnerStoreTests {
    private let now = Date(timeIntervalSince1970: 1_795_000_000.123)

    private func withStore(_ body: (Store) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-learner-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        try body(store)
        try store.close()
    }

    private func tasks(_ skills: [String], goal: Int64? = nil) -> [TaskRecord] {
        skills.flatMap { skill in
            ["learn", "practice"].map { kind in
                TaskRecord(
                    goalId: goal, skillId: skill, kind: kind, title: "\(kind) \(skill)", position: 0, estimateMinutes: 60, createdAt: now)
            }
        }
    }

    /// Reads go to the writer's connection only when it is free: a read while a long write is
    /// under way must neither wait for it nor see its uncommitted rows.
    @Test("a read during a long write neither waits for it nor sees its rows")
    func readDuringLongWrite() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-reads-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        _ = try store.addGoal(GoalRecord(title: "first", kind: "skill", target: "python", createdAt: now), tasks: [])
        #expect(try store.goals().count == 1)  // on the writer's connection: no write under way
        let inWrite = DispatchSemaphore(value: 0)
        let now = self.now
        let writer = Thread {
            _ = try? store.write { db in
                var goal = GoalRecord(title: "second", kind: "skill", target: "rag", createdAt: now)
                try goal.insert(db)
                inWrite.signal()
                Thread.sleep(forTimeInterval: 2)
            }
        }
        writer.start()
        inWrite.wait()
        let started = ContinuousClock.now
        let during = try store.goals()
        let waited = ContinuousClock.now - started
        #expect(during.map(\.title) == ["first"])
        // Far less than the write's 2 s: the read did not queue behind it.
        #expect(waited < .seconds(1))
        while !writer.isFinished { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try store.goals().map(\.title) == ["first", "second"])
        try store.close()
    }

    @Test("a second goal sharing prerequisites adds only the new tasks and keeps done work")
    func overlappingGoals() throws {
        try withStore { store in
            let first = try store.addGoal(
                GoalRecord(title: "RAG", kind: "skill", target: "rag-basics", createdAt: now), tasks: tasks(["python", "embeddings"]))
            #expect(first.added.count == 4)
            let done = try store.completeTask(id: first.added[0].id!, minutes: 45, evidence: "notes/python.md", at: now)
            #expect(done.status == "done")
            let second = try store.addGoal(
                GoalRecord(title: "Agents", kind: "skill", target: "agents", createdAt: now), tasks: tasks(["python", "agents"]))
            #expect(second.added.map(\.skillId) == ["agents", "agents"])
            let all = try store.tasks()
            #expect(all.count == 6)
            #expect(all.first { $0.id == done.id }?.status == "done")
            #expect(all.map(\.position) == all.map(\.position).sorted())
            #expect(try store.counts() == (goals: 2, tasks: 6))
        }
    }

    @Test("completing a task logs its minutes; bad minutes and unknown ids change nothing")
    func completeTask() throws {
        try withStore { store in
            let goal = try store.addGoal(GoalRecord(title: "g", kind: "text", target: nil, createdAt: now), tasks: tasks(["python"]))
            let id = goal.added[0].id!
            #expect(throws: StoreError.self) { try store.completeTask(id: id, minutes: -5, evidence: nil, at: now) }
            #expect(throws: StoreError.self) { try store.completeTask(id: 999, minutes: 5, evidence: nil, at: now) }
            #expect(try store.task(id: id)?.status == "pending")
            #expect(try store.studyLog().isEmpty)
            _ = try store.completeTask(id: id, minutes: 30, evidence: nil, at: now)
            let log = try store.studyLog()
            #expect(log.map(\.minutes) == [30])
            #expect(log.first?.taskId == id)
            #expect(try store.task(id: id)?.actualMinutes == 30)
        }
    }

    @Test("logging study moves the skill's pending learn task to learning; zero minutes is refused")
    func logStudy() throws {
        try withStore { store in
            _ = try store.addGoal(GoalRecord(title: "g", kind: "text", target: nil, createdAt: now), tasks: tasks(["python"]))
            #expect(throws: StoreError.self) { try store.logStudy(StudyLogRecord(skillId: "python", minutes: 0, loggedAt: now)) }
            _ = try store.logStudy(StudyLogRecord(skillId: "python", minutes: 90, note: "loops", loggedAt: now))
            let learn = try store.tasks().first { $0.kind == "learn" }
            #expect(learn?.status == "learning")
            #expect(try store.studyLog(since: now.addingTimeInterval(1)).isEmpty)
        }
    }

    @Test("export, import into an empty store, export again: the same bytes")
    func exportImportExport() throws {
        try withStore { source in
            try source.saveProfile(
                ProfileRecord(
                    name: "Ada", background: "programmer", track: "developer", hoursPerWeek: 10,
                    availability: ["mon 19:00-21:00", "sat 09:00-12:00"], timeZone: "Europe/Paris", targetDate: "2027-06-30",
                    createdAt: now, updatedAt: now), at: now)
            let goal = try source.addGoal(
                GoalRecord(title: "Become an AI engineer", kind: "track", target: "developer", createdAt: now),
                tasks: tasks(["python", "rag"]))
            _ = try source.completeTask(id: goal.added[1].id!, minutes: 50, evidence: "https://example.org/notebook", at: now)
            _ = try source.logStudy(StudyLogRecord(skillId: "rag", minutes: 25, note: "read \"RAG\" paper — ünïcode", loggedAt: now))
            try source.saveSkillState(
                SkillStateRecord(skillId: "python", mastery: 0.8, status: "mastered", evidence: ["quiz 4/5"], updatedAt: now))
            try source.recordReview(
                card: ReviewCardRecord(
                    id: "python#0", skillId: "python", state: 2, step: nil, stability: 3.173, difficulty: 5.28,
                    due: now.addingTimeInterval(86_400 * 3), lastReview: now),
                rating: 3, at: now)
            _ = try source.savePlan(week: "2026-W49", sessions: "[{\"day\":\"mon\"}]", at: now)
            let first = try source.snapshot().encoded()

            try withStore { target in
                try target.restore(try StoreSnapshot.decode(first), replace: false)
                let second = try target.snapshot().encoded()
                #expect(first == second)
                #expect(try target.counts() == (goals: 1, tasks: 4))
                // A non-empty store is not overwritten without replace, and nothing changes.
                #expect(throws: StoreError.self) { try target.restore(try StoreSnapshot.decode(first), replace: false) }
                try target.restore(try StoreSnapshot.decode(first), replace: true)
                #expect(try target.snapshot().encoded() == first)
            }
        }
    }

    @Test("an export of another format or a newer version is refused with a reason")
    func badExports() throws {
        #expect(throws: StoreError.self) { try StoreSnapshot.decode(Data("{\"format\":\"other\"}".utf8)) }
        do {
            _ = try StoreSnapshot.decode(Data("not json".utf8))
            Issue.record("garbage was accepted")
        } catch {
            #expect(error.description.contains("not a Tutor export"))
        }
        let future = """
            {"format":"tutor-export","version":99,"goals":[],"tasks":[],"studyLog":[],"skillStates":[],"reviewCards":[],
             "reviewLogs":[],"plans":[],"conversations":[],"messages":[]}
            """
        do {
            _ = try StoreSnapshot.decode(Data(future.utf8))
            Issue.record("a newer version was accepted")
        } catch {
            #expect(error.description.contains("update Tutor"))
        }
    }
}

@Suite("Export dates")
struct ExportDateTests {
    @Test("dates survive store → export → import → store → export at the millisecond, whatever their float representation")
    func millisecondStability() throws {
        for offset in stride(from: 0.0, to: 1.0, by: 0.0371) {
            let date = Date(timeIntervalSince1970: 1_795_000_000 + offset)
            let text = StoreSnapshot.formatDate(date)
            let parsed = try #require(StoreSnapshot.parseDate(text))
            #expect(StoreSnapshot.formatDate(parsed) == text)
            #expect(abs(parsed.timeIntervalSince(date)) < 0.001)
        }
        #expect(StoreSnapshot.formatDate(Date(timeIntervalSince1970: 1.5)) == "1970-01-01T00:00:01.500Z")
        #expect(StoreSnapshot.parseDate("not a date") == nil)
    }
}

@Suite("Learner data version")
struct LearnerDataVersionTests {
    @Test("learner writes change the version; transcript writes do not")
    func versionFollowsLearnerWrites() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-version-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let start = store.learnerDataVersion
        try store.appendMessages(
            [MessageRecord(conversationName: "s", role: "user", content: "hi", createdAt: now)], conversation: "s", at: now)
        try store.saveConversationSummary(#"{"covers":1,"text":"t"}"#, conversation: "s", at: now)
        try store.deleteConversation("s")
        #expect(store.learnerDataVersion == start)
        try store.saveProfile(ProfileRecord(createdAt: now, updatedAt: now), at: now)
        #expect(store.learnerDataVersion != start)
        try store.close()
    }

    @Test("the profile kept in memory follows every save")
    func profileCacheFollowsSaves() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-profile-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        #expect(try store.profile() == nil)
        try store.saveProfile(
            ProfileRecord(name: "Ada", hoursPerWeek: 6, availability: ["sat 09:00-12:00"], createdAt: now, updatedAt: now), at: now)
        #expect(try store.profile()?.name == "Ada")
        #expect(try store.profile()?.availability == ["sat 09:00-12:00"])
        try store.saveProfile(ProfileRecord(name: "Grace", hoursPerWeek: 8, createdAt: now, updatedAt: now), at: now)
        #expect(try store.profile()?.name == "Grace")
        #expect(try store.profile()?.hoursPerWeek == 8)
        try store.close()
    }

    @Test("transcripts read back as written, across many commits and background checkpoints")
    func transcriptsSurviveCheckpoints() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-wal-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let store = try Store(path: folder + "/tutor.sqlite")
        for index in 0..<(Store.commitsPerCheckpoint * 3) {
            try store.appendMessages(
                [MessageRecord(conversationName: "s", role: index % 2 == 0 ? "user" : "assistant", content: "m\(index)", createdAt: now)],
                conversation: "s", at: now)
        }
        try store.close()
        let reopened = try Store(path: folder + "/tutor.sqlite")
        let messages = try reopened.messages(conversation: "s")
        #expect(messages.map(\.content) == (0..<(Store.commitsPerCheckpoint * 3)).map { "m\($0)" })
        #expect(messages.first?.createdAt == now)
        #expect(try reopened.integrityCheck() == ["ok"])
        try reopened.close()
    }
}
