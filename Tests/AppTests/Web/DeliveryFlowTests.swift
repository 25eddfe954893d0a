import AlvariaModels
import Foundation
import Testing

@testable import App

/// The person's answers are safe once stored: Alvaria being slow or failing never loses or doubles them.
@Suite("Delivery from the submit path")
struct DeliveryFlowTests {
    @Test("an outcome Alvaria refuses three times with 500 is delivered exactly once in the end")
    func retriesUntilDelivered() async throws {
        try await TestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            try await app.simulator.setFaults(#"{"failNextOutcome": 3}"#)
            let response = try await app.submit(
                "/f/consent-capture?sessionId=\(sessionId.rawValue)",
                [("fullName", "Ana"), ("channel", "sms"), ("consent", "true")]
            )
            #expect(response.status == .seeOther, "the person sees the confirmation: the answers are stored")
            let outcomes = try await app.simulator.waitForOutcomes(sessionId)
            #expect(outcomes.count == 1)
            #expect(app.simulator.state.stats.outcomeRequests == 4)
        }
    }

    @Test("a slow Alvaria does not hold the page past the immediate budget; the outcome still arrives once")
    func slowAlvaria() async throws {
        try await TestApp.run(overrides: ["DELIVERY_IMMEDIATE_BUDGET": "200ms"]) { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            let uri = "/f/consent-capture?sessionId=\(sessionId.rawValue)"
            let token = try #require(TestApp.token(in: try await app.get(uri).text))
            try await app.simulator.setFaults(#"{"latencyMs": 3000}"#)
            let response = try await app.post(uri, [("_token", token), ("fullName", "Ana"), ("channel", "sms"), ("consent", "true")])
            #expect(response.status == .seeOther)
            // The answer came while Alvaria was still holding the outcome: the page did not wait for it.
            #expect(app.simulator.state.stats.outcomesAccepted == 0)
            let outcomes = try await app.simulator.waitForOutcomes(sessionId)
            #expect(outcomes.count == 1)
            try await app.simulator.setFaults(#"{"latencyMs": 0}"#)
        }
    }

    @Test("a dialog that ended before the submit shows 'link expired' and is not retried")
    func endedDialog() async throws {
        try await TestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            let uri = "/f/consent-capture?sessionId=\(sessionId.rawValue)"
            let token = try #require(TestApp.token(in: try await app.get(uri).text))
            #expect(app.simulator.state.endDialog(sessionId.rawValue))
            let response = try await app.post(uri, [("_token", token), ("fullName", "Ana"), ("channel", "sms"), ("consent", "true")])
            #expect(response.status == .gone)
            #expect(response.text.contains("This link has expired"))
            #expect(app.simulator.state.stats.outcomeRequests == 1)
        }
    }
}
