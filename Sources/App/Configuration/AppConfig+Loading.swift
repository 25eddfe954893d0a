import Configuration
public import Foundation
import SystemPackage

extension AppConfig {
    /// Keys whose values are secrets: refused in the YAML file, redacted by swift-configuration.
    static let secretKeys = [
        "alvaria.clientSecret", "alvaria.apiKey", "security.secret", "security.previousSecrets", "database.url", "tracing.otlpHeaders",
        "events.secret",
    ]

    /// The providers in order of precedence: environment, then an optional secrets file
    /// (`KEY=value` lines), then the YAML file.
    ///
    /// - Parameters:
    ///   - configFile: `--config`, else `CONFIG_FILE`, else `config/app.yaml` (which may be absent).
    ///   - secretsFile: `--secrets-file`, else `SECRETS_FILE`.
    public static func load(
        configFile: String? = nil,
        secretsFile: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws(ConfigurationError) -> AppConfig {
        let environmentProvider = EnvironmentVariablesProvider(
            environmentVariables: environment,
            secretsSpecifier: .specific(Set(secretKeys.map(ConfigProblem.environmentName(for:))))
        )
        var providers: [any ConfigProvider] = [environmentProvider]
        var problems: [ConfigProblem] = []

        var warnings: [String] = []
        if let path = secretsFile ?? environment["SECRETS_FILE"] {
            if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
                warnings.append(
                    "the secrets file \(path) can be read by other users (mode \(String(mode & 0o777, radix: 8))); chmod 600 it"
                )
            }
            do {
                providers.append(try await EnvironmentVariablesProvider(environmentFilePath: FilePath(path), secretsSpecifier: .all))
            } catch {
                problems.append(
                    ConfigProblem(
                        key: "--secrets-file",
                        environmentVariable: "SECRETS_FILE",
                        message: "cannot read \(path): expected a file of KEY=value lines"
                    )
                )
            }
        }

        let explicitFile = configFile ?? environment["CONFIG_FILE"]
        let path = explicitFile ?? "config/app.yaml"
        do {
            let file = try await FileProvider<YAMLSnapshot>(filePath: FilePath(path), allowMissing: explicitFile == nil)
            let fileReader = ConfigReader(provider: file)
            // A list (security.previousSecrets) is a YAML sequence, which does not read as a string.
            for key in secretKeys
            where fileReader.string(forKey: ConfigKey(key), isSecret: true) != nil
                || fileReader.stringArray(forKey: ConfigKey(key), isSecret: true) != nil
            {
                problems.append(
                    ConfigProblem(key: key, message: "is set in \(path); secrets belong in the environment or a secrets file, not in the YAML")
                )
            }
            providers.append(file)
        } catch {
            problems.append(
                ConfigProblem(
                    key: "--config",
                    environmentVariable: "CONFIG_FILE",
                    message: "cannot read \(path): \(Self.describe(error)); expected a YAML mapping"
                )
            )
        }

        var config: AppConfig
        do {
            config = try AppConfig(reader: ConfigReader(providers: providers))
            config.warnings = warnings
        } catch {
            throw ConfigurationError(problems: problems + error.problems)
        }
        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
        return config
    }

    /// A short reason without the file's contents (which could hold a value we must not print).
    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("not found") || text.localizedCaseInsensitiveContains("no such file") {
            return "no such file"
        }
        return "not valid YAML"
    }
}
