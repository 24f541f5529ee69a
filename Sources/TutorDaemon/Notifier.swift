import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import TutorApp
import TutorSecrets
import TutorStore
import TutorWire

/// Where notices go, each switchable in the configuration (and on SIGHUP).
public struct NotificationSettings: Sendable, Equatable {
    /// Show messages in `tutor inbox` and when a chat starts (they are stored either way).
    public var inbox = true
    /// Pop up a desktop notification through `notify-send` when it is installed and a session bus is there.
    public var desktop = true
    /// POST each notice as JSON here (ntfy, a chat app's incoming webhook…).
    public var webhookURL: String?
    /// Write each weekly plan as Markdown and iCalendar files here.
    public var planFolder: String?

    public init(inbox: Bool = true, desktop: Bool = true, webhookURL: String? = nil, planFolder: String? = nil) {
        self.inbox = inbox
        self.desktop = desktop
        self.webhookURL = webhookURL
        self.planFolder = planFolder
    }
}

/// Delivers the scheduler's notices: the inbox in the store, desktop notifications, a webhook with
/// retries (the delivery is stored first, so a failure is never lost), and plan files.
final class Notifier: Sendable {
    let store: Store
    let httpClient: HTTPClient
    let logger: Logger
    private let settingsBox: Mutex<NotificationSettings>
    /// Waits between webhook attempts: 1 min, 5 min, 15 min, 1 h, 6 h, then given up.
    static let backoff: [TimeInterval] = [60, 300, 900, 3600, 21_600]

    init(store: Store, httpClient: HTTPClient, settings: NotificationSettings, logger: Logger) {
        self.store = store
        self.httpClient = httpClient
        self.settingsBox = Mutex(settings)
        self.logger = logger
    }

    var settings: NotificationSettings {
        get { settingsBox.withLock { $0 } }
        set { settingsBox.withLock { $0 = newValue } }
    }

    /// The JSON a webhook receives.
    struct WebhookPayload: Encodable {
        var kind: String
        var title: String
        var body: String
        var createdAt: Date
        var plan: PlanResult?
    }

    /// Stores `notice` in the inbox (read at once when the inbox is switched off), queues and tries
    /// its webhook delivery, shows it on the desktop, and writes plan files.
    func post(_ notice: Notice, at now: Date) async {
        let settings = self.settings
        var webhooks: [String] = []
        var payload = ""
        if let url = settings.webhookURL {
            let encoded = try? WireCodec.makeEncoder().encode(
                WebhookPayload(kind: notice.kind, title: notice.title, body: notice.body, createdAt: now, plan: notice.plan))
            if let encoded {
                webhooks = [url]
                payload = String(decoding: encoded, as: UTF8.self)
            }
        }
        let saved: (message: InboxRecord, deliveries: [DeliveryRecord])
        do {
            saved = try store.addToInbox(
                InboxRecord(kind: notice.kind, title: notice.title, body: notice.body, createdAt: now, readAt: settings.inbox ? nil : now),
                webhooks: webhooks, payload: payload)
        } catch {
            logger.error("could not store a notice", metadata: ["notice.title": "\(notice.title)", "error": "\(error)"])
            return
        }
        for delivery in saved.deliveries { await attempt(delivery, at: now) }
        if settings.desktop { Self.showOnDesktop(notice, logger: logger) }
        if let plan = notice.plan, let folder = settings.planFolder { writePlanFiles(plan, report: notice.report, to: folder, at: now) }
    }

    // MARK: Webhook

    /// Tries every delivery due at `now`.
    func retryDue(at now: Date) async {
        guard let due = try? store.dueDeliveries(at: now) else { return }
        for delivery in due { await attempt(delivery, at: now) }
    }

