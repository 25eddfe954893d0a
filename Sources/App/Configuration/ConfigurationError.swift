import Configuration

/// Everything wrong with a configuration, found in one pass so an operator fixes it in one go.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var problems: [ConfigProblem]

    /// One line per problem, ready for stderr.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

/// One problem with one key: which key (and its environment variable), what is wrong, what is expected.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    public var key: String
    /// The environment variable that sets the key.
    public var environmentVariable: String
    public var message: String

    public init(key: String, environmentVariable: String? = nil, message: String) {
        self.key = key
        self.environmentVariable = environmentVariable ?? Self.environmentName(for: key)
        self.message = message
    }

    public var description: String {
        "configuration error: \(key) (\(environmentVariable)): \(message)"
    }

    /// The environment variable swift-configuration reads for `key` (`alvaria.clientSecret` ←
    /// `ALVARIA_CLIENT_SECRET`), asked of its own provider: its key encoder is not public, and a
    /// copy of it could drift.
    public static func environmentName(for key: String) -> String {
        let provider = EnvironmentVariablesProvider(environmentVariables: [:])
        return (try? provider.value(forKey: AbsoluteConfigKey(ConfigKey(key)), type: .string).encodedKey) ?? key
    }
}
