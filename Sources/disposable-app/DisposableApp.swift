import App
import ArgumentParser
import Demo
import Logging
import ServiceLifecycle

/// `disposable-app`: serves the form app; `disposable-app simulator` serves the CX simulator alone;
/// `disposable-app outbox …` inspects and manages stored outcomes; `disposable-app forms check` checks form files.
@main
struct DisposableApp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disposable-app",
        abstract: "The server behind Alvaria Cloud CX disposable apps.",
        subcommands: [Serve.self, SimulatorCommand.self, OutboxCommand.self, FormsCommand.self, ReportCommand.self],
        defaultSubcommand: Serve.self
    )
}

/// Serves the app with the configuration from `--config` / `CONFIG_FILE` and the environment.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the form app (the default).")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let appConfig = try await options.load()
        let logger = bootstrapLogging(level: appConfig.log.level, format: appConfig.log.format)
        for warning in appConfig.warnings { logger.warning("Configuration is unwise", metadata: ["config.warning": "\(warning)"]) }
        do {
            if appConfig.alvaria.mode == .simulator {
                // Demo mode: the simulator first, then the app pointed at it.
                try await DemoMode.withSimulator(config: appConfig, logger: logger) { config, dialogs in
                    try await serve(config, demoDialogs: dialogs, logger: logger)
                }
            } else {
                try await serve(appConfig, demoDialogs: nil, logger: logger)
            }
        } catch let error as StartupError {
            printToStandardError(error.description)
            throw ExitCode(78)
        }
    }

    private func serve(_ appConfig: AppConfig, demoDialogs: (any DemoDialogs)?, logger: Logger) async throws {
        let app = try await buildApplication(config: appConfig, logger: logger, demoDialogs: demoDialogs) { channel in
            let port = channel.localAddress?.port ?? appConfig.http.port
            logger.notice(
                "Serving",
                metadata: [
                    "http.url": "http://\(appConfig.http.host):\(port)\(appConfig.http.basePath)/",
                    "http.publicURL": "\(appConfig.http.absoluteURL("/"))",
                ]
            )
        }
        // Services stop in reverse order: the tracer's goes last, flushing the app's final spans.
        let tracing = try bootstrapTracing(appConfig.tracing, logger: logger)
        // SIGTERM / SIGINT: stop accepting, let requests and deliveries finish within the grace
        // period, exit 0. A second signal, or the period running out, cancels what is left.
        var configuration = ServiceGroupConfiguration(
            services: (tracing.map { [$0] } ?? []) + [app],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = appConfig.http.shutdownGracePeriod
        configuration.cancellationSignals = [.sigquit]
        // Tasks resume on the event loop that completed their I/O (see EventLoopAffineExecutor).
        try await withTaskExecutorPreference(EventLoopAffineExecutor()) {
            try await ServiceGroup(configuration: configuration).run()
        }
    }
}
