public import Hummingbird
public import Logging
import NIOCore

/// Builds the CX simulator as a Hummingbird application: the token service at
/// `/tokenservice/oauth2/access_token`, the API under `/via/v2`, the control API under
/// `/simulator`, all below `configuration.basePath`.
///
/// - Parameters:
///   - state: shared with the app's console in demo mode; a fresh one otherwise.
///   - onServerRunning: receives the bound channel, to learn the port when it was 0.
public func buildSimulator(
    configuration: SimulatorConfiguration,
    state: SimulatorState = SimulatorState(),
    logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = buildSimulatorRouter(configuration: configuration, state: state)
    let base = configuration.basePath
    let droppable = [base + "/via/", base + "/tokenservice/"]
    return Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: [DropConnectionHandler(state: state, droppablePrefixes: droppable)])),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "alvaria-simulator"
        ),
        onServerRunning: onServerRunning,
        logger: logger
    )
}

/// The simulator's routes.
func buildSimulatorRouter(configuration: SimulatorConfiguration, state: SimulatorState) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: LatencyMiddleware(state: state))
    let root = configuration.basePath.isEmpty ? router.group() : router.group(RouterPath(configuration.basePath))

    let tokens = TokenService(configuration: configuration, state: state)
    root.post("tokenservice/oauth2/access_token", use: tokens.issue)

    let api = DisposableAppAPI(configuration: configuration, state: state)
    let disposableApp = root.group("via/v2/organizations/:orgId/customerexperience/disposableApp")
    disposableApp.get("context", use: api.context)
    disposableApp.post("outcome", use: api.outcome)

    let control = ControlAPI(configuration: configuration, state: state)
    let simulator = root.group("simulator")
    simulator.post("dialogs", use: control.createDialog)
    simulator.get("dialogs/:sessionId", use: control.getDialog)
    simulator.delete("dialogs/:sessionId", use: control.deleteDialog)
    simulator.post("faults", use: control.setFaults)
    simulator.get("stats", use: control.stats)
    return router
}

/// Adds the injected latency to every call except the control API, which tests need promptly,
/// and tracks the outcome and context requests in flight.
struct LatencyMiddleware<Context: RequestContext>: RouterMiddleware {
    let state: SimulatorState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // In flight from the moment it arrives, latency included: a client killed meanwhile may
        // still see its outcome recorded.
        let call: SimulatorState.Call? =
            if request.method == .post && request.uri.path.hasSuffix("/disposableApp/outcome") {
                .outcome
            } else if request.method == .get && request.uri.path.hasSuffix("/disposableApp/context") {
                .context
            } else {
                nil
            }
        if let call { state.received(call) }
        defer { if let call { state.answered(call) } }
        if call == .context { await state.waitWhileContextsHeld() }
        let latency = state.latency
        if latency > .zero, !request.uri.path.contains("/simulator/") {
            try await Task.sleep(for: latency)
        }
        return try await next(request, context)
    }
}
