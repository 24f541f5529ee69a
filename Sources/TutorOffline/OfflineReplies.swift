import Foundation
import TutorCatalogue
import TutorJSON
import TutorPrompts
import TutorStore
import TutorToolAdapters

/// The offline model's answers, written from tool results (JSON objects as the tools return them).
///
/// Each answer is a template in ``PromptLibrary`` (`offline-plan`, `offline-tasks`, ...): this type
/// prepares the values (dates, hours, lists) and the template words them.
struct OfflineReplies {
    let prompts: PromptLibrary

    /// The reply to one tool's result, or nil when it adds nothing (a search that found what is
    /// explained next, note passages, which ``notes(_:query:)`` words). Exhaustive by design: a
    /// tool added to ``ToolName`` does not compile until it has a reply here.
    /// - Parameters:
    ///   - asking: a check question follows in the same answer.
    ///   - notesFound: the learner's notes had passages for this turn.
    func render(_ tool: ToolName, json: [String: JSONValue], asking: Bool, notesFound: Bool) -> String? {
        switch tool {
        case .weeklyPlan: plan(json)
        case .listTasks: tasks(json)
        case .progressSummary: progress(json)
        case .forecast: forecast(json)
        case .logStudy: logged(json)
        case .completeTask: completed(json)
        case .addGoal: goal(json)
        case .catalogueSearch: (json["hits"]?.array ?? []).isEmpty && !notesFound ? prompts.render("offline-not-found") : nil
        case .catalogueShow: explain(json, asking: asking)
        case .searchNotes: nil
        case .askQuestion: question(json)
        case .giveHint: hint(json)
        case .checkAnswer: checked(json)
        case .skipQuestion: prompts.render("offline-skipped")
        case .placementStart, .placementAnswer: setup(json, starting: tool == .placementStart)
        case .placementCancel: prompts.render("offline-setup", ["cancelled": true])
        case .recordReview: graded(json)
        case .updateProfile: profile(json)
        case .correctLog: corrected(json)
        case .explainOrder: order(json)
        case .testOut: testOut(json)
        case .reopenTasks: reopened(json)
        case .changeGoal: goalChanged(json)
        // Tools the offline model never calls (they need a model's judgement or show nothing of their own).
        case .dueReviews, .proposePlan, .acceptPlan, .addQuizItem: prompts.render("offline-done")
        }
    }

    func plan(_ json: [String: JSONValue]) -> String {
        let sessions = (json["sessions"]?.array ?? [])
        let week = json["week"]?.string ?? "this week"
        let zone = TimeZone(identifier: json["timeZone"]?.string ?? "UTC") ?? .gmt
        let notes = (json["notes"]?.array?.compactMap(\.string) ?? [])
        guard !sessions.isEmpty else {
            return prompts.render("offline-nothing-planned", PromptFormat.context(["week": week, "note": notes.first]))
        }
        let lines = sessions.compactMap { session -> [String: Any]? in
            guard let start = Self.date(session["start"]), let end = Self.date(session["end"]) else { return nil }
            let items = (session["items"]?.array ?? []).map { item -> [String: Any] in
                [
                    // A review's title says it already ("Review 4 due items"): no label.
                    "label": item["kind"]?.string == "review" ? false : Self.label(item["kind"]?.string),
                    "title": item["title"]?.string ?? "",
                    "minutes": item["minutes"]?.int ?? 0,
                ]
            }
            return ["day": Self.day(start, zone), "start": Self.clock(start, zone), "end": Self.clock(end, zone), "items": items]
        }
        return prompts.render(
            "offline-plan",
            [
                "week": week, "sessionCount": sessions.count, "total": Self.hours(json["plannedMinutes"]?.int ?? 0),
                "sessions": lines, "notes": notes,
            ])
    }

