import Foundation
import Testing

@testable import App

@Suite("Tracing configuration")
struct TracingConfigurationTests {
    private func problems(_ environment: [String: String]) async -> [String] {
        do {
            _ = try await AppConfig.load(environment: environment)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test("is off unless tracing.otlpEndpoint is set")
    func offByDefault() async throws {
        let config = try await AppConfig.load(environment: ["TRACING_SERVICE_NAME": "forms"])
        #expect(config.tracing == nil)
    }

    @Test(
        "posts to the collector's /v1/traces, OTLP/HTTP protobuf and service disposable-app by default",
        arguments: [
            ("http://otel-collector:4318", "http://otel-collector:4318/v1/traces"),
            ("https://otel.example.com/", "https://otel.example.com/v1/traces"),
            ("http://10.0.0.5:4318/otlp", "http://10.0.0.5:4318/otlp/v1/traces"),
            ("http://otel-collector:4318/v1/traces", "http://otel-collector:4318/v1/traces"),
        ]
    )
    func endpoint(value: String, expected: String) async throws {
        let config = try await AppConfig.load(environment: ["TRACING_OTLP_ENDPOINT": value])
        let tracing = try #require(config.tracing)
        #expect(tracing.tracesURL.absoluteString == expected)
        #expect(tracing.otlpProtocol == .protobuf)
        #expect(tracing.serviceName == "disposable-app")
    }

    @Test("reads the protocol and the service name")
    func protocolAndServiceName() async throws {
        let config = try await AppConfig.load(
            environment: ["TRACING_OTLP_ENDPOINT": "http://c:4318", "TRACING_OTLP_PROTOCOL": "HTTP/JSON", "TRACING_SERVICE_NAME": "forms-eu"]
        )
        #expect(config.tracing?.otlpProtocol == .json)
        #expect(config.tracing?.serviceName == "forms-eu")
    }

    @Test(
        "rejects bad values with the key, the problem and what is expected",
        arguments: [
            (
                ["TRACING_OTLP_ENDPOINT": "collector:4318"],
                #"tracing.otlpEndpoint (TRACING_OTLP_ENDPOINT): "collector:4318" is not valid; expected an absolute http:// or https:// URL"#
            ),
            (
                ["TRACING_OTLP_ENDPOINT": "grpc://collector:4317"],
                #"tracing.otlpEndpoint (TRACING_OTLP_ENDPOINT): "grpc://collector:4317" is not valid; expected an absolute http:// or https:// URL"#
            ),
            (
                ["TRACING_OTLP_ENDPOINT": "http://collector:4318/?x=1"],
                #"tracing.otlpEndpoint (TRACING_OTLP_ENDPOINT): "http://collector:4318/?x=1" is not valid"#
            ),
            (
                ["TRACING_OTLP_ENDPOINT": "http://c:4318", "TRACING_OTLP_PROTOCOL": "grpc"],
                #"tracing.otlpProtocol (TRACING_OTLP_PROTOCOL): "grpc" is not valid; expected one of http/protobuf, http/json"#
            ),
            (
                ["TRACING_SERVICE_NAME": "forms\u{7}"],
                "tracing.serviceName (TRACING_SERVICE_NAME): is not valid; expected a name of up to 255 characters without control characters"
            ),
        ]
    )
    func badValues(environment: [String: String], expected: String) async {
        let lines = await problems(environment)
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.hasPrefix("configuration error: " + expected) == true, "\(lines)")
    }

    @Test("never prints a password given in the endpoint")
    func credentialsInEndpoint() async {
        let lines = await problems(["TRACING_OTLP_ENDPOINT": "https://user:hunter2@otel.example.com"])
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("configuration error: tracing.otlpEndpoint (TRACING_OTLP_ENDPOINT): has a user or password in it") == true)
        #expect(lines.allSatisfy { !$0.contains("hunter2") })
    }

    @Test("passes swift-otel the standard OTEL_* tuning variables, not the ones the tracing keys own")
    func exporterEnvironment() {
        let environment = TracingSettings.exporterEnvironment(from: [
            "OTEL_BSP_SCHEDULE_DELAY": "1000",
            "OTEL_EXPORTER_OTLP_HEADERS": "x-api-key=abc",
            "OTEL_EXPORTER_OTLP_TRACES_HEADERS": "x-api-key=abc",
            "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://elsewhere:4318",
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc",
            "OTEL_SDK_DISABLED": "true",
            "OTEL_SERVICE_NAME": "other",
            "ALVARIA_CLIENT_SECRET": "s3cr3t",
        ])
        #expect(environment.keys.sorted() == ["OTEL_BSP_SCHEDULE_DELAY", "OTEL_TRACES_SAMPLER"])
    }

    @Test("reads the collector's headers as a secret: name=value pairs, values percent-decoded")
    func headers() async throws {
        let config = try await AppConfig.load(
            environment: ["TRACING_OTLP_ENDPOINT": "https://otel.example.com", "TRACING_OTLP_HEADERS": "x-api-key=abc%3D1, X-Team = blue"]
        )
        let headers = try #require(config.tracing).otlpHeaders
        #expect(headers.map(\.name) == ["x-api-key", "X-Team"])
        #expect(headers.map(\.value) == ["abc=1", "blue"])
    }

    @Test("reports malformed headers without repeating them")
    func badHeaders() async {
        let lines = await problems(["TRACING_OTLP_ENDPOINT": "https://otel.example.com", "TRACING_OTLP_HEADERS": "x-api-key:hunter2"])
        #expect(
            lines == [
                "configuration error: tracing.otlpHeaders (TRACING_OTLP_HEADERS): is not valid (not shown: it is a secret); expected name=value pairs separated by commas, e.g. x-api-key=KEY"
            ]
        )
    }

    @Test("refuses headers in the YAML file, like every secret")
    func headersInFile() async throws {
        let file = try temporaryFile("tracing:\n  otlpEndpoint: http://c:4318\n  otlpHeaders: x-api-key=hunter2\n")
        let lines: [String]
        do {
            _ = try await AppConfig.load(configFile: file, environment: [:])
            lines = []
        } catch {
            lines = error.problems.map(\.description)
        }
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("configuration error: tracing.otlpHeaders (TRACING_OTLP_HEADERS): is set in ") == true, "\(lines)")
        #expect(lines.allSatisfy { !$0.contains("hunter2") })
    }
}
