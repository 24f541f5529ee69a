import Foundation
import TutorCivilDate
import TutorJSON
import TutorLearning
import TutorReport
import TutorStore
import TutorWire

extension ReportService {
    /// The last 52 ISO weeks: minutes logged, and the minutes the stored plan held.
    func weeks(minutesByDay: [Int: Int], today: Int, zone: TimeZone) throws -> [WeekHours] {
        let monday = today - Self.weekday(today)
        return try (0..<52).reversed().map { back in
            let start = monday - back * 7
            let week = ISOWeek.containing(Date(timeIntervalSince1970: Double(start) * 86_400 + 43_200), in: .gmt)
            let logged = (start..<(start + 7)).map { minutesByDay[$0] ?? 0 }.reduce(0, +)
            // One field of the stored plan: read with the one JSON parser, not decoded whole.
            let planned = try store.plan(week: week.description).flatMap { JSONValue.parse($0.sessions)?["plannedMinutes"]?.int }
            return WeekHours(week: week.description, loggedMinutes: logged, plannedMinutes: planned)
        }
    }

    /// Each recorded day's forecast as day-number ranges per stage.
    func history(_ zone: TimeZone) throws -> [ForecastPoint] {
        try store.forecastHistory().map { record in
            let parts = record.day.split(separator: "-").compactMap { Int($0) }
            let day = parts.count == 3 ? CivilDate.days(year: parts[0], month: parts[1], day: parts[2]) : 0
            return ForecastPoint(
                day: record.day, dayNumber: day,
                ranges: record.milestones.map { milestone in
                    let (from, to) = (Self.dayNumber(milestone.dateFrom, zone), Self.dayNumber(milestone.dateTo, zone))
                    return .init(stage: milestone.stage, from: from, to: to, label: "\(Self.label(from)) – \(Self.label(to))")
                })
        }
    }

    /// Cards falling due on each of the next 14 days; the first day also counts every overdue card.
    func reviewsAhead(_ today: Int, _ zone: TimeZone) throws -> [DayCount] {
        var counts = [Int](repeating: 0, count: 14)
        for card in try store.reviewCards() {
            let offset = max(0, Self.dayNumber(card.due, zone) - today)
            if offset < counts.count { counts[offset] += 1 }
        }
        return counts.enumerated().map { DayCount(day: Self.label(today + $0), count: $1) }
    }

    /// Per month of reviews: the recall FSRS predicted when each card was reviewed (replaying the
    /// card's own history) against the share of reviews the learner recalled (rated Hard or better).
    func retention(_ zone: TimeZone) throws -> [RetentionMonth] {
        var cards: [String: ReviewCard] = [:]
        var months: [String: (count: Int, predicted: Double, recalled: Int)] = [:]
        var generator = FSRSSeededGenerator(seed: 1)
        for log in try store.allReviewLogs() {
            guard let rating = Rating(rawValue: log.rating) else { continue }
            let card = cards[log.cardId] ?? ReviewCard(due: log.reviewedAt)
            if card.lastReview != nil {
                let month = String(Self.label(Self.dayNumber(log.reviewedAt, zone)).prefix(7))
                var entry = months[month] ?? (0, 0, 0)
                entry.count += 1
                entry.predicted += context.scheduler.retrievability(of: card, at: log.reviewedAt)
                entry.recalled += rating == .again ? 0 : 1
                months[month] = entry
            }
            cards[log.cardId] = context.scheduler.review(card, rating: rating, at: log.reviewedAt, using: &generator).card
        }
        return months.keys.sorted().map { month in
            let entry = months[month] ?? (0, 0, 0)
            return RetentionMonth(
                month: month, reviews: entry.count, predicted: entry.predicted / Double(max(1, entry.count)),
                recalled: Double(entry.recalled) / Double(max(1, entry.count)))
        }
    }

    /// This week's plan, day by day; empty days when no plan can be made (no free time set).
    func planDays(_ zone: TimeZone) throws -> [PlanDay] {
        let week = ISOWeek.containing(now(), in: zone)
        let plan: PlanResult?
        do {
            plan = try planService.weeklyPlan(PlanParams(week: week.description))
        } catch let error as AppError where error.code == .badInput {
            plan = nil
        }
        return week.days(in: zone).map { date in
            let day = Self.dayNumber(date, zone)
            let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            let sessions = (plan?.sessions ?? []).filter { Self.dayNumber($0.start, zone) == day }.map { session in
                PlanSlot(
                    time: "\(Self.clock(session.start, zone))–\(Self.clock(session.end, zone))",
                    items: session.items.map { "\($0.kind.capitalized): \($0.title) (\($0.minutes) min)" })
            }
            return PlanDay(label: "\(names[Self.weekday(day)]) \(Self.label(day).suffix(5))", sessions: sessions)
        }
    }
}
