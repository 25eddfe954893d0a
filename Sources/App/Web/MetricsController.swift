import Hummingbird
import Prometheus

/// `GET {basePath}/metrics`: every series of the app's registry in Prometheus text format 0.0.4.
///
/// What is there, all made through the one `PrometheusMetricsFactory` built in
/// `buildApplication` (never the global `MetricsSystem`, so apps in one process count apart):
///
/// - `http_requests_total{route,method,status}`, `http_request_duration_seconds{route,method}`
///   (histogram) — ``HTTPMetricsMiddleware``; `route` is the router's pattern, e.g. `/f/{formId}`
/// - `alvaria_requests_total{endpoint,outcome}`, `alvaria_request_duration_seconds{endpoint}`
///   (histogram), `alvaria_token_refreshes_total{result}` — ``UpstreamMetrics``
/// - `outbox_attempts_total{result}`, `outbox_delivered_total`, `outbox_failed_total`,
///   `outbox_delivery_latency_seconds` (histogram), `outbox_queued`, `outbox_failed` (gauges) —
///   ``DeliveryMetrics``; `outbox_values_erased_total` — ``RetentionService``
///
/// A plain route like `/healthz`: no rate limit, no session, nothing personal in it.
struct MetricsController: Sendable {
    let registry: PrometheusCollectorRegistry

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }
}
