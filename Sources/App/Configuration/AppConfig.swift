public import AlvariaSimulator
public import Configuration
public import Foundation

/// The whole configuration, read and checked once at start-up.
///
/// Keys (environment variable in swift-configuration's mapping, e.g. `http.port` ← `HTTP_PORT`):
/// - `http.host`, `http.port`, `http.basePath`, `http.publicURL`, `http.trustedProxies`,
///   `http.maxBodySize`, `http.idleTimeout`, `http.bodyTimeout`, `http.publicDirectory`, `security.frameAncestors`
/// - `alvaria.mode` (`simulator` | `live`), `alvaria.orgId`, `alvaria.region`, `alvaria.tokenURL`,
///   `alvaria.apiBaseURL`, `alvaria.clientId`, `alvaria.clientSecret`*, `alvaria.apiKey`*,
///   `alvaria.scope`, `alvaria.connectTimeout`, `alvaria.requestTimeout`
/// - `security.secret`*, `security.formTokenLifetime`
/// - `database.url`*, `database.poolSize`, `database.connectTimeout`, `database.queryTimeout`, `forms.directory`
/// - `delivery.immediateBudget`, `delivery.backoffBase`, `delivery.backoffCap`, `delivery.maxAge`,
///   `delivery.claimLease`, `retention.deliveredValues`, `retention.interval`, `http.shutdownGracePeriod`,
///   `database.poolSize`
/// - `limits.pageLoadsPerMinute`, `limits.submitsPerMinute` (per client address, 0 disables),
///   `limits.upstreamConcurrency`, `limits.upstreamQueueTimeout`
/// - `simulator.host`, `simulator.port`, `simulator.tokenLifetime` (demo mode's in-process simulator)
/// - `log.level`, `log.format`
/// - `branding.displayName`, `branding.logo`, `branding.favicon`, `branding.primaryColor`,
///   `branding.accentColor`, `i18n.defaultLanguage`
/// - `tracing.otlpEndpoint`, `tracing.otlpProtocol`, `tracing.serviceName`, `tracing.otlpHeaders`* (OpenTelemetry,
///   off unless the endpoint is set)
///
/// Keys marked * are secrets: read as secrets, refused in the YAML file, never printed.
public struct AppConfig: Sendable {
    public var http: HTTPSettings
    public var alvaria: AlvariaSettings
    public var security: SecuritySettings
    public var database: DatabaseSettings
    public var formsDirectory: String
    public var delivery: DeliverySettings
    public var limits: LimitSettings
    public var presentation: PresentationSettings
    /// The in-process simulator of demo mode; nil in live mode.
    public var simulator: SimulatorConfiguration?
    public var logLevel: String
    /// `text` (readable, the default) or `json` (one object per line, for log shippers).
    public var logFormat: LogFormat
    /// OpenTelemetry tracing; nil (no tracer at all) unless `tracing.otlpEndpoint` is set.
    public var tracing: TracingSettings?
    /// What is allowed but unwise (a secrets file others can read): logged at start-up.
    public var warnings: [String] = []

    /// How log lines are written.
    public enum LogFormat: String, Sendable, CaseIterable { case text, json }

    /// Reads and validates every key; throws all the problems at once.
    public init(reader: ConfigReader) throws(ConfigurationError) {
        var values = ConfigValues(reader: reader)
        http = HTTPSettings(&values)
        let mode = values.choice("alvaria.mode", default: AlvariaSettings.Mode.simulator)
        if mode == .simulator {
            let simulator = SimulatorConfiguration.demo(&values, http: http)
            self.simulator = simulator
            alvaria = AlvariaSettings(simulator: simulator, &values)
        } else {
            simulator = nil
            alvaria = AlvariaSettings(live: &values)
        }
        security = SecuritySettings(&values, mode: mode)
        database = DatabaseSettings(&values)
        formsDirectory = values.string("forms.directory", default: "config/forms")
        delivery = DeliverySettings(&values)
        limits = LimitSettings(&values)
        presentation = PresentationSettings(&values, publicDirectory: http.publicDirectory)
        logLevel = values.choice("log.level", default: LogLevel.info).rawValue
        logFormat = values.choice("log.format", default: LogFormat.text)
        tracing = TracingSettings.read(&values)
        if !values.problems.isEmpty {
            throw ConfigurationError(problems: values.problems)
        }
    }

