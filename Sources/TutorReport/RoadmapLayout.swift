/// A layered layout of the roadmap graph: stages left to right, each skill in the first column
/// after all of its prerequisites (and no earlier than its stage's first column), edges longer
/// than one column routed through invisible waypoints, and the order inside each column chosen by
/// barycenter sweeps to reduce edge crossings.
///
/// Pure and deterministic: the same graph gives the same picture.
public struct RoadmapLayout: Sendable, Equatable {
    /// A point of the layout: a skill, or a waypoint of a long edge (`skill` nil).
    public struct Node: Sendable, Equatable {
        /// The index of the skill in the input, nil for a waypoint.
        public var skill: Int?
        public var layer: Int
    }

    /// Every skill and waypoint; skills first, in input order.
    public private(set) var nodes: [Node]
    /// The nodes of each column, top to bottom.
    public private(set) var layers: [[Int]]
    /// Each prerequisite edge as the chain of nodes it passes, from the prerequisite to the skill.
    public private(set) var routes: [[Int]]
    /// The first column of each stage, by stage index.
    public private(set) var stageStarts: [Int]

    /// Lays out `count` skills.
    ///
    /// - Parameters:
    ///   - stages: each skill's stage index (0 for the first stage); stages take columns in order.
    ///   - prerequisites: each skill's direct prerequisites, as skill indices. An edge to a skill of
    ///     a later stage, or one that would close a cycle, is left out.
    ///   - order: the skills in an order where each follows its prerequisites (a topological order).
    ///   - sweeps: how many down-and-up barycenter passes to try; 0 keeps the input order.
    public init(stages: [Int], prerequisites: [[Int]], order: [Int], sweeps: Int = 4) {
        let count = stages.count
        var layer = [Int](repeating: -1, count: count)
        var starts: [Int] = []
        var next = 0
        for stage in 0...(stages.max() ?? 0) {
            starts.append(next)
            for skill in order where stages[skill] == stage {
                let after = prerequisites[skill].filter { layer[$0] >= 0 }.map { layer[$0] + 1 }.max() ?? 0
                layer[skill] = max(next, after)
            }
            next = max(next, (layer.max() ?? -1) + 1)
        }
        nodes = (0..<count).map { Node(skill: $0, layer: max(0, layer[$0])) }
        layers = [[Int]](repeating: [], count: max(1, next))
        for skill in order where layer[skill] >= 0 { layers[layer[skill]].append(skill) }
        routes = []
        stageStarts = starts
        for skill in order {
            for prerequisite in prerequisites[skill] where layer[prerequisite] >= 0 && layer[prerequisite] < layer[skill] {
                var route = [prerequisite]
                for column in (layer[prerequisite] + 1)..<layer[skill] {
                    nodes.append(Node(skill: nil, layer: column))
                    layers[column].append(nodes.count - 1)
                    route.append(nodes.count - 1)
                }
                route.append(skill)
                routes.append(route)
            }
        }
        if sweeps > 0 { reduceCrossings(sweeps: sweeps) }
    }

    /// The edges between adjacent columns, as (left node, right node).
    public var segments: [(Int, Int)] {
        routes.flatMap { route in zip(route, route.dropFirst()).map { ($0, $1) } }
    }

    /// How many pairs of segments cross between adjacent columns in the current order.
    public var crossings: Int {
        var position = [Int](repeating: 0, count: nodes.count)
        for column in layers { for (index, node) in column.enumerated() { position[node] = index } }
        var byColumn = [[(Int, Int)]](repeating: [], count: layers.count)
        for (left, right) in segments { byColumn[nodes[left].layer].append((position[left], position[right])) }
        var total = 0
        for pairs in byColumn {
            for first in pairs.indices {
                for second in pairs.indices where second > first {
                    let (a, b) = (pairs[first], pairs[second])
                    if (a.0 - b.0) * (a.1 - b.1) < 0 { total += 1 }
                }
            }
        }
        return total
    }

    /// Barycenter ordering: each column sorted by the mean position of its neighbours in the
    /// column before (down sweep) or after (up sweep); the best order seen is kept.
    mutating func reduceCrossings(sweeps: Int) {
        var left = [[Int]](repeating: [], count: nodes.count)
        var right = [[Int]](repeating: [], count: nodes.count)
        for (a, b) in segments {
            right[a].append(b)
            left[b].append(a)
        }
        var best = (layers, crossings)
        for _ in 0..<sweeps {
            for column in layers.indices.dropFirst() { sortColumn(column, by: left) }
            for column in layers.indices.reversed().dropFirst() { sortColumn(column, by: right) }
            let now = crossings
            if now < best.1 { best = (layers, now) }
        }
        layers = best.0
    }

    /// Sorts one column by its nodes' barycenters; a node without neighbours keeps its place.
    mutating func sortColumn(_ column: Int, by neighbours: [[Int]]) {
        var position = [Int](repeating: 0, count: nodes.count)
        for nodesInColumn in layers { for (index, node) in nodesInColumn.enumerated() { position[node] = index } }
        let keyed = layers[column].enumerated().map { index, node -> (Double, Int, Int) in
            let around = neighbours[node]
            let center = around.isEmpty ? Double(index) : Double(around.map { position[$0] }.reduce(0, +)) / Double(around.count)
            return (center, index, node)
        }
        layers[column] = keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
    }
}
