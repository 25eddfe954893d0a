import AlvariaModels
import Forms
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import Synchronization

@testable import App

/// Contexts from memory: what a test's "CX script" handed over, per session.
final class InMemoryContexts: ContextSource {
    private let contents = Mutex<[String: String]>([:])
    private let calls = Mutex(0)
    /// The next calls fail with this error (Alvaria down, refusing), as many times as counted.
    private let failures = Mutex<(error: AlvariaError, count: Int)?>(nil)
    /// Called at the start of every call (a test's rendezvous).
    let onCall = Mutex<(@Sendable () async -> Void)?>(nil)

    func failNext(_ count: Int, with error: AlvariaError = .serverError(status: 500, nil)) {
        failures.withLock { $0 = (error, count) }
    }

    /// Creates a dialog with this context; returns its session id.
    @discardableResult
    func create(_ content: String, sessionId: String = "S-\(UUID().uuidString.prefix(8))") -> SessionID {
        contents.withLock { $0[sessionId] = content }
        return SessionID(sessionId)!
    }

    /// Ends the dialog: Alvaria answers 404 for it from now on.
    func remove(_ sessionId: SessionID) {
        contents.withLock { $0[sessionId.rawValue] = nil }
    }

    var callCount: Int { calls.withLock { $0 } }

    func context(for sessionId: SessionID, logger: Logger) async throws(AlvariaError) -> DisposableAppContext {
        calls.withLock { $0 += 1 }
        if let onCall = onCall.withLock({ $0 }) { await onCall() }
        let failure = failures.withLock { failures -> AlvariaError? in
            guard let current = failures, current.count > 0 else { return nil }
            failures = (current.error, current.count - 1)
            return current.error
        }
        if let failure { throw failure }
        guard let content = contents.withLock({ $0[sessionId.rawValue] }) else { throw .dialogNotFound(nil) }
        return DisposableAppContext(content: content)
    }
}

/// Outcomes posted to memory, by session; answers 204 unless told otherwise.
final class InMemoryPoster: OutcomePoster, AccessTokenSource {
    private let posted = Mutex<[String: [[OutcomeVariable]]]>([:])
    private let posts = Mutex(0)
    let failure = Mutex<AlvariaError?>(nil)

    var postCount: Int { posts.withLock { $0 } }

    func outcomes(_ sessionId: SessionID) -> [[OutcomeVariable]] {
        posted.withLock { $0[sessionId.rawValue] ?? [] }
    }

    func postOutcome(_ variables: [OutcomeVariable], for sessionId: SessionID, logger: Logger) async throws(AlvariaError) {
        posts.withLock { $0 += 1 }
        if let failure = failure.withLock({ $0 }) { throw failure }
        posted.withLock { $0[sessionId.rawValue, default: []].append(variables) }
    }

    /// When set, no token can be had (the token service refuses or is down).
    let tokenFailure = Mutex<AlvariaError?>(nil)

    func accessToken() async throws(AlvariaError) -> String {
        if let failure = tokenFailure.withLock({ $0 }) { throw failure }
        return "in-memory-token"
    }
}

/// The app's real router (every middleware, controller and compiled page) over in-memory
/// contexts, outbox and poster: the form flow tested without sockets, with `app.test(.router)`.
struct RouterTestApp: BrowserRequests, Sendable {
    let client: any TestClientProtocol
    let contexts: InMemoryContexts
    let store: InMemoryOutboxStore
    let sessions: InMemorySessionStateStore
    let drafts: InMemoryDraftStore
    /// Uploaded files, in ``store``'s "database".
    let files: InMemoryFileStore
    let poster: InMemoryPoster
    /// The clock of link expiry and verification passes.
    let clock: TestDateClock
    /// The funnel's marks: ``FunnelWriter/flush()`` stores what the requests so far marked, in
    /// ``funnelStore``.
    let funnel: FunnelWriter
    let funnelStore: InMemoryFunnelStore
    /// The versions of forms served (``FormLibrary/publish(logger:)`` saves them, as at start-up).
    let formVersions: InMemoryFormVersionStore
    /// The posts of a session that change its draft, one at a time.
    let draftQueue: SessionQueue
    /// The app's forms: ``FormLibrary/reload(logger:)`` reads `FORMS_DIRECTORY` again, as `SIGHUP` does.
    let forms: FormLibrary
    /// `security.secret`, for tests that sign what the app would.
    static let secret = "test-secret-0123456789-0123456789-abcdef"
    /// Seals and opens drafts as the app does under ``secret``.
    static let draftSealer = Sealer(secrets: SecretKeys(current: Array(secret.utf8)), purpose: "drafts")
    /// The CX side, with the calls the simulator-backed tests use (`createDialog`, `outcomes`…).
    var simulator: InMemoryDialogs { InMemoryDialogs(contexts: contexts, poster: poster) }

