import Foundation
import TutorCatalogue

/// The learner's pace in hours a week, and where the figure comes from.
public struct Pace: Codable, Sendable, Equatable {
    public enum Source: String, Codable, Sendable { case declared, logged }
    public var hoursPerWeek: Double
    public var source: Source
    /// Full weeks of study log behind a logged pace.
    public var weeksOfLog: Int
}

/// When a stage's milestone is likely reached.
public struct Milestone: Codable, Sendable, Equatable {
    public var stage: StageID
    public var title: String
    public var milestone: String
    /// Study hours still needed up to and including this stage.
    public var remainingHours: HourRange
    /// Weeks from now, low and high.
    public var weeksFrom: Double
    public var weeksTo: Double
    public var dateFrom: Date
    public var dateTo: Date
    /// Years of professional experience this milestone needs on top of study, which no plan can shorten.
    public var experienceYears: ClosedRange<Double>?
    /// Hours of the catalogue's portfolio projects still open up to and including this stage: not in
    /// `remainingHours`, which counts skills only, as the seed's timeline does.
    public var projectHours: HourRange = .zero
    /// Weeks from now, low and high, if the projects up to this stage are built too.
    public var weeksWithProjectsFrom: Double = 0
    public var weeksWithProjectsTo: Double = 0
}

/// A realistic timeline: a date range per stage milestone at the learner's pace.
public struct Forecast: Codable, Sendable, Equatable {
    public var pace: Pace
    public var milestones: [Milestone]
    public var notes: [String]
}

/// Everything the forecast looks at.
public struct ForecastRequest: Sendable {
    public var catalogue: Catalogue
    public var background: Background
    public var declaredHoursPerWeek: Double
    /// The study log as (when, minutes).
    public var log: [(date: Date, minutes: Int)]
    public var completedSkillIDs: Set<String>
    /// Minutes already spent on skills not yet complete, by skill id.
    public var minutesSpent: [String: Int]
    public var now: Date

    public init(
        catalogue: Catalogue, background: Background, declaredHoursPerWeek: Double, log: [(date: Date, minutes: Int)] = [],
        completedSkillIDs: Set<String> = [], minutesSpent: [String: Int] = [:], now: Date
    ) {
        self.catalogue = catalogue
        self.background = background
        self.declaredHoursPerWeek = declaredHoursPerWeek
        self.log = log
        self.completedSkillIDs = completedSkillIDs
        self.minutesSpent = minutesSpent
        self.now = now
    }
}

/// Forecasts milestone dates from the remaining catalogue hours and the learner's pace.
///
/// The pace is the declared hours a week until the log covers three full weeks; from then on it is
/// the logged average of the last (up to eight) weeks. The senior milestone adds three to five years
/// of professional experience, which study cannot replace.
public enum Forecaster {
    /// Weeks of log needed before the logged pace replaces the declared one.
    public static let weeksOfLogForPace = 3
    /// Experience a senior or lead AI engineer needs beyond professional competence, in years.
    public static let seniorExperienceYears: ClosedRange<Double> = 3...5

