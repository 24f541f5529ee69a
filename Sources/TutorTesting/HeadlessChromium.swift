import Foundation

/// Debian's `chromium` run headless on a page from disk, for the report's tests and screenshots.
///
/// The page is loaded inside a frame of the width asked for (a headless window is at least 500 px
/// wide, a frame can be any width), next to a measuring script that lives only in the wrapper:
/// the page itself stays as it was written. The script reads the frame's layout and DOM and writes
/// what it found into the wrapper's DOM, which `--dump-dom` prints.
public enum HeadlessChromium {
    /// The browser's path, or nil when it is not installed (`Tools/install-deps.sh` installs it).
    public static var path: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public static var isInstalled: Bool { path != nil }

    /// What the measuring script and the browser's log reported.
    public struct Measurement: Sendable {
        /// The frame's document width and its viewport width, in CSS pixels.
        public var scrollWidth: Int
        public var viewportWidth: Int
        /// Elements whose right edge passes the viewport (every `<details>` opened), outside the
        /// containers that scroll on purpose (the roadmap graph, wide tables).
        public var overflowing: [String]
        /// Resources the page fetched (stylesheets, images, fonts…).
        public var resources: Int
        /// Whether the frame saw `prefers-color-scheme: dark`.
        public var dark: Bool
        /// `data-skill` → `data-state` of every roadmap node.
        public var nodes: [String: String]
        /// `data-week` → `data-minutes` of every weekly bar.
        public var weeks: [String: Int]
        /// `data-day` → `data-minutes` of every heatmap day.
        public var days: [String: Int]
        public var streak: Int?
        /// Console messages the browser logged for the page.
        public var console: [String]
    }

    /// Loads `page` (an HTML file) in a frame `width` px wide and measures it.
    public static func measure(page: String, width: Int, dark: Bool = false) async throws -> Measurement {
        guard let chromium = path else { throw TestingError("chromium is not installed: run `bash Tools/install-deps.sh`") }
        let folder = URL(fileURLWithPath: page).deletingLastPathComponent().path
        let wrapper = folder + "/measure-\(width)\(dark ? "-dark" : "").html"
        let name = URL(fileURLWithPath: page).lastPathComponent
        try (wrapperHTML(frame: name, width: width)).write(toFile: wrapper, atomically: true, encoding: .utf8)
        let result = try await TemporaryDaemon.run(
            executable: chromium,
            arguments: flags(folder: folder, dark: dark) + [
                "--window-size=\(max(width, 500) + 20),1000", "--enable-logging=stderr", "--v=0", "--dump-dom", "file://" + wrapper,
            ], environment: ProcessInfo.processInfo.environment, timeout: .seconds(90))
        guard let start = result.stdout.range(of: "data-measure=\""),
            let end = result.stdout[start.upperBound...].firstIndex(of: "\"")
        else { throw TestingError("chromium printed no measurement (status \(result.status)): \(result.stderr.suffix(2000))") }
        let json = String(result.stdout[start.upperBound..<end])
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw TestingError("the measurement is not a JSON object: \(json.prefix(300))")
        }
        let console = result.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return Measurement(
            scrollWidth: (object["scrollWidth"] as? NSNumber)?.intValue ?? -1,
            viewportWidth: (object["viewportWidth"] as? NSNumber)?.intValue ?? -1,
            overflowing: object["overflowing"] as? [String] ?? [], resources: (object["resources"] as? NSNumber)?.intValue ?? -1,
            dark: object["dark"] as? Bool ?? false, nodes: object["nodes"] as? [String: String] ?? [:],
            weeks: integers(object["weeks"]), days: integers(object["days"]), streak: (object["streak"] as? NSNumber)?.intValue,
            console: console)
    }

    /// A JSON object of numbers as a dictionary of integers.
    static func integers(_ value: Any?) -> [String: Int] {
        (value as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.intValue }
    }

    /// Writes a PNG of `page` as a `width` × `height` window shows it.
    public static func screenshot(page: String, to png: String, width: Int, height: Int, dark: Bool = false) async throws {
        guard let chromium = path else { throw TestingError("chromium is not installed: run `bash Tools/install-deps.sh`") }
        let folder = URL(fileURLWithPath: page).deletingLastPathComponent().path
        let result = try await TemporaryDaemon.run(
            executable: chromium,
            arguments: flags(folder: folder, dark: dark) + [
                "--window-size=\(width),\(height)", "--hide-scrollbars", "--screenshot=\(png)", "file://" + page,
            ], environment: ProcessInfo.processInfo.environment, timeout: .seconds(90))
        guard FileManager.default.fileExists(atPath: png) else {
            throw TestingError("chromium wrote no screenshot (status \(result.status)): \(result.stderr.suffix(2000))")
        }
    }

    /// The width and height recorded in a PNG's header.
    public static func pngSize(_ path: String) -> (width: Int, height: Int)? {
        guard let data = FileManager.default.contents(atPath: path), data.count > 24 else { return nil }
        let bytes = [UInt8](data.prefix(24))
        func word(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }

    /// Root in a container needs no sandbox; a profile of its own per run lets runs go side by side.
    static func flags(folder: String, dark: Bool) -> [String] {
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--allow-file-access-from-files",
            "--user-data-dir=\(folder)/chromium-profile-\(UUID().uuidString)", "--virtual-time-budget=10000",
        ] + (dark ? ["--force-dark-mode"] : [])
    }

    /// The wrapper: the page in a frame, and the script that measures it once everything has loaded.
    static func wrapperHTML(frame: String, width: Int) -> String {
        """
        <!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
        <iframe id="page" src="\(frame)" style="border:0;width:\(width)px;height:900px"></iframe>
        <script>
        addEventListener('load', () => {
          const w = document.getElementById('page').contentWindow, d = w.document, vw = w.innerWidth;
          const overflowing = [];
          for (const x of d.querySelectorAll('details')) x.open = true;
          for (const e of d.body.querySelectorAll('*')) {
            const box = e.closest('.scroll, .tablewrap');
            if (box && box !== e) continue;
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.right > vw + 0.5) overflowing.push(e.tagName + '.' + (e.getAttribute('class') || '') + ' ' + Math.round(r.right));
          }
          const pick = (selector, key, value, number) => {
            const out = {};
            for (const e of d.querySelectorAll(selector)) out[e.getAttribute(key)] = number ? Number(e.getAttribute(value)) : e.getAttribute(value);
            return out;
          };
          const streak = d.getElementById('streak');
          document.body.setAttribute('data-measure', JSON.stringify({
            scrollWidth: d.documentElement.scrollWidth, viewportWidth: vw, overflowing: overflowing.slice(0, 20),
            resources: w.performance.getEntriesByType('resource').length,
            dark: w.matchMedia('(prefers-color-scheme: dark)').matches,
            nodes: pick('g.node', 'data-skill', 'data-state', false),
            weeks: pick('rect.bar[data-week]', 'data-week', 'data-minutes', true),
            days: pick('rect[data-day][data-minutes]', 'data-day', 'data-minutes', true),
            streak: streak ? Number(streak.getAttribute('data-days')) : null }));
        });
        </script></body></html>
        """
    }
}
