import AlvariaModels
import Foundation
import Testing

@testable import App

/// What reaches Alvaria is what the CX script offered and the person typed (issue 12): each test
/// is an attack a person holding a link could make, as it was seen on the release binary.
@Suite("Outcome integrity")
struct OutcomeIntegrityTests {
    static let callbackAnswers = [("accountDigits", "1234"), ("contactMethod", "email"), ("email", "ana@example.com")]

    @Test("'decline' on a form without a decline button is an ordinary submit: validated, and sensitive values kept apart")
    func declineOnlyWhereDeclared() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"callback-request"}"#)
            let uri = "/f/callback-request?sessionId=\(sessionId.rawValue)"
            // Nothing filled in: before, this was stored and delivered as "declined".
            let empty = try await app.submit(uri, [("_action", "decline")])
            #expect(empty.status == .unprocessableContent)
            #expect(app.simulator.outcomeRequests == 0)

            let response = try await app.submit(uri, Self.callbackAnswers + [("_action", "decline")])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location]?.contains("declined") == false)
            let entry = try #require(try await app.store.entries(state: nil, limit: 10).first)
            #expect(entry.kind == .submitted)
            #expect(entry.state == .delivered)
            // The sensitive value reached Alvaria once, and was erased from the outbox after.
            #expect(try app.simulator.outcomes(sessionId).first?.contains { $0.id == "accountLast4" && $0.value == "1234" } == true)
            #expect(entry.variables?.contains { $0.id == "accountLast4" } == false)
        }
    }

    @Test("a hidden prefilled field takes the context's value at submit time, not a tampered post")
    func hiddenFieldsFromContext() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(
                #"{"form":"address-update","street":"1 Old Road","postalCode":"1000-001","city":"Lisbon","country":"ES","customerId":"C-7"}"#
            )
            let response = try await app.submit(
                "/f/address-update?sessionId=\(sessionId.rawValue)",
                [("street", "5 New Street"), ("postalCode", "1100-002"), ("city", "Porto"), ("country", "ES"), ("customerId", "C-9999")]
            )
            #expect(response.status == .seeOther)
            let variables = try #require(try app.simulator.outcomes(sessionId).first)
            #expect(variables.first { $0.id == "customerId" }?.value == "C-7")
        }
    }

    @Test("a hidden value longer than its maxLength, from the context, is neither a page error nor cut")
    func longHiddenValue() async throws {
        try await RouterTestApp.run { app in
            let long = String(repeating: "C", count: 501)
            let sessionId = try await app.simulator.createDialog(
                #"{"form":"address-update","street":"1 Old Road","postalCode":"1000-001","city":"Lisbon","country":"ES","customerId":"\#(long)"}"#
            )
            let response = try await app.submit(
                "/f/address-update?sessionId=\(sessionId.rawValue)",
                [("street", "1 Old Road"), ("postalCode", "1000-001"), ("city", "Lisbon"), ("country", "ES"), ("customerId", long)]
            )
            #expect(response.status == .seeOther)
            let variables = try #require(try app.simulator.outcomes(sessionId).first)
            #expect(variables.first { $0.id == "customerId" }?.value == long)
        }
    }

    @Test("a session whose context names a form is served that form only; the default form only when it names none")
    func onlyTheOfferedForm() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            let other = try await app.get("/f/address-update?sessionId=\(sessionId.rawValue)")
            #expect(other.status == .notFound)
            #expect(TestApp.token(in: other.text) == nil)
            let posted = try await app.post("/f/address-update?sessionId=\(sessionId.rawValue)", [("street", "x")])
            #expect(posted.status == .forbidden)
            #expect(try await app.get("/f/consent-capture?sessionId=\(sessionId.rawValue)").status == .ok)
            #expect(app.simulator.outcomeRequests == 0)

            let unnamed = try await app.simulator.createDialog(#"{"firstName":"Ana"}"#)
            #expect(try await app.get("/f/consent-capture?sessionId=\(unnamed.rawValue)").status == .ok)
            #expect(try await app.get("/?sessionId=\(unnamed.rawValue)").text.contains("Update your address"))
        }
    }

    @Test("hidden values come from the context: if Alvaria cannot give it at submit, nothing is stored")
    func hiddenNeedsTheContext() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"address-update","customerId":"C-7"}"#)
            let uri = "/f/address-update?sessionId=\(sessionId.rawValue)"
            let token = try #require(TestApp.token(in: try await app.get(uri).text))
            app.contexts.failNext(1)
            let fields = [("_token", token), ("street", "1 Road"), ("postalCode", "1000-001"), ("city", "Lisbon"), ("country", "ES")]
            let response = try await app.post(uri, fields)
            #expect(response.status == .serviceUnavailable)
            #expect(try await app.store.entries(state: nil, limit: 10).isEmpty)
            #expect(try await app.post(uri, fields).status == .seeOther)
        }
    }
}
