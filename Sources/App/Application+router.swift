import Forms
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus

/// What the routes need, built once by ``buildApplication(config:logger:metrics:onServerRunning:)``
/// (or by a test, with in-memory stand-ins for the store, the context source and the poster).
struct AppDependencies: Sendable {
    /// The forms served now and the earlier versions still honoured; reloaded on `SIGHUP`.
    let forms: FormLibrary
    let messages: MessageCatalog
    let store: any OutboxStore
    /// First openings, verification attempts and locks, in the outbox's database.
    let sessions: any SessionStateStore
    /// Multi-step forms' drafts, in the outbox's database.
    let drafts: any DraftStore
    /// Uploaded files, in the outbox's database: every instance serves every file.
    let files: any FileStore
    /// The funnel's marks on their way to the outbox's database.
    let funnel: FunnelWriter
    /// A session's draft changes, one at a time.
    var draftQueue = SessionQueue()
    let contexts: any ContextSource
    let deliverer: Deliverer
    /// The live event feed: the flow records link.opened, verification.*, step.completed and
    /// form.* here (``EventRecorder/off`` when `events.url` is unset).
    var events: EventRecorder = .off
    /// For `/readyz`: a token can be had.
    let tokens: any AccessTokenSource
    let metrics: PrometheusCollectorRegistry
    let metricsFactory: any MetricsFactory
    /// The clock of link expiry and verification passes (tests move it).
    var now: @Sendable () -> Date = { Date() }
    /// Demo mode's dialogs, for the console; nil in live mode (no console).
    let demoDialogs: (any DemoDialogs)?
    /// Where people reach the app, for absolute links; `http.publicURL` when nil.
    var publicOrigin: PublicOrigin? = nil
}

/// The router: middleware, health, metrics, branding, the console in demo mode, and the form
/// routes (rate limited). Every page is compiled here, once.
func buildRouter(config: AppConfig, dependencies: AppDependencies, logger: Logger) -> Router<AppRequestContext> {
    // Status and preview pages wear the app's brand, never a form's: the forms at start-up serve
    // them as well as any. Form pages come from the set current when each request begins.
    let pages = dependencies.forms.current.pages
    let crossSite = CrossSiteCheck(publicURL: config.http.publicURL)
    // HEAD answers as GET does without the body; on the form routes, LinkPreviewMiddleware takes it first.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: EventLoopExecutorMiddleware())
    if config.tracing != nil {
        // Outermost, so the server span covers everything; named by route pattern, sessionId
        // redacted; joining an incoming trace only when a trusted proxy sent it.
        router.add(middleware: TraceContextFromTrustedProxiesOnly(trustedProxies: config.http.trustedProxies))
        router.add(middleware: serverTracingMiddleware())
    }
    router.add(middleware: HTTPMetricsMiddleware(factory: dependencies.metricsFactory))
    router.add(middleware: ForwardedHeadersMiddleware(trustedProxies: config.http.trustedProxies))
    router.add(middleware: RequestLogMiddleware())
    router.add(
        middleware: SecurityHeadersMiddleware(
            frameAncestors: config.security.frameAncestors,
            strictTransportSecurity: config.http.publicURL.scheme == "https"
        )
    )
    router.add(middleware: ErrorPageMiddleware(pages: pages))
    router.add(middleware: NULPathMiddleware())
    router.add(
        middleware: FileMiddleware(
            fileProvider: PublicFiles(directory: config.http.publicDirectory, logger: logger),
            urlBasePath: config.http.basePath + "/static",
            cacheControl: .init([(MediaType(type: .any), [.public, .maxAge(3600)])])
        )
    )
    let root = config.http.basePath.isEmpty ? router.group() : router.group(RouterPath(config.http.basePath))
    HealthController(tokens: dependencies.tokens, store: dependencies.store).addRoutes(to: root)
    MetricsController(registry: dependencies.metrics).addRoutes(to: root)
    BrandingController(forms: dependencies.forms).addRoutes(to: root)
    let console = dependencies.demoDialogs.map { dialogs in
        ConsoleController(dialogs: dialogs, forms: dependencies.forms, crossSite: crossSite)
    }
    console?.addRoutes(to: root)
    // Only the form routes are rate limited: health, readiness, metrics and static files never are.
    // Link previews and HEAD are answered first, so that they never count against the person.
    let limited = root.group()
        .add(middleware: LinkPreviewMiddleware(userAgents: config.previews.userAgents, pages: pages, metricsFactory: dependencies.metricsFactory))
        .add(
            middleware: RateLimitMiddleware(
                pageLoads: TokenBucketLimiter(perMinute: config.limits.pageLoadsPerMinute),
                submits: TokenBucketLimiter(perMinute: config.limits.submitsPerMinute),
                uploads: TokenBucketLimiter(perMinute: config.limits.uploadsPerMinute),
                // The client as the trusted proxies report it (ForwardedHeadersMiddleware), else the
                // peer; an IPv6 client by its /64.
                clientKey: { _, context in context.clientAddress.map(IPAddressRange.rateLimitKey(for:)) ?? "unknown" },
                pages: pages
            )
        )
    let files = FileVault(store: dependencies.files, secrets: config.security.keys)
    let fileLinks = FileLinks(
        keys: config.security.keys,
        origin: dependencies.publicOrigin ?? PublicOrigin(config.http),
        basePath: config.http.basePath,
        lifetime: config.files.linkLifetime
    )
    // Outside the rate limits, like health: the agent opening files needs a link signed by us,
    // checked before anything is read.
    FileController(vault: files, links: fileLinks, pages: pages, now: dependencies.now).addRoutes(to: root)
    let flow = FormFlow(
        library: dependencies.forms,
        formSet: dependencies.forms.current,
        contexts: dependencies.contexts,
        store: dependencies.store,
        sessions: dependencies.sessions,
        deliverer: dependencies.deliverer,
        signer: FormTokenSigner(keys: config.security.keys, lifetime: config.security.formTokenLifetime),
        passes: VerificationPass(keys: config.security.keys),
        drafts: DraftKeeper(
            store: dependencies.drafts,
            sealer: Sealer(secrets: config.security.keys, purpose: "drafts"),
            queue: dependencies.draftQueue
        ),
        heldAnswers: HeldAnswers(sealer: Sealer(secrets: config.security.keys, purpose: "held answers")),
        files: files,
        fileLinks: fileLinks,
        fileIntake: FileIntake(factory: dependencies.metricsFactory),
        immediateBudget: config.delivery.immediateBudget,
        verificationMetrics: VerificationMetrics(factory: dependencies.metricsFactory),
        activity: FormActivity(writer: dependencies.funnel, factory: dependencies.metricsFactory, events: dependencies.events, now: dependencies.now),
        now: dependencies.now
    )
    FormController(
        flow: flow,
        crossSite: crossSite,
        maxBodySize: config.http.maxBodySize,
        maxUploadSize: config.http.maxUploadSize,
        console: console,
        secureCookies: config.http.publicURL.scheme == "https"
    ).addRoutes(to: limited)
    return router
}
