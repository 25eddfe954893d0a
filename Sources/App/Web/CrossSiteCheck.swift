import Foundation
import HTTPTypes

/// Refuses form posts that another site made a browser send.
///
/// Modern browsers say where a request comes from in `Sec-Fetch-Site`: only `same-origin` (and
/// `none`, a request the person made directly) pass. Older ones send `Origin`, which must be our
/// public origin — or the literal `null` that some privacy settings and sandboxed embeds send on
/// a page's own post, which must not lock real people out; the signed form token still guards
/// those. No header at all (non-browser clients) also relies on the token.
struct CrossSiteCheck: Sendable {
    /// Origins we answer as, e.g. `https://forms.example.com`.
    let allowedOrigins: Set<String>

    init(publicURL: URL) {
        var origin = publicURL.absoluteString.lowercased()
        while origin.hasSuffix("/") { origin.removeLast() }
        allowedOrigins = [origin]
    }

    func allows(_ headers: HTTPFields) -> Bool {
        if let site = headers[HTTPField.Name("Sec-Fetch-Site")!]?.lowercased() {
            return site == "same-origin" || site == "none"
        }
        guard let origin = headers[HTTPField.Name("Origin")!]?.lowercased() else { return true }
        return origin == "null" || allowedOrigins.contains(origin)
    }
}
