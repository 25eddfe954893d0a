import AlvariaModels
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// The callback-request example: a sensitive field, fields shown only for the contact method
/// chosen, and the short link an SMS carries.
@Suite("Sensitive and conditional fields, short links")
struct CallbackFormTests {
    @Test("the short link /s/{sessionId} opens the context's form; a malformed one is refused before any upstream call")
    func shortLink() async throws {
        try await TestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"callback-request","firstName":"Ana"}"#)
            let page = try await app.get("/s/\(sessionId.rawValue)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Hi Ana, tell us how and when to reach you."))
            #expect(page.text.contains(#"action="/f/callback-request?sessionId=\#(sessionId.rawValue)""#))
            #expect(page.headers[.cacheControl] == "no-store")
            let calls = app.simulator.state.stats.contextRequests
            let bad = try await app.get("/s/not%20valid!")
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("This link is incomplete"))
            #expect(app.simulator.state.stats.contextRequests == calls, "no upstream call for a malformed sessionId")
            #expect(try await app.get("/s/").status == .notFound)
        }
    }

    @Test("the sensitive field asks for a numeric keyboard and no autofill")
    func sensitiveInputAttributes() async throws {
        try await TestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"callback-request"}"#)
            let page = try await app.get("/s/\(sessionId.rawValue)")
            let input = try #require(page.text.firstMatch(of: /<input type="text" id="field-accountDigits"[^>]*>/)?.0)
            #expect(input.contains(#"autocomplete="off""#))
            #expect(input.contains(#"inputmode="numeric""#))
            #expect(input.contains(#"pattern="[0-9]{4}""#))
        }
    }

    @Test("after a validation error the sensitive value is not sent back; other values are")
    func sensitiveNotEchoed() async throws {
        try await TestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"callback-request"}"#)
            let response = try await app.submit(
                "/f/callback-request?sessionId=\(sessionId.rawValue)",
                [("accountDigits", "4821"), ("contactMethod", "email"), ("email", "not-an-email"), ("_action", "submit")]
            )
            #expect(response.status == .unprocessableContent)
            #expect(!response.text.contains("4821"))
            #expect(response.text.contains(#"value="not-an-email""#))
            #expect(response.text.contains("For your security, please enter this again."))
            #expect(response.text.contains(#"id="field-accountDigits" name="accountDigits" value="""#))
        }
    }

    @Test("only the fields shown are required and sent; the sensitive value is erased once delivered and never logged")
    func conditionalAndSensitiveOutcome() async throws {
        let logs = CapturedLogs()
        try await TestApp.run(logger: logs.logger) { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"callback-request","phone":"+1 555 0100"}"#)
            let response = try await app.submit(
                "/f/callback-request?sessionId=\(sessionId.rawValue)",
                // A browser without the script posts the phone fields too; they were not asked for.
                [
                    ("accountDigits", "4821"), ("contactMethod", "email"), ("phone", "+1 555 0100"), ("bestTime", "morning"),
                    ("email", "ana@example.com"), ("_action", "submit"),
                ]
            )
            #expect(response.status == .seeOther)
            let outcome = try #require(try await app.simulator.waitForOutcomes(sessionId).first)
            #expect(outcome.map(\.id) == ["accountLast4", "contactMethod", "email", "callbackStatus", "callbackRequestedAt"])
            #expect(outcome.prefix(4).map(\.value) == ["4821", "email", "ana@example.com", "requested"])

            let store = try SQLiteOutboxStore.open(path: app.databasePath)
            let entry = try #require(try await store.entries(state: nil, limit: 10).first)
            try await waitUntil { try await store.entry(id: entry.id)?.state == .delivered }
            let stored = try #require(try await store.entry(id: entry.id)?.variables)
            #expect(stored.map(\.id) == ["contactMethod", "email", "callbackStatus", "callbackRequestedAt"])

            let phoneOnly = try await app.simulator.createDialog(#"{"form":"callback-request"}"#)
            let missingPhone = try await app.submit(
                "/f/callback-request?sessionId=\(phoneOnly.rawValue)",
                [("accountDigits", "1234"), ("contactMethod", "phone"), ("email", ""), ("_action", "submit")]
            )
            #expect(missingPhone.status == .unprocessableContent)
            #expect(missingPhone.text.contains(##"<a href="#field-phone">Phone number: This field is required.</a>"##))
            #expect(!missingPhone.text.contains(##"href="#field-email""##), "email is not asked for when calling")
        }
        #expect(!logs.lines.contains { $0.text.contains("4821") || $0.text.contains("ana@example.com") })
    }
}