    func tasks(_ json: [String: JSONValue]) -> String {
        let tasks = (json["tasks"]?.array ?? []).map { task -> [String: Any] in
            ["id": task["id"]?.int ?? 0, "title": task["title"]?.string ?? "", "minutes": task["estimateMinutes"]?.int ?? 0]
        }
        return prompts.render("offline-tasks", ["tasks": tasks])
    }

    func progress(_ json: [String: JSONValue]) -> String {
        let stages = (json["stages"]?.array ?? []).map { stage -> [String: Any] in
            [
                "title": stage["title"]?.string ?? "",
                "mastered": stage["skillsMastered"]?.int ?? 0,
                "total": stage["skillsTotal"]?.int ?? 0,
                "hoursLogged": PromptFormat.oneDecimal(stage["hoursLogged"]?.double ?? 0),
                "hoursEstimated": Int((stage["hoursEstimated"]?.double ?? 0).rounded()),
            ]
        }
        let revisit = (json["misconceptions"]?.array ?? []).count
        return prompts.render(
            "offline-progress",
            PromptFormat.context([
                "stages": stages, "logged": Self.hours(json["minutesLogged"]?.int ?? 0), "revisit": revisit > 0 ? revisit : nil,
            ]))
    }

    func forecast(_ json: [String: JSONValue]) -> String {
        let milestones = (json["milestones"]?.array ?? []).map { milestone -> [String: Any] in
            PromptFormat.context([
                "title": milestone["title"]?.string ?? "",
                "from": Self.months(milestone["monthsFrom"]?.double ?? 0),
                "to": Self.months(milestone["monthsTo"]?.double ?? 0),
                "experienceYears": milestone["experienceYears"]?.string,
            ])
        }
        return prompts.render(
            "offline-forecast",
            [
                "pace": PromptFormat.oneDecimal(json["hoursPerWeek"]?.double ?? 0),
                "paceSource": json["paceSource"]?.string ?? "declared",
                "milestones": milestones, "notes": (json["notes"]?.array?.compactMap(\.string) ?? []),
            ])
    }

    func logged(_ json: [String: JSONValue]) -> String {
        prompts.render(
            "offline-logged",
            PromptFormat.context([
                "minutes": json["minutes"]?.int ?? 0, "skill": json["skillId"]?.string,
                "week": Self.hours(json["weekMinutes"]?.int ?? 0),
            ]))
    }

    func profile(_ json: [String: JSONValue]) -> String {
        prompts.render(
            "offline-profile",
            PromptFormat.context([
                "hours": json["changedHours"]?.bool == false ? nil : (json["hoursPerWeek"]?.double).map(PromptFormat.oneDecimal),
                "hasWindows": json["changedAvailability"]?.bool == true ? true : nil,
                "windows": json["availability"]?.array?.compactMap(\.string),
            ]))
    }

    func corrected(_ json: [String: JSONValue]) -> String {
        prompts.render(
            "offline-log-corrected",
            PromptFormat.context([
                "removed": json["removed"]?.bool == true ? true : nil, "before": json["minutesBefore"]?.int ?? 0,
                "now": json["minutesNow"]?.int, "skill": json["skillId"]?.string, "week": Self.hours(json["weekMinutes"]?.int ?? 0),
            ]))
    }

    func order(_ json: [String: JSONValue]) -> String {
        let skills = (json["skills"]?.array ?? []).map { skill -> [String: Any] in
            let after = (skill["prerequisites"]?.array ?? []).map { prerequisite in
                let title = prerequisite["title"]?.string ?? ""
                switch prerequisite["status"]?.string {
                case "done": return "\(title) (done)"
                case "earlier": return "\(title) (earlier in your list)"
                default: return "\(title) (known or outside this goal)"
                }
            }
            let unlocks = skill["unlocks"]?.array?.compactMap(\.string) ?? []
            return PromptFormat.context([
                "position": skill["position"]?.int ?? 0, "title": skill["title"]?.string ?? "", "stage": skill["stage"]?.string,
                "after": after.isEmpty ? nil : after.joined(separator: ", "),
                "unlocks": unlocks.isEmpty ? nil : unlocks.joined(separator: ", "),
            ])
        }
        return prompts.render(
            "offline-order",
            PromptFormat.context([
                "any": skills.isEmpty ? nil : true, "skills": skills, "notOnList": json["notOnList"]?.string,
                "rule": json["rule"]?.string ?? "",
            ]))
    }

