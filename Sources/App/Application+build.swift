import AsyncHTTPClient
import Forms
import Foundation
public import Hummingbird
public import Logging
import Metrics
import NIOCore
public import Prometheus
import ServiceLifecycle

/// Builds the whole server from a checked configuration: the HTTP client and token provider,
/// the deliverer and the routes.
///
/// In demo mode the simulator must already run, and `config.alvaria` point at it
/// (``AlvariaSettings/connect(to:)``): the executable's demo wiring does both.
///
/// - Parameters:
///   - metrics: the registry `/metrics` renders and everything counts into; a fresh one by
///     default, so that apps built in one process (tests) count apart.
///   - demoDialogs: demo mode's dialogs, which turn the console on.
///   - onServerRunning: receives the app's bound channel (tests learn the port from it).
public func buildApplication(
    config: AppConfig,
    logger: Logger,
    metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    demoDialogs: (any DemoDialogs)? = nil,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    guard let tokenURL = config.alvaria.tokenURL, let apiBaseURL = config.alvaria.apiBaseURL else {
        // Live mode always has both (AppConfig reports a missing one); demo mode once connected.
        throw ConfigurationError(problems: [
            ConfigProblem(
                key: "alvaria.mode",
                message: "is simulator, but no simulator was started; run the disposable-app executable, or set alvaria.mode=live"
            )
        ])
    }
    let endpoints = AlvariaEndpoints(tokenURL: tokenURL, apiBaseURL: apiBaseURL)
    // Everything that can fail is checked before anything that needs shutting down is created.
    let parts = try loadParts(config: config, logger: logger)
    let metricsFactory = makeMetricsFactory(registry: metrics)
    var services: [any Service] = parts.store.services

    var clientConfiguration = HTTPClient.Configuration(
        timeout: .init(connect: TimeAmount(config.alvaria.connectTimeout)),
        // AsyncHTTPClient keeps 8 connections per host by default: against a slow Alvaria that,
        // not limits.upstreamConcurrency, would cap the calls in flight.
        connectionPool: .init(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, config.limits.upstreamConcurrency)
        ),
        decompression: .disabled
    )
    // The client's calls have spans of our own (UpstreamTracing), which name the endpoint and keep
    // the sessionId out; the client's own would repeat them, and cost CPU even with no tracer.
    clientConfiguration.tracing.tracer = nil
    let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
    services.append(HTTPClientService(client: httpClient))
    let tokens = TokenProvider(
        httpClient: httpClient,
        endpoints: endpoints,
        credentials: .init(
            clientId: config.alvaria.clientId,
            clientSecret: config.alvaria.clientSecret,
            scope: config.alvaria.scope,
            realm: config.alvaria.orgId
        ),
        timeout: config.alvaria.requestTimeout,
        logger: logger,
        metricsFactory: metricsFactory
    )

    let alvaria = AlvariaClient(
        httpClient: httpClient,
        tokens: tokens,
        endpoints: endpoints,
        orgId: config.alvaria.orgId,
        apiKey: config.alvaria.apiKey,
        requestTimeout: config.alvaria.requestTimeout,
        metricsFactory: metricsFactory,
        maxConcurrentCalls: config.limits.upstreamConcurrency,
        queueTimeout: config.limits.upstreamQueueTimeout
    )

    // The live event feed: with events.url unset, no metrics, no sender, and a recorder that does nothing.
    let eventMetrics = config.events.map { _ in EventMetrics(factory: metricsFactory) }
    let events =
        eventMetrics.map { EventRecorder(store: parts.store.events, metrics: $0, logger: logger) } ?? .off
    let deliverer = Deliverer(
        store: parts.store.store,
        poster: alvaria,
        settings: config.delivery,
        logger: logger,
        metricsFactory: metricsFactory,
        events: events
    )
    let retention = RetentionService(
        store: parts.store.store,
        sessions: parts.store.sessions,
        drafts: parts.store.drafts,
        files: parts.store.files,
        funnel: parts.store.funnel,
        events: parts.store.events,
        settings: config.retention,
        draftRetention: config.drafts.retention,
        fileRetention: config.files.retention,
        eventRetention: config.events?.retention ?? EventSettings.defaultRetention,
        logger: logger,
        metricsFactory: metricsFactory
    )
    services.append(StartsAfter(ready: parts.store.prepare, service: deliverer))
    services.append(StartsAfter(ready: parts.store.prepare, service: retention))
    if let settings = config.events, let eventMetrics {
        // After the HTTP client's service, so it stops before the client; posts nothing in a request.
        let sender = EventSender(store: parts.store.events, httpClient: httpClient, settings: settings, logger: logger, metrics: eventMetrics)
        services.append(StartsAfter(ready: parts.store.prepare, service: sender))
    }

    let funnel = FunnelWriter(store: parts.store.funnel, logger: logger, metricsFactory: metricsFactory)
    services.append(StartsAfter(ready: parts.store.prepare, service: funnel))

    let forms = FormLibrary(
        catalog: parts.forms,
        messages: parts.messages,
        config: config,
        versions: parts.store.formVersions,
        metricsFactory: metricsFactory
    )
    // After the migrations: it saves the versions served in the database first.
    services.append(StartsAfter(ready: parts.store.prepare, service: FormReloadService(library: forms, settings: config.forms, logger: logger)))

    let origin = PublicOrigin(config.http)
    let router = buildRouter(
        config: config,
        dependencies: AppDependencies(
            forms: forms,
            messages: parts.messages,
            store: parts.store.store,
            sessions: parts.store.sessions,
            drafts: parts.store.drafts,
            files: parts.store.files,
            funnel: funnel,
            contexts: alvaria,
            deliverer: deliverer,
            events: events,
            tokens: tokens,
            metrics: metrics,
            metricsFactory: metricsFactory,
            demoDialogs: demoDialogs,
            publicOrigin: origin
        ),
        logger: logger
    )

    var app = Application(
        router: router,
        // Against hostile clients: headers far beyond what a browser sends are refused (400,
        // connection closed), a connection without a complete request within the idle timeout,
        // such as a slowloris trickling its headers, is closed, and so is one whose request body
        // takes longer than http.bodyTimeout in all, however steadily it trickles.
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [RequestDeadlineHandler(deadline: TimeAmount(config.http.bodyTimeout), logger: logger)],
                idleTimeout: TimeAmount(config.http.idleTimeout),
                httpDecoderConfiguration: .init(maxHeaderFieldSize: 16 * 1024, maxHeaderListSize: 32 * 1024, maxHeaderFieldCount: 100)
            )
        ),
        configuration: .init(address: .hostname(config.http.host, port: config.http.port), serverName: nil),
        services: services,
        onServerRunning: { channel in
            origin.serverRunning(on: channel)
            await onServerRunning(channel)
        },
        logger: logger
    )
    app.beforeServerStarts(perform: parts.store.prepare)
    return app
}

