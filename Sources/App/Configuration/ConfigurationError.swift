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

    /// swift-configuration's environment mapping: `alvaria.clientSecret` ← `ALVARIA_CLIENT_SECRET`.
    public static func environmentName(for key: String) -> String {
        key.split(separator: ".").map { component in
            var result = ""
            var previous: Character?
            for character in component {
                if let previous, previous.isLowercase, character.isUppercase { result.append("_") }
                result.append(character)
                previous = character
            }
            return result.uppercased()
        }.joined(separator: "_")
    }
}
