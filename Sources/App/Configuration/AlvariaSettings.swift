public import Foundation

/// `alvaria.*`: which Alvaria to talk to and with which credentials.
public struct AlvariaSettings: Sendable {
    /// `live` talks to Alvaria; `simulator` to the built-in CX simulator.
    public enum Mode: String, Sendable, CaseIterable { case live, simulator }
    /// Picks the token host.
    public enum Region: String, Sendable, CaseIterable {
        case us, eu, uk, ca

        var tokenHost: String {
            switch self {
            case .us: "myaspect.id.aspect-cloud.net"
            case .eu: "myaspect.eu.id.aspect-cloud.net"
            case .uk: "myaspect.uk.id.aspect-cloud.net"
            case .ca: "myaspect.ca.id.aspect-cloud.net"
            }
        }
    }

    public var mode: Mode
    public var orgId: String
    /// The token endpoint; nil in demo mode until ``connect(to:)`` gives the simulator's.
    public var tokenURL: URL?
    /// Up to and including `/via/v2`; nil in demo mode as above.
    public var apiBaseURL: URL?
    public var clientId: String
    public var clientSecret: String
    public var apiKey: String
    public var scope: String
    public var connectTimeout: Duration
    public var requestTimeout: Duration

    init(_ values: inout ConfigValues) {
        mode = values.choice("alvaria.mode", default: Mode.simulator)
        scope = Self.scope(&values)
        connectTimeout = values.duration("alvaria.connectTimeout", default: .seconds(5), minimum: .milliseconds(1))
        requestTimeout = values.duration("alvaria.requestTimeout", default: .seconds(10), minimum: .milliseconds(1))
        guard mode == .live else {
            // Demo mode: the simulator's address and credentials come once it runs (connect(to:)).
            (orgId, clientId, clientSecret, apiKey) = ("", "", "", "")
            return
        }
        let required = { (values: inout ConfigValues, key: String, secret: Bool) -> String in
            guard let value = values.string(key, secret: secret) else {
                values.problem(key, "is missing; required when alvaria.mode is live")
                return ""
            }
            return value
        }
        orgId = required(&values, "alvaria.orgId", false)
        if !orgId.isEmpty, orgId.range(of: "^[A-Za-z0-9][A-Za-z0-9-]{0,62}$", options: .regularExpression) == nil {
            values.problem("alvaria.orgId", "\"\(orgId)\" is not valid; expected an organization name (letters, digits, -)")
        }
        clientId = required(&values, "alvaria.clientId", false)
        clientSecret = required(&values, "alvaria.clientSecret", true)
        apiKey = required(&values, "alvaria.apiKey", true)
        let region = values.choice("alvaria.region", default: Region.us)
        if let text = values.string("alvaria.tokenURL") {
            tokenURL = values.url("alvaria.tokenURL", value: text)
        } else {
            tokenURL = URL(string: "https://\(region.tokenHost)/tokenservice/oauth2/access_token")
        }
        if let text = values.string("alvaria.apiBaseURL") {
            apiBaseURL = values.url("alvaria.apiBaseURL", value: text)
        } else {
            apiBaseURL = orgId.isEmpty ? nil : URL(string: "https://\(orgId).via.aspect-cloud.net/via/v2")
        }
        // The client secret, the bearer tokens and the API key must not cross a network in clear.
        for (key, url) in [("alvaria.tokenURL", tokenURL), ("alvaria.apiBaseURL", apiBaseURL)] {
            guard let url, url.scheme?.lowercased() == "http", !Self.isLoopback(url.host ?? "") else { continue }
            values.problem(
                key,
                "\"\(url.absoluteString)\" is plain http to another machine: the client secret, tokens and API key would travel in clear; expected https (plain http only to this machine)"
            )
        }
    }

    /// `localhost`, 127.0.0.0/8 or ::1.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if host == "localhost" { return true }
        return IPAddressRange("127.0.0.0/8")!.contains(host) || IPAddressRange("::1")!.contains(host)
    }

    /// The address and demo credentials of the in-process simulator, once it listens: demo mode
    /// builds the app only then, so the client never waits for an address.
    public mutating func connect(to simulator: SimulatorConnection) {
        tokenURL = simulator.tokenURL
        apiBaseURL = simulator.apiBaseURL
        orgId = simulator.orgId
        clientId = simulator.clientId
        clientSecret = simulator.clientSecret
        apiKey = simulator.apiKey
    }

    private static func scope(_ values: inout ConfigValues) -> String {
        let scope = values.string("alvaria.scope", default: "customerexperienceapi.disposableapp")
        let known: Set<Substring> = ["customerexperienceapi", "customerexperienceapi.disposableapp"]
        if !scope.split(separator: " ").allSatisfy(known.contains) {
            values.problem("alvaria.scope", "\"\(scope)\" is not valid; expected customerexperienceapi or customerexperienceapi.disposableapp")
        }
        return scope
    }
}

/// Where demo mode's simulator listens and the credentials it accepts.
public struct SimulatorConnection: Sendable {
    public var tokenURL: URL
    /// Up to and including `/via/v2`.
    public var apiBaseURL: URL
    public var orgId: String
    public var clientId: String
    public var clientSecret: String
    public var apiKey: String

    public init(tokenURL: URL, apiBaseURL: URL, orgId: String, clientId: String, clientSecret: String, apiKey: String) {
        self.tokenURL = tokenURL
        self.apiBaseURL = apiBaseURL
        self.orgId = orgId
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.apiKey = apiKey
    }
}
