import Foundation
import Testing
import TutorCatalogue

@Suite("Prerequisite graph")
struct GraphTests {
    /// All of a skill's transitive prerequisites, found independently of the catalogue's own graph code.
    static func ancestors(of ids: [String], in catalogue: Catalogue) -> Set<String> {
        var seen = Set<String>()
        var stack = ids
        while let id = stack.popLast() {
            let prerequisites = catalogue.skill(id)?.prerequisites ?? catalogue.project(id)?.prerequisites ?? []
            for prereq in prerequisites {
                let canonical = catalogue.canonicalID(prereq)!
                if seen.insert(canonical).inserted { stack.append(canonical) }
            }
        }
        return seen
    }

    @Test("the prerequisite closure lists prerequisites before dependants, ending with the target")
    func closureOrder() throws {
        let catalogue = try Catalogue.bundled()
        let closure = catalogue.prerequisiteClosure(of: ["rag-pipeline"])
        #expect(closure.last == "rag-pipeline")
        #expect(Set(closure) == Self.ancestors(of: ["rag-pipeline"], in: catalogue).union(["rag-pipeline"]))
        #expect(closure.count == Set(closure).count, "no repeats")
        #expect(closure.contains("embeddings-basics") && closure.contains("llm-api-basics"))
        #expect(closure.first == "ai-terminology", "ties go to the earliest stage, then catalogue order")
        expectTopological(closure, in: catalogue)
    }

