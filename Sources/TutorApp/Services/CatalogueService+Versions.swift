import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

extension CatalogueService {
    /// What bringing the learner's goals in line with the catalogue did.
    public struct CatalogueFollowing: Sendable, Equatable {
        public var from: String?
        public var to: String
        /// Skills that got tasks because a newer catalogue put them on the learner's path.
        public var newSkills: [String]
        /// Whether a message went to the inbox.
        public var told: Bool
    }

    /// Brings the learner's goals in line with this catalogue when its version is newer than the one
    /// they follow: the skills a release added on the path of an active goal get their tasks (so the
    /// plan and forecast include them), stored plans from this week on are remade, and an inbox
    /// message says what changed on the learner's own path. A learner without goals just starts
    /// following this version. Runs when the daemon starts; nil when there was nothing to do.
    public func followCatalogue() throws -> CatalogueFollowing? {
        let seen = try store.catalogueVersion()
        guard catalogue.version != Catalogue.unversioned, seen != catalogue.version else { return nil }
        let goals = try store.goals().filter { $0.status == "active" }
        let existing = try store.tasks()
        guard !goals.isEmpty || !existing.isEmpty else {
            _ = try store.applyCatalogueVersion(
                catalogue.version, tasks: [], message: nil, planWeek: try currentWeek().description, at: now())
            return CatalogueFollowing(from: seen, to: catalogue.version, newSkills: [], told: false)
        }
        let tasks = try newTasks(for: goals, existing: existing)
        let newSkills = Array(Set(tasks.compactMap(\.skillId))).sorted { lhs, rhs in
            (catalogue.skill(lhs)?.stage ?? .senior, lhs) < (catalogue.skill(rhs)?.stage ?? .senior, rhs)
        }
        let releases = catalogue.releases(after: seen)
        let message = InboxRecord(
            kind: "catalogue", title: "The roadmap was updated (catalogue \(catalogue.version))",
            body: try messageBody(releases: releases, newSkills: newSkills), createdAt: now())
        _ = try store.applyCatalogueVersion(
            catalogue.version, tasks: tasks, message: message, planWeek: try currentWeek().description, at: now())
        return CatalogueFollowing(from: seen, to: catalogue.version, newSkills: newSkills, told: true)
    }

    /// `catalogue.changes`: the current release (or every one) with each change marked when it
    /// touches the learner's path.
    public func changes(_ params: CatalogueChangesParams) throws -> CatalogueChangesResult {
        let path = try pathIDs()
        let releases = params.all == true ? catalogue.releases : Array(catalogue.releases.prefix(1))
        return CatalogueChangesResult(
            version: catalogue.version, learnerVersion: try store.catalogueVersion(),
            releases: releases.map { release in
                CatalogueReleaseView(
                    version: release.version, date: release.date, summary: release.summary,
                    changes: changeViews(release).map { view in
                        var view = view
                        view.onPath = path.contains(view.id)
                        return view
                    })
            })
    }

    /// The tasks the active goals' decomposition now asks for that the learner does not have.
    func newTasks(for goals: [GoalRecord], existing: [TaskRecord]) throws -> [TaskRecord] {
        let background = try self.background
        let profile = try store.profile()
        let track = profile?.track.flatMap { catalogue.track($0) } ?? catalogue.track(for: background)
        let mastered = Set(try store.skillStates().filter { $0.status == "mastered" }.map(\.skillId))
        var have = Set(existing.map { "\($0.skillId ?? $0.projectId ?? "")#\($0.kind)" })
        var tasks: [TaskRecord] = []
        for goal in goals where goal.pausedAt == nil {
            guard let target = Self.target(kind: goal.kind, id: goal.target) else { continue }
            for task in GoalDecomposer.decompose(
                target, catalogue: catalogue, background: background, track: track, completedSkillIDs: mastered)
            where have.insert("\(task.skillId ?? task.projectId ?? "")#\(task.kind.rawValue)").inserted {
                tasks.append(
                    TaskRecord(
                        goalId: goal.id, skillId: task.skillId, projectId: task.projectId, kind: task.kind.rawValue, title: task.title,
                        position: 0, estimateMinutes: task.estimateMinutes, createdAt: now()))
            }
        }
        return tasks
    }

    /// The message: what changed, and what of it is on the learner's path.
    func messageBody(releases: [CatalogueRelease], newSkills: [String]) throws -> String {
        let path = try pathIDs().union(newSkills)
        var lines = releases.map { "\($0.version) (\($0.date)): \($0.summary)" }
        if !newSkills.isEmpty {
            let hours = catalogue.totalHours(newSkills, for: try background)
            lines.append(
                "New on your path, now in your tasks and plan (about \(Int(hours.min))–\(Int(hours.max)) h): "
                    + newSkills.map { catalogue.skill($0)?.title ?? $0 }.joined(separator: "; ") + ".")
        }
        let touched = releases.flatMap(changeViews).filter { $0.change != "added" && path.contains($0.id) }
        for (change, words) in [
            ("prerequisites", "Prerequisites moved"), ("estimate", "New estimates"), ("content", "Facts and resources updated"),
        ] {
            let titles = touched.filter { $0.change == change }.map(\.title)
            if !titles.isEmpty { lines.append("\(words) on your path: \(titles.joined(separator: "; ")).") }
        }
        lines.append("`tutor catalogue changes` lists every change; `tutor forecast` shows the timeline with them.")
        return lines.joined(separator: "\n")
    }

    func changeViews(_ release: CatalogueRelease) -> [CatalogueChangeView] {
        let lists = [
            ("added", release.added), ("prerequisites", release.prerequisitesChanged), ("estimate", release.estimatesChanged),
            ("content", release.contentChanged),
        ]
        return lists.flatMap { change, ids in
            ids.map { id in
                CatalogueChangeView(
                    id: id, title: catalogue.skill(id)?.title ?? catalogue.project(id)?.title ?? id, change: change, onPath: false)
            }
        }
    }

    /// Skills and projects the learner has tasks for or a goal aiming at.
    func pathIDs() throws -> Set<String> {
        var ids = Set(try store.tasks().compactMap { $0.skillId ?? $0.projectId })
        for goal in try store.goals() where goal.status == "active" {
            if let target = goal.target, let id = catalogue.canonicalID(target) { ids.insert(id) }
        }
        return ids
    }

    /// The decomposition target a stored goal names; nil for a goal from an accepted proposal.
    static func target(kind: String, id: String?) -> GoalTarget? {
        guard let id else { return nil }
        switch kind {
        case "skill": return .skill(id)
        case "stage": return StageID(rawValue: id).map(GoalTarget.stage)
        case "project": return .project(id)
        case "track": return .track(id)
        default: return nil
        }
    }
}
