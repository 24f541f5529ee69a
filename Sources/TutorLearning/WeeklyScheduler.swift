import Foundation

/// Places pending tasks and due reviews into a learner's free time for one ISO week.
///
/// The scheduler works in three steps, all deterministic:
/// 1. Each day's usable time is the availability windows of that weekday (merged where they overlap, clipped to
///    `notBefore`), each window cut into sessions of 25–120 minutes separated by breaks, capped per day.
/// 2. The weekly budget (hours × 60 × (1 − buffer)) is spread evenly over the usable days; a day that cannot use
///    its share (nothing eligible yet) passes it on to the next days.
/// 3. Sessions are filled in time order: due reviews first in each day's first session, then the eligible task
///    with the lowest `order` (a task already split continues first). A task is eligible once its prerequisite
///    skills are done or fully placed earlier, the earlier tasks of its skill (learn, then practice, then check)
///    are fully placed, and starting its skill keeps the day within the new-skill limit. Tasks larger than the
///    time left are split into parts of at least 15 minutes.
public enum WeeklyScheduler {
    /// Plans `request.week`; never fails: when nothing can be placed the plan is empty and its notes say why.
    public static func plan(_ request: WeeklyPlanRequest) -> WeeklyPlan {
        var run = SchedulerRun(request)
        return run.plan()
    }
}

/// A window of one day, as absolute instants, with the session minutes it can hold.
private struct DayWindow {
    var start: Date
    var end: Date
    var minutes: Int
    var capacity: Int
}

/// The state of one scheduling run.
private struct SchedulerRun {
    let request: WeeklyPlanRequest
    let calendar: Calendar
    let minimumSession: Int
    let maximumSession: Int
    let breakMinutes: Int
    let buffer: Double
    let budget: Int
    let dailyCap: Int
    let maximumNewSkills: Int
    let reviewMinutesPerItem: Double
    let maximumReviewMinutes: Int
    let minimumPiece: Int
    let notBefore: Date?

    /// Tasks with work left, sorted by (order, id).
    let tasks: [SchedulableTask]
    /// Minutes still to place, by index into `tasks`.
    var remaining: [Int]
    /// Pieces placed so far, by index into `tasks`.
    var pieces: [Int]
    /// Indices of the tasks that must be fully placed before each task (its skill's or project's earlier tasks).
    let predecessors: [[Int]]
    /// Minutes still to place per skill that has tasks in the request.
    var skillRemaining: [String: Int]
    /// Skills already worked on, before or earlier this week.
    var startedSkills: Set<String>
    let dueReviews: Int
    var reviewsLeft: Int

    init(_ request: WeeklyPlanRequest) {
        self.request = request
        let settings = request.settings
        calendar = ISOWeekMath.calendar(request.timeZone)
        // Out-of-range settings are clamped to what a day can hold, so the arithmetic below cannot overflow.
        minimumSession = min(1440, max(5, settings.minimumSessionMinutes))
        maximumSession = min(1440, max(minimumSession, settings.maximumSessionMinutes))
        breakMinutes = min(1440, max(0, settings.breakMinutes))
        buffer = settings.bufferFraction.isFinite ? min(0.95, max(0, settings.bufferFraction)) : 0.15
        let hours = request.hoursPerWeek.isFinite ? min(168, max(0, request.hoursPerWeek)) : 0
        budget = Int((hours * 60 * (1 - buffer) + 1e-9).rounded(.down))
        dailyCap = min(1440, max(0, settings.dailyCapMinutes ?? min(240, max(120, budget * 2 / 5))))
        maximumNewSkills = max(0, settings.maximumNewSkillsPerDay)
        reviewMinutesPerItem =
            settings.reviewMinutesPerItem.isFinite && settings.reviewMinutesPerItem > 0 ? settings.reviewMinutesPerItem : 1.5
        maximumReviewMinutes = min(1440, max(0, settings.maximumReviewMinutesPerSession))
        minimumPiece = min(15, minimumSession)
        notBefore = request.notBefore.map { Date(timeIntervalSince1970: ($0.timeIntervalSince1970 / 300).rounded(.up) * 300) }

        var ids: Set<Int64> = []
        let tasks = request.tasks.filter { $0.remainingMinutes > 0 }.sorted { ($0.order, $0.id) < ($1.order, $1.id) }
            .filter { ids.insert($0.id).inserted }
            .map { task in
                var task = task
                task.remainingMinutes = min(task.remainingMinutes, Self.largestTask)
                return task
            }
        self.tasks = tasks
        remaining = tasks.map(\.remainingMinutes)
        pieces = Array(repeating: 0, count: tasks.count)
        var streams: [String: [Int]] = [:]
        for (index, task) in tasks.enumerated() {
            streams[Self.streamKey(task), default: []].append(index)
        }
        var predecessors = Array(repeating: [Int](), count: tasks.count)
        for members in streams.values {
            let sequence = members.sorted { (Self.kindRank(tasks[$0].kind), $0) < (Self.kindRank(tasks[$1].kind), $1) }
            for (position, index) in sequence.enumerated() {
                predecessors[index] = Array(sequence[..<position])
            }
        }
        self.predecessors = predecessors
        var skillRemaining: [String: Int] = [:]
        var started: Set<String> = []
        for task in tasks {
            guard let skill = task.skillId else { continue }
            skillRemaining[skill, default: 0] += task.remainingMinutes
            if task.isStarted { started.insert(skill) }
        }
        self.skillRemaining = skillRemaining
        startedSkills = started
        dueReviews = min(Self.largestTask, max(0, request.dueReviewCount))
        reviewsLeft = dueReviews
    }

