import Foundation
import GRDB

/// What one day's forecast at the learner's own pace said: each milestone's date range. One row a
/// day (the day's latest forecast), so the report can show how the forecast moved.
public struct ForecastHistoryRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "forecastHistory"
    /// The learner's calendar day, `YYYY-MM-DD`.
    public var day: String
    public var hoursPerWeek: Double
    public var milestones: [Milestone]
    public var recordedAt: Date

    /// One milestone's forecast range.
    public struct Milestone: Codable, Sendable, Equatable {
        public var stage: String
        public var dateFrom: Date
        public var dateTo: Date
        public init(stage: String, dateFrom: Date, dateTo: Date) {
            self.stage = stage
            self.dateFrom = dateFrom
            self.dateTo = dateTo
        }
    }

    public init(day: String, hoursPerWeek: Double, milestones: [Milestone], recordedAt: Date) {
        self.day = day
        self.hoursPerWeek = hoursPerWeek
        self.milestones = milestones
        self.recordedAt = recordedAt
    }
}

extension Store {
    /// Keeps `record` as its day's forecast, replacing one recorded earlier that day, in one transaction.
    public func recordForecast(_ record: ForecastHistoryRecord) throws(StoreError) {
        try write { db in try record.save(db) }
    }

    /// Every day's forecast, oldest first.
    public func forecastHistory() throws(StoreError) -> [ForecastHistoryRecord] {
        try read { db in try ForecastHistoryRecord.order(Column("day")).fetchAll(db) }
    }

    /// Every grading of every review card, oldest first.
    public func allReviewLogs() throws(StoreError) -> [ReviewLogRecord] {
        try read { db in try ReviewLogRecord.order(Column("reviewedAt"), Column("id")).fetchAll(db) }
    }
}
