import TutorWire

/// The progress report as one self-contained HTML page: inline CSS and SVG, no script, no font
/// and no URL from elsewhere, so it opens from disk and prints.
///
/// Every chart carries a table with its numbers under a `<details>`, and the elements tests read
/// carry their values as `data-` attributes (a node's `data-state`, a bar's `data-minutes`).
public enum ReportPage {
    /// The page for `data`.
    public static func render(_ data: ReportData) -> String {
        var html = ""
        html.reserveCapacity(256 * 1024)
        html += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        html += "<meta name=\"color-scheme\" content=\"light dark\">"
        html += "<title>\(HTMLText.escape(data.title))</title><style>\(style)</style></head><body>\n"
        html += "<header><h1>\(HTMLText.escape(data.title))</h1><p class=\"muted\">Made \(HTMLText.escape(data.generated))</p>"
        html += summary(data)
        html += "</header>\n"
        html += roadmapSection(data.roadmap)
        html += hoursSection(data)
        html += forecastSection(data)
        html += reviewsSection(data)
        html += planSection(data)
        html += "<footer class=\"muted\">Written by tutord from your own records; nothing here comes from the network.</footer>"
        html += "</body></html>\n"
        return html
    }

    static func summary(_ data: ReportData) -> String {
        let skills = data.roadmap.skills
        let known = skills.filter { $0.state == .known || $0.state == .dueForReview && $0.mastery >= 1 }.count
        let logged = data.days.map(\.minutes).reduce(0, +)
        var html = "<ul class=\"facts\">"
        html += "<li><b>\(known)</b> of \(skills.count) skills known</li>"
        html += "<li><b>\(HTMLText.number(Double(logged) / 60))</b> h studied in the last year</li>"
        html += "<li><b id=\"streak\" data-days=\"\(data.streakDays)\">\(data.streakDays)</b> day streak</li>"
        if let last = data.milestones.last { html += "<li>\(HTMLText.escape(last.title)): <b>\(last.from) – \(last.to)</b></li>" }
        return html + "</ul>"
    }

    /// A section with a heading and an optional lead paragraph.
    static func section(_ id: String, _ heading: String, lead: String? = nil, _ body: String) -> String {
        var html = "<section id=\"\(id)\"><h2>\(HTMLText.escape(heading))</h2>"
        if let lead { html += "<p class=\"muted\">\(HTMLText.escape(lead))</p>" }
        return html + body + "</section>\n"
    }

    /// A chart's text alternative: a table under a closed `<details>`.
    static func table(_ caption: String, header: [String], rows: [[String]]) -> String {
        var html = "<details><summary>\(HTMLText.escape(caption)) as a table</summary><div class=\"tablewrap\"><table><thead><tr>"
        for cell in header { html += "<th scope=\"col\">\(HTMLText.escape(cell))</th>" }
        html += "</tr></thead><tbody>"
        for row in rows {
            html += "<tr>"
            for cell in row { html += "<td>\(HTMLText.escape(cell))</td>" }
            html += "</tr>"
        }
        return html + "</tbody></table></div></details>"
    }

    static let style = """
        :root{--bg:#fff;--fg:#1b1f24;--muted:#5b6472;--line:#d0d7de;--band:#f3f5f8;--known:#2da44e;--progress:#d4a72c;\
        --review:#cf222e;--next:#0969da;--locked:#afb8c1;--bar:#0969da;--plan:#8250df;--h0:#ebedf0;--h1:#9be9a8;--h2:#40c463;\
        --h3:#30a14e;--h4:#216e39;--node:#fff}
        @media (prefers-color-scheme: dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--band:#161b22;\
        --known:#3fb950;--progress:#d29922;--review:#f85149;--next:#58a6ff;--locked:#6e7681;--bar:#58a6ff;--plan:#bc8cff;\
        --h0:#161b22;--h1:#0e4429;--h2:#006d32;--h3:#26a641;--h4:#39d353;--node:#161b22}}
        *{box-sizing:border-box}
        body{margin:0 auto;max-width:1400px;padding:12px 16px 32px;background:var(--bg);color:var(--fg);\
        font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere}
        h1{font-size:1.6em;margin:.3em 0}h2{font-size:1.25em;margin:1.6em 0 .4em;border-bottom:1px solid var(--line)}
        .muted{color:var(--muted)}
        .facts{display:flex;flex-wrap:wrap;gap:8px 20px;list-style:none;padding:0;margin:.5em 0}
        .scroll{overflow-x:auto;border:1px solid var(--line);border-radius:6px;max-width:100%}
        svg{display:block}svg text{fill:var(--fg);font:11px system-ui,sans-serif}
        .chart{width:100%;height:auto;max-width:900px}
        .legend{display:flex;flex-wrap:wrap;gap:4px 14px;padding:0;list-style:none;font-size:.9em}
        .legend i{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:4px;vertical-align:-1px}
        .node rect{fill:var(--node);stroke-width:2}.node.goal rect{stroke-width:3.5}
        .known rect,i.known{stroke:var(--known);background:var(--known)}.in-progress rect,i.in-progress{stroke:var(--progress);background:var(--progress)}
        .due-for-review rect,i.due-for-review{stroke:var(--review);background:var(--review)}
        .next rect,i.next{stroke:var(--next);background:var(--next)}.locked rect,i.locked{stroke:var(--locked);background:var(--locked)}
        .node.known rect{fill:color-mix(in srgb,var(--known) 18%,var(--node))}
        .node.in-progress rect{fill:color-mix(in srgb,var(--progress) 18%,var(--node))}
        .node.due-for-review rect{fill:color-mix(in srgb,var(--review) 14%,var(--node))}
        .node .pct{fill:var(--muted)}.node.locked text{fill:var(--muted)}
        .edge{fill:none;stroke:var(--line);stroke-width:1.2}.edge.goal{stroke:var(--fg);stroke-width:2;opacity:.7}
        .band{fill:var(--band)}.stage-title{font-weight:600;font-size:13px}
        .bar{fill:var(--bar)}.planned{fill:none;stroke:var(--plan);stroke-width:2}.axis{stroke:var(--line)}
        .h0{fill:var(--h0)}.h1{fill:var(--h1)}.h2{fill:var(--h2)}.h3{fill:var(--h3)}.h4{fill:var(--h4)}
        .predicted{fill:var(--plan)}.recalled{fill:var(--known)}
        .line{fill:none;stroke-width:2}.range{opacity:.18}
        .s0{stroke:var(--known);fill:var(--known)}.s1{stroke:var(--next);fill:var(--next)}.s2{stroke:var(--plan);fill:var(--plan)}\
        .s3{stroke:var(--progress);fill:var(--progress)}.s4{stroke:var(--review);fill:var(--review)}
        .tablewrap{overflow-x:auto}table{border-collapse:collapse;margin:.4em 0;font-size:.9em;overflow-wrap:normal}
        .milestones th,.milestones td{white-space:nowrap}
        th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
        details{margin:.4em 0}summary{cursor:pointer;color:var(--muted)}
        .strip{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px}
        .day{border:1px solid var(--line);border-radius:6px;padding:6px 8px;min-height:4em}
        .day h3{font-size:.95em;margin:0 0 4px}.slot{margin:4px 0;font-size:.9em}.slot b{display:block}
        .grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:16px}
        @media (max-width:480px){body{padding:8px 10px}.grid2{grid-template-columns:1fr}}
        @media print{body{max-width:none;color:#000;background:#fff}.scroll{overflow:visible;border:0}\
        section{break-inside:avoid-page}details{break-inside:avoid}h2{break-after:avoid}}
        """
}
