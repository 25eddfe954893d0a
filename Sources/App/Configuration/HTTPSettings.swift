public import Foundation

/// `http.*`: where the server listens and how people reach it through the proxy.
public struct HTTPSettings: Sendable {
    public var host: String
    public var port: Int
    /// "" or "/forms": always a leading slash, never a trailing one.
    public var basePath: String
    /// The origin people see, e.g. `https://forms.example.com`.
    public var publicURL: URL
    /// No `http.publicURL` was given: `publicURL` is the listening address.
    public var publicURLIsDerived: Bool
    /// Peers whose `Forwarded` / `X-Forwarded-*` / `X-Request-Id` headers are believed.
    public var trustedProxies: [IPAddressRange]
    /// Largest request body accepted (a form post); more is answered 413.
    public var maxBodySize: Int
    /// Largest `multipart/form-data` post accepted (a form with a file field), all its files and
    /// fields together, in bytes; more is answered 413.
    public var maxUploadSize: Int
    /// A connection with no complete request for this long is closed (slow or idle clients).
    public var idleTimeout: Duration
    /// A request whose body has not fully arrived this long after its head has its connection
    /// closed: the idle timeout counts only the time between reads, which a trickle resets.
    public var bodyTimeout: Duration
    /// The folder served under `{basePath}/static`.
    public var publicDirectory: String
    /// On SIGTERM, how long in-flight requests and deliveries get to finish.
    public var shutdownGracePeriod: Duration

    init(_ values: inout ConfigValues) {
        host = values.string("http.host", default: "127.0.0.1")
        port = values.int("http.port", default: 8080, range: 0...65535)
        basePath = Self.normalisedBasePath(values.string("http.basePath", default: ""), &values)
        publicURLIsDerived = values.string("http.publicURL") == nil
        if let text = values.string("http.publicURL") {
            publicURL = values.url("http.publicURL", value: text, originOnly: true) ?? URL(string: "http://127.0.0.1")!
        } else {
            let shownHost = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
            publicURL =
                URL(string: "http://\(shownHost.contains(":") ? "[\(shownHost)]" : shownHost):\(port)")
                ?? URL(string: "http://127.0.0.1")!
        }
        trustedProxies = values.list("http.trustedProxies", default: ["127.0.0.0/8", "::1/128"]).compactMap { text in
            guard let range = IPAddressRange(text) else {
                values.problem("http.trustedProxies", "\"\(text)\" is not valid; expected CIDRs like 10.0.0.0/8 or ::1/128, separated by commas")
                return nil
            }
            return range
        }
        maxBodySize = values.int("http.maxBodySize", default: 64 * 1024, range: 1024...(16 * 1024 * 1024))
        maxUploadSize = values.byteSize("http.maxUploadSize", default: 25 << 20, range: (1 << 20)...(1 << 30))
        idleTimeout = values.duration("http.idleTimeout", default: .seconds(30), minimum: .milliseconds(100))
        bodyTimeout = values.duration("http.bodyTimeout", default: .seconds(30), minimum: .milliseconds(100))
        publicDirectory = values.string("http.publicDirectory", default: "Public")
        shutdownGracePeriod = values.duration("http.shutdownGracePeriod", default: .seconds(25), minimum: .zero)
    }

    private static func normalisedBasePath(_ text: String, _ values: inout ConfigValues) -> String {
        var path = text
        while path.hasSuffix("/") { path.removeLast() }
        if path.isEmpty { return "" }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "/-_.~"))
        guard path.hasPrefix("/"), path.unicodeScalars.allSatisfy(allowed.contains), !path.contains("//") else {
            values.problem("http.basePath", "\"\(text)\" is not valid; expected a path like /forms (letters, digits, - _ . ~)")
            return ""
        }
        return path
    }

    /// The absolute URL of a path inside the app (`/f/x` → `https://host/forms/f/x`).
    public func absoluteURL(_ path: String) -> String {
        Self.absoluteURL(path, publicURL: publicURL, basePath: basePath)
    }

    /// The absolute URL of `path` under `basePath` at `publicURL`, whether or not that ends in a slash.
    static func absoluteURL(_ path: String, publicURL: URL, basePath: String) -> String {
        var origin = publicURL.absoluteString
        while origin.hasSuffix("/") { origin.removeLast() }
        return origin + basePath + path
    }
}
