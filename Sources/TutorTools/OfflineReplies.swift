import Foundation
import TutorCatalogue
import TutorPrompts
import TutorStore

/// The offline model's answers, written from tool results (JSON objects as the tools return them).
///
/// Each answer is a template in ``PromptLibrary`` (`offline-plan`, `offline-tasks`, ...): this type
/// prepares the values (dates, hours, lists) and the template words them.
struct OfflineReplies {
    let prompts: PromptLibrary

    func render(tool: String, json: [String: Any]) -> String {
        switch tool {
        case "weekly_plan": plan(json)
        case "list_tasks": tasks(json)
        case "progress_summary": progress(json)
        case "forecast": forecast(json)
        case "log_study": logged(json)
        case "complete_task": completed(json)
        case "add_goal": goal(json)
        case "catalogue_show": explain(json, asking: false)
        case "ask_question": question(json)
        case "give_hint": hint(json)
        case "check_answer": checked(json)
        case "skip_question": prompts.render("offline-skipped")
        case "placement_start", "placement_answer": setup(json, starting: tool == "placement_start")
        case "placement_cancel": prompts.render("offline-setup", ["cancelled": true])
        case "record_review": graded(json)
        default: prompts.render("offline-done")
        }
    }

    func plan(_ json: [String: Any]) -> String {
        let sessions = (json["sessions"] as? [[String: Any]]) ?? []
        let week = json["week"] as? String ?? "this week"
        let zone = TimeZone(identifier: json["timeZone"] as? String ?? "UTC") ?? .gmt
        let notes = (json["notes"] as? [String]) ?? []
        guard !sessions.isEmpty else {
            return prompts.render("offline-nothing-planned", Self.context(["week": week, "note": notes.first]))
        }
        let lines = sessions.compactMap { session -> [String: Any]? in
            guard let start = Self.date(session["start"]), let end = Self.date(session["end"]) else { return nil }
            let items = ((session["items"] as? [[String: Any]]) ?? []).map { item -> [String: Any] in
                [
                    // A review's title says it already ("Review 4 due items"): no label.
                    "label": item["kind"] as? String == "review" ? false : Self.label(item["kind"] as? String),
                    "title": item["title"] as? String ?? "",
                    "minutes": item["minutes"] as? Int ?? 0,
                ]
            }
            return ["day": Self.day(start, zone), "start": Self.clock(start, zone), "end": Self.clock(end, zone), "items": items]
        }
        return prompts.render(
            "offline-plan",
            [
                "week": week, "sessionCount": sessions.count, "total": Self.hours(json["plannedMinutes"] as? Int ?? 0),
                "sessions": lines, "notes": notes,
            ])
    }

    func tasks(_ json: [String: Any]) -> String {
        let tasks = ((json["tasks"] as? [[String: Any]]) ?? []).map { task -> [String: Any] in
            ["id": task["id"] as? Int ?? 0, "title": task["title"] as? String ?? "", "minutes": task["estimateMinutes"] as? Int ?? 0]
        }
        return prompts.render("offline-tasks", ["tasks": tasks])
    }

    func progress(_ json: [String: Any]) -> String {
        let stages = ((json["stages"] as? [[String: Any]]) ?? []).map { stage -> [String: Any] in
            [
                "title": stage["title"] as? String ?? "",
                "mastered": stage["skillsMastered"] as? Int ?? 0,
                "total": stage["skillsTotal"] as? Int ?? 0,
                "hoursLogged": Self.oneDecimal(stage["hoursLogged"] as? Double ?? 0),
                "hoursEstimated": Int((stage["hoursEstimated"] as? Double ?? 0).rounded()),
            ]
        }
        let revisit = ((json["misconceptions"] as? [Any]) ?? []).count
        return prompts.render(
            "offline-progress",
            Self.context([
                "stages": stages, "logged": Self.hours(json["minutesLogged"] as? Int ?? 0), "revisit": revisit > 0 ? revisit : nil,
            ]))
    }