    /// Larger task estimates (and review counts) are treated as this many minutes (items), far beyond any week.
    static let largestTask = 1_000_000

    // MARK: Planning

    mutating func plan() -> WeeklyPlan {
        if let reason = nothingToPlanReason() {
            return emptyPlan(notes: [reason])
        }
        let days = (0..<7).map(dayWindows)
        let dayCapacities = days.map { windows in
            let total = min(dailyCap, windows.reduce(0) { $0 + $1.capacity })
            return total >= minimumSession ? total : 0
        }
        let rawCapacity = days.joined().reduce(0) { $0 + $1.capacity }
        guard dayCapacities.contains(where: { $0 > 0 }) else {
            return emptyPlan(notes: [noUsableTimeReason(rawCapacity: rawCapacity)])
        }

        let shares = allocate(budget, over: dayCapacities)
        var sessions: [PlannedSession] = []
        var carry = 0
        var paddedSessions = 0
        for day in 0..<7 {
            let available = shares[day] + carry
            let target = min(dayCapacities[day], available)
            var used = 0
            if target >= minimumSession {
                var newSkillsToday = 0
                for (index, slot) in layOut(target, in: days[day]).enumerated() {
                    let items = fill(minutes: slot.minutes, firstOfDay: index == 0, newSkillsToday: &newSkillsToday)
                    let work = items.reduce(0) { $0 + $1.minutes }
                    guard work > 0 else { continue }
                    if work < minimumSession { paddedSessions += 1 }
                    let length = max(work, minimumSession)
                    sessions.append(
                        PlannedSession(start: slot.start, end: slot.start.addingTimeInterval(Double(length) * 60), items: items))
                    used += length
                }
            }
            carry = available - used
        }
        numberParts(&sessions)

        let planned = sessions.reduce(0) { $0 + $1.minutes }
        let unplaced = tasks.indices.filter { remaining[$0] > 0 }
        var notes: [String] = []
        if let notBefore {
            notes.append("Re-planned from \(localLabel(notBefore)): earlier time this week is left out.")
        }
        let cappedCapacity = dayCapacities.reduce(0, +)
        if rawCapacity < budget {
            let left = notBefore == nil ? "" : " left this week"
            notes.append(
                "Your windows\(left) hold \(Self.duration(rawCapacity)) but you set \(Self.hours(request.hoursPerWeek)) a week "
                    + "(\(Self.duration(budget)) after the \(Self.percent(buffer)) buffer): \(Self.duration(planned)) planned. "
                    + "Add windows to plan more."
            )
        } else if cappedCapacity < budget {
            notes.append(
                "The daily cap of \(Self.duration(dailyCap)) leaves room for \(Self.duration(cappedCapacity)) of your "
                    + "\(Self.duration(budget)) budget: \(Self.duration(planned)) planned."
            )
        }
        if unplaced.isEmpty {
            if !tasks.isEmpty {
                notes.append("Every pending task fits: \(Self.duration(planned)) planned of a \(Self.duration(budget)) budget.")
            }
        } else {
            let minutes = unplaced.reduce(0) { $0 + remaining[$1] }
            let count = unplaced.count
            notes.append(
                "\(count) \(count == 1 ? "task" : "tasks") (\(Self.duration(minutes)) of work) did not fit this week and carry over."
            )
            let blocked = unplaced.filter { !prerequisitesMet(tasks[$0]) }.count
            if blocked > 0 {
                notes.append(
                    "\(blocked) of them \(blocked == 1 ? "waits" : "wait") on prerequisite skills that are not finished this week."
                )
            }
        }
        if reviewsLeft > 0 {
            notes.append("\(reviewsLeft) of \(dueReviews) due reviews did not fit; they stay due.")
        }
        if paddedSessions > 0 {
            notes.append(
                "\(paddedSessions == 1 ? "One session has" : "\(paddedSessions) sessions have") less than \(minimumSession) min of "
                    + "planned work; use the spare minutes to review or read ahead."
            )
        }
        return WeeklyPlan(
            week: request.week.description, timeZone: request.timeZone.identifier, sessions: sessions, plannedMinutes: planned,
            budgetMinutes: budget, unplacedTaskIDs: unplaced.map { tasks[$0].id }, notes: notes
        )
    }

