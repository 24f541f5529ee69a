import TutorCivilDate
import TutorJSON

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension JSONTextWriter {
    /// A date as `yyyy-MM-ddTHH:mm:ssZ` (UTC, seconds rounded down), as ``WireCodec/makeEncoder(pretty:)``
    /// writes it, by arithmetic rather than a format style; years outside 1970–9999 take the format style.
    public mutating func value(_ date: Date) {
        let interval = date.timeIntervalSince1970
        guard interval >= 0, interval < 253_402_300_800 else {
            value(date.formatted(.iso8601))
            return
        }
        verbatim { bytes in
            func digits(_ value: Int, _ count: Int) {
                var divisor = 1
                for _ in 1..<count { divisor *= 10 }
                while divisor > 0 {
                    bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                    divisor /= 10
                }
            }
            let seconds = Int(interval.rounded(.down))
            let (year, month, day) = CivilDate.fromDays(seconds / 86_400)
            let time = seconds % 86_400
            bytes.append(UInt8(ascii: "\""))
            digits(year, 4)
            bytes.append(UInt8(ascii: "-"))
            digits(month, 2)
            bytes.append(UInt8(ascii: "-"))
            digits(day, 2)
            bytes.append(UInt8(ascii: "T"))
            digits(time / 3600, 2)
            bytes.append(UInt8(ascii: ":"))
            digits(time / 60 % 60, 2)
            bytes.append(UInt8(ascii: ":"))
            digits(time % 60, 2)
            bytes += [UInt8(ascii: "Z"), UInt8(ascii: "\"")]
        }
    }
}

extension ForecastResult {
    /// The JSON `WireCodec.makeEncoder()` gives for this result, written directly (the forecast
    /// tool's output, encoded every time the agent calls it).
    public func jsonText() -> [UInt8]? {
        var writer = JSONTextWriter()
        write(to: &writer)
        return writer.failed ? nil : writer.bytes
    }
}

extension ForecastResult: JSONTextWritable {
    public func write(to writer: inout JSONTextWriter) {
        writer.object { json in
            json.key("background")
            json.value(background)
            json.key("hoursPerWeek")
            json.value(hoursPerWeek)
            json.key("milestones")
            json.array { list in
                for milestone in milestones {
                    list.object { json in
                        json.key("dateFrom")
                        json.value(milestone.dateFrom)
                        json.key("dateTo")
                        json.value(milestone.dateTo)
                        json.member("experienceYears", milestone.experienceYears)
                        json.key("milestone")
                        json.value(milestone.milestone)
                        json.key("monthsFrom")
                        json.value(milestone.monthsFrom)
                        json.key("monthsTo")
                        json.value(milestone.monthsTo)
                        json.member("monthsWithProjectsFrom", milestone.monthsWithProjectsFrom)
                        json.member("monthsWithProjectsTo", milestone.monthsWithProjectsTo)
                        json.member("projectHoursMax", milestone.projectHoursMax)
                        json.member("projectHoursMin", milestone.projectHoursMin)
                        json.key("remainingHoursMax")
                        json.value(milestone.remainingHoursMax)
                        json.key("remainingHoursMin")
                        json.value(milestone.remainingHoursMin)
                        json.key("stage")
                        json.value(milestone.stage)
                        json.key("title")
                        json.value(milestone.title)
                    }
                }
            }
            json.key("notes")
            json.array { list in for note in notes { list.value(note) } }
            json.key("paceSource")
            json.value(paceSource)
            json.key("weeksOfLog")
            json.value(weeksOfLog)
        }
    }
}

/// A wire value that writes its own JSON, as ``WireCodec/makeEncoder(pretty:)`` would write it.
public protocol JSONTextWritable {
    func write(to json: inout JSONTextWriter)
}

extension ChatToolEvent: JSONTextWritable {
    public func write(to json: inout JSONTextWriter) {
        json.object { json in
            json.member("arguments", arguments)
            json.key("name")
            json.value(name)
            if let ok {
                json.key("ok")
                json.value(ok)
            }
            json.key("phase")
            json.value(phase)
            json.key("session")
            json.value(session)
            json.member("summary", summary)
        }
    }
}

extension ChatDelta: JSONTextWritable {
    public func write(to json: inout JSONTextWriter) {
        json.object { json in
            json.key("session")
            json.value(session)
            json.key("text")
            json.value(text)
        }
    }
}

extension ChatSendResult: JSONTextWritable {
    public func write(to json: inout JSONTextWriter) {
        json.object { json in
            json.member("cachedTokens", cachedTokens)
            json.member("completionTokens", completionTokens)
            json.member("elapsedSeconds", elapsedSeconds)
            json.member("finishReason", finishReason)
            json.member("firstTokenSeconds", firstTokenSeconds)
            json.member("model", model)
            json.member("modelSeconds", modelSeconds)
            json.member("promptTokens", promptTokens)
            json.key("reply")
            json.value(reply)
            json.key("session")
            json.value(session)
            json.member("steps", steps)
            json.member("toolCalls", toolCalls)
        }
    }
}

extension WireCodec {
    /// The line of a response whose result writes its own JSON: the same bytes as
    /// `encodeLine(Response(id: id, result: result))`; nil when the result holds a value JSON
    /// cannot (the encoder throws for it).
    public static func responseLine(id: RequestID, result: some JSONTextWritable) -> [UInt8]? {
        var json = JSONTextWriter()
        json.object { json in
            json.key("id")
            switch id {
            case .number(let number): json.value(Int(number))
            case .string(let string): json.value(string)
            }
            json.key("jsonrpc")
            json.value(JSONRPC.version)
            json.key("result")
            result.write(to: &json)
        }
        return json.failed ? nil : json.bytes + [UInt8(ascii: "\n")]
    }

    /// The line of a notification (no id) whose params write their own JSON: the same bytes as
    /// `encodeLine(Notification(id: nil, method: method, params: params))`; nil when the params
    /// hold a value JSON cannot.
    public static func notificationLine(method: String, params: some JSONTextWritable) -> [UInt8]? {
        var json = JSONTextWriter()
        json.object { json in
            json.key("jsonrpc")
            json.value(JSONRPC.version)
            json.key("method")
            json.value(method)
            json.key("params")
            params.write(to: &json)
        }
        return json.failed ? nil : json.bytes + [UInt8(ascii: "\n")]
    }
}
