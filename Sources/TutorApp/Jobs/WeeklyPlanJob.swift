import Foundation
import Logging
import TutorLearning
import TutorModel
import TutorPrompts
import TutorStore
import TutorWire

/// Plans the coming week every Sunday evening and writes a short note on it.
struct WeeklyPlanJob: Job {
    let context: JobContext
    let name = "weekly-plan"
    let defaultSchedule = "sun 18:00"

    /// Plans the coming week (the occurrence's week when it falls Monday to Thursday, else the
    /// next), afresh, and writes a short note on it.
    func run(occurrence: Date) async throws -> JobOutcome {
        let zone = try context.timeZone()
        var week = ISOWeek.containing(occurrence, in: zone)
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        if calendar.component(.weekday, from: occurrence) == 1 || calendar.component(.weekday, from: occurrence) >= 6 {
            week = week.next
        }
        let plan: PlanResult
        do {
            plan = try PlanService(context: context.app).weeklyPlan(PlanParams(week: week.description, regenerate: true))
        } catch let error as AppError where error.code == .badInput {
            // Nothing to plan into yet: say what is missing instead of failing every week.
            return JobOutcome(
                summary: "not planned: \(error.message)",
                notices: [Notice(kind: "weekly-plan", title: "No plan for \(week): set your free time", body: error.message)])
        }
        let note = await weeklyNote(plan: plan, zone: zone)
        let hours = Double(plan.plannedMinutes) / 60
        let title = "Your plan for \(plan.week): \(plan.sessions.count) sessions, \(JobContext.hours(hours))"
        // The week's progress report goes beside the plan files; a failure to make it costs the plan nothing.
        var report: String?
        do {
            report = try ReportService(context: context.app).renderReport()
        } catch {
            context.logger.warning("the weekly progress report could not be made", metadata: ["error": "\(error)"])
        }
        return JobOutcome(
            summary: "planned \(plan.week): \(plan.sessions.count) sessions, \(plan.plannedMinutes) min",
            notices: [Notice(kind: "weekly-plan", title: title, body: note + "\n\n" + plan.markdown, plan: plan, report: report)])
    }

    /// A few honest sentences on the week: from the model when one is configured (template
    /// `weekly-note`), else (or when it fails) from the offline template `weekly-note-offline`.
    func weeklyNote(plan: PlanResult, zone: TimeZone) async -> String {
        var values: [String: Any] = [
            "week": plan.week, "sessions": plan.sessions.count, "plannedHours": JobContext.hours(Double(plan.plannedMinutes) / 60),
            "budgetHours": JobContext.hours(Double(plan.budgetMinutes) / 60), "notes": plan.notes,
        ]
        if let logged = try? context.store.studyLog(since: context.app.now().addingTimeInterval(-7 * 86_400)) {
            values["loggedHours"] = JobContext.hours(Double(logged.reduce(0) { $0 + $1.minutes }) / 60)
        }
        if let goals = try? GoalService(context: context.app).goals().goals {
            values["goals"] = goals.filter { $0.status == "active" }.map {
                ["title": $0.title, "done": $0.tasksDone, "total": $0.tasksTotal]
            }
        }
        if let model = context.model, model.writesFreeText {
            do {
                let request = ChatRequest(
                    messages: [.system(context.prompts.render("weekly-note", values)), .user("Write the note for \(plan.week).")],
                    maxTokens: OutputBound.noteTokens, purpose: .note)
                let text = try await model.completeText(request)
                if !text.isEmpty { return text }
            } catch {
                context.logger.warning("the model could not write the weekly note; using the offline one", metadata: ["error": "\(error)"])
            }
        }
        return context.prompts.render("weekly-note-offline", values)
    }
}
