import Testing

@testable import App

@Suite("Health and readiness")
struct HealthTests {
    @Test("readiness names what is not ready in one word, never the error behind it")
    func readinessSaysLittle() async throws {
        try await RouterTestApp.run { app in
            #expect(try await app.get("/readyz").text == "ready\n")
            app.poster.tokenFailure.withLock { $0 = .serverError(status: 503, nil) }
            let token = try await app.get("/readyz")
            #expect(token.status == .serviceUnavailable)
            #expect(token.text == "not ready: token\n")
            app.store.failure.withLock { $0 = OutboxStoreError.unavailable(reason: "connection refused (errno: 111)") }
            let database = try await app.get("/readyz")
            #expect(database.status == .serviceUnavailable)
            #expect(database.text == "not ready: database\n")
            #expect(try await app.get("/healthz").status == .ok)
        }
    }
}