/// The factory for all of the app's metrics, writing to `registry`. Delivery latency runs from the
/// submit to Alvaria's 204 (an event's, from the event to its receiver's 2xx), which may take hours
/// while the other end is down: it gets longer buckets.
private func makeMetricsFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
    var factory = PrometheusMetricsFactory(registry: registry)
    let deliveryBuckets: [Duration] = [
        .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30),
        .seconds(60), .seconds(300), .seconds(900), .seconds(3600), .seconds(4 * 3600),
    ]
    factory.durationHistogramBuckets["outbox_delivery_latency_seconds"] = deliveryBuckets
    factory.durationHistogramBuckets["events_delivery_latency_seconds"] = deliveryBuckets
    return factory
}

/// Shuts the shared HTTP client down after the server has stopped (services stop in reverse order).
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}

/// What the app is made of besides the network: forms, UI text and the store — each checked
/// here so that every problem is reported before the port opens.
struct AppParts: Sendable {
    let forms: FormCatalog
    let messages: MessageCatalog
    let store: OpenedOutboxStore
}

func loadParts(config: AppConfig, logger: Logger) throws(StartupError) -> AppParts {
    var problems: [String] = []
    var isDirectory: ObjCBool = false
    if !(FileManager.default.fileExists(atPath: config.http.publicDirectory, isDirectory: &isDirectory) && isDirectory.boolValue) {
        // Every page would come unstyled and without its script.
        let folder = URL(fileURLWithPath: config.http.publicDirectory).standardizedFileURL.path
        problems.append(
            ConfigProblem(
                key: "http.publicDirectory",
                message: "\(folder) is not a folder; expected the app's Public folder (start from the app's folder, or give its absolute path)"
            ).description
        )
    }
    var forms: FormCatalog?
    do { forms = try loadForms(config) } catch { problems += error.problems }
    var messages: MessageCatalog?
    do { messages = try MessageCatalog.bundled(defaultLanguage: config.presentation.defaultLanguage) } catch { problems += error.problems }
    var store: OpenedOutboxStore?
    do { store = try OutboxStores.open(config.database, logger: logger) } catch { problems += error.problems }
    guard problems.isEmpty, let forms, let messages, let store else {
        throw StartupError(problems: problems)
    }
    return AppParts(forms: forms, messages: messages, store: store)
}

/// The forms of `forms.directory`, checked as a file and against the rest of the configuration:
/// start-up's check, and a reload's, so an invalid edit is refused with the same messages.
func loadForms(_ config: AppConfig) throws(StartupError) -> FormCatalog {
    let forms: FormCatalog
    do {
        forms = try FormCatalog.load(directory: config.forms.directory)
    } catch {
        throw StartupError(problems: error.problems.map { "forms: \($0)" })
    }
    var problems: [String] = []
    if forms.forms.isEmpty {
        problems.append("forms: no form definitions (*.yaml) in \(config.forms.directory)")
    }
    for form in forms.forms {
        if let expiresAfter = form.expiresAfter, expiresAfter >= config.retention.sessionStates {
            // A purged first opening would let the expired link work again.
            problems.append(
                "forms: \(form.problemFile): expiresAfter is not shorter than retention.sessionStates (RETENTION_SESSION_STATES); raise that or shorten the form's"
            )
        }
        guard let branding = form.branding else { continue }
        for problem in PresentationSettings.fileProblems(of: branding, publicDirectory: config.http.publicDirectory) {
            problems.append("forms: \(form.problemFile): \(problem.key): \(problem.message)")
        }
    }
    guard problems.isEmpty else { throw StartupError(problems: problems) }
    return forms
}

extension FormLibrary {
    /// The library of a server built from `config`: it reloads from `forms.directory`, and keeps
    /// a replaced version for as long as its form tokens live, or a multi-step form's drafts.
    convenience init(
        catalog: FormCatalog,
        messages: MessageCatalog,
        config: AppConfig,
        versions: (any FormVersionStore)?,
        now: @escaping @Sendable () -> Date = { Date() },
        metricsFactory: any MetricsFactory
    ) {
        let tokens = config.security.formTokenLifetime
        let drafts = config.drafts.retention
        self.init(
            catalog: catalog,
            compiler: FormCompiler(urls: AppURLs(basePath: config.http.basePath), messages: messages, branding: config.presentation.branding),
            source: { () throws(StartupError) in try loadForms(config) },
            versions: versions,
            retention: { form in form.isMultiStep ? max(tokens, drafts) : tokens },
            now: now,
            metricsFactory: metricsFactory
        )
    }
}
