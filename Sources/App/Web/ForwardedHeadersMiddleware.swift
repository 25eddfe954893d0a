import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Believes `Forwarded` (RFC 7239), `X-Forwarded-For` and `X-Request-Id` only from the peers
/// listed in `http.trustedProxies`: anyone else could claim to be anyone. The client address is
/// the rightmost address in the chain that is not itself a trusted proxy.
///
/// Puts `client.address` and the request id (`hb.request.id`, accepted from a trusted proxy,
/// else Hummingbird's) in the request's logger.
struct ForwardedHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let trustedProxies: [IPAddressRange]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let peer = context.remoteAddress?.ipAddress
        if let peer, isTrusted(peer) {
            if let client = clientAddress(request.headers, peer: peer) {
                context.clientAddress = client
            }
            if let id = request.headers[HTTPField.Name("X-Request-Id")!], Self.isSaneRequestId(id) {
                context.logger[metadataKey: "hb.request.id"] = "\(id)"
            }
        }
        context.logger[metadataKey: "client.address"] = "\(context.clientAddress ?? "unknown")"
        return try await next(request, context)
    }

    func isTrusted(_ address: String) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }

    /// Walks the chain from the nearest hop outwards and stops at the first address we do not
    /// trust: that is who talked to our proxies.
    func clientAddress(_ headers: HTTPFields, peer: String) -> String? {
        let chain = Self.forwardedFor(headers)
        guard !chain.isEmpty else { return nil }
        for address in chain.reversed() where !isTrusted(address) {
            return address
        }
        return chain.first
    }

    /// The `for=` addresses of `Forwarded`, else the entries of `X-Forwarded-For`, client first.
    static func forwardedFor(_ headers: HTTPFields) -> [String] {
        let forwarded = headers[values: HTTPField.Name("Forwarded")!].flatMap { $0.split(separator: ",") }
        if !forwarded.isEmpty {
            return forwarded.compactMap { element in
                element.split(separator: ";").lazy.map { $0.trimmingCharacters(in: .whitespaces) }
                    .first { $0.lowercased().hasPrefix("for=") }
                    .flatMap { normalise(String($0.dropFirst(4))) }
            }
        }
        return headers[values: HTTPField.Name("X-Forwarded-For")!].flatMap { $0.split(separator: ",") }
            .compactMap { normalise($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// `"[2001:db8::1]:4711"` → `2001:db8::1`, `192.0.2.1:80` → `192.0.2.1`; nil unless an IP address.
    static func normalise(_ value: String) -> String? {
        var text = value.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        if text.hasPrefix("[") {
            text = String(text.dropFirst().prefix { $0 != "]" })
        } else if text.filter({ $0 == ":" }).count == 1 {
            text = String(text.prefix { $0 != ":" })
        }
        return IPAddressRange.parse(text) == nil ? nil : text
    }

    /// An id we can log safely: short, no spaces or control characters.
    static func isSaneRequestId(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { (0x21...0x7e).contains($0) && $0 != UInt8(ascii: "\"") }
    }
}
