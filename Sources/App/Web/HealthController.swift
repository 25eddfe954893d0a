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
        group.get("readyz") { _, _ in
            do {
                try await store.ping()
            } catch {
                return Self.plain(.serviceUnavailable, "not ready: database unavailable (\(type(of: error)))\n")
            }
            do throws(AlvariaError) {
                _ = try await tokens.accessToken()
            } catch {
                return Self.plain(.serviceUnavailable, "not ready: \(error.reason)\n")
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
