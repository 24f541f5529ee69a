import Foundation

/// The offline model's answers, written from tool results (JSON objects as the tools return them).
enum OfflineReplies {
    static func render(tool: String, json: [String: Any]) -> String {
        switch tool {
        case "weekly_plan": plan(json)
        case "list_tasks": tasks(json)
        case "progress_summary": progress(json)
        case "forecast": forecast(json)
        case "log_study": logged(json)
        case "complete_task": completed(json)
        case "add_goal": goal(json)
        case "catalogue_show": explain(json)
        case "due_reviews": question(json)
        case "record_review": graded(json)
        default: "Done."
        }
    }

    static func plan(_ json: [String: Any]) -> String {
        let sessions = (json["sessions"] as? [[String: Any]]) ?? []
        let week = json["week"] as? String ?? "this week"
        let zone = TimeZone(identifier: json["timeZone"] as? String ?? "UTC") ?? .gmt
        guard !sessions.isEmpty else {
            let notes = (json["notes"] as? [String]) ?? []
            return "Nothing is planned for \(week). " + (notes.first ?? "Add a goal and your free time first.")
        }
        let minutes = json["plannedMinutes"] as? Int ?? 0
        var lines = ["Your plan for \(week): \(sessions.count) sessions, \(hours(minutes)) in all."]
        for session in sessions {
            guard let start = date(session["start"]), let end = date(session["end"]) else { continue }
            let items = ((session["items"] as? [[String: Any]]) ?? []).map { item in
                "\(label(item["kind"] as? String)) \(item["title"] as? String ?? "") (\(item["minutes"] as? Int ?? 0) min)"
            }
            lines.append("- \(day(start, zone)) \(clock(start, zone))–\(clock(end, zone)): \(items.joined(separator: "; "))")
        }
        for note in (json["notes"] as? [String]) ?? [] { lines.append("Note: \(note)") }
        lines.append("Say \"done with task N\" as you finish, or \"log 45 minutes on SKILL\".")
        return lines.joined(separator: "\n")
    }

    static func tasks(_ json: [String: Any]) -> String {
        let tasks = (json["tasks"] as? [[String: Any]]) ?? []
        guard !tasks.isEmpty else { return "You have no open tasks. Set a goal: \"I want to become an AI engineer\"." }
        var lines = ["Next up:"]
        for task in tasks {
            lines.append("- #\(task["id"] as? Int ?? 0) \(task["title"] as? String ?? "") (\(task["estimateMinutes"] as? Int ?? 0) min)")
        }
        return lines.joined(separator: "\n")
    }

    static func progress(_ json: [String: Any]) -> String {
        var lines = ["Where you stand:"]
        for stage in (json["stages"] as? [[String: Any]]) ?? [] {
            let mastered = stage["skillsMastered"] as? Int ?? 0, total = stage["skillsTotal"] as? Int ?? 0
            let logged = stage["hoursLogged"] as? Double ?? 0, estimated = stage["hoursEstimated"] as? Double ?? 0
            lines.append(
                "- \(stage["title"] as? String ?? ""): \(mastered)/\(total) skills, \(oneDecimal(logged)) of about \(Int(estimated.rounded())) h"
            )
        }
        lines.append("In all you have logged \(hours(json["minutesLogged"] as? Int ?? 0)).")
        return lines.joined(separator: "\n")
    }

    static func forecast(_ json: [String: Any]) -> String {
        let pace = json["hoursPerWeek"] as? Double ?? 0
        var lines = ["At \(oneDecimal(pace)) h a week (\(json["paceSource"] as? String ?? "declared")):"]
        for milestone in (json["milestones"] as? [[String: Any]]) ?? [] {
            let from = milestone["monthsFrom"] as? Double ?? 0, to = milestone["monthsTo"] as? Double ?? 0
            let experience = (milestone["experienceYears"] as? String).map { ", plus \($0) years of real-world experience" } ?? ""
            lines.append("- \(milestone["title"] as? String ?? ""): \(months(from))–\(months(to)) from now\(experience)")
        }
        if let notes = json["notes"] as? [String] { lines += notes }
        return lines.joined(separator: "\n")
    }

