public import Foundation

/// `events.*`: the live event feed, Standard Webhooks posted to `events.url`.
///
/// Off (nil in ``AppConfig/events``) unless `events.url` is set: nothing is recorded and no sender
/// runs. `events.secret` is then required, a `whsec_` key (``WebhookSigner/problem(with:)``), read
/// as a secret and refused from the YAML file like `security.secret`.
public struct EventSettings: Sendable {
    /// Where every event is POSTed.
    public var url: URL
    /// Signs every attempt.
    public var signer: WebhookSigner
    /// How long one attempt may take (connect, send, the receiver's answer).
    public var timeout: Duration
    /// An event not delivered this long after it happened is given up (counted), and its session's
    /// next event may go.
    public var maxAge: Duration
    /// Delivered and given-up events are deleted this long after they finished.
    public var retention: Duration
    /// The waits between attempts: exponential from the base to the cap, with full jitter.
    public var backoffBase: Duration
    public var backoffCap: Duration

    /// Default of `events.retention`, which the retention job applies even with the feed off (rows
    /// left from when it was on).
    public static let defaultRetention: Duration = .seconds(7 * 86400)

    /// How long a sender holds an event while posting it: well above any attempt (`timeout`), so a
    /// claim never expires under a live attempt; a sender that dies frees its events after this.
    public var claimLease: Duration { max(.seconds(30), timeout * 3) }

    /// For tests: every setting but the destination at its default.
    public init(
        url: URL,
        signer: WebhookSigner,
        timeout: Duration = .seconds(10),
        maxAge: Duration = .seconds(86400),
        retention: Duration = EventSettings.defaultRetention,
        backoffBase: Duration = .seconds(1),
        backoffCap: Duration = .seconds(300)
    ) {
        self.url = url
        self.signer = signer
        self.timeout = timeout
        self.maxAge = maxAge
        self.retention = retention
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
    }

    /// The feed's settings, nil when `events.url` is not set; problems go to `values`.
    static func read(_ values: inout ConfigValues) -> EventSettings? {
        let timeout = values.duration("events.timeout", default: .seconds(10), minimum: .milliseconds(100))
        let maxAge = values.duration("events.maxAge", default: .seconds(86400), minimum: .seconds(60))
        let retention = values.duration("events.retention", default: defaultRetention, minimum: .seconds(3600))
        let backoffBase = values.duration("events.backoffBase", default: .seconds(1), minimum: .milliseconds(10))
        let backoffCap = values.duration("events.backoffCap", default: .seconds(300), minimum: .milliseconds(10))
        if backoffCap < backoffBase {
            values.problem("events.backoffCap", "is shorter than events.backoffBase; expected a cap at least as long as the base")
        }
        if timeout > .seconds(120) {
            values.problem("events.timeout", "is longer than 2m; expected a timeout from 100ms to 2m")
        }
        let secret = values.string("events.secret", secret: true)
        guard let text = values.string("events.url") else { return nil }
        let url = values.webhookURL("events.url", value: text)
        guard let secret else {
            values.problem("events.secret", "is missing; required when events.url is set (a whsec_ key the receiver verifies with)")
            return nil
        }
        if let problem = WebhookSigner.problem(with: secret) {
            values.problem("events.secret", problem)
            return nil
        }
        guard let url, let signer = WebhookSigner(secret: secret) else { return nil }
        return EventSettings(
            url: url,
            signer: signer,
            timeout: timeout,
            maxAge: maxAge,
            retention: retention,
            backoffBase: backoffBase,
            backoffCap: backoffCap
        )
    }
}

extension ConfigValues {
    /// An absolute http(s) URL with a host; unlike ``url(_:value:originOnly:)`` it may have a query
    /// (receivers often route by one), never a fragment. The problem line never repeats the value:
    /// a query can carry a token.
    mutating func webhookURL(_ key: String, value text: String) -> URL? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty,
            components.fragment == nil, let url = components.url
        else {
            problem(key, "is not valid; expected an absolute http:// or https:// URL")
            return nil
        }
        return url
    }
}
