import AlvariaModels
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// The whole path a person takes: the first test over real HTTP against the simulator and a real
/// SQLite file; the others through the app's router with the CX side and the outbox in memory.
@Suite("The form flow")
struct FormFlowTests {
    static func isTimestamp(_ value: String) -> Bool {
        value.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression) != nil
    }

    @Test("address update: prefilled from the context, submitted, mapped to the outcome exactly")
    func addressUpdate() async throws {
        try await TestApp.run { app in
            let sessionId = try await app.simulator.createDialog(
                #"{"form":"address-update","firstName":"Ana","street":"1 Old Road","city":"Lisbon","postalCode":"1000-001","country":"ES","customerId":"C-7"}"#
            )
            let page = try await app.get("/?sessionId=\(sessionId.rawValue)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Hi Ana, please confirm your new address."))
            #expect(page.text.contains(#"value="1 Old Road""#))
            #expect(page.text.contains(#"<option value="ES" selected>"#))
            #expect(page.text.contains(#"name="customerId" value="C-7""#))
            #expect(page.headers[.cacheControl] == "no-store")

            let response = try await app.submit(
                "/f/address-update?sessionId=\(sessionId.rawValue)",
                [
                    ("street", " 5 New Street "), ("postalCode", "1100-002"), ("city", "Porto"), ("country", "ES"),
                    ("movingDate", "2026-12-01"), ("phone", ""), ("email", "ana@example.com"), ("customerId", "C-7"), ("_action", "submit"),
                ]
            )
            #expect(response.status == .seeOther)
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix("/f/address-update/done?sessionId=\(sessionId.rawValue)"))
            let done = try await app.get(location)
            #expect(done.status == .ok)
            #expect(done.text.contains("Thank you"))

            let received = try await app.simulator.waitForOutcomes(sessionId)
            #expect(received.count == 1)
            let variables = try #require(received.first)
            #expect(
                variables.dropLast().map(\.id) == [
                    "newStreet", "newPostalCode", "newCity", "newCountry", "movingDate", "phone", "email", "customerId", "formStatus",
                ]
            )
            #expect(
                variables.dropLast().map(\.value) == [
                    "5 New Street", "1100-002", "Porto", "ES", "2026-12-01", "", "ana@example.com", "C-7", "completed",
                ]
            )
            #expect(variables.last?.id == "submittedAt")
            #expect(Self.isTimestamp(variables.last?.value ?? ""))
        }
    }

    @Test("satisfaction survey in Spanish: radio, checkboxes in option order, fixed hidden value, translated page")
    func satisfactionSurvey() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"satisfaction-survey","lang":"es","agentName":"Luis"}"#)
            let page = try await app.get("/?sessionId=\(sessionId.rawValue)")
            #expect(page.text.contains(#"<html lang="es""#))
            #expect(page.text.contains("Habló con Luis."))
            #expect(page.text.contains("Muy satisfecho"))
            let response = try await app.submit(
                "/f/satisfaction-survey?sessionId=\(sessionId.rawValue)",
                [
                    ("rating", "4"), ("topics", "technical"), ("topics", "billing"), ("recommend", "9"), ("comment", "Line one\nline two"),
                    ("callbackTime", "09:30"), ("website", ""), ("channel", "tampered"), ("_lang", "es"),
                ]
            )
            #expect(response.status == .seeOther)
            let done = try await app.get(try #require(response.headers[.location]))
            #expect(done.text.contains("Gracias"))
            let variables = try #require(try await app.simulator.waitForOutcomes(sessionId).first)
            let pairs = variables.dropLast().map { "\($0.id)=\($0.value)" }
            #expect(
                pairs == [
                    "csatScore=4", "csatTopics=billing,technical", "npsScore=9", "csatComment=Line one\nline two", "callbackTime=09:30",
                    "customerWebsite=", "surveyChannel=sms", "formStatus=completed", "surveyVersion=3",
                ]
            )
            #expect(variables.last?.id == "surveyAnsweredAt")
        }
    }

    @Test("consent capture: the decline button sends the decline variables without validating fields")
    func consentDecline() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture","fullName":"Ana García"}"#)
            let response = try await app.submit("/f/consent-capture?sessionId=\(sessionId.rawValue)", [("fullName", ""), ("_action", "decline")])
            #expect(response.status == .seeOther)
            let done = try await app.get(try #require(response.headers[.location]))
            #expect(done.text.contains("No problem"))
            let variables = try #require(try await app.simulator.waitForOutcomes(sessionId).first)
            #expect(variables.map(\.id) == ["consentStatus", "consentRecordedAt"])
            #expect(variables.first?.value == "declined")
        }
    }

    @Test("consent capture: a checkbox is sent as true and the fixed variables follow")
    func consentGiven() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture","fullName":"Ana García"}"#)
            let page = try await app.get("/f/consent-capture?sessionId=\(sessionId.rawValue)")
            #expect(page.text.contains(#"value="Ana García""#))
            let response = try await app.submit(
                "/f/consent-capture?sessionId=\(sessionId.rawValue)",
                [("fullName", "Ana García"), ("channel", "sms"), ("consent", "true")]
            )
            #expect(response.status == .seeOther)
            let variables = try #require(try await app.simulator.waitForOutcomes(sessionId).first)
            #expect(
                variables.dropLast().map { "\($0.id)=\($0.value)" } == [
                    "consentName=Ana García", "consentChannel=sms", "consentGiven=true", "consentStatus=given",
                ]
            )
        }
    }

    @Test("field errors re-render the form with 422, values kept, each error by its field and in the summary")
    func fieldErrors() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"address-update","firstName":"Ana"}"#)
            let response = try await app.submit(
                "/f/address-update?sessionId=\(sessionId.rawValue)",
                [("street", "Kept <street>"), ("postalCode", "!"), ("city", ""), ("country", "FR"), ("email", "not-an-email")]
            )
            #expect(response.status == .unprocessableContent)
            let html = response.text
            #expect(html.contains(#"value="Kept &lt;street&gt;""#))
            #expect(html.contains(#"id="error-summary""#))
            #expect(html.contains(##"href="#field-city""##))
            #expect(html.contains(#"id="field-city-error""#))
            #expect(html.contains(#"aria-invalid="true" aria-describedby="field-city-error""#))
            #expect(html.contains("Choose one of the options offered."))
            #expect(html.contains("Enter an email address like name@example.com."))
            #expect(html.contains("Hi Ana"))
            #expect(TestApp.token(in: html) != nil)
            let received = try app.simulator.outcomes(sessionId)
            #expect(received.isEmpty)
        }
    }

    @Test("context values with HTML or script are escaped wherever they appear")
    func escapesContext() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(
                #"{"form":"address-update","firstName":"<script>alert(1)</script>","street":"\"><img src=x onerror=alert(2)>","city":"Tom & Jerry's"}"#
            )
            let html = try await app.get("/?sessionId=\(sessionId.rawValue)").text
            #expect(!html.contains("<script>alert"))
            #expect(!html.contains("<img src=x"))
            #expect(html.contains("Hi &lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(html.contains(#"value="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;""#))
            #expect(html.contains("Tom &amp; Jerry&#39;s"))
        }
    }

    @Test("a quote or angle bracket followed by a combining accent is still escaped (no attribute breakout)")
    func escapesCombiningCharacters() async throws {
        try await RouterTestApp.run { app in
            // `"` + U+0301 is one Swift Character; a Character-based escaper would let it through.
            let sessionId = try await app.simulator.createDialog(
                #"{"form":"address-update","street":"\"\u0301 autofocus onfocus=alert(1) x=\"","firstName":"<\u0301b>"}"#
            )
            let html = try await app.get("/?sessionId=\(sessionId.rawValue)").text
            let accent = "\u{301}"
            let breakout = "\"" + accent + " autofocus"
            let escapedValue = "&quot;" + accent + " autofocus onfocus=alert(1) x=&quot;"
            let escapedName = "Hi &lt;" + accent + "b&gt;"
            #expect(!html.contains(breakout))
            #expect(html.contains(escapedValue))
            #expect(html.contains(escapedName))
        }
    }

    @Test("plain-text context is available and a context without a form gets the default form")
    func plainContext() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog("just some text")
            let page = try await app.get("/?sessionId=\(sessionId.rawValue)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Update your address"))
        }
    }

    @Test("the outbox down on page load or submit is 503 with a retry link, and nothing is posted")
    func storeDown() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            let uri = "/f/consent-capture?sessionId=\(sessionId.rawValue)"
            let token = try #require(TestApp.token(in: try await app.get(uri).text))
            app.store.failure.withLock { $0 = OutboxStoreError.unavailable(reason: "test") }
            let page = try await app.get(uri)
            #expect(page.status == .serviceUnavailable)
            #expect(page.headers[.retryAfter] == "5")
            #expect(page.text.contains(#"href="\#(uri)""#))
            let post = try await app.post(uri, [("_token", token), ("fullName", "Ana"), ("channel", "sms"), ("consent", "true")])
            #expect(post.status == .serviceUnavailable)
            #expect(app.simulator.outcomeRequests == 0)
            app.store.failure.withLock { $0 = nil }
            #expect(try await app.get(uri).status == .ok)
        }
    }

    @Test("opening a link asks the outbox and Alvaria at once, not one after the other")
    func consumedCheckAndContextTogether() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            // Each side waits for the other to have started: done one after the other, neither would return.
            let both = Rendezvous()
            app.contexts.onCall.withLock { $0 = { await both.arrive("context") } }
            app.store.onIsConsumed.withLock { $0 = { await both.arrive("outbox") } }
            let page = try await app.get("/f/consent-capture?sessionId=\(sessionId.rawValue)")
            #expect(page.status == .ok)
        }
    }

    @Test("a context that names a form the app does not have is 404")
    func contextNamesUnknownForm() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"no-such-form"}"#)
            let page = try await app.get("/?sessionId=\(sessionId.rawValue)")
            #expect(page.status == .notFound)
        }
    }
}

/// Lets two tasks wait for each other: each `arrive` returns once both have arrived.
actor Rendezvous {
    private var arrived: Set<String> = []
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func arrive(_ name: String) async {
        arrived.insert(name)
        if arrived.count >= 2 {
            for continuation in waiting { continuation.resume() }
            waiting.removeAll()
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}