    public static func forecast(_ request: ForecastRequest) -> Forecast {
        let pace = self.pace(request)
        let catalogue = request.catalogue
        let completed = Set(request.completedSkillIDs.compactMap { catalogue.canonicalID($0) })
        var notes: [String] = []
        var cumulative = HourRange.zero
        var projects = HourRange.zero
        var milestones: [Milestone] = []
        var experienceSoFar: ClosedRange<Double>?
        for stage in StageID.allCases {
            for skill in catalogue.skills(in: stage) where !completed.contains(skill.id) {
                let spent = Double(request.minutesSpent[skill.id] ?? 0) / 60
                let hours = skill.hours(for: request.background)
                cumulative = cumulative + HourRange(min: max(0, hours.min - spent), max: max(0, hours.max - spent))
            }
            for project in catalogue.projects where project.stage == stage && !completed.contains(project.id) {
                projects = projects + project.hours
            }
            if stage == .senior { experienceSoFar = seniorExperienceYears }
            let weeksFrom = weeks(cumulative.min, at: pace), weeksTo = weeks(cumulative.max, at: pace)
            let extraFrom = (experienceSoFar?.lowerBound ?? 0) * 52.18
            let extraTo = (experienceSoFar?.upperBound ?? 0) * 52.18
            let info = catalogue.stage(stage)
            milestones.append(
                Milestone(
                    stage: stage, title: info.title, milestone: info.milestone, remainingHours: cumulative,
                    weeksFrom: weeksFrom + extraFrom, weeksTo: weeksTo + extraTo,
                    dateFrom: date(request.now, plusWeeks: weeksFrom + extraFrom),
                    dateTo: date(request.now, plusWeeks: weeksTo + extraTo),
                    experienceYears: experienceSoFar, projectHours: projects,
                    weeksWithProjectsFrom: weeks(cumulative.min + projects.min, at: pace) + extraFrom,
                    weeksWithProjectsTo: weeks(cumulative.max + projects.max, at: pace) + extraTo))
        }
        if pace.source == .declared {
            notes.append(
                "Based on the \(format(pace.hoursPerWeek)) h a week you declared; after \(weeksOfLogForPace) weeks of logged study the forecast uses your real pace."
            )
        } else {
            notes.append("Based on your logged pace of \(format(pace.hoursPerWeek)) h a week over the last \(pace.weeksOfLog) weeks.")
        }
        notes.append(
            "Senior and lead roles need \(Int(seniorExperienceYears.lowerBound))–\(Int(seniorExperienceYears.upperBound)) years of building and running real systems beyond professional competence; no study plan can compress that experience."
        )
        if projects.max > 0 {
            notes.append(projectNote(projects, pace: pace))
        }
        notes.append("Anyone promising this road in a few weeks is selling something: these ranges are the honest ones.")
        return Forecast(pace: pace, milestones: milestones, notes: notes)
    }

    /// The pace to forecast with: logged once there are enough full weeks of log, declared before.
    public static func pace(_ request: ForecastRequest) -> Pace {
        guard let first = request.log.map(\.date).min() else {
            return Pace(hoursPerWeek: request.declaredHoursPerWeek, source: .declared, weeksOfLog: 0)
        }
        let fullWeeks = Int(request.now.timeIntervalSince(first) / (7 * 86_400))
        guard fullWeeks >= weeksOfLogForPace else {
            return Pace(hoursPerWeek: request.declaredHoursPerWeek, source: .declared, weeksOfLog: fullWeeks)
        }
        let weeks = min(fullWeeks, 8)
        let since = request.now.addingTimeInterval(-Double(weeks) * 7 * 86_400)
        let minutes = request.log.filter { $0.date >= since && $0.date <= request.now }.map(\.minutes).reduce(0, +)
        return Pace(hoursPerWeek: Double(minutes) / 60 / Double(weeks), source: .logged, weeksOfLog: weeks)
    }

    /// Weeks needed for `hours` at `pace`; infinite at no pace at all.
    static func weeks(_ hours: Double, at pace: Pace) -> Double {
        pace.hoursPerWeek > 0 ? hours / pace.hoursPerWeek : .infinity
    }

    /// The sentence that puts the portfolio projects beside the study-only milestones.
    static func projectNote(_ projects: HourRange, pace: Pace) -> String {
        let hours = "\(format(projects.min))–\(format(projects.max)) h"
        guard pace.hoursPerWeek > 0 else {
            return "The portfolio projects still ahead add \(hours) of building; the milestones count study only."
        }
        let months = { (hours: Double) in format((hours / pace.hoursPerWeek / (52.18 / 12)).rounded()) }
        return
            "The portfolio projects still ahead add \(hours) of building, about \(months(projects.min))–\(months(projects.max)) more months at this pace; the milestones count study only."
    }

    static func date(_ now: Date, plusWeeks weeks: Double) -> Date {
        guard weeks.isFinite else { return .distantFuture }
        return now.addingTimeInterval(weeks * 7 * 86_400)
    }

    static func format(_ hours: Double) -> String {
        hours == hours.rounded() ? String(Int(hours)) : String(format: "%.1f", hours)
    }
}