    /// The levels `log.level` accepts.
    enum LogLevel: String, CaseIterable {
        case trace, debug, info, notice, warning, error, critical
    }
}

/// `http.*`: where the server listens and how people reach it through the proxy.
public struct HTTPSettings: Sendable {
    public var host: String
    public var port: Int
    /// "" or "/forms": always a leading slash, never a trailing one.
    public var basePath: String
    /// The origin people see, e.g. `https://forms.example.com`.
    public var publicURL: URL
    /// Peers whose `Forwarded` / `X-Forwarded-*` / `X-Request-Id` headers are believed.
    public var trustedProxies: [IPAddressRange]
    /// Largest request body accepted (a form post); more is answered 413.
    public var maxBodySize: Int
    /// A connection with no complete request for this long is closed (slow or idle clients).
    public var idleTimeout: Duration
    /// A request whose body has not fully arrived this long after its head has its connection
    /// closed: the idle timeout counts only the time between reads, which a trickle resets.
    public var bodyTimeout: Duration
    /// The folder served under `{basePath}/static`.
    public var publicDirectory: String
    /// Who may frame the pages (CSP `frame-ancestors`): `'none'`, or the agent desktop's origins.
    public var frameAncestors: String
    /// On SIGTERM, how long in-flight requests and deliveries get to finish.
    public var shutdownGracePeriod: Duration

    init(_ values: inout ConfigValues) {
        host = values.string("http.host", default: "127.0.0.1")
        port = values.int("http.port", default: 8080, range: 0...65535)
        basePath = Self.normalisedBasePath(values.string("http.basePath", default: ""), &values)
        if let text = values.string("http.publicURL") {
            publicURL = values.url("http.publicURL", value: text, originOnly: true) ?? URL(string: "http://127.0.0.1")!
        } else {
            let shownHost = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
            publicURL =
                URL(string: "http://\(shownHost.contains(":") ? "[\(shownHost)]" : shownHost):\(port)")
                ?? URL(string: "http://127.0.0.1")!
        }
        trustedProxies = values.list("http.trustedProxies", default: ["127.0.0.0/8", "::1/128"]).compactMap { text in
            guard let range = IPAddressRange(text) else {
                values.problem("http.trustedProxies", "\"\(text)\" is not valid; expected CIDRs like 10.0.0.0/8 or ::1/128, separated by commas")
                return nil
            }
            return range
        }
        maxBodySize = values.int("http.maxBodySize", default: 64 * 1024, range: 1024...(16 * 1024 * 1024))
        idleTimeout = values.duration("http.idleTimeout", default: .seconds(30), minimum: .milliseconds(100))
        bodyTimeout = values.duration("http.bodyTimeout", default: .seconds(30), minimum: .milliseconds(100))
        publicDirectory = values.string("http.publicDirectory", default: "Public")
        frameAncestors = values.string("security.frameAncestors", default: "'none'")
        shutdownGracePeriod = values.duration("http.shutdownGracePeriod", default: .seconds(25), minimum: .zero)
        if frameAncestors.contains(";") || frameAncestors.contains(",") {
            values.problem("security.frameAncestors", "\"\(frameAncestors)\" is not valid; expected 'none', 'self' or origins separated by spaces")
        }
    }

    private static func normalisedBasePath(_ text: String, _ values: inout ConfigValues) -> String {
        var path = text
        while path.hasSuffix("/") { path.removeLast() }
        if path.isEmpty { return "" }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "/-_.~"))
        guard path.hasPrefix("/"), path.unicodeScalars.allSatisfy(allowed.contains), !path.contains("//") else {
            values.problem("http.basePath", "\"\(text)\" is not valid; expected a path like /forms (letters, digits, - _ . ~)")
            return ""
        }
        return path
    }

    /// The absolute URL of a path inside the app (`/f/x` → `https://host/forms/f/x`).
    public func absoluteURL(_ path: String) -> String {
        var origin = publicURL.absoluteString
        while origin.hasSuffix("/") { origin.removeLast() }
        return origin + basePath + path
    }
}

