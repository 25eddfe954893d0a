import AlvariaModels
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import App

/// OpenTelemetry tracing through the real binary: the process-wide tracer can be bootstrapped
/// once per process, so each test spawns the app, which exports to an OTLP/HTTP receiver that
/// runs in this process on loopback, while the app talks to a live simulator.
@Suite("Tracing (OTLP/HTTP through the real binary)", .serialized)
struct TracingTests {
    @Test("a page load and a submit export a server span per route and client spans for Alvaria, without the sessionId")
    func spansOfPageLoadAndSubmit() async throws {
        try await LiveSimulator.run { simulator in
            try await OTLPReceiver.run { receiver in
                let directory = try temporaryDirectory()
                let sessionId = try await simulator.createDialog(#"{"form":"consent-capture","fullName":"Ana"}"#)
                let environment = TestApp.environment(
                    simulator: simulator,
                    databasePath: directory.appendingPathComponent("app.sqlite").path,
                    overrides: [
                        "TRACING_OTLP_ENDPOINT": receiver.origin,
                        "TRACING_OTLP_PROTOCOL": "http/json",
                        "TRACING_SERVICE_NAME": "forms-under-test",
                        // Export within 100 ms instead of 5 s (a standard variable the app passes on).
                        "OTEL_BSP_SCHEDULE_DELAY": "100",
                        // Owned by tracing.otlpEndpoint: must not send the spans elsewhere.
                        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9",
                        // The collector's key comes from the secret key; swift-otel would log this one.
                        "TRACING_OTLP_HEADERS": "x-collector-key=collector-secret-1",
                        "OTEL_EXPORTER_OTLP_HEADERS": "x-other=other-secret-2",
                    ]
                )
                let app = try SpawnedApp.launch(environment: environment, directory: directory)
                let port = try await app.waitForPort()
                try await withHTTPDriver(port: port) { http in
                    let page = try await http.get("/f/consent-capture?sessionId=\(sessionId.rawValue)&lang=es")
                    #expect(page.status == 200)
                    #expect(try await FaultHarness.submitConsent(http, sessionId) == 303)
                }

                // The GET's server span, its two Alvaria calls, and the POST's delivery with its outcome call.
                let spans = try await receiver.waitForSpans(timeout: .seconds(30)) { spans in
                    spans.contains { $0.name == "Alvaria outcome" } && spans.filter { $0.kind == .server }.count >= 3
                        && spans.contains { $0.name == "outbox delivery" }
                }
                let servers = spans.filter { $0.kind == .server && $0.name == "/f/{formId}" }
                let firstGet = try #require(
                    servers.first { $0.attributes["http.request.method"] == "GET" && $0.attributes["url.query"]?.contains("lang=es") == true },
                    "\(spans)"
                )
                #expect(firstGet.parentSpanId.isEmpty)
                #expect(firstGet.attributes["http.route"] == "/f/{formId}")
                #expect(firstGet.attributes["http.response.status_code"] == "200")
                #expect(firstGet.attributes["url.query"] == "sessionId=REDACTED&lang=es")
                #expect(firstGet.attributes["http.response.header.x_request_id"]?.isEmpty == false)

                let children = spans.filter { $0.parentSpanId == firstGet.spanId }
                let token = try #require(children.first { $0.name == "Alvaria token" }, "\(spans)")
                let context = try #require(children.first { $0.name == "Alvaria context" }, "\(spans)")
                for span in [token, context] {
                    #expect(span.kind == .client)
                    #expect(span.traceId == firstGet.traceId)
                    #expect(span.attributes["http.response.status_code"] == "200")
                    #expect(span.attributes["alvaria.outcome"] == "ok")
                    #expect(span.attributes["server.port"] == String(simulator.port))
                }
                #expect(token.attributes["alvaria.endpoint"] == "token")
                #expect(token.attributes["http.request.method"] == "POST")
                #expect(context.attributes["alvaria.endpoint"] == "context")
                #expect(context.attributes["http.request.method"] == "GET")

                // The submit: its server span → the immediate delivery attempt → the outcome post.
                let post = try #require(servers.first { $0.attributes["http.request.method"] == "POST" }, "\(spans)")
                #expect(post.attributes["http.response.status_code"] == "303")
                let delivery = try #require(spans.first { $0.name == "outbox delivery" && $0.parentSpanId == post.spanId }, "\(spans)")
                #expect(delivery.traceId == post.traceId)
                #expect(delivery.attributes["outbox.result"] == "delivered")
                let outcome = try #require(spans.first { $0.name == "Alvaria outcome" }, "\(spans)")
                #expect(outcome.parentSpanId == delivery.spanId)
                #expect(outcome.traceId == post.traceId)
                #expect(outcome.kind == .client)
                #expect(outcome.attributes["http.response.status_code"] == "204")

                #expect(receiver.serviceNames == ["forms-under-test"])
                let payload = receiver.payload
                #expect(!payload.contains(sessionId.rawValue), "the whole sessionId was exported")
                for secret in ["demo-secret", "demo-key", "Bearer"] {
                    #expect(!payload.contains(secret), "\(secret) was exported")
                }
                #expect(receiver.contentTypes == ["application/json"])
                #expect(receiver.headerValues("x-collector-key") == ["collector-secret-1"])
                #expect(receiver.headerValues("x-other").isEmpty)
                #expect(try await app.terminate() == 0)
                for secret in ["collector-secret-1", "other-secret-2"] {
                    #expect(!app.log.contains(secret), "\(secret) was logged")
                }
            }
        }
    }

