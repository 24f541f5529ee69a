import Foundation
import Testing
import TutorLearning

/// Shared fixtures and checks for the weekly-scheduler tests.
enum WeeklyFixtures {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let utc = TimeZone(identifier: "UTC")!
    /// Monday 30 November to Sunday 6 December 2026.
    static let week = try! ISOWeek.parse("2026-W49")

    static func calendar(_ zone: TimeZone = paris) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// A local wall-clock instant.
    static func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0, in zone: TimeZone = paris) -> Date {
        calendar(zone).date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    static func windows(_ lines: String...) -> [AvailabilityWindow] {
        lines.flatMap { try! AvailabilityWindow.parse($0) }
    }

    /// The acceptance learner: a programmer's twelve skills with a realistic prerequisite chain and a project.
    ///
    /// Skills 1–6 have learn, practice and check tasks; skills 7–12 learn and practice; the project has two tasks.
    /// "xcode-setup" is done already; "swift-basics" is started. The tasks are returned in scrambled order.
    static func programmerTasks() -> [SchedulableTask] {
        let skills: [(id: String, prerequisites: [String])] = [
            ("swift-basics", ["xcode-setup"]),
            ("optionals", ["swift-basics"]),
            ("collections", ["swift-basics"]),
            ("functions", ["swift-basics"]),
            ("closures", ["functions", "collections"]),
            ("structs-classes", ["functions"]),
            ("protocols", ["structs-classes"]),
            ("generics", ["protocols", "closures"]),
            ("error-handling", ["functions", "optionals"]),
            ("testing", ["error-handling"]),
            ("async-await", ["closures", "error-handling"]),
            ("actors", ["async-await", "structs-classes"]),
        ]
        var tasks: [SchedulableTask] = []
        var id: Int64 = 100
        for (position, skill) in skills.enumerated() {
            let kinds: [TaskKind] = position < 6 ? [.learn, .practice, .check] : [.learn, .practice]
            for (step, kind) in kinds.enumerated() {
                let minutes = kind == .check ? 20 : 30 + (position * 13 + step * 7) % 40
                tasks.append(
                    SchedulableTask(
                        id: id, skillId: skill.id, kind: kind, title: "\(kind.rawValue.capitalized) \(skill.id)",
                        remainingMinutes: minutes, isStarted: skill.id == "swift-basics", prerequisiteSkillIDs: skill.prerequisites,
                        order: position * 10 + step))
                id += 1
            }
        }
        for (step, (title, minutes)) in [("Design the CLI todo app", 60), ("Build the CLI todo app", 180)].enumerated() {
            tasks.append(
                SchedulableTask(
                    id: id, projectId: "cli-todo", kind: .project, title: title, remainingMinutes: minutes,
                    prerequisiteSkillIDs: ["testing", "async-await"], order: 200 + step))
            id += 1
        }
        // Any input order must do: interleave from both ends.
        var scrambled: [SchedulableTask] = []
        var low = 0
        var high = tasks.count - 1
        while low <= high {
            scrambled.append(tasks[high])
            if low != high { scrambled.append(tasks[low]) }
            low += 1
            high -= 1
        }
        return scrambled
    }

    static func programmerRequest(notBefore: Date? = nil) -> WeeklyPlanRequest {
        WeeklyPlanRequest(
            week: week, timeZone: paris, windows: windows("mon-fri 19:00-21:00", "sat 09:00-12:00"), hoursPerWeek: 10,
            tasks: programmerTasks(), doneSkillIDs: ["xcode-setup"], dueReviewCount: 40, notBefore: notBefore)
    }

    /// Local day (days since 1970 in the zone), minute of the day for the start and minute of that same day for the end.
    static func localSpan(_ session: PlannedSession, in zone: TimeZone) -> (day: DateComponents, weekday: Int, start: Int, end: Int) {
        let calendar = calendar(zone)
        let dayStart = calendar.startOfDay(for: session.start)
        let day = calendar.dateComponents([.year, .month, .day], from: session.start)
        let startParts = calendar.dateComponents([.hour, .minute], from: session.start)
        let endParts = calendar.dateComponents([.hour, .minute], from: session.end)
        let endDay = calendar.startOfDay(for: session.end)
        let start = startParts.hour! * 60 + startParts.minute!
        var end = endParts.hour! * 60 + endParts.minute!
        if endDay > dayStart { end += 1440 }
        let weekday = (calendar.component(.weekday, from: session.start) + 5) % 7 + 1
        return (day, weekday, start, end)
    }

    /// Checks every rule the scheduler promises; returns the problems found, in plain words.
    static func violations(of plan: WeeklyPlan, for request: WeeklyPlanRequest) -> [String] {
        var problems: [String] = []
        let settings = request.settings
        let budget = Int((request.hoursPerWeek * 60 * (1 - settings.bufferFraction) + 1e-9).rounded(.down))
        let cap = settings.dailyCapMinutes ?? min(240, max(120, budget * 2 / 5))
        let tasks = Dictionary(uniqueKeysWithValues: request.tasks.map { ($0.id, $0) })
        var skillTasks: [String: [Int64]] = [:]
        for task in request.tasks { if let skill = task.skillId { skillTasks[skill, default: []].append(task.id) } }
        var placed: [Int64: Int] = [:]
        var startedSkills = Set(request.tasks.filter(\.isStarted).compactMap(\.skillId))
        var minutesPerDay: [DateComponents: Int] = [:]
        var newSkillsPerDay: [DateComponents: Int] = [:]
        var reviewsLeft = request.dueReviewCount
        var seenDays: Set<DateComponents> = []
        var previousEnd: Date?

        func skillComplete(_ skill: String) -> Bool {
            (skillTasks[skill] ?? []).allSatisfy { placed[$0, default: 0] >= tasks[$0]!.remainingMinutes }
        }

        for session in plan.sessions {
            let span = localSpan(session, in: request.timeZone)
            if let previousEnd, session.start < previousEnd { problems.append("session at \(session.start) overlaps the previous one") }
            previousEnd = session.end
            if ISOWeek.containing(session.start, in: request.timeZone) != request.week {
                problems.append("session \(session.start) outside week")
            }
            if !request.windows.contains(where: { $0.weekday == span.weekday && $0.startMinute <= span.start && span.end <= $0.endMinute })
            {
                problems.append("session \(span) is outside every window")
            }
            if let notBefore = request.notBefore, session.start < notBefore { problems.append("session \(session.start) before notBefore") }
            let minutes = Int(session.end.timeIntervalSince(session.start) / 60)
            if !(settings.minimumSessionMinutes...settings.maximumSessionMinutes).contains(minutes) {
                problems.append("session of \(minutes) min at \(span)")
            }
            if session.items.reduce(0, { $0 + $1.minutes }) > minutes { problems.append("items overflow session \(span)") }
            minutesPerDay[span.day, default: 0] += minutes

            let firstOfDay = seenDays.insert(span.day).inserted
            if firstOfDay && reviewsLeft > 0 {
                if session.items.first?.kind != .review {
                    problems.append("first session of \(span.day) does not start with reviews")
                } else {
                    let expected = min(
                        settings.maximumReviewMinutesPerSession, Int((Double(reviewsLeft) * settings.reviewMinutesPerItem).rounded(.up)))
                    if session.items[0].minutes != expected {
                        problems.append("review block of \(session.items[0].minutes) min, expected \(expected)")
                    }
                }
            }
            for (position, item) in session.items.enumerated() {
                if item.kind == .review {
                    if position != 0 { problems.append("review not first in session \(span)") }
                    reviewsLeft -= item.reviewCount ?? 0
                    continue
                }
                guard let id = item.taskId, let task = tasks[id] else {
                    problems.append("item without a known task")
                    continue
                }
                for prerequisite in task.prerequisiteSkillIDs where prerequisite != task.skillId {
                    if !request.doneSkillIDs.contains(prerequisite) && !skillComplete(prerequisite) {
                        problems.append("\(task.title) placed before prerequisite \(prerequisite) is complete")
                    }
                }
                if let skill = task.skillId {
                    let rank: (TaskKind) -> Int = { [.learn: 0, .practice: 1, .check: 2][$0] ?? 3 }
                    for otherID in skillTasks[skill] ?? [] where rank(tasks[otherID]!.kind) < rank(task.kind) {
                        if placed[otherID, default: 0] < tasks[otherID]!.remainingMinutes {
                            problems.append("\(task.title) placed before \(tasks[otherID]!.title) of the same skill")
                        }
                    }
                    if startedSkills.insert(skill).inserted { newSkillsPerDay[span.day, default: 0] += 1 }
                }
                placed[id, default: 0] += item.minutes
            }
        }
        if reviewsLeft < 0 { problems.append("more reviews planned than due") }
        let total = plan.sessions.reduce(0) { $0 + Int($1.end.timeIntervalSince($1.start) / 60) }
        if total != plan.plannedMinutes { problems.append("plannedMinutes \(plan.plannedMinutes) but sessions hold \(total)") }
        if total > budget { problems.append("planned \(total) min over the \(budget) min budget") }
        for (day, minutes) in minutesPerDay where minutes > cap { problems.append("\(minutes) min on \(day), cap \(cap)") }
        for (day, count) in newSkillsPerDay where count > settings.maximumNewSkillsPerDay {
            problems.append("\(count) new skills on \(day)")
        }
        for task in request.tasks {
            let done = placed[task.id, default: 0]
            if done > task.remainingMinutes { problems.append("\(task.title) over-placed") }
            if (done < task.remainingMinutes) != plan.unplacedTaskIDs.contains(task.id) {
                problems.append("\(task.title): \(done) of \(task.remainingMinutes) min placed, unplaced list disagrees")
            }
        }
        return problems
    }
}