/// `alvaria.*`: which Alvaria to talk to and with which credentials.
public struct AlvariaSettings: Sendable {
    /// `live` talks to Alvaria; `simulator` to the built-in CX simulator.
    public enum Mode: String, Sendable, CaseIterable { case live, simulator }
    /// Picks the token host.
    public enum Region: String, Sendable, CaseIterable {
        case us, eu, uk, ca

        var tokenHost: String {
            switch self {
            case .us: "myaspect.id.aspect-cloud.net"
            case .eu: "myaspect.eu.id.aspect-cloud.net"
            case .uk: "myaspect.uk.id.aspect-cloud.net"
            case .ca: "myaspect.ca.id.aspect-cloud.net"
            }
        }
    }

    public var mode: Mode
    public var orgId: String
    /// The token endpoint; nil in demo mode until the in-process simulator has a port.
    public var tokenURL: URL?
    /// Up to and including `/via/v2`; nil in demo mode as above.
    public var apiBaseURL: URL?
    public var clientId: String
    public var clientSecret: String
    public var apiKey: String
    public var scope: String
    public var connectTimeout: Duration
    public var requestTimeout: Duration

    init(live values: inout ConfigValues) {
        mode = .live
        let required = { (values: inout ConfigValues, key: String, secret: Bool) -> String in
            guard let value = values.string(key, secret: secret) else {
                values.problem(key, "is missing; required when alvaria.mode is live")
                return ""
            }
            return value
        }
        orgId = required(&values, "alvaria.orgId", false)
        if !orgId.isEmpty, orgId.range(of: "^[A-Za-z0-9][A-Za-z0-9-]{0,62}$", options: .regularExpression) == nil {
            values.problem("alvaria.orgId", "\"\(orgId)\" is not valid; expected an organization name (letters, digits, -)")
        }
        clientId = required(&values, "alvaria.clientId", false)
        clientSecret = required(&values, "alvaria.clientSecret", true)
        apiKey = required(&values, "alvaria.apiKey", true)
        let region = values.choice("alvaria.region", default: Region.us)
        if let text = values.string("alvaria.tokenURL") {
            tokenURL = values.url("alvaria.tokenURL", value: text)
        } else {
            tokenURL = URL(string: "https://\(region.tokenHost)/tokenservice/oauth2/access_token")
        }
        if let text = values.string("alvaria.apiBaseURL") {
            apiBaseURL = values.url("alvaria.apiBaseURL", value: text)
        } else {
            apiBaseURL = orgId.isEmpty ? nil : URL(string: "https://\(orgId).via.aspect-cloud.net/via/v2")
        }
        scope = Self.scope(&values)
        (connectTimeout, requestTimeout) = Self.timeouts(&values)
        // The client secret, the bearer tokens and the API key must not cross a network in clear.
        for (key, url) in [("alvaria.tokenURL", tokenURL), ("alvaria.apiBaseURL", apiBaseURL)] {
            guard let url, url.scheme?.lowercased() == "http", !Self.isLoopback(url.host ?? "") else { continue }
            values.problem(
                key,
                "\"\(url.absoluteString)\" is plain http to another machine: the client secret, tokens and API key would travel in clear; expected https (plain http only to this machine)"
            )
        }
    }

    /// `localhost`, 127.0.0.0/8 or ::1.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if host == "localhost" { return true }
        return IPAddressRange("127.0.0.0/8")!.contains(host) || IPAddressRange("::1")!.contains(host)
    }

    init(simulator: SimulatorConfiguration, _ values: inout ConfigValues) {
        mode = .simulator
        orgId = simulator.orgId
        clientId = simulator.clientId
        clientSecret = simulator.clientSecret
        apiKey = simulator.apiKey
        tokenURL = nil
        apiBaseURL = nil
        scope = Self.scope(&values)
        (connectTimeout, requestTimeout) = Self.timeouts(&values)
    }

    private static func scope(_ values: inout ConfigValues) -> String {
        let scope = values.string("alvaria.scope", default: "customerexperienceapi.disposableapp")
        let known: Set<Substring> = ["customerexperienceapi", "customerexperienceapi.disposableapp"]
        if !scope.split(separator: " ").allSatisfy(known.contains) {
            values.problem("alvaria.scope", "\"\(scope)\" is not valid; expected customerexperienceapi or customerexperienceapi.disposableapp")
        }
        return scope
    }

    private static func timeouts(_ values: inout ConfigValues) -> (Duration, Duration) {
        (
            values.duration("alvaria.connectTimeout", default: .seconds(5), minimum: .milliseconds(1)),
            values.duration("alvaria.requestTimeout", default: .seconds(10), minimum: .milliseconds(1))
        )
    }
}