    /// Why nothing at all can be planned, before looking at the windows in detail.
    func nothingToPlanReason() -> String? {
        let hours = request.hoursPerWeek
        if request.windows.isEmpty {
            return "No free-time windows are set, so nothing is planned. Add the times you can study, "
                + "e.g. \"mon-fri 19:00-21:00\" or \"sat 9:00-12:00\"."
        }
        if !hours.isFinite || hours <= 0 {
            return "You set \(hours.isFinite ? Self.hours(hours) : "no hours") a week, so nothing is planned. "
                + "Set the hours you can study each week, e.g. 5."
        }
        if budget < minimumSession {
            return "\(Self.hours(hours)) a week leaves \(Self.duration(budget)) after the \(Self.percent(buffer)) buffer, "
                + "less than one \(minimumSession)-minute session, so nothing is planned. Set more hours a week."
        }
        if dailyCap < minimumSession {
            return "The daily cap of \(dailyCap) min is shorter than one \(minimumSession)-minute session, so nothing is planned. "
                + "Raise the daily cap."
        }
        if tasks.isEmpty && reviewsLeft == 0 {
            return "Nothing to plan: there are no pending tasks and no reviews due. Add a goal to get new tasks."
        }
        return nil
    }

    /// Why the windows give no usable time this week.
    func noUsableTimeReason(rawCapacity: Int) -> String {
        let weekEnd = ISOWeekMath.startOfDay(request.week.firstDayNumber + 7, calendar: calendar)
        if let notBefore, notBefore >= weekEnd {
            return "\(request.week) is over at \(localLabel(notBefore)), so nothing is planned. Plan \(request.week.next) instead."
        }
        if let notBefore {
            return "No window of at least \(minimumSession) min is left this week after \(localLabel(notBefore)), so nothing is planned. "
                + "Add a window later this week or plan \(request.week.next)."
        }
        return "None of your windows is long enough for a \(minimumSession)-minute session, so nothing is planned. "
            + "Use longer windows, e.g. \"mon 19:00-20:00\"."
    }

    func emptyPlan(notes: [String]) -> WeeklyPlan {
        WeeklyPlan(
            week: request.week.description, timeZone: request.timeZone.identifier, sessions: [], plannedMinutes: 0, budgetMinutes: budget,
            unplacedTaskIDs: tasks.map(\.id), notes: notes
        )
    }

    // MARK: Time

    /// The usable windows of day `day` (0 = Monday): merged, turned into instants, clipped to `notBefore`.
    func dayWindows(_ day: Int) -> [DayWindow] {
        let dayNumber = request.week.firstDayNumber + day
        let ranges = request.windows.filter { $0.weekday == day + 1 }.map { ($0.startMinute, $0.endMinute) }.sorted { $0 < $1 }
        var merged: [(Int, Int)] = []
        for range in ranges {
            if let last = merged.last, range.0 <= last.1 {
                merged[merged.count - 1].1 = max(last.1, range.1)
            } else {
                merged.append(range)
            }
        }
        return merged.compactMap { range in
            var start = ISOWeekMath.localDate(day: dayNumber, minute: range.0, calendar: calendar)
            let end = ISOWeekMath.localDate(day: dayNumber, minute: range.1, calendar: calendar)
            if let notBefore, notBefore > start { start = notBefore }
            let minutes = Int((end.timeIntervalSince(start) / 60).rounded(.down))
            let capacity = windowCapacity(minutes)
            guard capacity >= minimumSession else { return nil }
            return DayWindow(start: start, end: end, minutes: minutes, capacity: capacity)
        }
    }

