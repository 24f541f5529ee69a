import Foundation

/// One labelled case of the grading set (`Tests/Fixtures/grading`): a learner's answer to a
/// catalogue question and the grade a fair teacher gives it.
public struct GradingCase: Codable, Sendable, Equatable {
    public var id: String
    /// `skill#index` of the skill's quiz.
    public var card: String
    public var skill: String
    public var stage: String
    public var question: String
    public var answer: String
    public var grade: AnswerCheck.Verdict
    public var category: String

    /// The quiz index of `card`.
    public var quizIndex: Int? { card.split(separator: "#").last.flatMap { Int($0) } }
}

/// A part of the grading set as stored: `tuning` or `held-out`.
public struct GradingSet: Codable, Sendable, Equatable {
    public var part: String
    public var cases: [GradingCase]

    public static func load(_ url: URL) throws -> GradingSet {
        try JSONDecoder().decode(GradingSet.self, from: Data(contentsOf: url))
    }
}

/// How a grader's verdicts compare with the labels: exact agreement and the confusion matrix
/// (rows: the label, columns: the grader's verdict).
public struct GradingTally: Sendable, Equatable {
    public private(set) var counts: [AnswerCheck.Verdict: [AnswerCheck.Verdict: Int]] = [:]
    /// The cases graded differently from their label: id, label, verdict.
    public private(set) var disagreements: [(id: String, label: AnswerCheck.Verdict, verdict: AnswerCheck.Verdict)] = []

    public init() {}

    public mutating func add(_ id: String, label: AnswerCheck.Verdict, verdict: AnswerCheck.Verdict) {
        counts[label, default: [:]][verdict, default: 0] += 1
        if label != verdict { disagreements.append((id, label, verdict)) }
    }

    public func count(label: AnswerCheck.Verdict, verdict: AnswerCheck.Verdict) -> Int { counts[label]?[verdict] ?? 0 }
    public var total: Int { counts.values.flatMap(\.values).reduce(0, +) }
    public var agreed: Int { AnswerCheck.Verdict.allCases.map { count(label: $0, verdict: $0) }.reduce(0, +) }
    /// Exact agreement, 0…1.
    public var agreement: Double { total == 0 ? 0 : Double(agreed) / Double(total) }
    /// Answers a teacher calls wrong that the grader calls right: the error that matters most.
    public var correctGivenToIncorrect: Int { count(label: .incorrect, verdict: .correct) }

    /// A plain-text report: agreement and the confusion matrix.
    public func report(title: String) -> String {
        let verdicts = AnswerCheck.Verdict.allCases
        func cell(_ text: String) -> String { text.padding(toLength: 12, withPad: " ", startingAt: 0) }
        var lines = [
            "\(title): \(agreed)/\(total) agree (\(String(format: "%.1f", agreement * 100)) %), correct given to incorrect: \(correctGivenToIncorrect)",
            cell("label \\ got") + verdicts.map { cell($0.rawValue) }.joined(),
        ]
        for label in verdicts {
            lines.append(cell(label.rawValue) + verdicts.map { cell("\(count(label: label, verdict: $0))") }.joined())
        }
        return lines.joined(separator: "\n")
    }

    public static func == (lhs: GradingTally, rhs: GradingTally) -> Bool { lhs.counts == rhs.counts }
}
