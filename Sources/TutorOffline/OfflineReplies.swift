import Foundation
import TutorApp
import TutorCatalogue
import TutorDialogue
import TutorPrompts
import TutorStore
import TutorToolAdapters
import TutorTools
import TutorWire

/// The offline model's answers, written from tool results read back as the types the tools
/// return (``ToolOutput/view(_:)``).
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
    /// - Throws: `DecodingError` when the output is not of the type the reply reads.
    func render(_ tool: ToolName, _ output: ToolOutput, asking: Bool, notesFound: Bool) throws -> String? {
        switch tool {
        case .weeklyPlan: try plan(output.view())
        case .listTasks: try tasks(output.view())
        case .progressSummary: try progress(output.view())
        case .forecast: try forecast(output.view())
        case .logStudy: try logged(output.view())
        case .completeTask: try completed(output.view())
        case .addGoal: try goal(output.view())
        case .catalogueSearch:
            try output.view(CatalogueSearchResult.self).hits.allSatisfy { $0.score < IntentReader.minimumTopicScore } && !notesFound
                ? prompts.render("offline-not-found") : nil
        case .catalogueShow: try explain(output.view(), asking: asking)
        case .searchNotes: nil
        case .askQuestion: try question(output.view())
        case .giveHint: try hint(output.view())
        case .checkAnswer: try checked(output.view())
        case .skipQuestion: prompts.render("offline-skipped")
        case .placementStart, .placementAnswer: try setup(output.view(), starting: tool == .placementStart)
        case .placementCancel: prompts.render("offline-setup", ["cancelled": true])
        case .recordReview: try graded(output.view())
        case .updateProfile: try profile(output.view())
        case .correctLog: try corrected(output.view())
        case .explainOrder: try order(output.view())
        case .testOut: try testOut(output.view())
        case .reopenTasks: try reopened(output.view())
        case .changeGoal: try goalChanged(output.view())
        case .recordEvidence: try evidence(output.view())
        // Tools the offline model never calls (they need a model's judgement or show nothing of their own).
        case .dueReviews, .proposePlan, .acceptPlan, .addQuizItem: prompts.render("offline-done")
        }
    }

    func plan(_ plan: PlanResult) -> String {
        let zone = TimeZone(identifier: plan.timeZone) ?? .gmt
        guard !plan.sessions.isEmpty else {
            return prompts.render("offline-nothing-planned", PromptFormat.context(["week": plan.week, "note": plan.notes.first]))
        }
        let lines = plan.sessions.map { session -> [String: Any] in
            let items = session.items.map { item -> [String: Any] in
                [
                    // A review's title says it already ("Review 4 due items"): no label.
                    "label": item.kind == "review" ? false : Self.label(item.kind),
                    "title": item.title,
                    "minutes": item.minutes,
                ]
            }
            return [
                "day": Self.day(session.start, zone), "start": Self.clock(session.start, zone), "end": Self.clock(session.end, zone),
                "items": items,
            ]
        }
        return prompts.render(
            "offline-plan",
            [
                "week": plan.week, "sessionCount": Self.count(plan.sessions.count, "session"), "total": Self.hours(plan.plannedMinutes),
                "sessions": lines,
                "notes": plan.notes,
            ])
    }

    func tasks(_ list: TaskListResult) -> String {
        let tasks = list.tasks.map { task -> [String: Any] in
            ["id": Int(task.id), "title": task.title, "minutes": task.estimateMinutes]
        }
        return prompts.render("offline-tasks", ["tasks": tasks])
    }

    func progress(_ progress: ProgressResult) -> String {
        let stages = progress.stages.map { stage -> [String: Any] in
            [
                "title": stage.title,
                "mastered": stage.skillsMastered,
                "total": stage.skillsTotal,
                "hoursLogged": PromptFormat.oneDecimal(stage.hoursLogged),
                "hoursEstimated": Int(stage.hoursEstimated.rounded()),
            ]
        }
        let revisit = progress.misconceptions.count
        return prompts.render(
            "offline-progress",
            PromptFormat.context([
                "stages": stages, "logged": Self.hours(progress.minutesLogged), "revisit": revisit > 0 ? revisit : nil,
                "hasGoals": (progress.goals ?? []).isEmpty ? nil : true,
                "goals": (progress.goals ?? []).map { goal in
                    ["title": goal.title, "status": goal.status, "done": goal.tasksDone, "total": goal.tasksTotal] as [String: Any]
                },
            ]))
    }

    func forecast(_ forecast: ForecastResult) -> String {
        let milestones = forecast.milestones.map { milestone -> [String: Any] in
            PromptFormat.context([
                "title": milestone.title,
                "from": Self.months(milestone.monthsFrom),
                "to": Self.months(milestone.monthsTo),
                "experienceYears": milestone.experienceYears,
            ])
        }
        return prompts.render(
            "offline-forecast",
            [
                "pace": PromptFormat.oneDecimal(forecast.hoursPerWeek), "paceSource": forecast.paceSource, "milestones": milestones,
                "notes": forecast.notes,
            ])
    }

    func logged(_ log: StudyLogResult) -> String {
        prompts.render(
            "offline-logged",
            PromptFormat.context(["minutes": log.minutes, "skill": log.skillId, "week": Self.hours(log.weekMinutes)]))
    }

    func profile(_ change: ProfileChangeView) -> String {
        prompts.render(
            "offline-profile",
            PromptFormat.context([
                "hours": change.changedHours ? PromptFormat.oneDecimal(change.hoursPerWeek) : nil,
                "hasWindows": change.changedAvailability ? true : nil,
                "windows": change.availability,
            ]))
    }

    func corrected(_ correction: StudyLogCorrection) -> String {
        prompts.render(
            "offline-log-corrected",
            PromptFormat.context([
                "removed": correction.removed ? true : nil, "before": correction.minutesBefore, "now": correction.minutesNow,
                "skill": correction.skillId, "week": Self.hours(correction.weekMinutes),
            ]))
    }

    func order(_ order: TaskOrderView) -> String {
        let skills = order.skills.map { skill -> [String: Any] in
            let after = skill.prerequisites.map { prerequisite -> String in
                switch prerequisite.status {
                case "done": "\(prerequisite.title) (done)"
                case "earlier": "\(prerequisite.title) (earlier in your list)"
                default: "\(prerequisite.title) (known or outside this goal)"
                }
            }
            return PromptFormat.context([
                "position": skill.position, "title": skill.title, "stage": skill.stage,
                "after": after.isEmpty ? nil : after.joined(separator: ", "),
                "unlocks": skill.unlocks.isEmpty ? nil : skill.unlocks.joined(separator: ", "),
            ])
        }
        if let chain = order.chain {
            return prompts.render(
                "offline-order-chain",
                PromptFormat.context([
                    "from": chain.from, "to": chain.to, "linked": chain.steps.isEmpty ? nil : true,
                    "steps": chain.steps.joined(separator: " → "), "direct": chain.steps.count == 2 ? true : nil, "why": chain.why,
                    "reversed": chain.reversed,
                ]))
        }
        return prompts.render(
            "offline-order",
            PromptFormat.context(["any": skills.isEmpty ? nil : true, "skills": skills, "notOnList": order.notOnList, "rule": order.rule]))
    }

    /// A test-out's step: the question to answer, the last answer checked, how it ended.
    func testOut(_ step: TestOutView) -> String {
        // "unknown-skill" → "unknownSkill", a section name the template can use.
        let parts = step.outcome.split(separator: "-").map(String.init)
        let outcome = (parts.first ?? "") + parts.dropFirst().map(\.capitalized).joined()
        let checked = step.checked.map { checked -> [String: Any] in [checked.verdict: true, "answer": checked.answer] }
        return prompts.render(
            "offline-test-out",
            PromptFormat.context([
                outcome: true, "skill": step.skillTitle, "question": step.question, "number": step.number, "of": step.of,
                "needed": step.needed, "right": step.correct, "answered": step.answered, "checked": checked,
                "repeated": step.repeated ? true : nil, "first": step.answered == 0 ? true : nil,
                "tasks": Self.count(step.tasksTakenOff, "task"), "hours": Self.hours(step.minutesTakenOff), "kept": step.tasksKept,
                "review": step.review.prefix(3).map { $0.hasPrefix("can ") ? String($0.dropFirst(4)) : $0 },
                "suggestions": step.suggestions.isEmpty ? nil : step.suggestions.joined(separator: ", "),
            ]))
    }

    /// Finished tasks reopened (and, for "I meant…", others marked done).
    func reopened(_ change: TaskReopening) -> String {
        func rows(_ tasks: [TaskView]) -> [[String: Any]]? {
            tasks.isEmpty ? nil : tasks.map { ["id": Int($0.id), "title": $0.title, "minutes": $0.estimateMinutes] }
        }
        let alreadyOpen = change.alreadyOpen.map { "#\($0)" }
        return prompts.render(
            "offline-tasks-reopened",
            PromptFormat.context([
                "reopened": rows(change.reopened), "finished": rows(change.finished),
                "alreadyOpen": alreadyOpen.isEmpty ? nil : alreadyOpen.joined(separator: ", "),
                "open": change.openTasks, "hours": Self.hours(change.openMinutes),
            ]))
    }

    /// A goal paused, resumed or dropped, or the goals to choose from.
    func goalChanged(_ change: GoalStatusChange) -> String {
        let goals = change.goals.map { goal -> [String: Any] in ["id": Int(goal.id), "title": goal.title, "status": goal.status] }
        return prompts.render(
            "offline-goal-status",
            PromptFormat.context([
                change.outcome: true, "action": change.action, "title": change.goal?.title, "status": change.goal?.status,
                "tasks": change.openTasks, "hours": Self.hours(change.openMinutes), "goals": goals,
            ]))
    }

    func completed(_ task: TaskView) -> String {
        prompts.render("offline-completed", ["id": Int(task.id), "title": task.title])
    }

    /// Evidence recorded for a hands-on item, and the mastery that follows.
    func evidence(_ checklist: ChecklistView) -> String {
        prompts.render(
            "offline-evidence",
            [
                "title": checklist.title, "done": checklist.handsOnDone, "total": checklist.handsOnTotal, "status": checklist.status,
                "reason": checklist.reason,
            ])
    }

    func goal(_ added: GoalAddedView) -> String {
        prompts.render(
            "offline-goal",
            [
                "title": added.goal.title, "taskCount": added.newTasks, "hours": Self.hours(added.goal.minutesEstimated),
                "replaced": (added.replaced ?? []).map { "\"\($0)\"" }.joined(separator: ", "),
            ])
    }

    /// A roadmap entry explained; `asking` when a check question follows (the template then leaves its own out).
    func explain(_ entry: CatalogueEntryView, asking: Bool) -> String {
        var context: [String: Any] = [
            "id": entry.id,
            "title": entry.title,
            "stage": entry.stage ?? "roadmap",
            "description": entry.description,
            "checklist": entry.checklist.map { $0.hasPrefix("can ") ? $0 : "can \($0)" },
            // One check question from the first checklist item ("can explain X" → "explain X").
            "check": entry.checklist.first.map { $0.hasPrefix("can ") ? String($0.dropFirst(4)) : $0 } as Any,
            "prerequisites": entry.prerequisites,
            "resources": entry.resources.prefix(3).map { resource -> [String: Any] in
                ["title": resource.title, "url": resource.url]
            },
        ]
        if let low = entry.hoursMin, let high = entry.hoursMax {
            context["hours"] = ["low": Int(low), "high": Int(high)]
        }
        if asking { context["asking"] = true }
        return prompts.render("offline-explain", context)
    }

    /// Passages from the learner's notes, each with its citation and the line that best matches `query`.
    func notes(_ passages: [RetrievedPassages.Passage], query: String) -> String {
        let words = Set(query.lowercased().split { !$0.isLetter && !$0.isNumber }.filter { $0.count > 2 }.map(String.init))
        let items = passages.prefix(3).map { passage -> [String: Any] in
            let lines = passage.quoted.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix("```") }
            let best = lines.max { a, b in Self.overlap(a, words) < Self.overlap(b, words) } ?? ""
            let excerpt = best.count > 220 ? String(best.prefix(219)) + "…" : best
            return ["citation": passage.citation, "excerpt": excerpt]
        }
        return prompts.render("offline-notes", ["passages": items])
    }

    private static func overlap(_ line: String, _ words: Set<String>) -> Int {
        Set(line.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)).intersection(words).count
    }

    /// A question put to the learner, with an earlier wrong answer on its skill when there is one.
    func question(_ asked: AskedQuestionView) -> String {
        guard let item = asked.question else { return prompts.render("offline-question") }
        let misconception = item.misconception.map { m -> [String: Any] in
            ["said": m.said, "expected": m.expected, "question": m.question]
        }
        return prompts.render(
            "offline-question",
            PromptFormat.context([
                "asked": true, "skillTitle": item.skillTitle, "question": item.question, "due": item.dueCount,
                "repeated": item.repeated ? true : nil, "check": item.kind == "check" ? true : nil, "misconception": misconception,
            ]))
    }

    func hint(_ hint: HintView) -> String {
        prompts.render("offline-hint", PromptFormat.context(["hint": hint.hint, "level": hint.level, "of": hint.of]))
    }

    /// A step of the first-run setup: what was wrong with the last reply, the check of a
    /// foundation answer, and the next question; or, at the end, what was saved and the timeline.
    func setup(_ step: PlacementStepView, starting: Bool) -> String {
        var context: [String: Any?] = [
            step.step: true, "welcome": starting && step.started == true ? true : nil,
            "resumed": starting && step.started == false ? true : nil,
            "hoursChanged": step.hoursChanged.map(PromptFormat.oneDecimal),
            "backgroundTaken": step.backgroundTaken.map {
                $0 == "data-scientist" ? "data scientist" : $0 == "beginner" ? "new to programming" : $0
            },
            "problem": step.problem.map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 },
            "question": step.ask, "index": step.probe, "count": step.probes, "goalChanged": step.goalChanged,
            "goalAssumed": step.goalAssumed,
        ]
        if let checked = step.checked {
            context["checked"] = [checked.verdict: true, "answer": checked.answer]
        }
        if let result = step.result {
            let profile = result.profile
            context["saved"] = [
                "background": profile.background, "hours": PromptFormat.oneDecimal(profile.hoursPerWeek),
                "track": profile.track ?? "none", "timeZone": profile.timeZone, "goal": result.goal,
                "tasks": Self.count(result.tasks, "task"),
                "summary": result.summary,
            ]
        }
        return prompts.render("offline-setup", PromptFormat.context(context))
    }

    /// The setup's current question again, after a request that has to wait until the setup is done
    /// (or stopped), or after thanks (`thanked`).
    func setupAside(_ draft: PlacementDraftRecord, catalogue: Catalogue, thanked: Bool = false) -> String {
        var context: [String: Any?] = [draft.step: true, thanked ? "thanked" : "aside": true]
        if draft.step == "probe", draft.questions.indices.contains(draft.answers.count) {
            context["question"] = catalogue.skill(draft.questions[draft.answers.count])?.quiz.first?.question
            context["index"] = draft.answers.count + 1
            context["count"] = draft.questions.count
        }
        return prompts.render("offline-setup", PromptFormat.context(context))
    }

    /// The learner's answer checked: the verdict, the model answer and the grade to confirm.
    func checked(_ check: AnswerCheckView) -> String {
        let missing = check.missingKeyTerms
        return prompts.render(
            "offline-answer",
            PromptFormat.context([
                check.verdict: true, "answer": check.answer, "why": check.why,
                "missing": check.verdict == "partly" && !missing.isEmpty ? missing.prefix(4).joined(separator: ", ") : nil,
                "grade": check.suggestedGrade,
            ]))
    }

    func graded(_ graded: GradedAnswerView) -> String {
        let days = graded.intervalDays
        let minutes = max(1, Int((days * 24 * 60).rounded()))
        let when =
            days >= 1 ? "\(Int(days.rounded())) day\(Int(days.rounded()) == 1 ? "" : "s")" : "\(minutes) minute\(minutes == 1 ? "" : "s")"
        let left = graded.dueCount
        return prompts.render(
            "offline-graded",
            PromptFormat.context([
                "when": when, "more": left > 0 ? left : nil, "misconception": graded.misconceptionRecorded ? true : nil,
                "resolved": graded.misconceptionsResolved > 0 ? true : nil,
            ]))
    }

    func error(_ message: String) -> String {
        prompts.render("offline-error", ["error": message])
    }

    // MARK: Formatting

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
        if value >= 24 { return "\(PromptFormat.oneDecimal(value / 12)) years" }
        let months = Int(value.rounded())
        return months == 1 ? "1 month" : "\(months) months"
    }
}