    /// The most session minutes a window of `length` minutes holds, with breaks between sessions.
    func windowCapacity(_ length: Int) -> Int {
        var best = 0
        var count = 1
        while true {
            let room = length - (count - 1) * breakMinutes
            guard room >= count * minimumSession else { break }
            best = max(best, min(count * maximumSession, room))
            if count * maximumSession >= room { break }
            count += 1
        }
        let rounded = best / 5 * 5
        return rounded >= minimumSession ? rounded : best
    }

    /// Spreads `budget` over the days as evenly as their capacities allow, in 5-minute steps.
    ///
    /// Every day gets nothing or at least one minimum session; when the budget is too small for all usable days,
    /// it goes to fewer days spread over the week.
    func allocate(_ budget: Int, over capacities: [Int]) -> [Int] {
        let usable = capacities.indices.filter { capacities[$0] >= minimumSession }
        var count = usable.count
        while count > 0 {
            let chosen = (0..<count).map { usable[$0 * usable.count / count] }
            var shares = Array(repeating: 0, count: capacities.count)
            var left = budget
            var progress = true
            while left > 0 && progress {
                progress = false
                for day in chosen where left > 0 && shares[day] < capacities[day] {
                    let step = min(5, left, capacities[day] - shares[day])
                    shares[day] += step
                    left -= step
                    progress = true
                }
            }
            if chosen.allSatisfy({ shares[$0] >= minimumSession }) { return shares }
            count -= 1
        }
        return Array(repeating: 0, count: capacities.count)
    }

    /// Cuts `target` minutes into sessions over a day's windows, earliest first.
    func layOut(_ target: Int, in windows: [DayWindow]) -> [(start: Date, minutes: Int)] {
        var slots: [(start: Date, minutes: Int)] = []
        var left = target
        for (index, window) in windows.enumerated() where left >= minimumSession {
            var take = min(left, window.capacity)
            let rest = left - take
            if rest > 0 && rest < minimumSession && windows[(index + 1)...].contains(where: { $0.capacity >= minimumSession }) {
                let shorter = take - (minimumSession - rest)
                if shorter >= minimumSession { take = shorter }
            }
            var count = (take + maximumSession - 1) / maximumSession
            if take < count * minimumSession {
                // Sessions longer than twice the minimum cannot hold this total: use one session fewer, each full.
                count -= 1
                take = count * maximumSession
            }
            guard count > 0, take >= minimumSession else { continue }
            var start = window.start
            for length in split(take, into: count) {
                slots.append((start, length))
                start = start.addingTimeInterval(Double(length + breakMinutes) * 60)
            }
            left -= take
        }
        return slots
    }

    /// `total` in `count` near-equal session lengths, in 5-minute steps where the session limits allow.
    func split(_ total: Int, into count: Int) -> [Int] {
        let base = total / (5 * count) * 5
        var parts = Array(repeating: base, count: count)
        var left = total - base * count
        var index = 0
        while left >= 5 {
            parts[index % count] += 5
            left -= 5
            index += 1
        }
        parts[count - 1] += left
        if parts.allSatisfy({ (minimumSession...maximumSession).contains($0) }) { return parts }
        return (0..<count).map { total / count + ($0 < total % count ? 1 : 0) }
    }

    // MARK: Filling

    /// The items of one session of `minutes`, placing reviews and tasks as it goes.
    mutating func fill(minutes: Int, firstOfDay: Bool, newSkillsToday: inout Int) -> [PlanItem] {
        var items: [PlanItem] = []
        var free = minutes
        if firstOfDay && reviewsLeft > 0 && maximumReviewMinutes > 0 {
            let all = (Double(reviewsLeft) * reviewMinutesPerItem).rounded(.up)
            let length = Int(min(Double(min(maximumReviewMinutes, free)), all))
            let covered = Double(length) >= all ? reviewsLeft : min(reviewsLeft, max(1, Int(Double(length) / reviewMinutesPerItem)))
            reviewsLeft -= covered
            free -= length
            items.append(
                PlanItem(
                    kind: .review, title: "Review \(covered) due \(covered == 1 ? "item" : "items")", minutes: length, reviewCount: covered)
            )
        }
        while free > 0, let piece = nextPiece(free: free, newSkillsToday: newSkillsToday) {
            let (index, amount) = piece
            let task = tasks[index]
            if let skill = task.skillId, !startedSkills.contains(skill) {
                startedSkills.insert(skill)
                newSkillsToday += 1
            }
            remaining[index] -= amount
            pieces[index] += 1
            if let skill = task.skillId { skillRemaining[skill, default: 0] -= amount }
            free -= amount
            items.append(
                PlanItem(
                    kind: task.kind, taskId: task.id, skillId: task.skillId, projectId: task.projectId, title: task.title, minutes: amount
                )
            )
        }
        return items
    }