    static func logged(_ json: [String: Any]) -> String {
        let skill = (json["skillId"] as? String).map { " on \($0)" } ?? ""
        return "Logged \(json["minutes"] as? Int ?? 0) minutes\(skill). This week so far: \(hours(json["weekMinutes"] as? Int ?? 0))."
    }

    static func completed(_ json: [String: Any]) -> String {
        "Marked #\(json["id"] as? Int ?? 0) \(json["title"] as? String ?? "") as done. Well done — \"what's next?\" shows the following task."
    }

    static func goal(_ json: [String: Any]) -> String {
        let goal = json["goal"] as? [String: Any] ?? [:]
        let added = (json["addedTasks"] as? [Any])?.count ?? 0
        let minutes = goal["minutesEstimated"] as? Int ?? 0
        return """
            Added the goal "\(goal["title"] as? String ?? "")": \(added) new tasks, about \(hours(minutes)) of study, prerequisites first.
            That is a long road, and an honest plan beats a fast promise: ask "how long?" for a realistic forecast, or "plan my week" to start.
            """
    }

    static func explain(_ json: [String: Any]) -> String {
        var lines = ["\(json["title"] as? String ?? "") (\(json["stage"] as? String ?? "roadmap")):", json["description"] as? String ?? ""]
        if let checklist = json["checklist"] as? [String], !checklist.isEmpty {
            lines.append("You know it when you " + checklist.map { $0.hasPrefix("can ") ? $0 : "can \($0)" }.joined(separator: "; ") + ".")
        }
        if let prerequisites = json["prerequisites"] as? [String], !prerequisites.isEmpty {
            lines.append("Learn first: \(prerequisites.joined(separator: ", ")).")
        }
        if let low = json["hoursMin"] as? Double, let high = json["hoursMax"] as? Double {
            lines.append("Expect about \(Int(low))–\(Int(high)) hours.")
        }
        if let resources = json["resources"] as? [[String: Any]], !resources.isEmpty {
            lines.append("Good places to learn it:")
            for resource in resources.prefix(3) {
                lines.append("- \(resource["title"] as? String ?? ""): \(resource["url"] as? String ?? "")")
            }
        }
        lines.append("(From the Tutor roadmap, skill \(json["id"] as? String ?? "").) Once you have studied it, say \"quiz me\".")
        return lines.joined(separator: "\n")
    }

    static func question(_ json: [String: Any]) -> String {
        guard let item = json["item"] as? [String: Any], let card = item["cardId"] as? String else {
            return "Nothing is due for review. Study a skill (\"log 30 minutes on SKILL\") and its questions will come."
        }
        let due = json["dueCount"] as? Int ?? 1
        return
            "[\(item["skillTitle"] as? String ?? "")] \(item["question"] as? String ?? "")\nAnswer in your own words; I will show the model answer next. (\(due) due) (card: \(card))"
    }

    static func graded(_ json: [String: Any]) -> String {
        let days = json["intervalDays"] as? Double ?? 0
        let when = days < 1 ? "\(max(1, Int((days * 24 * 60).rounded()))) minutes" : "\(Int(days.rounded())) days"
        let left = json["dueCount"] as? Int ?? 0
        return "Recorded. You will see it again in \(when). \(left == 0 ? "Nothing else is due." : "\(left) more due: say \"quiz me\".")"
    }

    // MARK: Formatting

    static func date(_ value: Any?) -> Date? {
        guard let text = value as? String else { return nil }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    static func clock(_ date: Date, _ zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    static func day(_ date: Date, _ zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let parts = calendar.dateComponents([.weekday, .day], from: date)
        return "\(names[(parts.weekday ?? 1) - 1]) \(parts.day ?? 0)"
    }

    static func label(_ kind: String?) -> String {
        switch kind {
        case "learn": "Learn"
        case "practice": "Practise"
        case "check": "Check"
        case "project": "Build"
        case "review": "Review"
        default: ""
        }
    }

    static func hours(_ minutes: Int) -> String {
        minutes < 60 ? "\(minutes) min" : "\(oneDecimal(Double(minutes) / 60)) h"
    }

    static func months(_ value: Double) -> String {
        value >= 24 ? "\(oneDecimal(value / 12)) years" : "\(Int(value.rounded())) months"
    }

    static func oneDecimal(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))" : String(format: "%.1f", value)
    }
}
