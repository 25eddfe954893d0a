import Foundation
import NIOCore
import Synchronization

/// The origin people reach the app at, for absolute links (a file's link in an Outcome):
/// `http.publicURL`, or, when that is derived from an `http.port` of 0 (any free port), the port
/// the server was given, once it listens.
final class PublicOrigin: Sendable {
    private let url: Mutex<URL>
    /// Derived from a port the system picks: only known once the server listens.
    private let waitsForPort: Bool

    init(_ settings: HTTPSettings) {
        url = Mutex(settings.publicURL)
        waitsForPort = settings.publicURLIsDerived && settings.port == 0
    }

    /// An origin that never changes.
    init(fixed url: URL) {
        self.url = Mutex(url)
        waitsForPort = false
    }

    var current: URL { url.withLock { $0 } }

    /// The server listens: a derived origin takes the port it was given.
    func serverRunning(on channel: any Channel) {
        guard waitsForPort, let port = channel.localAddress?.port else { return }
        url.withLock { url in
            var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
            components?.port = port
            url = components?.url ?? url
        }
    }
}
