import AlvariaSimulator
public import App
import Foundation
import Hummingbird
public import Logging
import NIOCore

/// Demo mode, wired outside the app's library: the built-in CX simulator starts first, in this
/// process; once it listens, the app is configured with its address and credentials and built,
/// and the console sees its dialogs.
public enum DemoMode {
    /// Starts the simulator `config.demo` describes, waits until it listens, runs `body` with the
    /// configuration pointed at it and its dialogs, then stops it.
    ///
    /// A simulator that cannot listen (its port taken, a host not on this machine) ends here with
    /// a ``StartupError`` naming `simulator.host`/`simulator.port`: nothing ever waits for an
    /// address that will not come.
    public static func withSimulator<Value: Sendable>(
        config: AppConfig,
        logger: Logger,
        _ body: @Sendable (AppConfig, any DemoDialogs) async throws -> Value
    ) async throws -> Value {
        let settings = config.demo ?? DemoSettings()
        let configuration = SimulatorConfiguration(
            host: settings.host,
            port: settings.port,
            basePath: config.http.basePath,
            tokenLifetime: settings.tokenLifetime,
            appURL: config.http.absoluteURL("")
        )
        let state = SimulatorState()
        var simulatorLogger = logger
        simulatorLogger[metadataKey: "component"] = "simulator"
        let (bound, boundContinuation) = AsyncStream.makeStream(of: Int.self)
        let simulator = buildSimulator(configuration: configuration, state: state, logger: simulatorLogger) { channel in
            if let port = channel.localAddress?.port { boundContinuation.yield(port) }
            boundContinuation.finish()
        }
        return try await withThrowingTaskGroup(of: Void.self, returning: Value.self) { group in
            group.addTask {
                // Ends the wait below whether the simulator listens or fails to.
                defer { boundContinuation.finish() }
                try await simulator.run()
            }
            defer { group.cancelAll() }
            var ports = bound.makeAsyncIterator()
            guard let port = await ports.next() else {
                var failure: (any Error)?
                do { try await group.next() } catch { failure = error }
                throw StartupError(problems: [Self.bindProblem(configuration, error: failure)])
            }
            let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
            let origin = "http://\(host):\(port)\(configuration.basePath)"
            var config = config
            config.alvaria.connect(
                to: SimulatorConnection(
                    tokenURL: URL(string: origin + "/tokenservice/oauth2/access_token")!,
                    apiBaseURL: URL(string: origin + "/via/v2")!,
                    orgId: configuration.orgId,
                    clientId: configuration.clientId,
                    clientSecret: configuration.clientSecret,
                    apiKey: configuration.apiKey
                )
            )
            logger.warning(
                "SIMULATOR MODE: talking to the built-in CX simulator, not to Alvaria. Set alvaria.mode=live for production.",
                metadata: ["simulator.url": "\(origin)"]
            )
            // The app stops first (the body returns), then the simulator: deliveries in flight
            // during shutdown still find it.
            return try await body(config, SimulatorDialogs(state: state))
        }
    }

    private static func bindProblem(_ configuration: SimulatorConfiguration, error: (any Error)?) -> String {
        let reason = error.map { String(describing: $0) } ?? "it stopped before listening"
        return ConfigProblem(
            key: "simulator.port",
            message:
                "the built-in simulator cannot listen on \(configuration.host):\(configuration.port) (\(reason)); choose another simulator.port (0 picks a free one) or simulator.host"
        ).description
    }
}

/// The simulator's dialogs as the console shows them.
struct SimulatorDialogs: DemoDialogs {
    let state: SimulatorState

    func recentDialogs(limit: Int) -> [DemoDialog] {
        state.dialogs().prefix(limit).map { dialog in
            DemoDialog(
                sessionId: dialog.sessionId,
                ended: dialog.ended,
                outcomes: dialog.outcomes.map { DemoDialog.Outcome(receivedAt: $0.receivedAt, variables: $0.variables) }
            )
        }
    }

    func startDialog(content: String) {
        _ = state.createDialog(content: content)
    }
}
