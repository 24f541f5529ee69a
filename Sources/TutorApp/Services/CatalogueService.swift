import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

/// The roadmap catalogue as the learner sees it: search, and one entry in full.
public struct CatalogueService: AppService {
    public let context: AppContext

    public init(context: AppContext) { self.context = context }

    // MARK: Catalogue

    /// Catalogue entries matching free text.
    public func searchCatalogue(_ params: CatalogueSearchParams) throws -> CatalogueSearchResult {
        let limit = params.limit ?? 10
        guard (1...100).contains(limit) else { throw Self.badInput("limit must be from 1 to 100, not \(limit)") }
        guard !params.query.trimmingCharacters(in: .whitespaces).isEmpty else { throw Self.badInput("the search query is empty") }
        return CatalogueSearchResult(
            hits: catalogue.search(params.query, limit: limit).map { hit in
                let stage: String? =
                    switch hit.kind {
                    case .skill: catalogue.skill(hit.id)?.stage.rawValue
                    case .project: catalogue.project(hit.id)?.stage.rawValue
                    case .stage: hit.id
                    case .track: nil
                    }
                return CatalogueHitView(kind: hit.kind.rawValue, id: hit.id, title: hit.title, stage: stage, score: hit.score)
            })
    }

    /// One catalogue entry in full: a skill (by id or alias), project, stage or track.
    public func showCatalogueEntry(_ params: CatalogueShowParams) throws -> CatalogueEntryView {
        let background = try self.background
        if let skill = catalogue.skill(params.id) {
            let hours = skill.hours(for: background)
            return CatalogueEntryView(
                kind: "skill", id: skill.id, title: skill.title, stage: skill.stage.rawValue, skillKind: skill.kind.rawValue,
                description: skill.description, prerequisites: skill.prerequisites,
                dependants: catalogue.dependants(of: skill.id).map(\.id),
                hoursMin: hours.min, hoursMax: hours.max, checklist: skill.checklist, resources: skill.resources.map(view),
                quizItems: skill.quiz.count, skills: [])
        }
        if let project = catalogue.project(params.id) {
            return CatalogueEntryView(
                kind: "project", id: project.id, title: project.title, stage: project.stage.rawValue, skillKind: nil,
                description: project.description, prerequisites: project.prerequisites, dependants: [], hoursMin: project.hours.min,
                hoursMax: project.hours.max, checklist: project.checklist, resources: [], quizItems: 0, skills: [])
        }
        if let stageID = StageID(rawValue: params.id.lowercased()) {
            let stage = catalogue.stage(stageID)
            let total = catalogue.totalHours(catalogue.skills(in: stageID).map(\.id), for: background)
            return CatalogueEntryView(
                kind: "stage", id: stageID.rawValue, title: stage.title, stage: stageID.rawValue, skillKind: nil,
                description: stage.summary + " " + stage.milestone, prerequisites: [], dependants: [], hoursMin: total.min,
                hoursMax: total.max, checklist: [], resources: [], quizItems: 0, skills: catalogue.skills(in: stageID).map(\.id))
        }
        if let track = catalogue.track(params.id) {
            return CatalogueEntryView(
                kind: "track", id: track.id, title: track.title, stage: nil, skillKind: nil, description: track.description,
                prerequisites: [], dependants: [], hoursMin: nil, hoursMax: nil, checklist: [], resources: [], quizItems: 0,
                skills: track.focus)
        }
        let suggestion = catalogue.search(params.id, limit: 1).first.map { " Did you mean '\($0.id)'?" } ?? ""
        throw Self.notFound("nothing in the catalogue has the id '\(params.id)'.\(suggestion) `tutor catalogue search WORDS` finds ids")
    }

    func view(_ resource: Resource) -> ResourceView {
        ResourceView(title: resource.title, url: resource.url, type: resource.type.rawValue, cost: resource.cost.rawValue)
    }
}
