import AlvariaModels
import Foundation
import HTTPTypes
import Testing

@testable import App

/// `/metrics` as Prometheus scrapes it: well-formed text that counts what the app did, and
/// nothing personal in it.
@Suite("The /metrics endpoint")
struct MetricsEndpointTests {
    private static let form = ["route": "/f/{formId}"]

    @Test("answers Prometheus text format 0.0.4, uncached, that parses line by line")
    func wellFormed() async throws {
        try await TestApp.run { app in
            #expect(try await app.get("/healthz").status == .ok)
            let response = try await app.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-store")
            let metrics = try PrometheusText(response.text)
            #expect(metrics.types["http_requests_total"] == "counter")
            #expect(metrics.types["http_request_duration_seconds"] == "histogram")
            #expect(metrics.types["outbox_delivered_total"] == "counter", "the deliverer's series are there from the start")
            #expect(metrics.value("http_requests_total", ["route": "/healthz", "method": "GET", "status": "200"]) == 1)
        }
    }

    @Test("the parser refuses what Prometheus would refuse")
    func parserIsStrict() {
        let bad = [
            "http requests 1\n",
            "x{route=\"a} 1\n",
            "x{route=\"a\"} one\n",
            "x 1",
            "# TYPE x countr\nx 1\n",
            "x 1\n# TYPE x counter\n",
            "x{a=\"1\",a=\"2\"} 1\n",
            "x{a=\"\\q\"} 1\n",
            "# TYPE h histogram\nh_bucket 1\n",
            "x 1\nx 2\n",
        ]
        for text in bad {
            #expect(throws: PrometheusText.ParseError.self, "\(text.debugDescription)") { try PrometheusText(text) }
        }
        #expect(throws: Never.self) {
            try PrometheusText("# HELP x A \"help\".\n# TYPE x counter\nx{a=\"q\\\"\\\\\\n\"} 1.5e3 1700000000\ny +Inf\n\n")
        }
    }

    @Test("counts page loads, context calls, the one token refresh, the submit and its delivery")
    func countsWhatHappened() async throws {
        try await TestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            let uri = "/f/consent-capture?sessionId=\(sessionId.rawValue)"
            let before = try PrometheusText(try await app.get("/metrics").text)
            let loads = 3
            var page = ""
            for _ in 0..<loads {
                let response = try await app.get(uri)
                #expect(response.status == .ok)
                page = response.text
            }
            let loaded = try PrometheusText(try await app.get("/metrics").text)
            let get200 = Self.form.merging(["method": "GET", "status": "200"]) { $1 }
            #expect(loaded.value("http_requests_total", get200) - before.value("http_requests_total", get200) == Double(loads))
            let contextOK = ["endpoint": "context", "outcome": "ok"]
            #expect(loaded.value("alvaria_requests_total", contextOK) - before.value("alvaria_requests_total", contextOK) == Double(loads))
            #expect(loaded.value("alvaria_token_refreshes_total", ["result": "ok"]) == 1, "one token serves every call")
            #expect(loaded.value("alvaria_token_refreshes_total", ["result": "failed"]) == 0)
            #expect(loaded.value("alvaria_requests_total", ["endpoint": "token", "outcome": "ok"]) == 1)
            #expect(loaded.value("alvaria_request_duration_seconds_count", ["endpoint": "context"]) >= Double(loads))

            let token = try #require(TestApp.token(in: page))
            let submitted = try await app.post(uri, [("_token", token), ("fullName", "Ana"), ("channel", "sms"), ("consent", "true")])
            #expect(submitted.status == .seeOther)
            // Delivery may finish after the confirmation (past the immediate budget): watch for it, bounded.
            let delivered = try await metrics(of: app) { $0.value("outbox_delivered_total") >= 1 }
            #expect(delivered.value("outbox_delivered_total") == 1)
            #expect(delivered.value("outbox_attempts_total", ["result": "delivered"]) == 1)
            #expect(delivered.value("alvaria_requests_total", ["endpoint": "outcome", "outcome": "ok"]) == 1)
            #expect(delivered.value("http_requests_total", Self.form.merging(["method": "POST", "status": "303"]) { $1 }) == 1)

            try await app.simulator.setFaults(#"{"failNextContext": 1}"#)
            let other = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            #expect(try await app.get("/f/consent-capture?sessionId=\(other.rawValue)").status == .serviceUnavailable)
            let failed = try PrometheusText(try await app.get("/metrics").text)
            #expect(failed.value("alvaria_requests_total", ["endpoint": "context", "outcome": "5xx"]) == 1)
            #expect(failed.value("http_requests_total", Self.form.merging(["method": "GET", "status": "503"]) { $1 }) == 1)
            #expect(failed.value("alvaria_token_refreshes_total", ["result": "ok"]) == 1)

            let text = try await app.get("/metrics").text
            for id in [sessionId, other] {
                #expect(!text.contains(id.rawValue), "no sessionId in the metrics")
            }
            #expect(!text.contains("sessionId"))
        }
    }

    @Test("a refused token request counts as a failed refresh and as the token endpoint's 5xx")
    func countsFailedRefresh() async throws {
        try await TestApp.run { app in
            try await app.simulator.setFaults(#"{"failNextToken": 1}"#)
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            #expect(try await app.get("/f/consent-capture?sessionId=\(sessionId.rawValue)").status == .serviceUnavailable)
            let metrics = try PrometheusText(try await app.get("/metrics").text)
            #expect(metrics.value("alvaria_token_refreshes_total", ["result": "failed"]) == 1)
            #expect(metrics.value("alvaria_requests_total", ["endpoint": "token", "outcome": "5xx"]) == 1)
            #expect(metrics.value("alvaria_requests_total", ["endpoint": "context", "outcome": "ok"]) == 0)
        }
    }

    /// `/metrics` once `done` holds for it, or as it is after 15 s.
    private func metrics(of app: TestApp, until done: (PrometheusText) -> Bool) async throws -> PrometheusText {
        let deadline = ContinuousClock.now + .seconds(15)
        while true {
            let metrics = try PrometheusText(try await app.get("/metrics").text)
            if done(metrics) || ContinuousClock.now >= deadline { return metrics }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
