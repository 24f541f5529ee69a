/// A URL as it may be shown (in `tutor config show`, the log, an inbox message, an error): without
/// what would let a reader use it in the owner's name.
///
/// Webhook and endpoint URLs carry secrets in three places: the user information
/// (`https://user:password@host`), the query (`?token=…`, `?key=…`), and the path (Slack's
/// `/services/T…/B…/token`, Discord's `/api/webhooks/id/token`). The shown form keeps the scheme,
/// the host and port, and the path's plain words (`/v1`, `/api/webhooks`); it drops the user
/// information, the query and the fragment, and puts `…` for every path segment that looks like an
/// identifier or a token (a digit in eight or more characters, or sixteen or more characters).
///
/// Example: `https://hooks.slack.com/services/T0123ABCD/B0456EFGH/xoxb1234abcd5678efgh` is shown as
/// `https://hooks.slack.com/services/…/…/…`.
public enum RedactedURL {
    /// The shown form of `url`; `"a URL"` for text that is not one (no `scheme://`).
    public static func shown(_ url: String) -> String {
        guard let parts = Parts(url) else { return "a URL" }
        var result = parts.scheme + "://" + parts.hostAndPort
        for segment in parts.segments {
            result += "/" + (looksSecret(segment) ? "…" : segment)
        }
        if parts.droppedQueryOrFragment { result += "?…" }
        return result
    }

    /// `text` with every secret part of `url` (its user information, the path segments
    /// ``shown(_:)`` hides, its query and fragment, and the URL itself) replaced by `…`: for an
    /// error message that may quote the URL it was about.
    public static func scrub(_ text: String, secretsOf url: String) -> String {
        guard let parts = Parts(url) else { return text.replacing(url, with: "…") }
        var secrets = [url]
        secrets += parts.userInformation.map { [$0] } ?? []
        secrets += parts.segments.filter(looksSecret).map(String.init)
        secrets += parts.queryAndFragment.map { [$0] } ?? []
        var result = text
        for secret in secrets.sorted(by: { $0.count > $1.count }) where secret.count >= 4 {
            result = result.replacing(secret, with: "…")
        }
        return result
    }

    /// Whether a path segment looks like an identifier or a token rather than a word.
    static func looksSecret(_ segment: some StringProtocol) -> Bool {
        if segment.count >= 16 { return true }
        return segment.count >= 8 && segment.contains(where: \.isNumber)
    }

    /// A URL cut where its secrets may be, by hand (no Foundation), tolerant of anything.
    private struct Parts {
        var scheme: String
        var userInformation: String?
        var hostAndPort: String
        var segments: [Substring]
        var queryAndFragment: String?
        var droppedQueryOrFragment: Bool { queryAndFragment != nil }

        init?(_ url: String) {
            guard let separator = url.firstRange(of: "://"), !url[..<separator.lowerBound].isEmpty else { return nil }
            scheme = String(url[..<separator.lowerBound])
            var rest = url[separator.upperBound...]
            if let mark = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
                queryAndFragment = String(rest[rest.index(after: mark)...])
                rest = rest[..<mark]
            }
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                userInformation = String(authority[..<at])
                authority = authority[authority.index(after: at)...]
            }
            hostAndPort = String(authority)
            segments = rest[authorityEnd...].split(separator: "/", omittingEmptySubsequences: true)
        }
    }
}
