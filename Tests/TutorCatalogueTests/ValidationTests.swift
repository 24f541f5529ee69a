import Foundation
import Testing
import TutorCatalogue

@Suite("Catalogue validation")
struct ValidationTests {
    @Test("an untouched copy of the bundled catalogue loads from a folder")
    func copyLoads() throws {
        let folder = try TemporaryCatalogue()
        let catalogue = try folder.load()
        #expect(catalogue.skills == (try Catalogue.bundled().skills))
    }

    @Test("a broken catalogue reports every structural problem, each naming its file and id")
    func structuralProblems() throws {
        let folder = try TemporaryCatalogue()
        // Missing prerequisite (a typo).
        try folder.editSkill("lora-peft", in: .advanced) { skill in
            skill["prerequisites"] = ["fine-tuning-concepts", "fine-tuning-data", "pytorch-basic", "transformers-pipelines"]
        }
        // Cycle: ai-engineer-role already requires ai-terminology.
        try folder.editSkill("ai-terminology", in: .foundations) { $0["prerequisites"] = ["ai-engineer-role"] }
        // Duplicate ids: a second git-basics skill, and a project named like a skill.
        try folder.edit("skills-foundations.json") { object in
            var skills = try #require(object["skills"] as? [[String: Any]])
            skills.append(try #require(skills.first { $0["id"] as? String == "git-basics" }))
            object["skills"] = skills
        }
        try folder.edit("projects.json", "projects", id: "project-faq-chatbot") { $0["id"] = "rag-basics" }
        // A foundations skill that requires a first-apps skill.
        try folder.editSkill("calculus-intuition", in: .foundations) { $0["prerequisites"] = ["rag-basics"] }
        // A plain-http URL.
        try folder.editSkill("git-basics", in: .foundations) { skill in
            var resources = try #require(skill["resources"] as? [[String: Any]])
            resources[0]["url"] = "http://git-scm.com/book"
            skill["resources"] = resources
        }
        // A track focus that names nothing.
        try folder.edit("tracks.json", "tracks", id: "developer") { track in
            track["focus"] = (track["focus"] as? [String] ?? []) + ["vector-databse-practice"]
        }

        let error = try folder.loadError()
        let text = error.description
        #expect(
            text.contains(
                "skills-advanced.json: skill 'lora-peft' requires unknown skill 'pytorch-basic' (did you mean 'pytorch-basics'?)"))
        #expect(
            text.contains(
                "skills-foundations.json: skill 'ai-terminology' is in a prerequisite cycle: ai-terminology → ai-engineer-role → ai-terminology"
            ))
        #expect(
            text.contains("skills-foundations.json: skill id 'git-basics' is already used by skill 'git-basics' in skills-foundations.json")
        )
        #expect(text.contains("projects.json: project id 'rag-basics' is already used by skill 'rag-basics' in skills-first-apps.json"))
        #expect(
            text.contains(
                "skills-foundations.json: skill 'calculus-intuition' (stage 'foundations') requires 'rag-basics' from the later stage 'first-apps'"
            ))
        #expect(text.contains("skills-foundations.json: skill 'git-basics' resource 1 has URL 'http://git-scm.com/book'"))
        #expect(
            text.contains(
                "tracks.json: track 'developer' lists unknown skill 'vector-databse-practice' (did you mean 'vector-database-practice'?) in focus"
            ))

        // Every problem carries its file and id, and nothing else was reported.
        let expected: Set<[String]> = [
            ["skills-advanced.json", "lora-peft"], ["skills-foundations.json", "ai-terminology"],
            ["skills-foundations.json", "git-basics"], ["projects.json", "rag-basics"],
            ["skills-foundations.json", "calculus-intuition"], ["tracks.json", "developer"],
        ]
        #expect(Set(error.problems.map { [$0.file, $0.id ?? "-"] }) == expected, "\(text)")
        #expect(error.problems.count == 7, "\(text)")
    }

    @Test("content problems are reported too: checklists, resources, quizzes, hours and kinds")
    func contentProblems() throws {
        let folder = try TemporaryCatalogue()
        try folder.editSkill("probability-basics", in: .foundations) { skill in
            skill["checklist"] = ["can compute a probability", "Knows Bayes"]
            skill["quiz"] = [["question": "What is P(A)?", "answer": "", "why": "Because."]]
            skill["hours"] = ["min": 0, "max": 4]
        }
        try folder.editSkill("sql-basics", in: .foundations) { skill in
            var resources = try #require(skill["resources"] as? [[String: Any]])
            resources = [resources[0]]
            skill["resources"] = resources
            skill["hoursBeginner"] = ["min": 9, "max": 3]
        }
        try folder.editSkill("docker-basics", in: .advanced) { $0["kind"] = "tutorial" }
        try folder.editSkill("git-basics", in: .foundations) { $0["stage"] = "advanced" }
        try folder.edit("stages.json") { object in
            let stages = try #require(object["stages"] as? [[String: Any]])
            object["stages"] = stages.filter { $0["id"] as? String != "senior" }
        }

        let error = try folder.loadError()
        let text = error.description
        let expectations = [
            "skills-foundations.json: skill 'probability-basics' has 2 checklist items; need at least 3",
            "skills-foundations.json: skill 'probability-basics' checklist item 2 must start with \"can \"",
            "skills-foundations.json: skill 'probability-basics' is a concept skill with 1 quiz item; need at least 3",
            "skills-foundations.json: skill 'probability-basics' quiz item 1 has an empty answer",
            "skills-foundations.json: skill 'probability-basics' has hours 0–4; need 0 < min <= max",
            "skills-foundations.json: skill 'sql-basics' has 1 resource; need at least 2",
            "skills-foundations.json: skill 'sql-basics' has hoursBeginner 9–3; need 0 < min <= max",
            "skills-advanced.json: skill 'docker-basics' cannot be read: field 'kind': unknown kind 'tutorial'",
            "skills-foundations.json: skill 'git-basics' has stage 'advanced' but the file's stage is 'foundations'",
            "stages.json: stage 'senior' is missing",
        ]
        for expectation in expectations {
            #expect(text.contains(expectation), "missing: \(expectation)\n\(text)")
        }
        // A skill that failed to decode is not reported again as an unknown prerequisite of its dependants.
        #expect(!text.contains("unknown skill 'docker-basics'"), "\(text)")
    }

    @Test("alias clashes, missing files and invalid JSON are reported")
    func fileProblems() throws {
        let folder = try TemporaryCatalogue()
        try folder.editSkill("rag-basics", in: .firstApps) { $0["aliases"] = ["rag-pipeline", "Bad Alias"] }
        try FileManager.default.removeItem(at: folder.directory.appendingPathComponent("tracks.json"))
        try Data("{ \"projects\": [".utf8).write(to: folder.directory.appendingPathComponent("projects.json"))

        let error = try folder.loadError()
        let text = error.description
        #expect(
            text.contains(
                "skills-first-apps.json: skill 'rag-basics' has alias 'rag-pipeline', which clashes with skill 'rag-pipeline' in skills-first-apps.json"
            ))
        #expect(text.contains("skills-first-apps.json: skill 'rag-basics' has alias 'Bad Alias', which must be lower-case"))
        #expect(text.contains("tracks.json: the file is missing"))
        #expect(text.contains("projects.json: cannot be read: not valid JSON"))
    }

    @Test("the changelog and hands-on items are checked: versions, dates, order, ids, and items in the checklist")
    func changelogAndHandsOn() throws {
        let folder = try TemporaryCatalogue()
        try folder.edit("changelog.json") { object in
            var releases = try #require(object["releases"] as? [[String: Any]])
            releases[0]["added"] = ["reasoning-models", "no-such-skill"]
            releases[0]["date"] = "7 Dec 2026"
            releases.append(["version": "2026.11", "date": "2027-01-01", "summary": "again"])
            object["releases"] = releases
        }
        try folder.editSkill("mcp-basics", in: .advanced) { $0["handsOn"] = ["can build an MCP server"] }
        let text = try folder.loadError().description
        #expect(text.contains("changelog.json: release '2026.12' names 'no-such-skill', which is no skill or project"), "\(text)")
        #expect(text.contains("release '2026.12' has date '7 Dec 2026': write YYYY-MM-DD"))
        #expect(text.contains("version '2026.11' is listed more than once"))
        #expect(text.contains("releases must be listed newest first"))
        #expect(text.contains("skill 'mcp-basics' lists hands-on item \"can build an MCP server\", which is not in its checklist"))
    }

    @Test("a catalogue folder without a changelog loads, unversioned")
    func withoutChangelog() throws {
        let folder = try TemporaryCatalogue()
        try FileManager.default.removeItem(at: folder.directory.appendingPathComponent("changelog.json"))
        let catalogue = try folder.load()
        #expect(catalogue.version == Catalogue.unversioned && catalogue.releases.isEmpty)
        #expect(catalogue.releases(after: nil).isEmpty)
        let bundled = try Catalogue.bundled()
        #expect(bundled.version == "2026.12")
        #expect(bundled.releases(after: "2026.11").map(\.version) == ["2026.12"])
        #expect(bundled.releases(after: nil).map(\.version) == ["2026.12"], "before versions counts as the oldest")
        #expect(bundled.releases(after: "2026.12").isEmpty)
    }

    @Test("a missing folder is a catalogue error, not a crash")
    func missingFolder() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-catalogue-\(UUID().uuidString)")
        #expect(throws: CatalogueError.self) { try Catalogue.load(directory: url) }
    }

    @Test("a catalogue built from values is validated the same way")
    func valuesValidated() throws {
        let stages = StageID.allCases.map { Stage(id: $0, title: $0.rawValue, summary: "s", milestone: "m") }
        let skills = StageID.allCases.map {
            Skill(id: "s-\($0.rawValue)", title: "S", stage: $0, kind: .procedure, hours: .init(min: 1, max: 2))
        }
        // Structure only: small hand-made catalogues need no checklists or resources.
        let catalogue = try Catalogue(stages: stages, skills: skills, checkingContent: false)
        #expect(catalogue.skills.count == 5)
        // Full checks flag the missing content.
        #expect(throws: CatalogueError.self) { try Catalogue(stages: stages, skills: skills) }
        // Structure is always checked.
        let broken =
            skills + [Skill(id: "x", title: "X", stage: .senior, kind: .design, prerequisites: ["y"], hours: .init(min: 1, max: 1))]
        let error = try #require(throws: CatalogueError.self) {
            try Catalogue(stages: stages, skills: broken, checkingContent: false)
        }
        #expect(error.problems == [.init(file: "skills-senior.json", id: "x", message: "skill 'x' requires unknown skill 'y'")])
    }
}