    /// The task to place next and how many minutes of it, or `nil` when nothing eligible fits in `free` minutes.
    func nextPiece(free: Int, newSkillsToday: Int) -> (Int, Int)? {
        let started = tasks.indices.filter { remaining[$0] > 0 && pieces[$0] > 0 }
        let fresh = tasks.indices.filter { remaining[$0] > 0 && pieces[$0] == 0 }
        for index in started + fresh where isEligible(index, newSkillsToday: newSkillsToday) {
            let left = remaining[index]
            if left <= free { return (index, left) }
            guard free >= minimumPiece else { continue }
            let piece = left - free < minimumPiece ? left - minimumPiece : free
            if piece >= minimumPiece { return (index, piece) }
        }
        return nil
    }

    func isEligible(_ index: Int, newSkillsToday: Int) -> Bool {
        let task = tasks[index]
        guard predecessors[index].allSatisfy({ remaining[$0] == 0 }), prerequisitesMet(task) else { return false }
        if let skill = task.skillId, !startedSkills.contains(skill), newSkillsToday >= maximumNewSkills { return false }
        return true
    }

    /// Every prerequisite skill is done, or all its tasks in the request are placed (skills with no tasks left count as done).
    func prerequisitesMet(_ task: SchedulableTask) -> Bool {
        task.prerequisiteSkillIDs.allSatisfy { skill in
            skill == task.skillId || request.doneSkillIDs.contains(skill) || (skillRemaining[skill] ?? 0) <= 0
        }
    }

    /// Sets `part`/`parts` on tasks placed in more than one piece, or only partly.
    func numberParts(_ sessions: inout [PlannedSession]) {
        var seen: [Int64: Int] = [:]
        let index = Dictionary(uniqueKeysWithValues: tasks.indices.map { (tasks[$0].id, $0) })
        for s in sessions.indices {
            for i in sessions[s].items.indices {
                guard let id = sessions[s].items[i].taskId, let task = index[id] else { continue }
                let complete = remaining[task] == 0
                guard pieces[task] > 1 || !complete else { continue }
                seen[id, default: 0] += 1
                sessions[s].items[i].part = seen[id]
                sessions[s].items[i].parts = complete ? pieces[task] : nil
            }
        }
    }

    // MARK: Helpers

    /// Tasks of one skill (or of one project) run in sequence: learn, practice, check, then by order.
    static func streamKey(_ task: SchedulableTask) -> String {
        if let skill = task.skillId { return "skill:\(skill)" }
        if let project = task.projectId { return "project:\(project)" }
        return "task:\(task.id)"
    }

    static func kindRank(_ kind: TaskKind) -> Int {
        switch kind {
        case .learn: 0
        case .practice, .review: 1
        case .check: 2
        case .project: 3
        }
    }

    /// "Wed 12:00" in the learner's zone.
    func localLabel(_ date: Date) -> String {
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let hour = parts.hour ?? 0
        let minute = parts.minute ?? 0
        return "\(names[((parts.weekday ?? 1) - 1) % 7]) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    /// "8 h 30 min", "6 h", "45 min".
    static func duration(_ minutes: Int) -> String {
        WeeklyPlanFormat.duration(minutes)
    }

    /// "10 h", "7 h 30 min".
    static func hours(_ hours: Double) -> String {
        let minutes = Int((min(1e6, max(0, hours)) * 60).rounded())
        return minutes == 0 ? "0 h" : duration(minutes)
    }

    /// "15%".
    static func percent(_ fraction: Double) -> String {
        "\(Int((fraction * 100).rounded()))%"
    }
}

/// Text helpers shared by the plan's renderings.
enum WeeklyPlanFormat {
    /// "8 h 30 min", "6 h", "45 min".
    static func duration(_ minutes: Int) -> String {
        let hours = minutes / 60
        let rest = minutes % 60
        switch (hours, rest) {
        case (0, _): return "\(rest) min"
        case (_, 0): return "\(hours) h"
        default: return "\(hours) h \(rest) min"
        }
    }

    /// "07:05".
    static func clock(_ hour: Int, _ minute: Int) -> String {
        "\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }
}
