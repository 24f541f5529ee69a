import Foundation
import GRDB
import Testing

@testable import TutorStore

@Suite("Store dates")
struct StoreDateTests {
    @Test("dates are written exactly as GRDB's formatter writes them, and read back the same")
    func sameTextAsGRDB() {
        var generator = SystemRandomNumberGenerator()
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.0005), Date(timeIntervalSince1970: 1_795_000_000.123),
            Date(timeIntervalSince1970: 1_795_000_000.9999), Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: -62_135_596_800), Date(timeIntervalSince1970: 253_402_300_799.999), Date(),
        ]
        for _ in 0..<2000 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...4_000_000_000, using: &generator)))
        }
        for date in dates {
            #expect(StoreDate.text(date) == String.fromDatabaseValue(date.databaseValue), "\(date.timeIntervalSince1970)")
        }
    }
}
