public import Foundation

/// Where the token service and the Disposable App API live: from the configuration in live mode,
/// from the simulator in demo mode (which starts it before building the app, so both are known
/// before the first call).
public struct AlvariaEndpoints: Sendable, Equatable {
    public var tokenURL: URL
    /// Up to and including `/via/v2`.
    public var apiBaseURL: URL

    public init(tokenURL: URL, apiBaseURL: URL) {
        self.tokenURL = tokenURL
        self.apiBaseURL = apiBaseURL
    }
}
