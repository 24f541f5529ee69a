import TutorWire

/// Everything the report shows, already read from the store and worked out: the page only draws it.
///
/// Dates arrive as labels (`2026-12-07`) and day numbers (days since 1970-01-01 in the learner's
/// time zone), so the page needs no calendar.
public struct ReportData: Sendable, Equatable {
    /// The page's heading, e.g. "Ada's road to AI engineering".
    public var title: String
    /// When it was made, as the learner reads it ("2026-12-07 18:30 Europe/Paris").
    public var generated: String
    public var roadmap: RoadmapResult
    /// Hours per ISO week, oldest first.
    public var weeks: [WeekHours]
    /// Every day of the heatmap's year, oldest first, with the minutes studied.
    public var days: [StudyDay]
    /// Consecutive days with study up to today (or yesterday, when today has none yet).
    public var streakDays: Int
    /// The forecast at the learner's pace, one range per milestone.
    public var milestones: [MilestoneRange]
    /// The same forecast at other weekly hours.
    public var whatIf: [WhatIf]
    /// How the forecast moved: one point per day a forecast was made, oldest first.
    public var history: [ForecastPoint]
    /// Review cards falling due on each of the coming days (the first counts what is due now).
    public var reviewsAhead: [DayCount]
    /// FSRS's predicted recall against what the learner recalled, per month of reviews.
    public var retention: [RetentionMonth]
    /// This week's plan, one entry per day.
    public var week: [PlanDay]
    /// The week the plan is for (`2026-W50`).
    public var weekLabel: String

    public init(
        title: String, generated: String, roadmap: RoadmapResult, weeks: [WeekHours], days: [StudyDay], streakDays: Int,
        milestones: [MilestoneRange], whatIf: [WhatIf], history: [ForecastPoint], reviewsAhead: [DayCount],
        retention: [RetentionMonth], week: [PlanDay], weekLabel: String
    ) {
        self.title = title
        self.generated = generated
        self.roadmap = roadmap
        self.weeks = weeks
        self.days = days
        self.streakDays = streakDays
        self.milestones = milestones
        self.whatIf = whatIf
        self.history = history
        self.reviewsAhead = reviewsAhead
        self.retention = retention
        self.week = week
        self.weekLabel = weekLabel
    }
}

/// One ISO week's hours: logged, and planned when a plan was stored for it.
public struct WeekHours: Sendable, Equatable {
    public var week: String
    public var loggedMinutes: Int
    public var plannedMinutes: Int?
    public init(week: String, loggedMinutes: Int, plannedMinutes: Int?) {
        self.week = week
        self.loggedMinutes = loggedMinutes
        self.plannedMinutes = plannedMinutes
    }
}

/// One calendar day of the heatmap.
public struct StudyDay: Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var day: String
    /// 0 for Monday to 6 for Sunday.
    public var weekday: Int
    public var minutes: Int
    public init(day: String, weekday: Int, minutes: Int) {
        self.day = day
        self.weekday = weekday
        self.minutes = minutes
    }
}

/// A milestone's forecast range.
public struct MilestoneRange: Sendable, Equatable {
    public var stage: String
    public var title: String
    public var from: String
    public var to: String
    public var remainingHours: String
    public init(stage: String, title: String, from: String, to: String, remainingHours: String) {
        self.stage = stage
        self.title = title
        self.from = from
        self.to = to
        self.remainingHours = remainingHours
    }
}

/// The forecast at another weekly pace.
public struct WhatIf: Sendable, Equatable {
    public var hoursPerWeek: Double
    public var milestones: [MilestoneRange]
    public init(hoursPerWeek: Double, milestones: [MilestoneRange]) {
        self.hoursPerWeek = hoursPerWeek
        self.milestones = milestones
    }
}

/// One day's recorded forecast: for each stage, the range as day numbers.
public struct ForecastPoint: Sendable, Equatable {
    public var day: String
    public var dayNumber: Int
    public var ranges: [StageRange]

    /// A stage's forecast range on that day.
    public struct StageRange: Sendable, Equatable {
        public var stage: String
        public var from: Int
        public var to: Int
        /// The range as the learner reads it ("2027-03-01 – 2027-05-10").
        public var label: String
        public init(stage: String, from: Int, to: Int, label: String) {
            self.stage = stage
            self.from = from
            self.to = to
            self.label = label
        }
    }

    public init(day: String, dayNumber: Int, ranges: [StageRange]) {
        self.day = day
        self.dayNumber = dayNumber
        self.ranges = ranges
    }
}

/// A count for a labelled day.
public struct DayCount: Sendable, Equatable {
    public var day: String
    public var count: Int
    public init(day: String, count: Int) {
        self.day = day
        self.count = count
    }
}

/// One month of reviews: how many, the mean recall FSRS predicted, and the share recalled.
public struct RetentionMonth: Sendable, Equatable {
    public var month: String
    public var reviews: Int
    public var predicted: Double
    public var recalled: Double
    public init(month: String, reviews: Int, predicted: Double, recalled: Double) {
        self.month = month
        self.reviews = reviews
        self.predicted = predicted
        self.recalled = recalled
    }
}

/// One day of this week's plan.
public struct PlanDay: Sendable, Equatable {
    /// "Mon 7 Dec".
    public var label: String
    public var sessions: [PlanSlot]
    public init(label: String, sessions: [PlanSlot]) {
        self.label = label
        self.sessions = sessions
    }
}

/// One planned session.
public struct PlanSlot: Sendable, Equatable {
    /// "19:00–20:30".
    public var time: String
    /// What it holds, e.g. "Learn: RAG basics (45 min)".
    public var items: [String]
    public init(time: String, items: [String]) {
        self.time = time
        self.items = items
    }
}
