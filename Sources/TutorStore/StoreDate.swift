import Foundation
import GRDB
import TutorCivilDate

/// Dates as the store writes them: GRDB's text format, `yyyy-MM-dd HH:mm:ss.SSS` in UTC, made by
/// arithmetic instead of GRDB's `DateFormatter`, which costs several microseconds a date and maps
/// in ICU's calendar and locale data. Reading is unchanged (GRDB parses this format itself).
public enum StoreDate {
    /// The stored text of `date`; the same characters GRDB's formatter writes.
    public static func text(_ date: Date) -> String {
        // As Foundation's formatter does: milliseconds since 1970 plus a half, rounded down by ICU.
        let milliseconds = ((date.timeIntervalSinceReferenceDate + Date.timeIntervalBetween1970AndReferenceDate) * 1000 + 0.5).rounded(
            .down)
        // Years 1 to 9999 only; anything else keeps GRDB's own formatting.
        guard milliseconds > -62_135_596_800_000, milliseconds < 253_402_300_800_000 else {
            return String.fromDatabaseValue(date.databaseValue) ?? ""
        }
        let total = Int64(milliseconds)
        var days = total / 86_400_000
        var rest = total % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        let (year, month, day) = CivilDate.fromDays(Int(days))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(23)
        func append(_ value: Int64, digits: Int) {
            var divisor: Int64 = 1
            for _ in 1..<digits { divisor *= 10 }
            var value = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor))
                value %= divisor
                divisor /= 10
            }
        }
        append(Int64(year), digits: 4)
        bytes.append(UInt8(ascii: "-"))
        append(Int64(month), digits: 2)
        bytes.append(UInt8(ascii: "-"))
        append(Int64(day), digits: 2)
        bytes.append(UInt8(ascii: " "))
        append(rest / 3_600_000, digits: 2)
        bytes.append(UInt8(ascii: ":"))
        append(rest / 60_000 % 60, digits: 2)
        bytes.append(UInt8(ascii: ":"))
        append(rest / 1000 % 60, digits: 2)
        bytes.append(UInt8(ascii: "."))
        append(rest % 1000, digits: 3)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The encoding strategy records use, so their dates skip the formatter too.
    static let strategy = DatabaseDateEncodingStrategy.custom { text($0) }
}

extension ProfileRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension GoalRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension TaskRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension StudyLogRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension SkillStateRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension ReviewCardRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension ReviewLogRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension PlanRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension ConversationRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension MessageRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension JobRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension JobRunRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension InboxRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension DeliveryRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension DocumentRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
extension ChunkRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.strategy }
}
