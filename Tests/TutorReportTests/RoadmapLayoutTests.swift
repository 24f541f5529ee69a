import Testing
import TutorCatalogue
import TutorReport
import TutorWire

/// The real catalogue as the layout's input: stage indices, prerequisite indices, a topological order.
func catalogueGraph() throws -> (stages: [Int], prerequisites: [[Int]], order: [Int], ids: [String]) {
    let catalogue = try Catalogue.bundled()
    let ids = catalogue.topologicalOrder(catalogue.skills.map(\.id))
    let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
    let skills = ids.compactMap { catalogue.skill($0) }
    return (
        skills.map { $0.stage.order - 1 },
        skills.map { $0.prerequisites.compactMap { catalogue.canonicalID($0) }.compactMap { index[$0] } },
        Array(ids.indices), ids
    )
}

@Suite("Roadmap layout")
struct RoadmapLayoutTests {
    @Test("on the real catalogue, barycenter sweeps leave fewer crossings than the catalogue's own order")
    func fewerCrossings() throws {
        let graph = try catalogueGraph()
        let naive = RoadmapLayout(stages: graph.stages, prerequisites: graph.prerequisites, order: graph.order, sweeps: 0)
        let swept = RoadmapLayout(stages: graph.stages, prerequisites: graph.prerequisites, order: graph.order, sweeps: 4)
        #expect(graph.ids.count >= 100)
        #expect(swept.crossings < naive.crossings, "naive \(naive.crossings), swept \(swept.crossings)")
        // Same graph, only the order inside columns changed.
        #expect(swept.routes == naive.routes)
        #expect(swept.layers.map { Set($0) } == naive.layers.map { Set($0) })
    }

    @Test("every edge runs left to right one column at a time, and stages take columns in roadmap order")
    func edgesRunForwardAndStagesInOrder() throws {
        let graph = try catalogueGraph()
        let layout = RoadmapLayout(stages: graph.stages, prerequisites: graph.prerequisites, order: graph.order)
        for (left, right) in layout.segments { #expect(layout.nodes[right].layer == layout.nodes[left].layer + 1) }
        // Every prerequisite of the catalogue is drawn (none of them points to a later stage).
        #expect(layout.routes.count == graph.prerequisites.map(\.count).reduce(0, +))
        for (skill, stage) in graph.stages.enumerated() {
            let layer = layout.nodes[skill].layer
            #expect(layer >= layout.stageStarts[stage])
            if stage + 1 < layout.stageStarts.count { #expect(layer < layout.stageStarts[stage + 1], "\(graph.ids[skill])") }
        }
        #expect(layout.layers.flatMap { $0 }.count == layout.nodes.count)
    }

    @Test("a small graph whose naive order crosses is untangled")
    func smallGraph() {
        // a → d, b → c: in the order a, b / c, d the two edges cross; sorted by barycenter they do not.
        let layout = RoadmapLayout(stages: [0, 0, 0, 0], prerequisites: [[], [], [1], [0]], order: [0, 1, 2, 3], sweeps: 0)
        #expect(layout.crossings == 1)
        let swept = RoadmapLayout(stages: [0, 0, 0, 0], prerequisites: [[], [], [1], [0]], order: [0, 1, 2, 3])
        #expect(swept.crossings == 0)
    }
}
