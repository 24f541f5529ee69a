import Foundation
import TutorCatalogue

/// The evidence about one skill that the mastery policy weighs.
public struct SkillEvidence: Sendable, Equatable {
    /// Graded quiz reviews of this skill's items: rating and when.
    public var reviews: [(rating: Rating, date: Date)]
    /// This skill's tasks: kind, whether done, and the evidence recorded (a path, URL or note).
    public var tasks: [(kind: TaskKind, done: Bool, evidence: String?)]
    /// How many checklist outcomes the learner has confirmed.
    public var checklistConfirmed: Int
    /// The skill's hands-on checklist items the learner has recorded evidence for.
    public var handsOnEvidenced: Set<String>

    public init(
        reviews: [(rating: Rating, date: Date)] = [], tasks: [(kind: TaskKind, done: Bool, evidence: String?)] = [],
        checklistConfirmed: Int = 0, handsOnEvidenced: Set<String> = []
    ) {
        self.reviews = reviews
        self.tasks = tasks
        self.checklistConfirmed = checklistConfirmed
        self.handsOnEvidenced = handsOnEvidenced
    }

    public static func == (lhs: SkillEvidence, rhs: SkillEvidence) -> Bool {
        lhs.reviews.map(\.rating) == rhs.reviews.map(\.rating) && lhs.reviews.map(\.date) == rhs.reviews.map(\.date)
            && lhs.tasks.map(\.kind) == rhs.tasks.map(\.kind) && lhs.tasks.map(\.done) == rhs.tasks.map(\.done)
            && lhs.tasks.map(\.evidence) == rhs.tasks.map(\.evidence) && lhs.checklistConfirmed == rhs.checklistConfirmed
            && lhs.handsOnEvidenced == rhs.handsOnEvidenced
    }
}

/// What the policy concluded, and why in words the learner can act on.
public struct MasteryDecision: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case notStarted = "not-started"
        case learning, mastered
    }
    public var status: Status
    /// 0 to 1.
    public var mastery: Double
    public var reason: String
}

/// Decides when a skill counts as mastered, by kind, from evidence alone (never from the model's say-so).
///
/// - concept and recall: at least three graded reviews in the last 60 days, at least 80% of them
///   Good or Easy, and the latest not Again.
/// - procedure: its practice and check tasks done; when its quiz has been reviewed three times or
///   more, the same 80% accuracy.
/// - project and design: the project (or check) task done with evidence (a path or URL), and every
///   checklist outcome confirmed.
/// - any kind with hands-on checklist items (``Skill/handsOn``): also evidence recorded for each of
///   them; until then the skill stays in learning, however good the quiz answers.
public enum MasteryPolicy {
    public static let requiredAccuracy = 0.8
    public static let minimumReviews = 3
    public static let reviewWindow: TimeInterval = 60 * 86_400

    public static func evaluate(_ skill: Skill, evidence: SkillEvidence, now: Date) -> MasteryDecision {
        var decision = evaluateByKind(skill, evidence: evidence, now: now)
        let missing = skill.handsOn.filter { !evidence.handsOnEvidenced.contains($0) }
        if decision.status == .mastered, !missing.isEmpty {
            let done = skill.handsOn.count - missing.count
            decision = MasteryDecision(
                status: .learning, mastery: min(decision.mastery, 0.8),
                reason:
                    "\(decision.reason); hands-on work still needs evidence (\(done) of \(skill.handsOn.count) recorded): \(missing.map { "\"\($0)\"" }.joined(separator: ", ")), with `tutor checklist \(skill.id)`"
            )
        } else if decision.status == .mastered, !skill.handsOn.isEmpty {
            decision.reason += ", and the hands-on work has evidence"
        }
        return decision
    }

    /// The decision from the kind's own evidence: quiz answers, tasks, project checklists.
    static func evaluateByKind(_ skill: Skill, evidence: SkillEvidence, now: Date) -> MasteryDecision {
        let recent = evidence.reviews.filter { now.timeIntervalSince($0.date) <= reviewWindow }.sorted { $0.date < $1.date }
        let accuracy = recent.isEmpty ? 0 : Double(recent.filter { $0.rating == .good || $0.rating == .easy }.count) / Double(recent.count)
        let started = !evidence.tasks.filter(\.done).isEmpty || !evidence.reviews.isEmpty
        func done(_ kind: TaskKind) -> Bool { evidence.tasks.contains { $0.kind == kind && $0.done } }

        switch skill.kind {
        case .concept, .recall:
            guard recent.count >= minimumReviews else {
                return MasteryDecision(
                    status: started ? .learning : .notStarted, mastery: min(0.5, accuracy * Double(recent.count) / Double(minimumReviews)),
                    reason: "answer at least \(minimumReviews) quiz questions on it (\(recent.count) so far in the last 60 days)")
            }
            if accuracy >= requiredAccuracy, recent.last?.rating != .again {
                return MasteryDecision(
                    status: .mastered, mastery: accuracy, reason: "\(percent(accuracy)) of recent quiz answers were right")
            }
            return MasteryDecision(
                status: .learning, mastery: accuracy,
                reason:
                    "recent quiz accuracy is \(percent(accuracy)); \(percent(requiredAccuracy)) with the latest answer right marks it mastered"
            )
        case .procedure:
            guard done(.practice), done(.check) else {
                return MasteryDecision(
                    status: started ? .learning : .notStarted, mastery: done(.practice) ? 0.6 : (done(.learn) ? 0.3 : 0),
                    reason: "finish its practice and check tasks")
            }
            if recent.count >= minimumReviews, accuracy < requiredAccuracy {
                return MasteryDecision(
                    status: .learning, mastery: accuracy, reason: "tasks are done, but recent quiz accuracy is \(percent(accuracy))")
            }
            return MasteryDecision(status: .mastered, mastery: 1, reason: "practice and check done")
        case .project, .design:
            let finishing = evidence.tasks.filter { ($0.kind == .project || $0.kind == .check) && $0.done }
            guard !finishing.isEmpty else {
                return MasteryDecision(
                    status: started ? .learning : .notStarted, mastery: started ? 0.3 : 0, reason: "finish the work and record where it is")
            }
            guard finishing.contains(where: { !($0.evidence ?? "").trimmingCharacters(in: .whitespaces).isEmpty }) else {
                return MasteryDecision(status: .learning, mastery: 0.6, reason: "add evidence: a path or URL to what you built")
            }
            guard evidence.checklistConfirmed >= skill.checklist.count else {
                return MasteryDecision(
                    status: .learning, mastery: 0.8,
                    reason: "confirm the checklist (\(evidence.checklistConfirmed) of \(skill.checklist.count) outcomes so far)")
            }
            return MasteryDecision(status: .mastered, mastery: 1, reason: "built, evidenced and every checklist outcome confirmed")
        }
    }

    static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}
