import App
import ArgumentParser

/// `--config` and `--secrets-file`: how every command that reads the app's configuration finds it.
struct ConfigOptions: ParsableArguments {
    @Option(help: "YAML configuration file (default: $CONFIG_FILE, else config/app.yaml).")
    var config: String?

    @Option(help: "File of KEY=value secrets, e.g. ALVARIA_CLIENT_SECRET=… (default: $SECRETS_FILE).")
    var secretsFile: String?

    /// The checked configuration; on problems, one line each on stderr and exit code 78 (EX_CONFIG).
    func load() async throws -> AppConfig {
        do {
            return try await AppConfig.load(configFile: config, secretsFile: secretsFile)
        } catch {
            printToStandardError(error.description)
            throw ExitCode(78)
        }
    }
}
