import Foundation
import Testing
import TutorJSON

@testable import TutorWire

@Suite("JSON written by hand")
struct JSONTextWriterTests {
    /// Strings with every control character, quotes, backslashes, slashes and non-ASCII text.
    static func text(_ random: inout SystemRandomNumberGenerator) -> String {
        let pieces =
            ["a", "Z", " ", "\"", "\\", "/", "é", "–", "😀", "\u{7F}", "\u{2028}", "<", "&"]
            + (0..<32).map { String(UnicodeScalar(UInt8($0))) }
        return (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    static func number(_ random: inout SystemRandomNumberGenerator) -> Double {
        switch Int.random(in: 0..<5, using: &random) {
        case 0: Double(Int.random(in: -1000...1000, using: &random))
        case 1: Double.random(in: 0...100, using: &random)
        case 2: Double.random(in: -1e-9...1e-9, using: &random)
        case 3: Double.random(in: 1e15...1e22, using: &random)
        default: (Double.random(in: 0...500, using: &random) * 10).rounded() / 10
        }
    }

    @Test("a forecast result is written exactly as the wire encoder writes it")
    func forecastMatchesEncoder() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let result = ForecastResult(
                background: Self.text(&random), hoursPerWeek: Self.number(&random), paceSource: Self.text(&random),
                weeksOfLog: Int.random(in: -5...500, using: &random),
                milestones: (0..<Int.random(in: 0...4, using: &random)).map { _ in
                    MilestoneView(
                        stage: Self.text(&random), title: Self.text(&random), milestone: Self.text(&random),
                        remainingHoursMin: Self.number(&random), remainingHoursMax: Self.number(&random),
                        monthsFrom: Self.number(&random), monthsTo: Self.number(&random),
                        dateFrom: Date(timeIntervalSince1970: Double.random(in: -3e9...4e9, using: &random)),
                        dateTo: Date(timeIntervalSince1970: Double.random(in: -3e9...4e9, using: &random)),
                        experienceYears: Bool.random(using: &random) ? nil : Self.text(&random),
                        projectHoursMin: Bool.random(using: &random) ? nil : Self.number(&random),
                        projectHoursMax: Bool.random(using: &random) ? nil : Self.number(&random),
                        monthsWithProjectsFrom: Bool.random(using: &random) ? nil : Self.number(&random),
                        monthsWithProjectsTo: Bool.random(using: &random) ? nil : Self.number(&random))
                },
                notes: (0..<Int.random(in: 0...3, using: &random)).map { _ in Self.text(&random) })
            let expected = try WireCodec.makeEncoder().encode(result)
            #expect(result.jsonText().map { Data($0) } == expected)
        }
    }

    @Test("chat notifications are written exactly as the wire encoder writes them")
    func notificationsMatchEncoder() throws {
        var random = SystemRandomNumberGenerator()
        func optional(_ text: String) -> String? { Bool.random() ? nil : text }
        for _ in 0..<300 {
            let event = ChatToolEvent(
                session: Self.text(&random), name: Self.text(&random), phase: Self.text(&random), arguments: optional(Self.text(&random)),
                ok: Bool.random() ? nil : Bool.random(), summary: optional(Self.text(&random)))
            #expect(
                WireCodec.notificationLine(method: ChatToolEvent.method, params: event)
                    == (try WireCodec.encodeLine(Notification(id: nil, method: ChatToolEvent.method, params: event))))
            let delta = ChatDelta(session: Self.text(&random), text: Self.text(&random))
            #expect(
                WireCodec.notificationLine(method: ChatDelta.method, params: delta)
                    == (try WireCodec.encodeLine(Notification(id: nil, method: ChatDelta.method, params: delta))))
        }
    }

    @Test("a chat reply is written exactly as the wire encoder writes it")
    func replyMatchesEncoder() throws {
        var random = SystemRandomNumberGenerator()
        for index in 0..<300 {
            func maybe<T>(_ value: T) -> T? { Bool.random() ? nil : value }
            let result = ChatSendResult(
                session: Self.text(&random), reply: Self.text(&random), model: maybe(Self.text(&random)),
                steps: maybe(Int.random(in: 0...9)), toolCalls: maybe(Int.random(in: 0...9)), finishReason: maybe(Self.text(&random)),
                promptTokens: maybe(Int.random(in: 0...100_000)), completionTokens: maybe(Int.random(in: 0...100_000)),
                elapsedSeconds: maybe(Self.number(&random)), modelSeconds: maybe(Self.number(&random)))
            let id: RequestID = index % 2 == 0 ? .number(Int64.random(in: Int64.min...Int64.max)) : .string(Self.text(&random))
            #expect(WireCodec.responseLine(id: id, result: result) == (try WireCodec.encodeLine(Response(id: id, result: result))))
        }
        let infinite = ChatSendResult(session: "s", reply: "r", elapsedSeconds: .infinity)
        #expect(WireCodec.responseLine(id: .number(1), result: infinite) == nil)
    }

    @Test("a result with a number JSON cannot hold is left to the encoder")
    func nonFinite() {
        let result = ForecastResult(background: "b", hoursPerWeek: .nan, paceSource: "p", weeksOfLog: 0, milestones: [], notes: [])
        #expect(result.jsonText() == nil)
    }
}
