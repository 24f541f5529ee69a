import Foundation
import Testing
import TutorCatalogue

@Suite("Bundled catalogue")
struct BundledCatalogueTests {
    @Test("the bundled catalogue loads with its skills, stages, projects and tracks")
    func loads() throws {
        let catalogue = try Catalogue.bundled()
        #expect(catalogue.skills.count >= 100)
        #expect(catalogue.stages.map(\.id) == StageID.allCases)
        #expect(catalogue.stages.map(\.order) == [1, 2, 3, 4, 5])
        #expect(catalogue.projects.count >= 15)
        #expect(catalogue.tracks.map(\.id) == ["developer", "data-scientist", "beginner"])
        #expect(catalogue.tracks.map(\.background) == [.programmer, .dataScientist, .beginner])
        for stage in StageID.allCases {
            #expect(!catalogue.skills(in: stage).isEmpty, "stage \(stage.rawValue) has skills")
            #expect(catalogue.skills(in: stage).allSatisfy { $0.stage == stage })
            #expect(catalogue.stage(stage).id == stage)
        }
        #expect(catalogue.skills.map(\.stage) == catalogue.skills.map(\.stage).sorted(), "skills are in stage order")
    }

    @Test("the skill graph is acyclic and every reference resolves")
    func referencesResolve() throws {
        let catalogue = try Catalogue.bundled()
        for skill in catalogue.skills {
            for prereq in skill.prerequisites {
                let resolved = try #require(catalogue.skill(prereq), "\(skill.id) requires \(prereq)")
                #expect(resolved.stage <= skill.stage)
            }
        }
        for project in catalogue.projects {
            for prereq in project.prerequisites { #expect(catalogue.skill(prereq) != nil, "\(project.id) requires \(prereq)") }
        }
        for track in catalogue.tracks {
            for id in track.focus + track.assumedKnown { #expect(catalogue.skill(id) != nil, "\(track.id) lists \(id)") }
        }
        // A full topological order exists and contains every skill exactly once.
        let order = catalogue.topologicalOrder(catalogue.skills.map(\.id))
        #expect(order.count == catalogue.skills.count)
        #expect(Set(order) == Set(catalogue.skills.map(\.id)))
        expectTopological(order, in: catalogue)
    }

    @Test("every seed topic is covered by at least one skill")
    func seedTopics() throws {
        let catalogue = try Catalogue.bundled()
        let topics = Set(catalogue.skills.flatMap(\.topics))
        let seed = """
            maths statistics probability linear-algebra python git command-line apis ml-basics ml-metrics overfitting \
            llm-apis prompt-engineering rag vector-databases embeddings hugging-face application-architecture \
            deep-learning transformers attention docker cloud monitoring logging chunking embedding-optimisation \
            retrieval-tradeoffs lora fine-tuning model-selection licensing evaluation hallucination bias quantization \
            distillation deployment-architecture agents tool-use prompt-injection privacy ethics function-calling mcp \
            context-engineering multimodal llmops guardrails cost-control
            """.split(separator: " ").map(String.init)
        #expect(seed.count == 50)
        for topic in seed {
            #expect(topics.contains(topic), "no skill has topic '\(topic)'")
        }
    }

    @Test("content rules hold: checklists, resources, quizzes and hours")
    func contentRules() throws {
        let catalogue = try Catalogue.bundled()
        for skill in catalogue.skills {
            #expect(skill.checklist.count >= 3 && skill.checklist.allSatisfy { $0.hasPrefix("can ") }, "\(skill.id)")
            #expect(skill.resources.count >= 2 && skill.resources.allSatisfy { $0.url.hasPrefix("https://") }, "\(skill.id)")
            if skill.kind == .concept || skill.kind == .recall { #expect(skill.quiz.count >= 3, "\(skill.id)") }
            #expect(skill.hours.min > 0 && skill.hours.min <= skill.hours.max, "\(skill.id)")
        }
    }

    @Test("beginners get their own hour estimate where the data gives one")
    func beginnerHours() throws {
        let catalogue = try Catalogue.bundled()
        let withBeginner = try #require(catalogue.skills.first { $0.hoursBeginner != nil })
        #expect(withBeginner.hours(for: .beginner) == withBeginner.hoursBeginner)
        #expect(withBeginner.hours(for: .programmer) == withBeginner.hours)
        let without = try #require(catalogue.skills.first { $0.hoursBeginner == nil })
        #expect(without.hours(for: .beginner) == without.hours)
        #expect(HourRange(min: 2, max: 4).mid == 3)

        let ids = [withBeginner.id, without.id, withBeginner.id, "no-such-skill"]
        let total = catalogue.totalHours(ids, for: .programmer)
        #expect(total == withBeginner.hours + without.hours, "each id counts once; unknown ids add nothing")
    }

    @Test("lookups by id, stage and track")
    func lookups() throws {
        let catalogue = try Catalogue.bundled()
        #expect(catalogue.skill("rag-basics")?.title == "Retrieval-augmented generation explained")
        #expect(catalogue.skill("RAG-Basics")?.id == "rag-basics", "lookups ignore case")
        #expect(catalogue.skill("project-faq-chatbot") == nil, "a project is not a skill")
        #expect(catalogue.project("project-faq-chatbot")?.stage == .firstApps)
        #expect(catalogue.project("rag-basics") == nil)
        #expect(catalogue.canonicalID("project-faq-chatbot") == "project-faq-chatbot")
        #expect(catalogue.canonicalID("no-such-thing") == nil)
        #expect(catalogue.track("developer")?.background == .programmer)
        #expect(catalogue.track(for: .beginner)?.id == "beginner")
        #expect(catalogue.stage(.firstApps).title == "First AI applications")
        #expect(catalogue.dependants(of: "rag-basics").map(\.id).contains("rag-pipeline"))
        #expect(StageID.foundations < StageID.firstApps && StageID.professional < StageID.senior)
    }

    @Test("models survive a JSON round trip")
    func codableRoundTrip() throws {
        let catalogue = try Catalogue.bundled()
        let skill = try #require(catalogue.skills.first { $0.hoursBeginner != nil })
        let data = try JSONEncoder().encode(skill)
        #expect(try JSONDecoder().decode(Skill.self, from: data) == skill)
        let project = catalogue.projects[0]
        #expect(try JSONDecoder().decode(Project.self, from: JSONEncoder().encode(project)) == project)
        let track = catalogue.tracks[0]
        #expect(try JSONDecoder().decode(Track.self, from: JSONEncoder().encode(track)) == track)
        let json = String(decoding: try JSONEncoder().encode(StageID.firstApps), as: UTF8.self)
        #expect(json == "\"first-apps\"")
    }

    @Test("the built-in catalogue is the repository's catalogue folder, file for file")
    func builtInMatchesTheFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/TutorCatalogue/Resources/Catalogue")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(Catalogue.bundledFiles.keys.sorted() == names.sorted())
        for name in names {
            #expect(Catalogue.bundledFiles[name] == FileManager.default.contents(atPath: folder.appendingPathComponent(name).path))
        }
        let fromFolder = try Catalogue.load(directory: folder)
        #expect(fromFolder.skills == (try Catalogue.bundled().skills))
    }
}