    static func run<Value: Sendable>(
        overrides: [String: String] = [:],
        _ body: @Sendable (RouterTestApp) async throws -> Value
    ) async throws -> Value {
        let environment = [
            "ALVARIA_MODE": "live",
            "ALVARIA_ORG_ID": "demo",
            "ALVARIA_CLIENT_ID": "demo",
            "ALVARIA_CLIENT_SECRET": "demo-secret",
            "ALVARIA_API_KEY": "demo-key",
            // Never called: the contexts and the poster are in memory.
            "ALVARIA_TOKEN_URL": "http://127.0.0.1:9/tokenservice/oauth2/access_token",
            "ALVARIA_API_BASE_URL": "http://127.0.0.1:9/via/v2",
            "SECURITY_SECRET": secret,
            "DATABASE_URL": "sqlite:/nonexistent/never-opened.sqlite",
            "FORMS_DIRECTORY": packageRoot.appendingPathComponent("config/forms").path,
            "HTTP_PUBLIC_DIRECTORY": packageRoot.appendingPathComponent("Public").path,
            "HTTP_PORT": "0",
        ].merging(overrides) { $1 }
        let config = try await AppConfig.load(
            configFile: packageRoot.appendingPathComponent("config/app.yaml").path,
            environment: environment
        )
        let contexts = InMemoryContexts()
        let store = InMemoryOutboxStore()
        let sessions = InMemorySessionStateStore(outbox: store)
        let drafts = InMemoryDraftStore(outbox: store)
        let files = InMemoryFileStore(outbox: store)
        let funnel = InMemoryFunnelStore()
        let formVersions = InMemoryFormVersionStore()
        let draftQueue = SessionQueue()
        let clock = TestDateClock()
        let poster = InMemoryPoster()
        let registry = PrometheusCollectorRegistry()
        let metricsFactory = PrometheusMetricsFactory(registry: registry)
        let messages = try MessageCatalog.bundled(defaultLanguage: config.presentation.defaultLanguage)
        let forms = FormLibrary(
            catalog: try FormCatalog.load(directory: config.forms.directory),
            messages: messages,
            config: config,
            versions: formVersions,
            now: clock.function,
            metricsFactory: metricsFactory
        )
        let funnelWriter = FunnelWriter(store: funnel, logger: quietLogger, metricsFactory: metricsFactory)
        let dependencies = AppDependencies(
            forms: forms,
            messages: messages,
            store: store,
            sessions: sessions,
            drafts: drafts,
            files: files,
            funnel: funnelWriter,
            draftQueue: draftQueue,
            contexts: contexts,
            deliverer: Deliverer(store: store, poster: poster, settings: config.delivery, logger: quietLogger, metricsFactory: metricsFactory),
            tokens: poster,
            metrics: registry,
            metricsFactory: metricsFactory,
            now: clock.function,
            demoDialogs: nil
        )
        let router = buildRouter(config: config, dependencies: dependencies, logger: quietLogger)
        return try await Application(router: router, logger: quietLogger).test(.router) { client in
            try await body(
                RouterTestApp(
                    client: client,
                    contexts: contexts,
                    store: store,
                    sessions: sessions,
                    drafts: drafts,
                    files: files,
                    poster: poster,
                    clock: clock,
                    funnel: funnelWriter,
                    funnelStore: funnel,
                    formVersions: formVersions,
                    draftQueue: draftQueue,
                    forms: forms
                )
            )
        }
    }
}

/// The in-memory CX side under the names `LiveSimulator` gives them, so that a test moves from
/// real HTTP to the router by changing `TestApp.run` to `RouterTestApp.run`.
struct InMemoryDialogs: Sendable {
    let contexts: InMemoryContexts
    let poster: InMemoryPoster

    func createDialog(_ content: String, sessionId: String? = nil) async throws -> SessionID {
        sessionId.map { contexts.create(content, sessionId: $0) } ?? contexts.create(content)
    }

    func outcomes(_ sessionId: SessionID) throws -> [[OutcomeVariable]] {
        poster.outcomes(sessionId)
    }

    var contextRequests: Int { contexts.callCount }
    var outcomeRequests: Int { poster.postCount }

    /// The in-memory poster answers at once, so the submit's own attempt has delivered by the
    /// time its response arrives: nothing to wait for, only to check.
    func waitForOutcomes(_ sessionId: SessionID, count: Int = 1) async throws -> [[OutcomeVariable]] {
        let outcomes = poster.outcomes(sessionId)
        guard outcomes.count >= count else { throw NotDelivered(expected: count, received: outcomes.count) }
        return outcomes
    }

    struct NotDelivered: Error {
        let expected: Int
        let received: Int
    }
}