    func forecast(_ json: [String: Any]) -> String {
        let milestones = ((json["milestones"] as? [[String: Any]]) ?? []).map { milestone -> [String: Any] in
            Self.context([
                "title": milestone["title"] as? String ?? "",
                "from": Self.months(milestone["monthsFrom"] as? Double ?? 0),
                "to": Self.months(milestone["monthsTo"] as? Double ?? 0),
                "experienceYears": milestone["experienceYears"] as? String,
            ])
        }
        return prompts.render(
            "offline-forecast",
            [
                "pace": Self.oneDecimal(json["hoursPerWeek"] as? Double ?? 0),
                "paceSource": json["paceSource"] as? String ?? "declared",
                "milestones": milestones, "notes": (json["notes"] as? [String]) ?? [],
            ])
    }

    func logged(_ json: [String: Any]) -> String {
        prompts.render(
            "offline-logged",
            Self.context([
                "minutes": json["minutes"] as? Int ?? 0, "skill": json["skillId"] as? String,
                "week": Self.hours(json["weekMinutes"] as? Int ?? 0),
            ]))
    }

    func completed(_ json: [String: Any]) -> String {
        prompts.render("offline-completed", ["id": json["id"] as? Int ?? 0, "title": json["title"] as? String ?? ""])
    }

    func goal(_ json: [String: Any]) -> String {
        let goal = json["goal"] as? [String: Any] ?? [:]
        return prompts.render(
            "offline-goal",
            [
                "title": goal["title"] as? String ?? "",
                "taskCount": json["newTasks"] as? Int ?? (json["addedTasks"] as? [Any])?.count ?? 0,
                "hours": Self.hours(goal["minutesEstimated"] as? Int ?? 0),
            ])
    }

    /// A roadmap entry explained; `asking` when a check question follows (the template then leaves its own out).
    func explain(_ json: [String: Any], asking: Bool) -> String {
        var context: [String: Any] = [
            "id": json["id"] as? String ?? "",
            "title": json["title"] as? String ?? "",
            "stage": json["stage"] as? String ?? "roadmap",
            "description": json["description"] as? String ?? "",
            "checklist": ((json["checklist"] as? [String]) ?? []).map { $0.hasPrefix("can ") ? $0 : "can \($0)" },
            // One check question from the first checklist item ("can explain X" → "explain X").
            "check": ((json["checklist"] as? [String])?.first).map { $0.hasPrefix("can ") ? String($0.dropFirst(4)) : $0 } as Any,
            "prerequisites": (json["prerequisites"] as? [String]) ?? [],
            "resources": ((json["resources"] as? [[String: Any]]) ?? []).prefix(3).map { resource -> [String: Any] in
                ["title": resource["title"] as? String ?? "", "url": resource["url"] as? String ?? ""]
            },
        ]
        if let low = json["hoursMin"] as? Double, let high = json["hoursMax"] as? Double {
            context["hours"] = ["low": Int(low), "high": Int(high)]
        }
        if asking { context["asking"] = true }
        return prompts.render("offline-explain", context)
    }