    /// One POST. On failure the delivery is rescheduled with backoff (and given up after the last
    /// wait); the first failure and the giving up each leave a message in the inbox.
    func attempt(_ delivery: DeliveryRecord, at now: Date) async {
        guard let id = delivery.id else { return }
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "tutord/\(Daemon.version)")
        request.body = .bytes(ByteBuffer(string: delivery.payload))
        var failure: String?
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(15))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            if !(200..<300).contains(response.status.code) { failure = "HTTP \(response.status.code) \(response.status.reasonPhrase)" }
        } catch {
            // An error may quote the URL it was about; its secrets never reach the log or the inbox.
            failure = RedactedURL.scrub("\(error)", secretsOf: delivery.url)
        }
        let retryAt = delivery.attempts < Self.backoff.count ? now.addingTimeInterval(Self.backoff[delivery.attempts]) : nil
        guard let updated = try? store.recordDeliveryAttempt(id: id, error: failure, retryAt: failure == nil ? nil : retryAt, at: now)
        else { return }
        guard let failure else {
            logger.info("webhook delivered", metadata: ["delivery.id": "\(id)", "attempts": "\(updated.attempts)"])
            return
        }
        logger.warning(
            "webhook delivery failed",
            metadata: [
                "delivery.id": "\(id)", "attempts": "\(updated.attempts)", "error": "\(failure)",
                "retry_at": "\(retryAt.map { "\($0)" } ?? "never")",
            ])
        if updated.attempts == 1 || updated.status == "failed" {
            let when =
                retryAt.map { "It will be retried at \(ISO8601DateFormatter().string(from: $0))." }
                ?? "It was given up after \(updated.attempts) attempts."
            _ = try? store.addToInbox(
                InboxRecord(
                    kind: "delivery-failure", title: "A webhook delivery failed",
                    body:
                        "Sending a notice to \(Self.redacted(delivery.url)) failed: \(failure). \(when) Check notify.webhook_url (`tutor config show`).",
                    createdAt: now))
        }
    }

    /// The URL without credentials, query or tokens in its path (`RedactedURL`).
    static func redacted(_ url: String) -> String { RedactedURL.shown(url) }

    // MARK: Desktop

    /// `notify-send` when installed and a desktop session is there; silently nothing otherwise.
    static func showOnDesktop(_ notice: Notice, logger: Logger) {
        let environment = ProcessInfo.processInfo.environment
        guard environment["DBUS_SESSION_BUS_ADDRESS"] != nil || environment["DISPLAY"] != nil || environment["WAYLAND_DISPLAY"] != nil,
            let tool = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map({ "\($0)/notify-send" })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        let body = notice.body.count > 300 ? String(notice.body.prefix(299)) + "…" : notice.body
        process.arguments = ["--app-name=Tutor", notice.title, body]
        // The session's bus and display, never the daemon's secrets.
        process.environment = ChildEnvironment.minimal(from: environment, for: .session)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            logger.debug("notify-send did not start", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Plan files

    /// Writes `plan-WEEK.md` and `plan-WEEK.ics` into `folder` (created 0700 when missing).
    func writePlanFiles(_ plan: PlanResult, report: String? = nil, to folder: String, at now: Date) {
        do {
            if let warning = try Store.makePrivateFolder(folder) { logger.warning("\(warning)") }
            try plan.markdown.write(toFile: folder + "/plan-\(plan.week).md", atomically: true, encoding: .utf8)
            try plan.iCalendar.write(toFile: folder + "/plan-\(plan.week).ics", atomically: true, encoding: .utf8)
            // The progress report of the week, overwritten each week (`report.html`).
            if let report { try report.write(toFile: folder + "/report.html", atomically: true, encoding: .utf8) }
            logger.info("plan files written", metadata: ["folder": "\(folder)", "week": "\(plan.week)"])
        } catch {
            logger.error("could not write the plan files", metadata: ["folder": "\(folder)", "error": "\(error)"])
            _ = try? store.addToInbox(
                InboxRecord(
                    kind: "plan-files", title: "The plan files for \(plan.week) were not written",
                    body: "Writing to \(folder) failed: \(error). Check notify.plan_folder (`tutor config show`).", createdAt: now))
        }
    }
}
