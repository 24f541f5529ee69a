import Foundation
import Testing
import TutorCatalogue

/// The coverage table in `Docs/learning.md` against the catalogue: every roadmap.sh topic keeps a
/// skill that teaches it, and the figure the table states is the one its rows give.
@Suite("Coverage of roadmap.sh's AI Engineer roadmap")
struct CoverageTests {
    /// One row of the table.
    struct Row {
        var topic: String
        var skills: [String]
        var evidence: String
        var explicit: Bool
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The table's rows and the line that states the explicit share.
    static func table() throws -> (rows: [Row], summary: String) {
        let text = try String(contentsOf: root.appendingPathComponent("Docs/learning.md"), encoding: .utf8)
        let section = try #require(text.range(of: "## Coverage of roadmap.sh's AI Engineer roadmap"))
        var rows: [Row] = []
        var summary = ""
        for line in text[section.upperBound...].split(separator: "\n") {
            if line.hasPrefix("**Explicit:") { summary = String(line) }
            guard line.hasPrefix("| "), !line.hasPrefix("| roadmap.sh topic") else { continue }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 4 else { continue }
            let skills = cells[1].split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " `")) }
            rows.append(Row(topic: cells[0], skills: skills, evidence: cells[2], explicit: cells[3] == "explicit"))
        }
        return (rows, summary)
    }

    /// Everything a skill says about itself, lower-cased: where a topic's evidence must appear.
    static func text(of skill: Skill) -> String {
        ([skill.id, skill.title, skill.description] + skill.topics + skill.aliases + skill.checklist
            + skill.resources.map(\.title) + skill.quiz.flatMap { [$0.question, $0.answer] })
            .joined(separator: " ").lowercased()
    }

    @Test("every roadmap.sh topic has one row, naming skills the catalogue has")
    func everyTopicMapped() throws {
        let topics = try String(
            contentsOf: Self.root.appendingPathComponent("Tests/Fixtures/catalogue/roadmap-sh-ai-engineer-topics.txt"),
            encoding: .utf8
        ).split(whereSeparator: \.isNewline).map(String.init)
        #expect(topics.count == 189)
        let rows = try Self.table().rows
        #expect(Set(rows.map(\.topic)) == Set(topics), "topics without a row or rows without a topic")
        #expect(rows.count == topics.count, "each topic has exactly one row")
        let catalogue = try Catalogue.bundled()
        for row in rows {
            #expect(!row.skills.isEmpty, "\(row.topic) names no skill")
            for id in row.skills { #expect(catalogue.skill(id) != nil, "\(row.topic): no skill '\(id)'") }
        }
    }

    @Test("an explicit topic's words are in the skill that teaches it")
    func evidenceStaysInItsSkill() throws {
        let catalogue = try Catalogue.bundled()
        for row in try Self.table().rows where row.explicit {
            let texts = row.skills.compactMap { catalogue.skill($0) }.map(Self.text(of:))
            #expect(
                texts.contains { $0.contains(row.evidence.lowercased()) },
                "\(row.topic): '\(row.evidence)' is no longer in \(row.skills.joined(separator: ", "))")
        }
    }

    @Test("at least 90 % of the topics are taught explicitly, and the table says how many")
    func explicitShare() throws {
        let (rows, summary) = try Self.table()
        let explicit = rows.filter(\.explicit).count
        let share = Double(explicit) / Double(rows.count) * 100
        #expect(share >= 90, "\(explicit) of \(rows.count)")
        #expect(summary.contains("\(explicit) of \(rows.count) topics"), "the stated figure: \(summary)")
        #expect(summary.contains(String(format: "%.1f %%", share)), "the stated share: \(summary)")
    }
}