    /// Passages from the learner's notes, each with its citation and the line that best matches `query`.
    func notes(_ passages: [[String: Any]], query: String) -> String {
        let words = Set(query.lowercased().split { !$0.isLetter && !$0.isNumber }.filter { $0.count > 2 }.map(String.init))
        let items = passages.prefix(3).map { passage -> [String: Any] in
            let text = passage["quoted"] as? String ?? ""
            let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix("```") }
            let best = lines.max { a, b in Self.overlap(a, words) < Self.overlap(b, words) } ?? ""
            let excerpt = best.count > 220 ? String(best.prefix(219)) + "…" : best
            return ["citation": passage["citation"] as? String ?? "", "excerpt": excerpt]
        }
        return prompts.render("offline-notes", ["passages": items])
    }

    private static func overlap(_ line: String, _ words: Set<String>) -> Int {
        Set(line.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)).intersection(words).count
    }

    /// A question put to the learner, with an earlier wrong answer on its skill when there is one.
    func question(_ json: [String: Any]) -> String {
        guard let item = json["question"] as? [String: Any] else { return prompts.render("offline-question") }
        let misconception = (item["misconception"] as? [String: Any]).map { m -> [String: Any] in
            ["said": m["said"] as? String ?? "", "expected": m["expected"] as? String ?? "", "question": m["question"] as? String ?? ""]
        }
        return prompts.render(
            "offline-question",
            Self.context([
                "asked": true, "skillTitle": item["skillTitle"] as? String ?? "", "question": item["question"] as? String ?? "",
                "due": item["dueCount"] as? Int ?? 0, "repeated": (item["repeated"] as? Bool) == true ? true : nil,
                "check": item["kind"] as? String == "check" ? true : nil, "misconception": misconception,
            ]))
    }

    func hint(_ json: [String: Any]) -> String {
        prompts.render(
            "offline-hint",
            Self.context(["hint": json["hint"] as? String, "level": json["level"] as? Int ?? 0, "of": json["of"] as? Int ?? 0]))
    }

    /// A step of the first-run setup: what was wrong with the last reply, the check of a
    /// foundation answer, and the next question; or, at the end, what was saved and the timeline.
    func setup(_ json: [String: Any], starting: Bool) -> String {
        let step = json["step"] as? String ?? ""
        var context: [String: Any?] = [
            step: true, "welcome": starting && step == "background" ? true : nil,
            "problem": (json["problem"] as? String).map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 },
            "question": json["ask"] as? String, "index": json["probe"] as? Int, "count": json["probes"] as? Int,
        ]
        if let checked = json["checked"] as? [String: Any] {
            context["checked"] = [checked["verdict"] as? String ?? "incorrect": true, "answer": checked["answer"] as? String ?? ""]
        }
        if let result = json["result"] as? [String: Any] {
            let profile = result["profile"] as? [String: Any] ?? [:]
            context["saved"] = [
                "background": profile["background"] as? String ?? "", "hours": Self.oneDecimal(profile["hoursPerWeek"] as? Double ?? 0),
                "track": profile["track"] as? String ?? "none", "timeZone": profile["timeZone"] as? String ?? "",
                "goal": result["goal"] as? String ?? "", "tasks": result["tasks"] as? Int ?? 0,
                "summary": result["summary"] as? String ?? "",
            ]
        }
        return prompts.render("offline-setup", Self.context(context))
    }

    /// The setup's current question again, after a request that has to wait until the setup is done
    /// (or stopped).
    func setupAside(_ draft: PlacementDraftRecord, catalogue: Catalogue) -> String {
        var context: [String: Any?] = [draft.step: true, "aside": true]
        if draft.step == "probe", draft.questions.indices.contains(draft.answers.count) {
            context["question"] = catalogue.skill(draft.questions[draft.answers.count])?.quiz.first?.question
            context["index"] = draft.answers.count + 1
            context["count"] = draft.questions.count
        }
        return prompts.render("offline-setup", Self.context(context))
    }

    /// The learner's answer checked: the verdict, the model answer and the grade to confirm.
    func checked(_ json: [String: Any]) -> String {
        let verdict = json["verdict"] as? String ?? "incorrect"
        let missing = (json["missingKeyTerms"] as? [String]) ?? []
        return prompts.render(
            "offline-answer",
            Self.context([
                verdict: true, "answer": json["answer"] as? String ?? "", "why": json["why"] as? String ?? "",
                "missing": verdict == "partly" && !missing.isEmpty ? missing.prefix(4).joined(separator: ", ") : nil,
                "grade": json["suggestedGrade"] as? String ?? "again",
            ]))
    }

    func graded(_ json: [String: Any]) -> String {
        let days = json["intervalDays"] as? Double ?? 0
        let minutes = max(1, Int((days * 24 * 60).rounded()))
        let when =
            days >= 1 ? "\(Int(days.rounded())) day\(Int(days.rounded()) == 1 ? "" : "s")" : "\(minutes) minute\(minutes == 1 ? "" : "s")"
        let left = json["dueCount"] as? Int ?? 0
        return prompts.render(
            "offline-graded",
            Self.context([
                "when": when, "more": left > 0 ? left : nil,
                "misconception": (json["misconceptionRecorded"] as? Bool) == true ? true : nil,
                "resolved": (json["misconceptionsResolved"] as? Int ?? 0) > 0 ? true : nil,
            ]))
    }

    func error(_ message: String) -> String {
        prompts.render("offline-error", ["error": message])
    }

    // MARK: Contexts

    /// A template context without its nil values (an absent key is false in a section; a stored nil is not).
    static func context(_ values: [String: Any?]) -> [String: Any] {
        values.compactMapValues { $0 }
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
