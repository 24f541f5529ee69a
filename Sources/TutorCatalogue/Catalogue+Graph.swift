/// The resolved prerequisite graph. Nodes are skill indices, then project indices offset by the skill count.
struct Graph: Sendable {
    /// Direct prerequisites of each node, resolved and without repeats, in the order listed.
    let prerequisites: [[Int]]
    /// Nodes that list each node as a direct prerequisite, ascending.
    let dependants: [[Int]]
    /// Default tie-break position of each node: stage order, skills before projects, then catalogue order.
    let rank: [Int]

    init(prerequisites: [[Int]], stageOrder: [Int], skillCount: Int) {
        self.prerequisites = prerequisites
        var dependants = [[Int]](repeating: [], count: prerequisites.count)
        for (node, prereqs) in prerequisites.enumerated() {
            for prereq in prereqs { dependants[prereq].append(node) }
        }
        self.dependants = dependants
        let sorted = prerequisites.indices.sorted {
            (stageOrder[$0], $0 >= skillCount ? 1 : 0, $0) < (stageOrder[$1], $1 >= skillCount ? 1 : 0, $1)
        }
        var rank = [Int](repeating: 0, count: prerequisites.count)
        for (position, node) in sorted.enumerated() { rank[node] = position }
        self.rank = rank
    }

    var count: Int { prerequisites.count }

    /// Marks `targets` and everything they require, directly or not.
    func closure(of targets: [Int]) -> [Bool] {
        var marked = [Bool](repeating: false, count: count)
        var stack = targets
        while let node = stack.popLast() {
            if marked[node] { continue }
            marked[node] = true
            for prereq in prerequisites[node] where !marked[prereq] { stack.append(prereq) }
        }
        return marked
    }

    /// Orders the visible members so that every node follows everything it requires (transitively,
    /// through hidden members too), taking the lowest `priority` whenever there is a choice.
    ///
    /// Hidden members are processed as soon as they become available, so they never hold a visible
    /// node back longer than its visible prerequisites do. Kahn's algorithm with a binary heap:
    /// O((V + E) log V) over the members.
    func order(members: [Bool], hidden: [Bool], priority: (Int) -> Int) -> [Int] {
        var indegree = [Int](repeating: 0, count: count)
        var heap = MinHeap()
        func key(_ node: Int) -> Int { hidden[node] ? Int.min + rank[node] : priority(node) }
        for node in 0..<count where members[node] {
            var degree = 0
            for prereq in prerequisites[node] where members[prereq] { degree += 1 }
            indegree[node] = degree
            if degree == 0 { heap.push(key: key(node), node: node) }
        }
        var result: [Int] = []
        while let node = heap.pop() {
            if !hidden[node] { result.append(node) }
            for dependant in dependants[node] where members[dependant] {
                indegree[dependant] -= 1
                if indegree[dependant] == 0 { heap.push(key: key(dependant), node: dependant) }
            }
        }
        return result
    }
}

/// A binary min-heap of nodes keyed by distinct integers.
private struct MinHeap {
    private var items: [(key: Int, node: Int)] = []

    mutating func push(key: Int, node: Int) {
        items.append((key, node))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].key < items[parent].key else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Int? {
        guard !items.isEmpty else { return nil }
        let top = items[0].node
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count, items[left].key < items[smallest].key { smallest = left }
                if right < items.count, items[right].key < items[smallest].key { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}

extension Catalogue {
    /// All prerequisites of `ids` (transitively), optionally including the ids themselves, in a
    /// deterministic topological order (every skill after all of its prerequisites; ties broken by
    /// stage order, then catalogue order).
    ///
    /// Ids may be skill ids, aliases or project ids; the result holds canonical ids only, each once.
    /// A project contributes its prerequisite skills and, as a target, comes after them. Unknown ids
    /// are ignored. With `includingTargets: false` every id passed is left out, even one that another
    /// target requires.
    public func prerequisiteClosure(of ids: [String], includingTargets: Bool = true) -> [String] {
        let targets = nodes(ids)
        let members = graph.closure(of: targets)
        var hidden = [Bool](repeating: false, count: graph.count)
        if !includingTargets { for target in targets { hidden[target] = true } }
        return graph.order(members: members, hidden: hidden) { graph.rank[$0] }.map(id(ofNode:))
    }

    /// The given skills and projects in a deterministic topological order: each after everything it
    /// requires, directly or through skills not in the list; ties broken by stage order, then catalogue order.
    ///
    /// Aliases resolve to canonical ids; unknown ids are dropped and repeats kept once.
    public func topologicalOrder(_ ids: some Collection<String>) -> [String] {
        let targets = nodes(ids)
        return graph.order(members: graph.closure(of: targets), hidden: hiddenOutside(targets)) {
            graph.rank[$0]
        }.map(id(ofNode:))
    }

    /// Track ordering: the track's focus skills are pulled as early as their prerequisites allow.
    ///
    /// Orders the given ids topologically, preferring whatever serves the first focus skill (the
    /// skill itself and everything it requires), then the second, and so on; the rest follows in
    /// stage and catalogue order. Ids are resolved as in ``topologicalOrder(_:)``.
    public func order(_ ids: some Collection<String>, for track: Track) -> [String] {
        let targets = nodes(ids)
        let focus = focusRanks(for: track)
        let count = graph.count
        return graph.order(members: graph.closure(of: targets), hidden: hiddenOutside(targets)) {
            focus[$0] * count + graph.rank[$0]
        }.map(id(ofNode:))
    }

    /// The node of each resolvable id, without repeats, in the order given.
    func nodes(_ ids: some Collection<String>) -> [Int] {
        var seen = Set<Int>()
        return ids.compactMap { node($0) }.filter { seen.insert($0).inserted }
    }

    /// For each node, the position of the first focus skill of `track` that is or requires it;
    /// `track.focus.count` for nodes that serve no focus skill.
    func focusRanks(for track: Track) -> [Int] {
        let none = track.focus.count
        var ranks = [Int](repeating: none, count: graph.count)
        for (position, id) in track.focus.enumerated() {
            guard let start = node(id), ranks[start] == none else { continue }
            var stack = [start]
            while let node = stack.popLast() {
                guard ranks[node] == none else { continue }
                ranks[node] = position
                // A node already ranked has all of its prerequisites ranked no later than it is.
                for prereq in graph.prerequisites[node] where ranks[prereq] == none { stack.append(prereq) }
            }
        }
        return ranks
    }

    private func hiddenOutside(_ targets: [Int]) -> [Bool] {
        var hidden = [Bool](repeating: true, count: graph.count)
        for target in targets { hidden[target] = false }
        return hidden
    }
}
