import Hummingbird

/// `/healthz` (the process serves) and `/readyz` (it can do its job: the store answers and a
/// token can be had), with the reason when not.
struct HealthController: Sendable {
    let tokens: any AccessTokenSource
    let store: any OutboxStore

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.get("healthz") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: "ok\n"))
            )
        }
        // Anyone can ask: the answer names the part that is not ready in one word, and the log
        // says why (a token service's error text or an errno tells an attacker too much).
        group.get("readyz") { _, context in
            do {
                try await store.ping()
            } catch {
                context.logger.warning("Not ready: database", metadata: ["error.type": "\(type(of: error))"])
                return Self.plain(.serviceUnavailable, "not ready: database\n")
            }
            do throws(AlvariaError) {
                _ = try await tokens.accessToken()
            } catch {
                context.logger.warning("Not ready: token", metadata: ["alvaria.error": "\(error.reason)"])
                return Self.plain(.serviceUnavailable, "not ready: token\n")
            }
            return Self.plain(.ok, "ready\n")
        }
    }

    private static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