    /// A test-out's step: the question to answer, the last answer checked, how it ended.
    func testOut(_ json: [String: JSONValue]) -> String {
        // "unknown-skill" → "unknownSkill", a section name the template can use.
        let parts = (json["outcome"]?.string ?? "none-open").split(separator: "-").map(String.init)
        let outcome = (parts.first ?? "") + parts.dropFirst().map(\.capitalized).joined()
        let checked = json["checked"]?.object.map { checked -> [String: Any] in
            [checked["verdict"]?.string ?? "incorrect": true, "answer": checked["answer"]?.string ?? ""]
        }
        let suggestions = json["suggestions"]?.array?.compactMap(\.string) ?? []
        return prompts.render(
            "offline-test-out",
            PromptFormat.context([
                outcome: true, "skill": json["skillTitle"]?.string, "question": json["question"]?.string,
                "number": json["number"]?.int, "of": json["of"]?.int ?? 0, "needed": json["needed"]?.int ?? 2,
                "right": json["correct"]?.int ?? 0, "answered": json["answered"]?.int ?? 0, "checked": checked,
                "repeated": json["repeated"]?.bool == true ? true : nil,
                "first": json["answered"]?.int == 0 ? true : nil, "tasks": Self.count(json["tasksTakenOff"]?.int ?? 0, "task"),
                "hours": Self.hours(json["minutesTakenOff"]?.int ?? 0),
                "kept": json["tasksKept"]?.int ?? 0,
                "review": (json["review"]?.array?.compactMap(\.string) ?? []).prefix(3).map {
                    $0.hasPrefix("can ") ? String($0.dropFirst(4)) : $0
                },
                "suggestions": suggestions.isEmpty ? nil : suggestions.joined(separator: ", "),
            ]))
    }

    /// Finished tasks reopened (and, for "I meant…", others marked done).
    func reopened(_ json: [String: JSONValue]) -> String {
        func tasks(_ key: String) -> [[String: Any]] {
            (json[key]?.array ?? []).map { task in
                ["id": task["id"]?.int ?? 0, "title": task["title"]?.string ?? "", "minutes": task["estimateMinutes"]?.int ?? 0]
            }
        }
        let alreadyOpen = (json["alreadyOpen"]?.array?.compactMap(\.int) ?? []).map { "#\($0)" }
        return prompts.render(
            "offline-tasks-reopened",
            PromptFormat.context([
                "reopened": tasks("reopened").isEmpty ? nil : tasks("reopened"),
                "finished": tasks("finished").isEmpty ? nil : tasks("finished"),
                "alreadyOpen": alreadyOpen.isEmpty ? nil : alreadyOpen.joined(separator: ", "),
                "open": json["openTasks"]?.int ?? 0, "hours": Self.hours(json["openMinutes"]?.int ?? 0),
            ]))
    }

    /// A goal paused, resumed or dropped, or the goals to choose from.
    func goalChanged(_ json: [String: JSONValue]) -> String {
        let goals = (json["goals"]?.array ?? []).map { goal -> [String: Any] in
            ["id": goal["id"]?.int ?? 0, "title": goal["title"]?.string ?? "", "status": goal["status"]?.string ?? ""]
        }
        return prompts.render(
            "offline-goal-status",
            PromptFormat.context([
                json["outcome"]?.string ?? "none": true, "action": json["action"]?.string ?? "",
                "title": json["goal"]?["title"]?.string, "status": json["goal"]?["status"]?.string,
                "tasks": json["openTasks"]?.int ?? 0, "hours": Self.hours(json["openMinutes"]?.int ?? 0), "goals": goals,
            ]))
    }

