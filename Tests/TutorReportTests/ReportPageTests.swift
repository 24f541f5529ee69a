import Foundation
import Testing
import TutorReport
import TutorWire

@Suite("Report page")
struct ReportPageTests {
    static func data(title: String) -> ReportData {
        let skills = [
            RoadmapSkillView(
                id: "a", title: title, stage: "foundations", prerequisites: [], depth: 0, state: .known, percent: 100,
                hoursLogged: 3, hoursEstimated: 4, mastery: 1, onGoalPath: true),
            RoadmapSkillView(
                id: "b", title: "Second", stage: "first-apps", prerequisites: ["a"], depth: 1, state: .next, percent: 0,
                hoursLogged: 0, hoursEstimated: 6, mastery: 0, onGoalPath: true),
        ]
        let roadmap = RoadmapResult(
            stages: [
                RoadmapStageView(id: "foundations", title: "Foundations", milestone: "m1"),
                RoadmapStageView(id: "first-apps", title: "First apps", milestone: "m2"),
            ], skills: skills, goalPath: ["a", "b"], goals: [title])
        return ReportData(
            title: title, generated: "2026-12-07 18:00 UTC", roadmap: roadmap,
            weeks: [WeekHours(week: "2026-W49", loggedMinutes: 150, plannedMinutes: 240)],
            days: [StudyDay(day: "2026-12-06", weekday: 6, minutes: 30), StudyDay(day: "2026-12-07", weekday: 0, minutes: 45)],
            streakDays: 2,
            milestones: [
                MilestoneRange(stage: "foundations", title: title, from: "2027-01-01", to: "2027-02-01", remainingHours: "10–20 h")
            ],
            whatIf: [], history: [], reviewsAhead: [DayCount(day: "2026-12-07", count: 3)],
            retention: [RetentionMonth(month: "2026-11", reviews: 10, predicted: 0.9, recalled: 0.8)],
            week: [PlanDay(label: "Mon 12-07", sessions: [PlanSlot(time: "19:00–20:00", items: [title])])], weekLabel: "2026-W50")
    }

    @Test("text from the catalogue and the learner is escaped everywhere it appears")
    func escapesText() {
        let hostile = "<script>alert(\"x\")</script> & <img src=x onerror=y>"
        let html = ReportPage.render(Self.data(title: hostile))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=y&gt;"))
    }

    @Test("one node per skill with its state, charts with their numbers, and nothing fetched from elsewhere")
    func nodesChartsAndNoURL() {
        let html = ReportPage.render(Self.data(title: "Python"))
        #expect(html.components(separatedBy: "<g class=\"node ").count - 1 == 2)
        #expect(html.contains("data-skill=\"a\" data-state=\"known\""))
        #expect(html.contains("data-skill=\"b\" data-state=\"next\""))
        #expect(html.contains("data-week=\"2026-W49\" data-minutes=\"150\""))
        #expect(html.contains("data-day=\"2026-12-07\" data-minutes=\"45\""))
        #expect(html.contains("id=\"streak\" data-days=\"2\""))
        for external in ["http:", "https:", "url(", "@import", "<script", "<link", "src="] {
            #expect(!html.contains(external), "\(external)")
        }
        // Every chart has its table under a <details>.
        #expect(html.components(separatedBy: "<details>").count - 1 >= 5)
        #expect(html.contains("prefers-color-scheme: dark") && html.contains("@media print"))
    }
}
