public import Foundation

/// `tracing.*`: OpenTelemetry traces, exported over OTLP/HTTP. Off unless `tracing.otlpEndpoint`
/// is set, and then nothing at all is traced: no tracer, no middleware.
///
/// - `tracing.otlpEndpoint`: the collector's OTLP/HTTP address, e.g. `http://otel-collector:4318`;
///   spans are posted to `{endpoint}/v1/traces` (an endpoint already ending in `/v1/traces` is
///   used as it is).
/// - `tracing.otlpProtocol`: `http/protobuf` (the OpenTelemetry default) or `http/json`.
/// - `tracing.serviceName`: the `service.name` resource attribute, `disposable-app` by default.
/// - `tracing.otlpHeaders`*: headers for the collector, `name=value` pairs separated by commas
///   (values percent-encoded), e.g. `x-api-key=…` for a hosted collector. A secret: refused in
///   the YAML file, never printed.
public struct TracingSettings: Sendable {
    /// The body encoding of OTLP/HTTP.
    public enum OTLPProtocol: String, Sendable, CaseIterable {
        case protobuf = "http/protobuf"
        case json = "http/json"
    }

    /// Where spans are posted: the collector's `…/v1/traces`.
    public var tracesURL: URL
    public var otlpProtocol: OTLPProtocol
    public var serviceName: String
    /// Sent with every export; secret.
    public var otlpHeaders: [(name: String, value: String)]

    /// The settings, or nil when `tracing.otlpEndpoint` is unset. The other keys are checked
    /// either way, so a typo is reported before someone turns tracing on.
    static func read(_ values: inout ConfigValues) -> TracingSettings? {
        let otlpProtocol = values.choice("tracing.otlpProtocol", default: OTLPProtocol.protobuf)
        let serviceName = values.string("tracing.serviceName", default: "disposable-app")
        if serviceName.count > 255 || serviceName.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) {
            values.problem("tracing.serviceName", "is not valid; expected a name of up to 255 characters without control characters")
        }
        let otlpHeaders = Self.headers(&values)
        guard let text = values.string("tracing.otlpEndpoint") else { return nil }
        // Checked first, and never echoed: a URL with a user or password carries a credential.
        if let components = URLComponents(string: text), components.user != nil || components.password != nil {
            values.problem(
                "tracing.otlpEndpoint",
                "has a user or password in it; expected a URL like http://otel-collector:4318 (send credentials as OTEL_EXPORTER_OTLP_HEADERS)"
            )
            return nil
        }
        guard let url = values.url("tracing.otlpEndpoint", value: text) else { return nil }
        return TracingSettings(tracesURL: Self.tracesURL(url), otlpProtocol: otlpProtocol, serviceName: serviceName, otlpHeaders: otlpHeaders)
    }

    /// `name=value,name2=value2` (OpenTelemetry's format for OTLP headers, values percent-decoded).
    /// The value is a secret: a problem names what is wrong without repeating it.
    private static func headers(_ values: inout ConfigValues) -> [(name: String, value: String)] {
        guard let text = values.string("tracing.otlpHeaders", secret: true) else { return [] }
        let token = CharacterSet(charactersIn: "!#$%&'*+-.^_`|~").union(CharacterSet(charactersIn: "a"..."z"))
            .union(CharacterSet(charactersIn: "A"..."Z")).union(CharacterSet(charactersIn: "0"..."9"))
        var headers: [(name: String, value: String)] = []
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, parts[0].unicodeScalars.allSatisfy(token.contains),
                let value = parts[1].removingPercentEncoding, !value.isEmpty,
                !value.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) })
            else {
                values.problem(
                    "tracing.otlpHeaders",
                    "is not valid (not shown: it is a secret); expected name=value pairs separated by commas, e.g. x-api-key=KEY"
                )
                return []
            }
            headers.append((parts[0], value))
        }
        return headers
    }

    /// `http://collector:4318` → `http://collector:4318/v1/traces`; `…/v1/traces` stays as it is.
    static func tracesURL(_ endpoint: URL) -> URL {
        var text = endpoint.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix("/v1/traces") { return URL(string: text) ?? endpoint }
        return URL(string: text + "/v1/traces") ?? endpoint
    }

    /// The part of the environment swift-otel may read: the standard `OTEL_*` variables that tune
    /// the exporter (timeout, compression, TLS files), the batch processor (`OTEL_BSP_*`), the
    /// sampler, resource attributes and propagators. Whatever the `tracing.*` keys decide
    /// (endpoint, protocol, service name, headers, that only traces are exported) is left out, so
    /// that the configuration stays the one place that says where spans go and with which key.
    public static func exporterEnvironment(from environment: [String: String]) -> [String: String] {
        let owned = [
            "OTEL_SDK_DISABLED", "OTEL_SERVICE_NAME", "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
            // swift-otel logs every variable it reads, value included: headers carry keys, so they
            // come from the secret tracing.otlpHeaders instead.
            "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
        ]
        return environment.filter { key, _ in key.hasPrefix("OTEL_") && !owned.contains(key) }
    }
}
