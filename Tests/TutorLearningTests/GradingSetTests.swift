import Foundation
import Testing
import TutorCatalogue
import TutorLearning
import TutorTesting

/// The offline grader against the hand-labelled grading set (`Tests/Fixtures/grading`).
@Suite("Grading set")
struct GradingSetTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/grading")

    /// Grades every case of `part` with the offline grader.
    static func tally(_ part: String) throws -> GradingTally {
        let set = try GradingSet.load(folder.appendingPathComponent("\(part).json"))
        let catalogue = try Catalogue.bundled()
        var tally = GradingTally()
        for item in set.cases {
            let skill = try #require(catalogue.skill(item.skill), "\(item.id): unknown skill \(item.skill)")
            let index = try #require(item.quizIndex, "\(item.id): card \(item.card)")
            let quiz = try #require(skill.quiz.indices.contains(index) ? skill.quiz[index] : nil, "\(item.id): \(item.card)")
            #expect(quiz.question == item.question, "\(item.id): the question is the catalogue's")
            let verdict = AnswerCheck.grade(item.answer, item: quiz, skill: skill).verdict
            tally.add(item.id, label: item.grade, verdict: verdict)
            // GRADING_SHOW=tuning lists the disagreements of that part, to study the grader.
            if verdict != item.grade, ProcessInfo.processInfo.environment["GRADING_SHOW"] == part {
                print(
                    "\(item.id) [\(item.category)] label \(item.grade.rawValue), got \(verdict.rawValue): \(item.question) → \(item.answer)"
                )
            }
        }
        print(tally.report(title: "offline grader, \(part) (\(set.cases.count) cases)"))
        return tally
    }

    @Test("the offline grader agrees with the labels on the tuning part")
    func tuning() async throws {
        // Seconds of computing in a debug build: off the shared pool (see `onOwnThread`).
        let tally = try await onOwnThread { try Self.tally("tuning") }
        #expect(tally.total >= 100)
        #expect(tally.agreement >= 0.9, "\(tally.report(title: "tuning"))")
        #expect(tally.correctGivenToIncorrect == 0, "\(tally.disagreements.filter { $0.label == .incorrect && $0.verdict == .correct })")
    }

    /// The held-out part was not looked at while the grader was tuned: its figures are measured,
    /// not tuned for. They are held to the agreement target and to what they were when the tuning
    /// stopped (3 wrong answers called right), so a change can only make them better.
    @Test("the offline grader agrees with the labels on the held-out part")
    func heldOut() async throws {
        let tally = try await onOwnThread { try Self.tally("held-out") }
        #expect(tally.total >= 45)
        #expect(tally.agreement >= 0.9, "\(tally.report(title: "held-out"))")
        #expect(tally.correctGivenToIncorrect <= 3)
    }

    @Test("the cases the issue reported grade as a teacher would")
    func reported() throws {
        let catalogue = try Catalogue.bundled()
        func grade(_ answer: String, _ skill: String, _ index: Int) throws -> AnswerCheck.Verdict {
            let skill = try #require(catalogue.skill(skill))
            return AnswerCheck.grade(answer, item: skill.quiz[index], skill: skill).verdict
        }
        #expect(try grade("DL is a subset of ML which is a subset of AI", "ai-terminology", 0) == .correct)
        #expect(try grade("purple monkey dishwasher", "ai-ethics-basics", 1) == .incorrect)
        #expect(try grade("the slope", "calculus-intuition", 0) != .correct)
        #expect(try grade("hi", "rag-basics", 0) == .incorrect)
        #expect(try grade("can I get a job as an AI engineer in 3 months?", "rag-basics", 0) == .incorrect)
    }
}
