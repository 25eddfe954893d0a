/// How the CX simulator presents itself: the credentials it accepts and where it listens.
///
/// The defaults are the demo credentials the README documents, so the app's simulator mode
/// and `disposable-app simulator` work with no configuration at all.
public struct SimulatorConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; the bound one is reported through `onServerRunning`.
    public var port: Int
    /// Mounts every route under this prefix (the app's `http.basePath` in demo mode).
    public var basePath: String
    public var orgId: String
    public var clientId: String
    public var clientSecret: String
    public var apiKey: String
    /// Seconds; Alvaria's tokens live 60 minutes and say 3599.
    public var tokenLifetime: Int
    /// The app's origin and base path, for the `link` of a new dialog.
    public var appURL: String

    public init(
        host: String = "127.0.0.1",
        port: Int = 8081,
        basePath: String = "",
        orgId: String = "demo",
        clientId: String = "demo",
        clientSecret: String = "demo-secret",
        apiKey: String = "demo-key",
        tokenLifetime: Int = 3599,
        appURL: String = "http://127.0.0.1:8080"
    ) {
        self.host = host
        self.port = port
        self.basePath = basePath
        self.orgId = orgId
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.apiKey = apiKey
        self.tokenLifetime = tokenLifetime
        self.appURL = appURL
    }

    /// The scopes Alvaria's token service grants for the CX API.
    static let grantableScopes: Set<String> = ["customerexperienceapi", "customerexperienceapi.disposableapp"]
}
