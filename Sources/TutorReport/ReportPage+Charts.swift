import TutorWire

extension ReportPage {
    /// Hours per week against the plan, and the year's heatmap of study days.
    static func hoursSection(_ data: ReportData) -> String {
        let weeks = data.weeks
        let maxMinutes = max(60, weeks.map { max($0.loggedMinutes, $0.plannedMinutes ?? 0) }.max() ?? 0)
        let (width, height, bottom) = (Double(max(1, weeks.count)) * 14 + 40, 160.0, 140.0)
        var svg =
            "<svg class=\"chart hours\" role=\"img\" aria-label=\"Hours studied per week\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        svg += "<line class=\"axis\" x1=\"30\" y1=\"\(Int(bottom))\" x2=\"\(Int(width))\" y2=\"\(Int(bottom))\"/>"
        svg += "<text x=\"0\" y=\"12\">\(HTMLText.number(Double(maxMinutes) / 60)) h</text><text x=\"0\" y=\"\(Int(bottom))\">0</text>"
        var plannedLine = ""
        for (index, week) in weeks.enumerated() {
            let x = 34 + Double(index) * 14
            let barHeight = Double(week.loggedMinutes) / Double(maxMinutes) * (bottom - 16)
            svg += "<rect class=\"bar\" data-week=\"\(week.week)\" data-minutes=\"\(week.loggedMinutes)\" x=\"\(Int(x))\" "
            svg += "y=\"\(HTMLText.number(bottom - barHeight))\" width=\"10\" height=\"\(HTMLText.number(barHeight))\">"
            svg += "<title>\(week.week): \(HTMLText.number(Double(week.loggedMinutes) / 60)) h</title></rect>"
            if let planned = week.plannedMinutes {
                let y = bottom - Double(planned) / Double(maxMinutes) * (bottom - 16)
                plannedLine +=
                    "<path class=\"planned\" data-week=\"\(week.week)\" data-planned=\"\(planned)\" d=\"M\(Int(x - 2)) \(HTMLText.number(y)) h14\"/>"
            }
        }
        if let first = weeks.first, let last = weeks.last {
            svg += "<text x=\"34\" y=\"156\">\(first.week)</text><text x=\"\(Int(width - 60))\" y=\"156\">\(last.week)</text>"
        }
        svg += plannedLine + "</svg>"
        let weekRows = weeks.map { week in
            [
                week.week, HTMLText.number(Double(week.loggedMinutes) / 60),
                week.plannedMinutes.map { HTMLText.number(Double($0) / 60) } ?? "–",
            ]
        }
        let body =
            "<ul class=\"legend\"><li><i style=\"background:var(--bar)\"></i>hours logged</li><li><i style=\"background:var(--plan)\"></i>hours planned</li></ul>"
            + svg + table("Hours per week", header: ["Week", "Hours logged", "Hours planned"], rows: weekRows)
            + "<h3>Study days</h3><p>Current streak: <b>\(data.streakDays) day\(data.streakDays == 1 ? "" : "s")</b>.</p>"
            + heatmap(data.days)
        return section("hours", "Hours", lead: "What you logged each week, against what the weekly plan held.", body)
    }

    /// A year of days as a grid: weeks as columns, Monday to Sunday as rows.
    static func heatmap(_ days: [StudyDay]) -> String {
        let offset = days.first?.weekday ?? 0
        let columns = (days.count + offset + 6) / 7
        let width = columns * 12 + 28
        var svg =
            "<svg class=\"chart heatmap\" role=\"img\" aria-label=\"Minutes studied each day of the past year\" viewBox=\"0 0 \(width) 96\">"
        for (row, name) in ["Mon", "", "Wed", "", "Fri", "", "Sun"].enumerated() where !name.isEmpty {
            svg += "<text x=\"0\" y=\"\(row * 12 + 22)\">\(name)</text>"
        }
        var months: [String: Int] = [:]
        var monthOrder: [String] = []
        for (index, day) in days.enumerated() {
            let slot = index + offset
            let level = day.minutes == 0 ? 0 : day.minutes < 30 ? 1 : day.minutes < 60 ? 2 : day.minutes < 120 ? 3 : 4
            svg += "<rect class=\"h\(level)\" data-day=\"\(day.day)\" data-minutes=\"\(day.minutes)\" x=\"\(28 + slot / 7 * 12)\" "
            svg += "y=\"\(slot % 7 * 12 + 12)\" width=\"10\" height=\"10\" rx=\"2\"><title>\(day.day): \(day.minutes) min</title></rect>"
            let month = String(day.day.prefix(7))
            if months[month] == nil { monthOrder.append(month) }
            months[month, default: 0] += day.minutes
        }
        svg += "</svg>"
        let monthRows = monthOrder.map { month in
            let inMonth = days.filter { $0.day.hasPrefix(month) }
            return [month, HTMLText.number(Double(months[month] ?? 0) / 60), "\(inMonth.filter { $0.minutes > 0 }.count)"]
        }
        return svg + table("Study days", header: ["Month", "Hours", "Days with study"], rows: monthRows)
    }
}
