import TutorWire

extension ReportPage {
    /// Column width, node size and spacing of the roadmap graph, in SVG units (pixels).
    static let column = 190.0, nodeWidth = 160.0, nodeHeight = 32.0, nodeGap = 8.0, waypointGap = 6.0, top = 36.0

    /// Where every layout node sits: the top-left corner of a skill's box, or a waypoint's centre.
    struct Placement {
        var x: [Double]
        var y: [Double]
        var width: Double
        var height: Double
    }

    /// The layered layout of `roadmap`'s skills, stages in roadmap order.
    public static func layout(_ roadmap: RoadmapResult, sweeps: Int = 4) -> RoadmapLayout {
        let index = Dictionary(uniqueKeysWithValues: roadmap.skills.enumerated().map { ($1.id, $0) })
        let stageIndex = Dictionary(uniqueKeysWithValues: roadmap.stages.enumerated().map { ($1.id, $0) })
        return RoadmapLayout(
            stages: roadmap.skills.map { stageIndex[$0.stage] ?? 0 },
            prerequisites: roadmap.skills.map { $0.prerequisites.compactMap { index[$0] } },
            order: Array(roadmap.skills.indices), sweeps: sweeps)
    }

    static func place(_ layout: RoadmapLayout) -> Placement {
        let heights = layout.layers.map { column in
            column.map { layout.nodes[$0].skill == nil ? waypointGap : nodeHeight + nodeGap }.reduce(0, +)
        }
        let tallest = heights.max() ?? 0
        var x = [Double](repeating: 0, count: layout.nodes.count)
        var y = x
        for (columnIndex, column) in layout.layers.enumerated() {
            var cursor = top + (tallest - heights[columnIndex]) / 2
            for node in column {
                x[node] = 12 + Double(columnIndex) * Self.column
                if layout.nodes[node].skill == nil {
                    y[node] = cursor + waypointGap / 2
                    cursor += waypointGap
                } else {
                    y[node] = cursor
                    cursor += nodeHeight + nodeGap
                }
            }
        }
        return Placement(x: x, y: y, width: 12 + Double(layout.layers.count) * Self.column, height: top + tallest + 8)
    }

    static func roadmapSection(_ roadmap: RoadmapResult) -> String {
        let layout = Self.layout(roadmap)
        let place = Self.place(layout)
        let skills = roadmap.skills
        var svg = "<svg class=\"roadmap\" role=\"img\" aria-labelledby=\"roadmap-title\" width=\"\(Int(place.width))\" "
        svg += "height=\"\(Int(place.height))\" viewBox=\"0 0 \(Int(place.width)) \(Int(place.height))\">"
        svg += "<title id=\"roadmap-title\">The roadmap: \(skills.count) skills in \(roadmap.stages.count) stages</title>"
        for (stage, start) in zip(roadmap.stages, layout.stageStarts) {
            let end = layout.stageStarts.first { $0 > start } ?? layout.layers.count
            let x = 6 + Double(start) * column
            let width = Double(end - start) * column
            if (roadmap.stages.firstIndex(of: stage) ?? 0) % 2 == 0 {
                svg += "<rect class=\"band\" x=\"\(Int(x))\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(place.height))\"/>"
            }
            svg += "<text class=\"stage-title\" x=\"\(Int(x + 8))\" y=\"20\">\(HTMLText.escape(stage.title))</text>"
        }
        for route in layout.routes {
            guard let first = route.first, let last = route.last, let from = layout.nodes[first].skill,
                let to = layout.nodes[last].skill
            else { continue }
            let goal = skills[from].onGoalPath && skills[to].onGoalPath
            var d = "M\(Int(place.x[first] + nodeWidth)) \(Int(place.y[first] + nodeHeight / 2))"
            for node in route.dropFirst().dropLast() {
                d += " L\(Int(place.x[node])) \(Int(place.y[node])) L\(Int(place.x[node] + nodeWidth)) \(Int(place.y[node]))"
            }
            d += " L\(Int(place.x[last])) \(Int(place.y[last] + nodeHeight / 2))"
            svg += "<path class=\"edge\(goal ? " goal" : "")\" d=\"\(d)\"/>"
        }
        for (index, skill) in skills.enumerated() { svg += node(skill, x: place.x[index], y: place.y[index]) }
        svg += "</svg>"
        let states: [(RoadmapState, String)] = [
            (.known, "known"), (.inProgress, "in progress"), (.dueForReview, "due for review"), (.next, "next"), (.locked, "locked"),
        ]
        var legend = "<ul class=\"legend\">"
        for (state, label) in states {
            let count = skills.filter { $0.state == state }.count
            legend += "<li><i class=\"\(state.rawValue)\"></i>\(label) (\(count))</li>"
        }
        legend += "<li>thick outline: on your goal path (\(roadmap.goalPath.count))</li></ul>"
        let rows = skills.map { skill in
            [
                skill.title, skill.stage, skill.state.rawValue, HTMLText.number(skill.hoursLogged),
                HTMLText.number(skill.hoursEstimated), "\(skill.percent)%", skill.onGoalPath ? "yes" : "",
            ]
        }
        let goals = roadmap.goals.isEmpty ? "no goal yet" : roadmap.goals.joined(separator: ", ")
        return section(
            "roadmap", "The road", lead: "Stages left to right, each skill after its prerequisites. Goal: \(goals).",
            legend + "<div class=\"scroll\">" + svg + "</div>"
                + table(
                    "The roadmap", header: ["Skill", "Stage", "State", "Hours logged", "Hours estimated", "Mastery", "On goal path"],
                    rows: rows))
    }

    /// One skill's box: its title (shortened to fit), its mastery, and the full story in `<title>`.
    static func node(_ skill: RoadmapSkillView, x: Double, y: Double) -> String {
        let classes = "node \(skill.state.rawValue)\(skill.onGoalPath ? " goal" : "")"
        let label = skill.title.count > 24 ? String(skill.title.prefix(23)) + "…" : skill.title
        let state =
            skill.state == .inProgress ? "in progress, \(skill.percent)%" : String(skill.state.rawValue.map { $0 == "-" ? " " : $0 })
        let tip =
            "\(skill.title) — \(state); \(HTMLText.number(skill.hoursLogged)) h logged of ~\(HTMLText.number(skill.hoursEstimated)) h; mastery \(skill.percent)%\(skill.onGoalPath ? "; on your goal path" : "")"
        var g = "<g class=\"\(classes)\" data-skill=\"\(HTMLText.escape(skill.id))\" data-state=\"\(skill.state.rawValue)\">"
        g += "<title>\(HTMLText.escape(tip))</title>"
        g += "<rect x=\"\(Int(x))\" y=\"\(Int(y))\" width=\"\(Int(nodeWidth))\" height=\"\(Int(nodeHeight))\" rx=\"6\"/>"
        g += "<text x=\"\(Int(x + 7))\" y=\"\(Int(y + 14))\">\(HTMLText.escape(label))</text>"
        g +=
            "<text class=\"pct\" x=\"\(Int(x + 7))\" y=\"\(Int(y + 27))\">\(HTMLText.number(skill.hoursLogged)) / \(HTMLText.number(skill.hoursEstimated)) h · \(skill.percent)%</text>"
        return g + "</g>"
    }
}
