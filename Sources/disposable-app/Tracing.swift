import App
import Foundation
import Logging
import OTel
import ServiceLifecycle

/// Once per process, and only when `tracing.otlpEndpoint` is set: bootstraps the process-wide
/// tracer with swift-otel's OTLP/HTTP exporter and returns its service, which must run in the
/// app's `ServiceGroup` (it batches spans and flushes them at graceful shutdown). Without the
/// key: nil, no tracer is bootstrapped and spans stay no-ops.
///
/// Only traces: metrics stay on `/metrics` and logs on stderr. The standard `OTEL_*` variables
/// tune the exporter (see ``TracingSettings/exporterEnvironment(from:)``).
func bootstrapTracing(_ settings: TracingSettings?, logger: Logger) throws(StartupError) -> (any Service)? {
    guard let settings else { return nil }
    var diagnostics = logger
    diagnostics[metadataKey: "component"] = "otel"
    var configuration = OTel.Configuration.default
    configuration.serviceName = settings.serviceName
    configuration.diagnosticLogger = .custom(diagnostics)
    configuration.logs.enabled = false
    configuration.metrics.enabled = false
    configuration.traces.enabled = true
    configuration.traces.exporter = .otlp
    configuration.traces.otlpExporter.endpoint = settings.tracesURL.absoluteString
    configuration.traces.otlpExporter.headers = settings.otlpHeaders.map { ($0.name, $0.value) }
    configuration.traces.otlpExporter.protocol =
        switch settings.otlpProtocol {
        case .protobuf: .httpProtobuf
        case .json: .httpJSON
        }
    do {
        let environment = TracingSettings.exporterEnvironment(from: ProcessInfo.processInfo.environment)
        return try OTel.bootstrap(configuration: configuration, environment: environment)
    } catch {
        throw StartupError(problems: ["tracing: cannot start the OTLP exporter: \(error)"])
    }
}
