import AlvariaSimulator
import ArgumentParser
import Logging

/// `disposable-app simulator`: the CX simulator alone, for integration tests and trying things out.
struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Serve the built-in Alvaria CX simulator alone (demo credentials: org demo, client demo / demo-secret, API key demo-key)."
    )

    @Option(help: "Listen address.") var host = "127.0.0.1"
    @Option(help: "Listen port (0 picks a free one).") var port = 8081
    @Option(help: "Token lifetime in seconds.") var tokenLifetime = 3599
    @Option(help: "The app's URL, for the links of new dialogs.") var appURL = "http://127.0.0.1:8080"

    func run() async throws {
        let logger = bootstrapLogging(level: .info)
        let configuration = SimulatorConfiguration(host: host, port: port, tokenLifetime: tokenLifetime, appURL: appURL)
        let app = buildSimulator(configuration: configuration, logger: logger) { channel in
            logger.info("Simulator listening", metadata: ["simulator.port": "\(channel.localAddress?.port ?? port)"])
        }
        try await app.runService()
    }
}
