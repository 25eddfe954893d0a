import AlvariaModels
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// Each situation of DESIGN.md's table answers with its status and its page, never a stack
/// trace or an upstream body. Through the app's router, with the CX side and the outbox in memory.
@Suite("What a person sees when something is off")
struct StatusPageTests {
    @Test(
        "a missing or malformed sessionId is 400 'link incomplete', checked before any upstream call",
        arguments: [
            "/f/address-update", "/f/address-update?sessionId=", "/f/address-update?sessionId=a%20b", "/?sessionId=%3Cscript%3E",
            "/f/address-update?sessionId=\(String(repeating: "x", count: 129))", "/",
        ]
    )
    func linkIncomplete(uri: String) async throws {
        try await RouterTestApp.run { app in
            let response = try await app.get(uri)
            #expect(response.status == .badRequest)
            #expect(response.text.contains("This link is incomplete"))
            #expect(app.simulator.contextRequests == 0)
        }
    }

    @Test("an unknown form or path is 404 'not found'", arguments: ["/f/nope?sessionId=abc", "/nothing/here"])
    func notFound(uri: String) async throws {
        try await RouterTestApp.run { app in
            let response = try await app.get(uri)
            #expect(response.status == .notFound)
            #expect(response.text.contains("Page not found"))
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
        }
    }

    @Test("a session Alvaria no longer knows is 410 'link expired'")
    func expired() async throws {
        try await RouterTestApp.run { app in
            let response = try await app.get("/f/address-update?sessionId=gone-123")
            #expect(response.status == .gone)
            #expect(response.text.contains("This link has expired"))
        }
    }

    @Test("Alvaria failing on page load is 503 with a retry button, and the retry works")
    func unavailable() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog("{}")
            app.contexts.failNext(1)
            let uri = "/f/address-update?sessionId=\(sessionId.rawValue)"
            let response = try await app.get(uri)
            #expect(response.status == .serviceUnavailable)
            #expect(response.text.contains("Temporarily unavailable"))
            #expect(response.text.contains(#"href="\#(uri)""#))
            #expect(response.headers[.retryAfter] == "5")
            #expect(!response.text.contains("500"))
            #expect(try await app.get(uri).status == .ok)
        }
    }

    @Test("a context too large to read is a bad link (400), not a 503 whose 'Try again' can never succeed")
    func contextTooLarge() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog("{}")
            app.contexts.failNext(1, with: .responseTooLarge)
            let response = try await app.get("/f/address-update?sessionId=\(sessionId.rawValue)")
            #expect(response.status == .badRequest)
            #expect(response.text.contains("This link is incomplete"))
            #expect(!response.text.contains("Try again"))
        }
    }

    @Test("a submitted session shows 'already completed' on GET (200) and refuses another POST (409)")
    func alreadyCompleted() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            let uri = "/f/consent-capture?sessionId=\(sessionId.rawValue)"
            let page = try await app.get(uri)
            let token = try #require(TestApp.token(in: page.text))
            let fields = [("_token", token), ("fullName", "Ana"), ("channel", "sms"), ("consent", "true")]
            #expect(try await app.post(uri, fields).status == .seeOther)
            let again = try await app.post(uri, fields)
            #expect(again.status == .conflict)
            #expect(again.text.contains("Already completed"))
            let reopened = try await app.get(uri)
            #expect(reopened.status == .ok)
            #expect(reopened.text.contains("Already completed"))
            #expect(!reopened.text.contains("<form"))
            let rootReopened = try await app.get("/?sessionId=\(sessionId.rawValue)")
            #expect(rootReopened.text.contains("Already completed"))
            _ = try await app.simulator.waitForOutcomes(sessionId)
            #expect(app.simulator.outcomeRequests == 1)
        }
    }

    @Test("eight concurrent submits of one session store and deliver exactly one outcome")
    func concurrentSubmits() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            let uri = "/f/consent-capture?sessionId=\(sessionId.rawValue)"
            let token = try #require(TestApp.token(in: try await app.get(uri).text))
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await app.post(uri, [("_token", token), ("fullName", "Person \(index)"), ("channel", "email"), ("consent", "true")])
                            .status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .seeOther }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 7)
            let outcomes = try await app.simulator.waitForOutcomes(sessionId)
            #expect(outcomes.count == 1)
            #expect(app.simulator.outcomeRequests == 1)
        }
    }
}
