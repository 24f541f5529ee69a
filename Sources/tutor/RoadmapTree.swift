import TutorClient
import TutorWire

/// The roadmap as text: per stage, a tree in which each skill hangs under its same-stage
/// prerequisite with the longest chain, marked with its state; other prerequisites as "needs".
enum RoadmapTree {
    /// The whole text, ending in a newline; ANSI colours when `colour`. `titles` names skills the
    /// roadmap was filtered to leave out.
    static func render(_ roadmap: RoadmapResult, titles: [String: String], colour: Bool) -> String {
        let byID = Dictionary(uniqueKeysWithValues: roadmap.skills.map { ($0.id, $0) })
        var out = ""
        if !roadmap.goals.isEmpty {
            out += "Goal path (★): \(TerminalText.sanitized(roadmap.goals.joined(separator: ", "))), \(roadmap.goalPath.count) skills\n\n"
        }
        for stage in roadmap.stages {
            let skills = roadmap.skills.filter { $0.stage == stage.id }
            let known = skills.filter { $0.state == .known }.count
            out += paint("\(TerminalText.sanitized(stage.title))  (\(known)/\(skills.count) known)", "1", colour) + "\n"
            var children: [String: [RoadmapSkillView]] = [:]
            var roots: [RoadmapSkillView] = []
            for skill in skills {
                let parent = skill.prerequisites.compactMap { byID[$0] }.filter { $0.stage == stage.id }.max { $0.depth < $1.depth }
                if let parent { children[parent.id, default: []].append(skill) } else { roots.append(skill) }
            }
            func walk(_ skill: RoadmapSkillView, prefix: String, last: Bool, parent: String?) {
                out += prefix + (last ? "└─ " : "├─ ") + line(skill, parent: parent, titles: titles, colour: colour) + "\n"
                let below = children[skill.id] ?? []
                for (index, child) in below.enumerated() {
                    walk(child, prefix: prefix + (last ? "   " : "│  "), last: index == below.count - 1, parent: skill.id)
                }
            }
            for (index, root) in roots.enumerated() { walk(root, prefix: "", last: index == roots.count - 1, parent: nil) }
            out += "\n"
        }
        if roadmap.skills.isEmpty { out += "No skills match.\n" }
        return out
    }

    /// One skill: mark, title, state, hours, and the prerequisites the tree does not show.
    static func line(_ skill: RoadmapSkillView, parent: String?, titles: [String: String], colour: Bool) -> String {
        let (mark, code): (String, String) =
            switch skill.state {
            case .known: ("✓", "32")
            case .inProgress: ("◐", "33")
            case .dueForReview: ("↻", "31")
            case .next: ("→", "34")
            case .locked: ("·", "2")
            }
        let state = skill.state == .inProgress ? "in progress \(skill.percent)%" : String(skill.state.rawValue.map { $0 == "-" ? " " : $0 })
        var text = "\(mark) \(TerminalText.sanitized(skill.title))"
        if skill.onGoalPath { text += " ★" }
        text = paint(text, skill.onGoalPath ? "1;\(code)" : code, colour)
        text += "  \(state), \(hours(skill.hoursLogged))/\(hours(skill.hoursEstimated)) h"
        let others = skill.prerequisites.filter { $0 != parent }.map { titles[$0] ?? $0 }
        if !others.isEmpty { text += paint("  needs: \(TerminalText.sanitized(others.joined(separator: ", ")))", "2", colour) }
        return text
    }

    static func hours(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func paint(_ text: String, _ code: String, _ colour: Bool) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