    @Test("the closure is deterministic and includes or excludes the targets as asked")
    func closureTargets() throws {
        let catalogue = try Catalogue.bundled()
        let targets = ["lora-peft", "rag-pipeline", "docker-basics"]
        let with = catalogue.prerequisiteClosure(of: targets)
        #expect(catalogue.prerequisiteClosure(of: targets) == with)
        #expect(catalogue.prerequisiteClosure(of: targets.reversed()) == with, "the order of the targets does not matter")
        #expect(catalogue.prerequisiteClosure(of: targets + ["no-such-skill", "lora-peft"]) == with, "unknown ids and repeats are ignored")
        for target in targets { #expect(with.contains(target)) }
        expectTopological(with, in: catalogue)

        let without = catalogue.prerequisiteClosure(of: targets, includingTargets: false)
        for target in targets { #expect(!without.contains(target)) }
        #expect(Set(without) == Set(with).subtracting(targets))
        expectTopological(without, in: catalogue)

        #expect(catalogue.prerequisiteClosure(of: ["command-line-basics"]) == ["command-line-basics"])
        #expect(catalogue.prerequisiteClosure(of: ["command-line-basics"], includingTargets: false).isEmpty)
        #expect(catalogue.prerequisiteClosure(of: []).isEmpty)
    }

    @Test("a project's closure is its prerequisite skills, then the project")
    func projectClosure() throws {
        let catalogue = try Catalogue.bundled()
        let closure = catalogue.prerequisiteClosure(of: ["project-faq-chatbot"])
        #expect(closure.last == "project-faq-chatbot")
        #expect(closure.contains("conversation-memory") && closure.contains("python-fundamentals"))
        expectTopological(closure, in: catalogue)
    }

    @Test("topological order respects prerequisites through skills left out of the list")
    func topologicalOrderTransitive() throws {
        let catalogue = try Catalogue.bundled()
        #expect(catalogue.topologicalOrder(["rag-pipeline", "command-line-basics"]) == ["command-line-basics", "rag-pipeline"])
        #expect(
            catalogue.topologicalOrder(["lora-peft", "ai-terminology", "probability-basics"])
                == ["ai-terminology", "probability-basics", "lora-peft"])
        // No constraint between these two: catalogue order decides.
        #expect(catalogue.topologicalOrder(["python-fundamentals", "ai-terminology"]) == ["ai-terminology", "python-fundamentals"])
        #expect(catalogue.topologicalOrder(["nope"]).isEmpty)
    }

    @Test("ties are broken by stage order, then catalogue order")
    func tieBreaking() throws {
        let stages = StageID.allCases.map { Stage(id: $0, title: $0.rawValue, summary: "s", milestone: "m") }
        func skill(_ id: String, _ stage: StageID, _ prerequisites: [String] = []) -> Skill {
            Skill(id: id, title: id, stage: stage, kind: .procedure, prerequisites: prerequisites, hours: .init(min: 1, max: 2))
        }
        let skills = [
            skill("g0", .firstApps), skill("f1", .foundations), skill("f2", .foundations, ["f3"]),
            skill("f3", .foundations), skill("g1", .firstApps, ["f1"]), skill("a", .advanced),
            skill("p", .professional), skill("s", .senior, ["g1"]),
        ]
        let catalogue = try Catalogue(stages: stages, skills: skills, checkingContent: false)
        #expect(catalogue.skills.map(\.id) == ["f1", "f2", "f3", "g0", "g1", "a", "p", "s"], "stage order, then the order given")
        #expect(catalogue.topologicalOrder(catalogue.skills.map(\.id)) == ["f1", "f3", "f2", "g0", "g1", "a", "p", "s"])
        #expect(catalogue.prerequisiteClosure(of: ["s", "f2"]) == ["f1", "f3", "f2", "g1", "s"])
        #expect(catalogue.prerequisiteClosure(of: ["s", "f2"], includingTargets: false) == ["f1", "f3", "g1"])
    }

    @Test("aliases keep a renamed skill reachable by its old id")
    func aliasesResolve() throws {
        let folder = try TemporaryCatalogue()
        // Rename rag-basics; every reference in the data still uses the old id.
        try folder.editSkill("rag-basics", in: .firstApps) { skill in
            skill["id"] = "rag-explained"
            skill["aliases"] = ["rag-basics", "retrieval-augmented-generation"]
        }
        let catalogue = try folder.load()
        #expect(catalogue.skill("rag-basics")?.id == "rag-explained")
        #expect(catalogue.skill("retrieval-augmented-generation")?.id == "rag-explained")
        #expect(catalogue.canonicalID("rag-basics") == "rag-explained")
        #expect(catalogue.canonicalID("RAG-Basics") == "rag-explained")
        #expect(catalogue.canonicalID("rag-explained") == "rag-explained")

        let closure = catalogue.prerequisiteClosure(of: ["rag-pipeline"])
        #expect(closure.contains("rag-explained") && !closure.contains("rag-basics"))
        expectTopological(closure, in: catalogue)
        #expect(catalogue.prerequisiteClosure(of: ["rag-basics"]).last == "rag-explained")
        #expect(catalogue.topologicalOrder(["rag-pipeline", "rag-basics", "rag-explained"]) == ["rag-explained", "rag-pipeline"])
        #expect(catalogue.search("rag-basics").first?.id == "rag-explained", "an exact alias ranks first")

        // The developer track lists the old id in its focus and still orders correctly.
        let developer = try #require(catalogue.track("developer"))
        let order = catalogue.order(catalogue.skills.map(\.id), for: developer)
        #expect(order.contains("rag-explained"))
        expectTopological(order, in: catalogue)
    }

    @Test(
        "each track's order pulls its focus skills forward while respecting prerequisites",
        arguments: ["developer", "data-scientist", "beginner"])
    func trackOrder(trackID: String) throws {
        let catalogue = try Catalogue.bundled()
        let track = try #require(catalogue.track(trackID))
        let known = Set(track.assumedKnown)
        let ids = catalogue.skills.map(\.id).filter { !known.contains($0) }
        let order = catalogue.order(ids, for: track)
        #expect(order.count == ids.count && Set(order) == Set(ids))
        expectTopological(order, in: catalogue)
        #expect(catalogue.order(ids.reversed(), for: track) == order, "deterministic")

        for (index, focus) in track.focus.enumerated() {
            let position = try #require(order.firstIndex(of: focus), "\(focus)")
            // Nothing comes before a focus skill unless it serves that or an earlier focus skill…
            let served = Self.ancestors(of: Array(track.focus[...index]), in: catalogue).union(track.focus[...index])
            for id in order[..<position] {
                #expect(served.contains(id), "\(id) comes before focus skill \(focus) without serving it")
            }
            // …and, unless an earlier focus skill needed it even sooner, it comes right after them.
            let neededEarlier = Self.ancestors(of: Array(track.focus[..<index]), in: catalogue).contains(focus)
            if !neededEarlier {
                #expect(position == served.intersection(ids).count - 1, "\(focus) is as early as its prerequisites allow")
            }
        }
        // Focus skills as a whole come earlier than in the plain stage-and-catalogue order.
        let plain = catalogue.topologicalOrder(ids)
        let focusPositions = track.focus.map { order.firstIndex(of: $0)! }.reduce(0, +)
        let plainPositions = track.focus.map { plain.firstIndex(of: $0)! }.reduce(0, +)
        #expect(focusPositions <= plainPositions)
        // The first focus skill comes right after its own (not assumed) prerequisites.
        let first = try #require(track.focus.first)
        let firstNeeds = Self.ancestors(of: [first], in: catalogue).subtracting(known)
        #expect(order.firstIndex(of: first) == firstNeeds.count)
    }
}
