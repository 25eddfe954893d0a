import AlvariaModels
import Foundation
import MetricsTestKit
import Testing

@testable import App

extension DeliveryHarness {
    /// A second deliverer on the harness's store, client and clock that reports to `metrics`
    /// (a `TestMetrics` per test: nothing is bootstrapped globally).
    func deliverer(reportingTo metrics: TestMetrics) -> Deliverer {
        Deliverer(
            store: store,
            poster: deliverer.poster,
            settings: deliverer.settings,
            logger: logs.logger,
            now: clock.function,
            metricsFactory: metrics
        )
    }
}

@Suite("The deliverer's metrics, against the simulator over HTTP")
struct DelivererMetricsTests {
    private func attempts(_ metrics: TestMetrics, _ result: String) throws -> Int64 {
        try metrics.expectCounter("outbox_attempts_total", [("result", result)]).totalValue
    }

    @Test("has every series from the start, at zero")
    func seriesUpFront() async throws {
        try await DeliveryHarness.run { harness async throws in
            let metrics = TestMetrics()
            _ = harness.deliverer(reportingTo: metrics)
            for result in ["delivered", "retry", "failed"] {
                #expect(try attempts(metrics, result) == 0)
            }
            #expect(try metrics.expectCounter("outbox_delivered_total").values.isEmpty)
            #expect(try metrics.expectCounter("outbox_failed_total").values.isEmpty)
            #expect(try metrics.expectTimer("outbox_delivery_latency_seconds").values.isEmpty)
            #expect(try metrics.expectGauge("outbox_queued").values.isEmpty, "set by the first pass")
            #expect(try metrics.expectGauge("outbox_failed").values.isEmpty)
        }
    }

    @Test("counts a delivery, its attempt and the time from submit to Alvaria's 204")
    func countsDelivery() async throws {
        try await DeliveryHarness.run { harness in
            let metrics = TestMetrics()
            let deliverer = harness.deliverer(reportingTo: metrics)
            let sessionId = try await harness.simulator.createDialog("x")
            let entry = try await harness.enqueue(sessionId)
            harness.clock.advance(by: 2.5)  // as if the submit had waited that long for the store and the token

            #expect(await deliverer.deliverNow(entry, budget: .seconds(5), logger: harness.logs.logger) == .delivered)
            #expect(try metrics.expectCounter("outbox_delivered_total").totalValue == 1)
            #expect(try attempts(metrics, "delivered") == 1)
            #expect(try attempts(metrics, "retry") == 0)
            #expect(try metrics.expectCounter("outbox_failed_total").totalValue == 0)
            #expect(try metrics.expectTimer("outbox_delivery_latency_seconds").values == [2_500_000_000])
        }
    }

    @Test("counts retries and a final failure as attempts with their result")
    func countsRetriesAndFailure() async throws {
        try await DeliveryHarness.run { harness in
            let metrics = TestMetrics()
            let deliverer = harness.deliverer(reportingTo: metrics)
            let sessionId = try await harness.simulator.createDialog("x")
            try await harness.simulator.setFaults(#"{"failNextOutcome": 2}"#)
            let entry = try await harness.enqueue(sessionId)

            #expect(await deliverer.deliverNow(entry, budget: .seconds(5), logger: harness.logs.logger) == .pending)
            harness.clock.advance(by: 30.001)
            await deliverer.deliverDue()
            #expect(try attempts(metrics, "retry") == 2)

            // The dialog ends before the third attempt: Alvaria answers 404, which is final.
            try await harness.simulator.client.execute(uri: "/simulator/dialogs/\(sessionId.rawValue)", method: .delete) { _ in }
            harness.clock.advance(by: 30.001)
            await deliverer.deliverDue()
            #expect(try await harness.entry(entry).state == .failed)
            #expect(try attempts(metrics, "failed") == 1)
            #expect(try metrics.expectCounter("outbox_failed_total").totalValue == 1)
            #expect(try attempts(metrics, "delivered") == 0)
            #expect(try metrics.expectCounter("outbox_delivered_total").totalValue == 0)
            #expect(try metrics.expectTimer("outbox_delivery_latency_seconds").values.isEmpty)
        }
    }

    @Test("sets the queued and failed gauges from the store after each background pass")
    func refreshesGauges() async throws {
        try await DeliveryHarness.run { harness in
            let metrics = TestMetrics()
            let deliverer = harness.deliverer(reportingTo: metrics)
            let unknown = try await harness.enqueue(try #require(SessionID("never-created")))
            #expect(await deliverer.deliverNow(unknown, budget: .seconds(5), logger: harness.logs.logger).dialogEnded)

            try await harness.simulator.setFaults(#"{"failNextOutcome": 2}"#)
            for _ in 0..<2 {
                _ = try await harness.enqueue(try await harness.simulator.createDialog("x"))
            }
            // As if their submits had crashed: claimed for one lease, then due.
            harness.clock.advance(by: 61)
            await deliverer.deliverDue()
            #expect(try metrics.expectGauge("outbox_queued").lastValue == 2)
            #expect(try metrics.expectGauge("outbox_failed").lastValue == 1)

            harness.clock.advance(by: 30.001)
            await deliverer.deliverDue()
            #expect(try metrics.expectGauge("outbox_queued").lastValue == 0)
            #expect(try metrics.expectGauge("outbox_failed").lastValue == 1)
            #expect(try metrics.expectGauge("outbox_queued").values == [2, 0], "one refresh per pass")
            #expect(try metrics.expectCounter("outbox_delivered_total").totalValue == 2)
        }
    }
}