    func completed(_ json: [String: JSONValue]) -> String {
        prompts.render("offline-completed", ["id": json["id"]?.int ?? 0, "title": json["title"]?.string ?? ""])
    }

    func goal(_ json: [String: JSONValue]) -> String {
        let goal = json["goal"]?.object ?? [:]
        return prompts.render(
            "offline-goal",
            [
                "title": goal["title"]?.string ?? "",
                "taskCount": json["newTasks"]?.int ?? json["addedTasks"]?.array?.count ?? 0,
                "hours": Self.hours(goal["minutesEstimated"]?.int ?? 0),
            ])
    }

    /// A roadmap entry explained; `asking` when a check question follows (the template then leaves its own out).
    func explain(_ json: [String: JSONValue], asking: Bool) -> String {
        var context: [String: Any] = [
            "id": json["id"]?.string ?? "",
            "title": json["title"]?.string ?? "",
            "stage": json["stage"]?.string ?? "roadmap",
            "description": json["description"]?.string ?? "",
            "checklist": ((json["checklist"]?.array?.compactMap(\.string) ?? [])).map { $0.hasPrefix("can ") ? $0 : "can \($0)" },
            // One check question from the first checklist item ("can explain X" → "explain X").
            "check": (json["checklist"]?.array?.compactMap(\.string).first).map { $0.hasPrefix("can ") ? String($0.dropFirst(4)) : $0 }
                as Any,
            "prerequisites": (json["prerequisites"]?.array?.compactMap(\.string) ?? []),
            "resources": (json["resources"]?.array ?? []).prefix(3).map { resource -> [String: Any] in
                ["title": resource["title"]?.string ?? "", "url": resource["url"]?.string ?? ""]
            },
        ]
        if let low = json["hoursMin"]?.double, let high = json["hoursMax"]?.double {
            context["hours"] = ["low": Int(low), "high": Int(high)]
        }
        if asking { context["asking"] = true }
        return prompts.render("offline-explain", context)
    }

