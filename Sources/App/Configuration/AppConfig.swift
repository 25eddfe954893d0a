public import Configuration
public import Logging

/// The whole configuration, read and checked once at start-up.
///
/// Each section is a type of its own that reads its own keys (`HTTPSettings` the `http.*` keys,
/// and so on). The README's configuration table is the one list of keys, their environment
/// variables and their defaults.
public struct AppConfig: Sendable {
    public var http: HTTPSettings
    public var alvaria: AlvariaSettings
    public var security: SecuritySettings
    public var database: DatabaseSettings
    public var forms: FormsSettings
    public var delivery: DeliverySettings
    public var retention: RetentionSettings
    public var drafts: DraftSettings
    public var files: FileSettings
    public var limits: LimitSettings
    public var presentation: PresentationSettings
    public var previews: PreviewSettings
    /// Demo mode's in-process simulator; nil in live mode.
    public var demo: DemoSettings?
    public var log: LogSettings
    /// OpenTelemetry tracing; nil (no tracer at all) unless `tracing.otlpEndpoint` is set.
    public var tracing: TracingSettings?
    /// The live event feed (signed webhooks); nil (off, nothing recorded) unless `events.url` is set.
    public var events: EventSettings?
    /// What is allowed but unwise (a secrets file others can read): logged at start-up.
    public var warnings: [String] = []

    /// Reads and validates every key; throws all the problems at once.
    public init(reader: ConfigReader) throws(ConfigurationError) {
        var values = ConfigValues(reader: reader)
        http = HTTPSettings(&values)
        alvaria = AlvariaSettings(&values)
        demo = alvaria.mode == .simulator ? DemoSettings(&values) : nil
        security = SecuritySettings(&values, mode: alvaria.mode)
        database = DatabaseSettings(&values)
        forms = FormsSettings(&values)
        delivery = DeliverySettings(&values)
        retention = RetentionSettings(&values)
        drafts = DraftSettings(&values)
        files = FileSettings(&values)
        limits = LimitSettings(&values)
        presentation = PresentationSettings(&values, publicDirectory: http.publicDirectory)
        previews = PreviewSettings(&values)
        log = LogSettings(&values)
        tracing = TracingSettings.read(&values)
        events = EventSettings.read(&values)
        if !values.problems.isEmpty {
            throw ConfigurationError(problems: values.problems)
        }
    }
}

/// `forms.directory`: where the form definitions are; `forms.watch` and `forms.watchInterval`:
/// whether, and how often, the folder is looked at for edits to reload (`SIGHUP` always reloads).
public struct FormsSettings: Sendable {
    public var directory: String
    /// Reload when a form file changes, without waiting for a `SIGHUP`. Off by default: in
    /// production, edits usually arrive by a deploy that signals.
    public var watch: Bool
    /// How often the folder is compared with what was loaded (file names, sizes and times).
    public var watchInterval: Duration

    init(_ values: inout ConfigValues) {
        directory = values.string("forms.directory", default: "config/forms")
        watch = values.bool("forms.watch", default: false)
        watchInterval = values.duration("forms.watchInterval", default: .seconds(2), minimum: .milliseconds(100))
    }
}

/// `log.level` and `log.format`.
public struct LogSettings: Sendable {
    /// How log lines are written.
    public enum Format: String, Sendable, CaseIterable { case text, json }

    /// swift-log's own levels, by their names (`trace` … `critical`).
    public var level: Logger.Level
    /// `text` (readable, the default) or `json` (one object per line, for log shippers).
    public var format: Format

    init(_ values: inout ConfigValues) {
        level = values.choice("log.level", default: Logger.Level.info)
        format = values.choice("log.format", default: Format.text)
    }
}

/// `simulator.*`: demo mode's in-process CX simulator, which the executable starts before the
/// app and points the app at (see the `Demo` target).
public struct DemoSettings: Sendable {
    /// Loopback unless set: the simulator's control API has no authentication, and an app bound
    /// to 0.0.0.0 for a demo on a phone must not open that to the network as well.
    public var host: String
    /// 0 picks a free port.
    public var port: Int
    /// Seconds.
    public var tokenLifetime: Int

    /// The defaults, as when no `simulator.*` key is set.
    public init(host: String = "127.0.0.1", port: Int = 0, tokenLifetime: Int = 3599) {
        self.host = host
        self.port = port
        self.tokenLifetime = tokenLifetime
    }

    init(_ values: inout ConfigValues) {
        host = values.string("simulator.host", default: "127.0.0.1")
        port = values.int("simulator.port", default: 0, range: 0...65535)
        tokenLifetime = values.int("simulator.tokenLifetime", default: 3599, range: 1...86400)
    }
}
