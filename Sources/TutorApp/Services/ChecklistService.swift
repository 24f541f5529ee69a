import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

/// Hands-on checklist items and their evidence: what a quiz cannot show (a server deployed, an
/// agent built) counts toward mastery once the learner records a link, a file or a command's output.
public struct ChecklistService: AppService {
    public let context: AppContext

    public init(context: AppContext) { self.context = context }

    /// The longest evidence kept, in characters: enough for a command's output worth showing.
    public static let maximumEvidence = 4_000

    /// A skill's checklist with its evidence and mastery.
    public func checklist(_ params: ChecklistShowParams) throws -> ChecklistView {
        try view(of: try skill(params.skill))
    }

    /// Records, replaces or clears one hands-on item's evidence, then re-evaluates mastery.
    public func mark(_ params: ChecklistMarkParams) throws -> ChecklistView {
        let skill = try skill(params.skill)
        guard skill.checklist.indices.contains(params.item - 1) else {
            throw Self.badInput(
                "\(skill.id) has \(skill.checklist.count) checklist items; item \(params.item) does not exist (`tutor checklist \(skill.id)` lists them)"
            )
        }
        let item = skill.checklist[params.item - 1]
        guard skill.handsOn.contains(item) else {
            let handsOn = skill.checklist.indices.filter { skill.handsOn.contains(skill.checklist[$0]) }.map { String($0 + 1) }
            let which = handsOn.isEmpty ? "it has no hands-on items" : "its hands-on items are \(handsOn.joined(separator: ", "))"
            throw Self.badInput(
                "item \(params.item) of \(skill.id) is shown by quiz answers, not by evidence; \(which)")
        }
        if params.clear == true {
            _ = try store.removeChecklistEvidence(skillId: skill.id, item: item)
        } else {
            let (kind, evidence) = try Self.evidence(params.evidence, kind: params.kind)
            _ = try store.saveChecklistEvidence(
                ChecklistEvidenceRecord(skillId: skill.id, item: item, kind: kind, evidence: evidence, createdAt: now()))
        }
        try reviewService.updateMastery(skill.id)
        return try view(of: skill)
    }

    /// Checks evidence and tells its kind: an http(s) link, an absolute path, a command's output
    /// (several lines) or a note.
    static func evidence(_ text: String?, kind: String?) throws -> (kind: String, evidence: String) {
        let evidence = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !evidence.isEmpty else {
            throw badInput(
                "evidence is empty: give a link, a file path or a command's output (`--evidence TEXT`, or `-` to read it from standard input)"
            )
        }
        guard evidence.count <= maximumEvidence else {
            throw badInput(
                "evidence is \(evidence.count) characters; at most \(maximumEvidence) are kept: keep the part that shows the result, or save it to a file and give its path"
            )
        }
        let kinds = ["link", "file", "output", "note"]
        if let kind {
            guard kinds.contains(kind) else {
                throw badInput("evidence kind '\(kind)' is unknown; use one of \(kinds.joined(separator: ", "))")
            }
            return (kind, evidence)
        }
        let lower = evidence.lowercased()
        if !evidence.contains(where: \.isWhitespace), lower.hasPrefix("https://") || lower.hasPrefix("http://") {
            return ("link", evidence)
        }
        if evidence.hasPrefix("/"), !evidence.contains("\n") { return ("file", evidence) }
        return (evidence.contains("\n") ? "output" : "note", evidence)
    }

    func skill(_ idOrAlias: String) throws -> Skill {
        guard let skill = catalogue.skill(idOrAlias) else {
            throw Self.notFound("no skill has the id '\(idOrAlias)'; `tutor catalogue search WORDS` finds ids")
        }
        return skill
    }

    func view(of skill: Skill) throws -> ChecklistView {
        let evidence = Dictionary(try store.checklistEvidence(skillId: skill.id).map { ($0.item, $0) }) { _, last in last }
        let items = skill.checklist.enumerated().map { index, text in
            let record = evidence[text]
            return ChecklistItemView(
                number: index + 1, text: text, handsOn: skill.handsOn.contains(text), evidence: record?.evidence,
                evidenceKind: record?.kind, recordedAt: record?.createdAt)
        }
        let decision = try reviewService.mastery(of: skill)
        return ChecklistView(
            skillId: skill.id, title: skill.title, items: items, handsOnDone: items.filter { $0.handsOn && $0.evidence != nil }.count,
            handsOnTotal: skill.handsOn.count, status: decision.status.rawValue, mastery: decision.mastery, reason: decision.reason)
    }
}