    @Test(
        "an incoming traceparent is joined only from a trusted proxy",
        arguments: [("127.0.0.0/8", true), ("10.0.0.0/8", false)]
    )
    func traceparentOnlyFromTrustedProxies(trustedProxies: String, joins: Bool) async throws {
        try await LiveSimulator.run { simulator in
            try await OTLPReceiver.run { receiver in
                let directory = try temporaryDirectory()
                let environment = TestApp.environment(
                    simulator: simulator,
                    databasePath: directory.appendingPathComponent("app.sqlite").path,
                    overrides: [
                        "TRACING_OTLP_ENDPOINT": receiver.origin,
                        "TRACING_OTLP_PROTOCOL": "http/json",
                        "OTEL_BSP_SCHEDULE_DELAY": "100",
                        "HTTP_TRUSTED_PROXIES": trustedProxies,
                    ]
                )
                let app = try SpawnedApp.launch(environment: environment, directory: directory)
                let port = try await app.waitForPort()
                let traceId = "4bf92f3577b34da6a3ce929d0e0e4736"
                let parentId = "00f067aa0ba902b7"
                try await withHTTPDriver(port: port) { http in
                    let response = try await http.get("/healthz", headers: [("traceparent", "00-\(traceId)-\(parentId)-01")])
                    #expect(response.status == 200)
                }
                let spans = try await receiver.waitForSpans(timeout: .seconds(30)) { spans in
                    spans.contains { $0.kind == .server && $0.name == "/healthz" }
                }
                let server = try #require(spans.first { $0.kind == .server && $0.name == "/healthz" })
                // OTLP JSON as swift-otel writes it: ids in base64.
                let hex = { (base64: String) in Data(base64Encoded: base64).map { $0.map { String(format: "%02x", $0) }.joined() } ?? base64 }
                #expect((hex(server.traceId) == traceId) == joins, "\(server)")
                #expect((hex(server.parentSpanId) == parentId) == joins, "\(server)")
                #expect(try await app.terminate() == 0)
            }
        }
    }

    @Test("with the default protocol (protobuf), spans still queued at SIGTERM are flushed before the exit")
    func flushAtGracefulShutdown() async throws {
        try await LiveSimulator.run { simulator in
            try await OTLPReceiver.run { receiver in
                let directory = try temporaryDirectory()
                let sessionId = try await simulator.createDialog(#"{"form":"consent-capture"}"#)
                let environment = TestApp.environment(
                    simulator: simulator,
                    databasePath: directory.appendingPathComponent("app.sqlite").path,
                    overrides: [
                        // A base URL with a trailing slash: the app posts to /v1/traces.
                        "TRACING_OTLP_ENDPOINT": receiver.origin + "/",
                        // No export on a timer during the test: only the shutdown can flush.
                        "OTEL_BSP_SCHEDULE_DELAY": "600000",
                    ]
                )
                let app = try SpawnedApp.launch(environment: environment, directory: directory)
                let port = try await app.waitForPort()
                try await withHTTPDriver(port: port) { http in
                    let page = try await http.get("/f/consent-capture?sessionId=\(sessionId.rawValue)")
                    #expect(page.status == 200)
                }
                #expect(receiver.payload.isEmpty, "nothing is exported before the batch is due")
                #expect(try await app.terminate() == 0)

                #expect(receiver.contentTypes == ["application/x-protobuf"])
                // Protobuf keeps strings as UTF-8 bytes: the names are there, the sessionId is not.
                let payload = receiver.payload
                for text in ["/f/{formId}", "Alvaria context", "Alvaria token", "disposable-app", "sessionId=REDACTED"] {
                    #expect(payload.contains(text), "\(text) is missing from the export")
                }
                #expect(!payload.contains(sessionId.rawValue), "the whole sessionId was exported")
            }
        }
    }

    @Test("a bad tracing.otlpEndpoint stops start-up with exit code 78, before the port opens")
    func badEndpointStopsStartUp() async throws {
        let directory = try temporaryDirectory()
        let app = try SpawnedApp.launch(
            environment: ["HTTP_PORT": "0", "TRACING_OTLP_ENDPOINT": "collector:4318"],
            directory: directory
        )
        #expect(try await app.waitForExit() == 78)
        #expect(
            app.log.contains(
                #"configuration error: tracing.otlpEndpoint (TRACING_OTLP_ENDPOINT): "collector:4318" is not valid; expected an absolute http:// or https:// URL"#
            ),
            "\(app.log)"
        )
        #expect(!app.log.contains("Serving"))
    }
}

