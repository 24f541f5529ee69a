import Foundation
import TutorCivilDate
import TutorLearning
import TutorReport
import TutorStore
import TutorWire

#if canImport(Glibc)
import Glibc
#endif

/// The HTML progress report: gathers the roadmap, the study log, the forecasts and their history,
/// the reviews and this week's plan into a ``ReportData``, renders it with ``ReportPage`` and
/// writes the file.
public struct ReportService: AppService {
    public let context: AppContext

    public init(context: AppContext) { self.context = context }

    /// Writes the report to `params.out` (absolute), or to `report.html` beside the store.
    ///
    /// - Throws: `badInput` for a relative path or a file that cannot be written.
    public func writeReport(_ params: ReportParams) throws -> ReportResult {
        let path = params.out ?? (URL(fileURLWithPath: store.path).deletingLastPathComponent().path + "/report.html")
        guard path.hasPrefix("/") else {
            throw Self.badInput("the report path '\(path)' is not absolute; give the full path of the HTML file to write")
        }
        let data = try reportData()
        let html = ReportPage.render(data)
        try Self.write(html, to: path)
        return ReportResult(path: path, bytes: html.utf8.count, skills: data.roadmap.skills.count)
    }

    /// The page's HTML, not written anywhere (the weekly job and the benchmark use it).
    public func renderReport() throws -> String { ReportPage.render(try reportData()) }

    /// Writes `text` to `path` through a temporary file and a rename, readable by the user alone.
    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Self.badInput("cannot write the report to \(path): \(String(cString: strerror(errno))); check that its folder exists")
        }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                close(descriptor)
                unlink(temporary)
                throw Self.badInput("cannot write the report to \(path): \(String(cString: strerror(errno)))")
            }
            offset += count
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Self.badInput("cannot write the report to \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Everything the page shows, read in the learner's time zone.
    public func reportData() throws -> ReportData {
        let profile = try store.profile() ?? defaultProfile()
        let zone = TimeZone(identifier: profile.timeZone) ?? .gmt
        let today = Self.dayNumber(now(), zone)
        let roadmap = try RoadmapService(context: context).roadmap(RoadmapParams())
        let log = try store.studyLog()
        var minutesByDay: [Int: Int] = [:]
        for entry in log { minutesByDay[Self.dayNumber(entry.loggedAt, zone), default: 0] += entry.minutes }
        let days = ((today - 364)...today).map { day in
            StudyDay(day: Self.label(day), weekday: Self.weekday(day), minutes: minutesByDay[day] ?? 0)
        }
        var streak = 0
        var day = (minutesByDay[today] ?? 0) > 0 ? today : today - 1
        while (minutesByDay[day] ?? 0) > 0 {
            streak += 1
            day -= 1
        }
        let forecast = try planService.forecast(ForecastParams())
        let whatIf = try [5.0, 10, 20].map { hours in
            WhatIf(hoursPerWeek: hours, milestones: Self.ranges(try planService.forecast(ForecastParams(hoursPerWeek: hours)), zone))
        }
        let name = profile.name.map { "\($0)'s road" } ?? "Your road"
        return ReportData(
            title: "\(name) to AI engineering", generated: "\(Self.label(today)) \(Self.clock(now(), zone)) \(zone.identifier)",
            roadmap: roadmap, weeks: try weeks(minutesByDay: minutesByDay, today: today, zone: zone), days: days, streakDays: streak,
            milestones: Self.ranges(forecast, zone), whatIf: whatIf, history: try history(zone),
            reviewsAhead: try reviewsAhead(today, zone),
            retention: try retention(zone), week: try planDays(zone), weekLabel: ISOWeek.containing(now(), in: zone).description)
    }

    // MARK: Days

    /// The day number (days since 1970-01-01) of `date` in `zone`.
    static func dayNumber(_ date: Date, _ zone: TimeZone) -> Int {
        Int(((date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))) / 86_400).rounded(.down))
    }

    /// `YYYY-MM-DD` for a day number.
    static func label(_ day: Int) -> String {
        let date = CivilDate.fromDays(day)
        return "\(date.year)-\(date.month < 10 ? "0" : "")\(date.month)-\(date.day < 10 ? "0" : "")\(date.day)"
    }

    /// 0 for Monday to 6 for Sunday (1970-01-01 was a Thursday).
    static func weekday(_ day: Int) -> Int { ((day + 3) % 7 + 7) % 7 }

    /// `HH:MM` of `date` in `zone`.
    static func clock(_ date: Date, _ zone: TimeZone) -> String {
        let seconds = Int((date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))).rounded(.down))
        let minutes = ((seconds / 60) % 1440 + 1440) % 1440
        return "\(minutes / 60 < 10 ? "0" : "")\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)"
    }

    /// A forecast's milestones as date ranges.
    static func ranges(_ forecast: ForecastResult, _ zone: TimeZone) -> [MilestoneRange] {
        forecast.milestones.map { milestone in
            MilestoneRange(
                stage: milestone.stage, title: milestone.title, from: label(dayNumber(milestone.dateFrom, zone)),
                to: label(dayNumber(milestone.dateTo, zone)),
                remainingHours: "\(Int(milestone.remainingHoursMin.rounded()))–\(Int(milestone.remainingHoursMax.rounded())) h")
        }
    }
}