/// `security.*`: the key that signs form tokens, shared by every instance.
public struct SecuritySettings: Sendable {
    public var secret: [UInt8]
    public var formTokenLifetime: Duration

    init(_ values: inout ConfigValues, mode: AlvariaSettings.Mode) {
        if let text = values.string("security.secret", secret: true) {
            if text.utf8.count < 32 {
                values.problem("security.secret", "is too short; expected at least 32 characters of random text")
            } else if let weakness = Self.weakness(of: text) {
                values.problem("security.secret", "\(weakness), not random text; generate one, e.g. with openssl rand -hex 32")
            }
            secret = Array(text.utf8)
        } else {
            if mode == .live {
                values.problem("security.secret", "is missing; required when alvaria.mode is live (the same value on every instance)")
            }
            var generator = SystemRandomNumberGenerator()
            secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
        formTokenLifetime = values.duration("security.formTokenLifetime", default: .seconds(4 * 3600), minimum: .seconds(60))
    }

    /// Why a secret long enough is still guessable: too few different characters, or one short
    /// sequence repeated (`aaaa…`, `abab…`, `0123456789abcdef0123456789abcdef`). Never its value.
    static func weakness(of secret: String) -> String? {
        let scalars = Array(secret.unicodeScalars)
        if Set(scalars).count < 8 { return "has fewer than 8 different characters" }
        for period in 1...(scalars.count / 2) where scalars.count % period == 0 {
            if scalars.indices.allSatisfy({ scalars[$0] == scalars[$0 % period] }) { return "repeats one short sequence" }
        }
        return nil
    }
}

/// `database.url`: `sqlite:PATH` (one instance) or `postgres://…` (several), and the
/// PostgreSQL pool: `database.poolSize`, `database.connectTimeout`, `database.queryTimeout`.
public struct DatabaseSettings: Sendable {
    /// Which store holds the outbox.
    public enum Kind: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(PostgresSettings)
    }

    /// Where PostgreSQL is and how to talk to it; the password is never printed.
    public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible {
        /// `sslmode` in the URL: `disable`, `prefer` (the default) or `require`.
        public enum TLSMode: String, Sendable, CaseIterable { case disable, prefer, require }

        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String?
        public var tls: TLSMode
        public var poolSize: Int
        public var connectTimeout: Duration
        /// The longest a store call may take, a wait for a connection included.
        public var queryTimeout: Duration

        public var description: String {
            "postgres://\(username)@\(host):\(port)/\(database ?? "") (sslmode=\(tls.rawValue), pool \(poolSize))"
        }
    }

    public var kind: Kind

    init(_ values: inout ConfigValues) {
        let text = values.string("database.url", secret: true) ?? "sqlite:data/app.sqlite"
        let poolSize = values.int("database.poolSize", default: 10, range: 1...200)
        let connectTimeout = values.duration("database.connectTimeout", default: .seconds(3), minimum: .milliseconds(100))
        let queryTimeout = values.duration("database.queryTimeout", default: .seconds(5), minimum: .milliseconds(100))
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }  // sqlite:///abs/path
            if path.isEmpty {
                values.problem("database.url", "has no file path; expected sqlite:PATH, e.g. sqlite:data/app.sqlite")
            }
            kind = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
            let settings = Self.postgres(text, poolSize: poolSize, timeouts: (connectTimeout, queryTimeout), &values)
        {
            kind = .postgres(settings)
        } else {
            // Never echo the value: a database URL usually carries a password.
            if !(text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")) {
                values.problem("database.url", "has an unknown scheme; expected sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB")
            }
            kind = .sqlite(path: "data/app.sqlite")
        }
    }

    private static func postgres(
        _ text: String,
        poolSize: Int,
        timeouts: (connect: Duration, query: Duration),
        _ values: inout ConfigValues
    ) -> PostgresSettings? {
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty,
            let username = components.user, !username.isEmpty
        else {
            values.problem("database.url", "is not a valid PostgreSQL URL; expected postgres://USER:PASSWORD@HOST:PORT/DB")
            return nil
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { _, last in last }
        guard let tls = PostgresSettings.TLSMode(rawValue: query["sslmode"] ?? "prefer") else {
            values.problem("database.url", "has an unsupported sslmode; expected disable, prefer or require")
            return nil
        }
        let database = components.path.split(separator: "/").first.map(String.init)
        return PostgresSettings(
            host: host,
            port: components.port ?? 5432,
            username: username,
            password: components.password,
            database: database,
            tls: tls,
            poolSize: poolSize,
            connectTimeout: timeouts.connect,
            queryTimeout: timeouts.query
        )
    }
}

