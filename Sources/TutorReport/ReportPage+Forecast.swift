import TutorWire

extension ReportPage {
    /// Milestone ranges at the learner's pace, the what-ifs, and how the forecast moved.
    static func forecastSection(_ data: ReportData) -> String {
        var body = "<div class=\"tablewrap\"><table class=\"milestones\"><thead><tr><th scope=\"col\">Milestone</th>"
        body += "<th scope=\"col\">At your pace</th>"
        for alternative in data.whatIf { body += "<th scope=\"col\">At \(HTMLText.number(alternative.hoursPerWeek)) h/week</th>" }
        body += "<th scope=\"col\">Hours left</th></tr></thead><tbody>"
        for (index, milestone) in data.milestones.enumerated() {
            body += "<tr data-stage=\"\(HTMLText.escape(milestone.stage))\"><td>\(HTMLText.escape(milestone.title))</td>"
            body += "<td><b>\(milestone.from) – \(milestone.to)</b></td>"
            for alternative in data.whatIf where index < alternative.milestones.count {
                body += "<td>\(alternative.milestones[index].from) – \(alternative.milestones[index].to)</td>"
            }
            body += "<td>\(HTMLText.escape(milestone.remainingHours))</td></tr>"
        }
        body += "</tbody></table></div>"
        body += "<h3>How the forecast moved</h3>" + historyChart(data)
        return section(
            "forecast", "Forecast", lead: "Date ranges for each milestone at the pace you keep, and at other weekly hours.", body)
    }

    /// Each stage's forecast range (a band) and midpoint (a line) over the days forecasts were made.
    static func historyChart(_ data: ReportData) -> String {
        let points = data.history
        guard let first = points.first, let last = points.last, points.count > 1 else {
            return "<p class=\"muted\">The forecast's history starts with the next forecasts (one point a day).</p>"
        }
        let ends = points.flatMap { $0.ranges.flatMap { [$0.from, $0.to] } }
        let (low, high) = (ends.min() ?? 0, max((ends.max() ?? 1), (ends.min() ?? 0) + 1))
        let (width, height) = (600.0, 220.0)
        let span = Double(max(1, last.dayNumber - first.dayNumber))
        func x(_ day: Int) -> Double { 60 + Double(day - first.dayNumber) / span * (width - 80) }
        func y(_ day: Int) -> Double { 10 + (1 - Double(day - low) / Double(high - low)) * (height - 40) }
        var svg =
            "<svg class=\"chart history\" role=\"img\" aria-label=\"Forecast dates over time\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        let stages = data.milestones.map(\.stage)
        for (index, stage) in stages.enumerated() {
            let series = points.compactMap { point in point.ranges.first { $0.stage == stage }.map { (point.dayNumber, $0) } }
            guard !series.isEmpty else { continue }
            let upper = series.map { "\(HTMLText.number(x($0.0))) \(HTMLText.number(y($0.1.to)))" }
            let lower = series.reversed().map { "\(HTMLText.number(x($0.0))) \(HTMLText.number(y($0.1.from)))" }
            svg += "<path class=\"range s\(index % 5)\" d=\"M\((upper + lower).joined(separator: " L"))Z\"/>"
            let middle = series.map { "\(HTMLText.number(x($0.0))) \(HTMLText.number(y(($0.1.from + $0.1.to) / 2)))" }
            svg +=
                "<path class=\"line s\(index % 5)\" style=\"fill:none\" data-stage=\"\(HTMLText.escape(stage))\" d=\"M\(middle.joined(separator: " L"))\"/>"
        }
        svg +=
            "<text x=\"60\" y=\"\(Int(height - 8))\">\(first.day)</text><text x=\"\(Int(width - 90))\" y=\"\(Int(height - 8))\">\(last.day)</text>"
        svg += "<text x=\"0\" y=\"14\">later</text><text x=\"0\" y=\"\(Int(height - 30))\">sooner</text></svg>"
        var legend = "<ul class=\"legend\">"
        for (index, milestone) in data.milestones.enumerated() {
            legend += "<li><i class=\"s\(index % 5)\" style=\"background:currentColor\"></i>\(HTMLText.escape(milestone.title))</li>"
        }
        legend += "</ul>"
        let rows = points.map { point in
            [point.day] + stages.map { stage in point.ranges.first { $0.stage == stage }.map(\.label) ?? "–" }
        }
        return legend + svg
            + table("Forecast history", header: ["Forecast made"] + data.milestones.map(\.title), rows: rows)
    }

