import Foundation
import Testing
import TutorApp
import TutorCatalogue
import TutorStore
import TutorWire

@testable import TutorApp

/// A newer catalogue reaching a learner who planned on an older one, and hands-on checklist items
/// that count toward mastery: both through the application services over a real SQLite store.
@Suite("Catalogue versions and hands-on evidence")
struct CatalogueVersionTests {
    static let monday = Date(timeIntervalSince1970: 1_796_630_400)

    /// A fresh store in a temporary folder, removed after `body`.
    private func withStore(_ body: (Store) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-catalogue-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        try body(store)
        try store.close()
    }

    /// The bundled catalogue as it was before 2026.12: without the skills that release added.
    static func previousCatalogue() throws -> Catalogue {
        let current = try Catalogue.bundled()
        let added = Set(current.releases[0].added)
        return try Catalogue(
            stages: current.stages, skills: current.skills.filter { !added.contains($0.id) }, projects: current.projects,
            tracks: current.tracks, releases: Array(current.releases.dropFirst()))
    }

    @Test("a learner who planned on 2026.11 gets the new skills on their path as tasks, told once in the inbox")
    func newerCatalogueReachesThePath() throws {
        try withStore { store in
            let old = try Self.previousCatalogue()
            #expect(old.version == "2026.11")
            let before = LearnerService(store: store, catalogue: old, now: { Self.monday })
            _ = try before.setProfile(
                ProfileSetParams(background: "programmer", hoursPerWeek: 10, availability: ["daily 19:00-21:00"], timeZone: "UTC"))
            #expect(try before.catalogueService.followCatalogue() != nil, "the learner starts following 2026.11")
            _ = try before.addGoal(GoalAddParams(text: "first-apps"))
            let oldSkills = Set(try store.tasks().compactMap(\.skillId))
            _ = try before.weeklyPlan(PlanParams())
            #expect(try store.plan(week: "2026-W50") != nil, "this week's plan is stored")

            let current = try Catalogue.bundled()
            let after = LearnerService(store: store, catalogue: current, now: { Self.monday.addingTimeInterval(86_400) })
            let followed = try #require(try after.catalogueService.followCatalogue())
            #expect(followed.from == "2026.11" && followed.to == current.version)
            // First apps gained three skills in 2026.12; the advanced ones are not on this goal's path.
            #expect(Set(followed.newSkills) == ["sampling-parameters", "reasoning-models", "ai-coding-assistants"])
            let tasks = try store.tasks()
            #expect(Set(tasks.compactMap(\.skillId)) == oldSkills.union(followed.newSkills))
            #expect(tasks.filter { $0.skillId == "reasoning-models" }.allSatisfy { $0.goalId != nil }, "the tasks belong to the goal")
            #expect(try store.plan(week: "2026-W50") == nil, "this week's stored plan is remade with the new tasks")
            let message = try #require(try store.inbox(unreadOnly: true).first { $0.kind == "catalogue" })
            #expect(message.body.contains("Reasoning (thinking) models") && message.body.contains("2026.12"), "\(message.body)")
            #expect(
                message.body.contains("Prerequisites moved on your path: Collaborating on code: pull requests and reviews."),
                "code-collaboration is among this goal's tasks and now needs python-testing: \(message.body)")
            #expect(try store.catalogueVersion() == current.version)

            // Once in line, nothing more happens: no second message, no new tasks.
            #expect(try after.catalogueService.followCatalogue() == nil)
            #expect(try store.inbox(unreadOnly: false).filter { $0.kind == "catalogue" }.count == 1)
            let changes = try after.catalogueService.changes(CatalogueChangesParams())
            #expect(changes.learnerVersion == current.version)
            #expect(changes.releases.map(\.version) == [current.version])
            #expect(changes.releases[0].changes.first { $0.id == "reasoning-models" }?.onPath == true)
            #expect(changes.releases[0].changes.first { $0.id == "multi-agent-systems" }?.onPath == false)
            #expect(try after.catalogueService.changes(CatalogueChangesParams(all: true)).releases.count == 2)
        }
    }

    @Test("a learner without goals just starts following the current catalogue, without a message")
    func newLearnerIsNotTold() throws {
        try withStore { store in
            let service = LearnerService(store: store, catalogue: try Catalogue.bundled(), now: { Self.monday })
            let followed = try #require(try service.catalogueService.followCatalogue())
            #expect(followed.from == nil && !followed.told && followed.newSkills.isEmpty)
            #expect(try store.inbox(unreadOnly: false).isEmpty)
            #expect(try service.catalogueService.followCatalogue() == nil)
        }
    }

    @Test("a concept skill with hands-on items is mastered only once each has evidence, and bad evidence is refused")
    func handsOnEvidenceCountsTowardMastery() throws {
        try withStore { store in
            let service = LearnerService(store: store, catalogue: try Catalogue.bundled(), now: { Self.monday })
            let skill = try #require(service.context.catalogue.skill("mcp-basics"))
            #expect(skill.handsOn.count == 2)
            try service.reviewService.ensureReviewCards(for: skill.id)
            for card in try store.reviewCards() where card.skillId == skill.id {
                _ = try service.gradeReview(ReviewGradeParams(cardId: card.id, rating: 3))
            }
            var view = try service.checklistService.checklist(ChecklistShowParams(skill: "mcp-basics"))
            #expect(view.status == "learning", "the quiz alone does not make it mastered: \(view.reason)")
            #expect(view.reason.contains("2 of 2") == false && view.reason.contains("0 of 2 recorded"), "\(view.reason)")
            #expect(view.items.filter(\.handsOn).map(\.number) == [3, 4])

            view = try service.checklistService.mark(
                ChecklistMarkParams(skill: "mcp-basics", item: 3, evidence: "https://github.com/learner/notes-mcp-server"))
            #expect(view.items[2].evidenceKind == "link" && view.handsOnDone == 1 && view.status == "learning")
            view = try service.checklistService.mark(
                ChecklistMarkParams(skill: "mcp-basics", item: 4, evidence: "$ npx @modelcontextprotocol/inspector\nlist_tools: 3 tools"))
            #expect(view.items[3].evidenceKind == "output")
            #expect(view.status == "mastered" && view.reason.contains("hands-on work has evidence"), "\(view.reason)")
            #expect(try store.skillStates().first { $0.skillId == "mcp-basics" }?.status == "mastered", "the stored state follows")

            view = try service.checklistService.mark(ChecklistMarkParams(skill: "mcp-basics", item: 4, clear: true))
            #expect(view.status == "learning" && view.handsOnDone == 1)

            let refusals: [(ChecklistMarkParams, String)] = [
                (ChecklistMarkParams(skill: "mcp-basics", item: 9, evidence: "x"), "item 9 does not exist"),
                (ChecklistMarkParams(skill: "mcp-basics", item: 1, evidence: "x"), "its hands-on items are 3, 4"),
                (ChecklistMarkParams(skill: "mcp-basics", item: 3, evidence: "  "), "evidence is empty"),
                (ChecklistMarkParams(skill: "mcp-basics", item: 3, evidence: String(repeating: "a", count: 5_000)), "at most 4000"),
                (ChecklistMarkParams(skill: "mcp-basics", item: 3, evidence: "x", kind: "photo"), "kind 'photo' is unknown"),
                (ChecklistMarkParams(skill: "no-such-skill", item: 1, evidence: "x"), "no skill has the id"),
            ]
            for (params, words) in refusals {
                #expect(throws: AppError.self, "\(words)") { try service.checklistService.mark(params) }
                do {
                    _ = try service.checklistService.mark(params)
                } catch {
                    #expect("\(error)".contains(words), "\(error)")
                }
            }
        }
    }
}