    /// Passages from the learner's notes, each with its citation and the line that best matches `query`.
    func notes(_ passages: [JSONValue], query: String) -> String {
        let words = Set(query.lowercased().split { !$0.isLetter && !$0.isNumber }.filter { $0.count > 2 }.map(String.init))
        let items = passages.prefix(3).map { passage -> [String: Any] in
            let text = passage["quoted"]?.string ?? ""
            let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix("```") }
            let best = lines.max { a, b in Self.overlap(a, words) < Self.overlap(b, words) } ?? ""
            let excerpt = best.count > 220 ? String(best.prefix(219)) + "…" : best
            return ["citation": passage["citation"]?.string ?? "", "excerpt": excerpt]
        }
        return prompts.render("offline-notes", ["passages": items])
    }

    private static func overlap(_ line: String, _ words: Set<String>) -> Int {
        Set(line.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)).intersection(words).count
    }

    /// A question put to the learner, with an earlier wrong answer on its skill when there is one.
    func question(_ json: [String: JSONValue]) -> String {
        guard let item = json["question"]?.object else { return prompts.render("offline-question") }
        let misconception = (item["misconception"]?.object).map { m -> [String: Any] in
            ["said": m["said"]?.string ?? "", "expected": m["expected"]?.string ?? "", "question": m["question"]?.string ?? ""]
        }
        return prompts.render(
            "offline-question",
            PromptFormat.context([
                "asked": true, "skillTitle": item["skillTitle"]?.string ?? "", "question": item["question"]?.string ?? "",
                "due": item["dueCount"]?.int ?? 0, "repeated": item["repeated"]?.bool == true ? true : nil,
                "check": item["kind"]?.string == "check" ? true : nil, "misconception": misconception,
            ]))
    }

    func hint(_ json: [String: JSONValue]) -> String {
        prompts.render(
            "offline-hint",
            PromptFormat.context(["hint": json["hint"]?.string, "level": json["level"]?.int ?? 0, "of": json["of"]?.int ?? 0]))
    }

    /// A step of the first-run setup: what was wrong with the last reply, the check of a
    /// foundation answer, and the next question; or, at the end, what was saved and the timeline.
    func setup(_ json: [String: JSONValue], starting: Bool) -> String {
        let step = json["step"]?.string ?? ""
        var context: [String: Any?] = [
            step: true, "welcome": starting && step == "background" ? true : nil,
            "problem": (json["problem"]?.string).map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 },
            "question": json["ask"]?.string, "index": json["probe"]?.int, "count": json["probes"]?.int,
            "goalChanged": json["goalChanged"]?.string,
        ]
        if let checked = json["checked"]?.object {
            context["checked"] = [checked["verdict"]?.string ?? "incorrect": true, "answer": checked["answer"]?.string ?? ""]
        }
        if let result = json["result"]?.object {
            let profile = result["profile"]?.object ?? [:]
            context["saved"] = [
                "background": profile["background"]?.string ?? "", "hours": PromptFormat.oneDecimal(profile["hoursPerWeek"]?.double ?? 0),
                "track": profile["track"]?.string ?? "none", "timeZone": profile["timeZone"]?.string ?? "",
                "goal": result["goal"]?.string ?? "", "tasks": result["tasks"]?.int ?? 0,
                "summary": result["summary"]?.string ?? "",
            ]
        }
        return prompts.render("offline-setup", PromptFormat.context(context))
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
        return prompts.render("offline-setup", PromptFormat.context(context))
    }

    /// The learner's answer checked: the verdict, the model answer and the grade to confirm.
    func checked(_ json: [String: JSONValue]) -> String {
        let verdict = json["verdict"]?.string ?? "incorrect"
        let missing = (json["missingKeyTerms"]?.array?.compactMap(\.string) ?? [])
        return prompts.render(
            "offline-answer",
            PromptFormat.context([
                verdict: true, "answer": json["answer"]?.string ?? "", "why": json["why"]?.string ?? "",
                "missing": verdict == "partly" && !missing.isEmpty ? missing.prefix(4).joined(separator: ", ") : nil,
                "grade": json["suggestedGrade"]?.string ?? "again",
            ]))
    }

    func graded(_ json: [String: JSONValue]) -> String {
        let days = json["intervalDays"]?.double ?? 0
        let minutes = max(1, Int((days * 24 * 60).rounded()))
        let when =
            days >= 1 ? "\(Int(days.rounded())) day\(Int(days.rounded()) == 1 ? "" : "s")" : "\(minutes) minute\(minutes == 1 ? "" : "s")"
        let left = json["dueCount"]?.int ?? 0
        return prompts.render(
            "offline-graded",
            PromptFormat.context([
                "when": when, "more": left > 0 ? left : nil,
                "misconception": json["misconceptionRecorded"]?.bool == true ? true : nil,
                "resolved": (json["misconceptionsResolved"]?.int ?? 0) > 0 ? true : nil,
            ]))
    }

    func error(_ message: String) -> String {
        prompts.render("offline-error", ["error": message])
    }

    // MARK: Formatting

    static func date(_ value: JSONValue?) -> Date? {
        guard let text = value?.string else { return nil }
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
        minutes < 60 ? "\(minutes) min" : "\(PromptFormat.oneDecimal(Double(minutes) / 60)) h"
    }

    /// "1 task", "3 tasks".
    static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }

    static func months(_ value: Double) -> String {
        value >= 24 ? "\(PromptFormat.oneDecimal(value / 12)) years" : "\(Int(value.rounded())) months"
    }
}