    /// Reviews due per day ahead, and predicted against actual recall.
    static func reviewsSection(_ data: ReportData) -> String {
        let ahead = data.reviewsAhead
        let most = max(1, ahead.map(\.count).max() ?? 0)
        var due =
            "<svg class=\"chart due\" role=\"img\" aria-label=\"Reviews due per day ahead\" viewBox=\"0 0 \(ahead.count * 24 + 10) 130\">"
        for (index, day) in ahead.enumerated() {
            let barHeight = Double(day.count) / Double(most) * 90
            due += "<rect class=\"bar\" data-day=\"\(day.day)\" data-count=\"\(day.count)\" x=\"\(index * 24 + 6)\" "
            due +=
                "y=\"\(HTMLText.number(105 - barHeight))\" width=\"18\" height=\"\(HTMLText.number(barHeight))\"><title>\(day.day): \(day.count) due</title></rect>"
            due += "<text x=\"\(index * 24 + 8)\" y=\"\(HTMLText.number(101 - barHeight))\">\(day.count)</text>"
            if index % 3 == 0 { due += "<text x=\"\(index * 24 + 6)\" y=\"122\">\(day.day.suffix(5))</text>" }
        }
        due += "</svg>" + table("Reviews due", header: ["Day", "Cards due"], rows: ahead.map { [$0.day, "\($0.count)"] })
        let months = data.retention
        var recall = "<svg class=\"chart retention\" role=\"img\" aria-label=\"Predicted and actual recall per month\" "
        recall += "viewBox=\"0 0 \(max(1, months.count) * 40 + 30) 140\"><text x=\"0\" y=\"14\">100%</text><text x=\"0\" y=\"114\">0</text>"
        for (index, month) in months.enumerated() {
            let x = 30 + index * 40
            recall +=
                "<rect class=\"predicted\" data-month=\"\(month.month)\" data-predicted=\"\(HTMLText.number(month.predicted, decimals: 3))\" "
            recall +=
                "x=\"\(x)\" y=\"\(HTMLText.number(110 - month.predicted * 100))\" width=\"14\" height=\"\(HTMLText.number(month.predicted * 100))\"/>"
            recall +=
                "<rect class=\"recalled\" data-month=\"\(month.month)\" data-recalled=\"\(HTMLText.number(month.recalled, decimals: 3))\" "
            recall +=
                "x=\"\(x + 15)\" y=\"\(HTMLText.number(110 - month.recalled * 100))\" width=\"14\" height=\"\(HTMLText.number(month.recalled * 100))\"/>"
            recall += "<text x=\"\(x)\" y=\"128\">\(month.month.suffix(2))</text>"
        }
        recall += "</svg>"
        recall += table(
            "Recall", header: ["Month", "Reviews", "Predicted recall", "Recalled"],
            rows: months.map {
                [$0.month, "\($0.reviews)", "\(Int(($0.predicted * 100).rounded()))%", "\(Int(($0.recalled * 100).rounded()))%"]
            })
        let body =
            "<div class=\"grid2\"><div><h3>Due per day</h3>\(due)</div><div><h3>Recall: predicted and actual</h3>"
            + "<ul class=\"legend\"><li><i style=\"background:var(--plan)\"></i>FSRS predicted</li><li><i style=\"background:var(--known)\"></i>you recalled</li></ul>"
            + recall + "</div></div>"
        return section("reviews", "Reviews", lead: "What falls due, and whether your memory keeps up with what FSRS expects.", body)
    }

    /// This week's plan as a strip of days.
    static func planSection(_ data: ReportData) -> String {
        var strip = "<div class=\"strip\">"
        for day in data.week {
            strip += "<div class=\"day\"><h3>\(HTMLText.escape(day.label))</h3>"
            if day.sessions.isEmpty { strip += "<p class=\"muted slot\">free</p>" }
            for slot in day.sessions {
                strip += "<div class=\"slot\"><b>\(HTMLText.escape(slot.time))</b>"
                strip += slot.items.map(HTMLText.escape).joined(separator: "<br>") + "</div>"
            }
            strip += "</div>"
        }
        strip += "</div>"
        return section("plan", "This week (\(data.weekLabel))", strip)
    }
}
