import Foundation
import Testing
import TutorStore

@Suite("Forecast history in the store")
struct ForecastHistoryTests {
    @Test("one row a day, the day's latest forecast replacing an earlier one; read oldest first; cleared by an import that replaces")
    func oneRowADay() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-history-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        func record(_ day: String, _ months: Double) -> ForecastHistoryRecord {
            ForecastHistoryRecord(
                day: day, hoursPerWeek: 8,
                milestones: [.init(stage: "foundations", dateFrom: now, dateTo: now.addingTimeInterval(months * 30 * 86_400))],
                recordedAt: now)
        }
        try store.recordForecast(record("2026-12-08", 3))
        try store.recordForecast(record("2026-12-07", 4))
        try store.recordForecast(record("2026-12-07", 5))
        let history = try store.forecastHistory()
        #expect(history.map(\.day) == ["2026-12-07", "2026-12-08"])
        #expect(history.first == record("2026-12-07", 5))
        try store.restore(try store.snapshot(), replace: true)
        #expect(try store.forecastHistory().isEmpty)
        try store.close()
    }
}