/// `delivery.*`: how hard and how long the outbox tries to post an outcome.
public struct DeliverySettings: Sendable {
    /// How long a submit waits for Alvaria before handing over to the background deliverer.
    public var immediateBudget: Duration
    public var backoffBase: Duration
    public var backoffCap: Duration
    /// Past this age an undelivered outcome ends as failed.
    public var maxAge: Duration
    /// How long a deliverer holds an entry while posting it; an instance that dies mid-delivery
    /// leaves its claim to expire, then another takes the entry over.
    public var claimLease: Duration
    /// Delivered outcomes keep their metadata, but their values are erased after this long.
    public var retainDeliveredValues: Duration
    /// How often the retention job looks for delivered outcomes whose values are due for erasure.
    public var retentionInterval: Duration

    init(_ values: inout ConfigValues) {
        immediateBudget = values.duration("delivery.immediateBudget", default: .seconds(2), minimum: .zero)
        backoffBase = values.duration("delivery.backoffBase", default: .seconds(1), minimum: .milliseconds(10))
        backoffCap = values.duration("delivery.backoffCap", default: .seconds(600), minimum: .milliseconds(10))
        maxAge = values.duration("delivery.maxAge", default: .seconds(3 * 86400), minimum: .seconds(1))
        claimLease = values.duration("delivery.claimLease", default: .seconds(60), minimum: .seconds(1))
        retainDeliveredValues = values.duration("retention.deliveredValues", default: .seconds(7 * 86400), minimum: .zero)
        retentionInterval = values.duration("retention.interval", default: .seconds(3600), minimum: .seconds(1))
        if backoffCap < backoffBase {
            values.problem("delivery.backoffCap", "is shorter than delivery.backoffBase; expected a cap at least as long as the base")
        }
    }
}

/// `limits.*`: what one client, or all of them together, may ask of the app and of Alvaria.
public struct LimitSettings: Sendable {
    /// Form page loads (GET) per client address per minute, also the burst; 0 disables.
    public var pageLoadsPerMinute: Int
    /// Form submits (POST) per client address per minute, also the burst; 0 disables.
    public var submitsPerMinute: Int
    /// Calls to Alvaria in flight at once, page loads and deliveries together.
    public var upstreamConcurrency: Int
    /// How long a call may wait for one of those slots before it fails as retryable (503 on a page).
    public var upstreamQueueTimeout: Duration

    init(_ values: inout ConfigValues) {
        pageLoadsPerMinute = values.int("limits.pageLoadsPerMinute", default: 60, range: 0...1_000_000)
        submitsPerMinute = values.int("limits.submitsPerMinute", default: 20, range: 0...1_000_000)
        upstreamConcurrency = values.int("limits.upstreamConcurrency", default: 32, range: 1...10_000)
        upstreamQueueTimeout = values.duration("limits.upstreamQueueTimeout", default: .seconds(2), minimum: .zero)
    }
}

extension SimulatorConfiguration {
    /// Demo mode's in-process simulator: demo credentials, links back to this app.
    static func demo(_ values: inout ConfigValues, http: HTTPSettings) -> SimulatorConfiguration {
        SimulatorConfiguration(
            // Loopback unless set: its control API has no authentication, and an app bound to
            // 0.0.0.0 for a demo on a phone must not open that to the network as well.
            host: values.string("simulator.host", default: "127.0.0.1"),
            port: values.int("simulator.port", default: 0, range: 0...65535),
            basePath: http.basePath,
            tokenLifetime: values.int("simulator.tokenLifetime", default: 3599, range: 1...86400),
            appURL: http.absoluteURL("")
        )
    }
}