/// A span as the app exported it (OTLP JSON), reduced to what the tests look at.
struct ExportedSpan: Sendable, CustomStringConvertible {
    /// OTLP's `SpanKind` numbers.
    enum Kind: Int, Sendable {
        case unspecified = 0
        case `internal`, server, client, producer, consumer
    }

    let traceId: String
    let spanId: String
    let parentSpanId: String
    let name: String
    let kind: Kind
    /// Every value as text (OTLP JSON writes 64-bit integers as strings).
    let attributes: [String: String]

    var description: String { "\(name) [\(kind)] \(spanId)←\(parentSpanId) \(attributes)" }

    /// The spans of one `ExportTraceServiceRequest` in OTLP JSON, and its resources' `service.name`s.
    static func parse(_ data: Data) -> (spans: [ExportedSpan], serviceNames: [String]) {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let resourceSpans = root["resourceSpans"] as? [[String: Any]]
        else { return ([], []) }
        var spans: [ExportedSpan] = []
        var serviceNames: [String] = []
        for resourceSpan in resourceSpans {
            let resource = resourceSpan["resource"] as? [String: Any]
            if let name = attributes(resource?["attributes"])["service.name"] { serviceNames.append(name) }
            for scope in resourceSpan["scopeSpans"] as? [[String: Any]] ?? [] {
                for span in scope["spans"] as? [[String: Any]] ?? [] {
                    spans.append(
                        ExportedSpan(
                            traceId: span["traceId"] as? String ?? "",
                            spanId: span["spanId"] as? String ?? "",
                            parentSpanId: span["parentSpanId"] as? String ?? "",
                            name: span["name"] as? String ?? "",
                            kind: Kind(rawValue: span["kind"] as? Int ?? 0) ?? .unspecified,
                            attributes: attributes(span["attributes"])
                        )
                    )
                }
            }
        }
        return (spans, serviceNames)
    }

    private static func attributes(_ list: Any?) -> [String: String] {
        var result: [String: String] = [:]
        for attribute in list as? [[String: Any]] ?? [] {
            guard let key = attribute["key"] as? String, let value = attribute["value"] as? [String: Any] else { continue }
            result[key] = value.values.first.map { "\($0)" } ?? ""
        }
        return result
    }
}

/// An OTLP/HTTP receiver on loopback: keeps every `POST /v1/traces` body and answers as a
/// collector does (200, an empty JSON `ExportTraceServiceResponse`).
final class OTLPReceiver: Sendable {
    private struct Export: Sendable {
        let contentType: String
        let headers: [(name: String, value: String)]
        let body: Data
    }

    /// Filled by the server's handler, read by the test.
    private final class Store: Sendable {
        let exports = Mutex<[Export]>([])
    }

    private let store: Store
    let port: Int

    private init(store: Store, port: Int) {
        self.store = store
        self.port = port
    }

    var origin: String { "http://127.0.0.1:\(port)" }

    static func run<Value: Sendable>(_ body: @Sendable (OTLPReceiver) async throws -> Value) async throws -> Value {
        let store = Store()
        let router = Router()
        router.post("/v1/traces") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 16 << 20)
            let export = Export(
                contentType: request.headers[.contentType] ?? "",
                headers: request.headers.map { ($0.name.canonicalName, $0.value) },
                body: Data(buffer: buffer)
            )
            store.exports.withLock { $0.append(export) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: quietLogger)
        return try await app.test(.live) { client in
            try await body(OTLPReceiver(store: store, port: try #require(client.port)))
        }
    }

    /// Every body received so far, as text (protobuf's strings are readable in it too).
    var payload: String {
        store.exports.withLock { $0.map { String(decoding: $0.body, as: UTF8.self) }.joined(separator: "\n") }
    }

    /// The distinct Content-Types of the exports.
    var contentTypes: Set<String> { Set(store.exports.withLock { $0.map(\.contentType) }) }

    /// The distinct values of a request header across the exports.
    func headerValues(_ name: String) -> Set<String> {
        Set(store.exports.withLock { $0.flatMap { $0.headers.filter { $0.name == name }.map(\.value) } })
    }

    var spans: [ExportedSpan] { store.exports.withLock { $0.flatMap { ExportedSpan.parse($0.body).spans } } }

    var serviceNames: Set<String> { Set(store.exports.withLock { $0.flatMap { ExportedSpan.parse($0.body).serviceNames } }) }

    /// The spans once `done` holds for them, polling until `timeout`; then whatever arrived.
    func waitForSpans(timeout: Duration, until done: ([ExportedSpan]) -> Bool) async throws -> [ExportedSpan] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if done(spans) { return spans }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the expected spans did not arrive within \(timeout); got \(spans)")
        return spans
    }
}
