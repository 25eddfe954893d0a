import AlvariaModels
import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import App

/// Drafts made by the real app on the real databases: nothing in clear at rest, and any instance
/// continues any session.
@Suite("Drafts on SQLite and PostgreSQL", .serialized)
struct DraftStorageTests {
    /// Answers no page or log would hold by chance.
    static let incident = [("claimType", "theft"), ("incidentDate", "2026-11-20"), ("description", "Marker-7Q3Z stolen bicycle")]
    static let details = [("location", "Marker-K2W9 Quay"), ("policeReport", "no"), ("policyNumber", "QX4418207")]
    static let markers = ["Marker-7Q3Z", "Marker-K2W9", "QX4418207"]

    @Test("a draft in the SQLite file: no answer in the file or its WAL, yet another browser gets them back")
    func sqliteAtRest() async throws {
        try await TestApp.run { app in
            let sessionId = try await app.simulator.createDialog(MultiStepFormTests.context)
            let uri = MultiStepFormTests.uri(sessionId)
            let visitor = StepVisitor(app, formURI: uri)
            _ = try await visitor.get()
            try await visitor.next(Self.incident)
            try await visitor.next(Self.details)

            var bytes = Data()
            for file in [app.databasePath, app.databasePath + "-wal"] where FileManager.default.fileExists(atPath: file) {
                bytes.append(try Data(contentsOf: URL(fileURLWithPath: file)))
            }
            #expect(!bytes.isEmpty)
            for marker in Self.markers {
                #expect(bytes.range(of: Data(marker.utf8)) == nil, "\(marker) is on disk in clear")
            }
            // The control: the answers were stored, sealed.
            let other = StepVisitor(app, formURI: uri)
            _ = try await other.get()
            let first = try await other.get(MultiStepFormTests.step(sessionId, "incident"))
            #expect(first.text.contains("Marker-7Q3Z stolen bicycle"))
        }
    }

    @Test(
        "two instances on one PostgreSQL: begun on one, finished on the other in a fresh browser; the table holds nothing in clear",
        .enabled(if: PostgresTestServer.isAvailable, "needs TEST_POSTGRES_URL (scripts/test.sh starts one)")
    )
    func twoInstancesOnPostgres() async throws {
        try await PostgresTestServer.withDatabases { makeDatabase in
            let databaseURL = try await makeDatabase()
            try await LiveSimulator.run { simulator in
                let config = try await TestApp.config(simulator: simulator, databaseURL: databaseURL)
                let first = try await buildApplication(config: config, logger: quietLogger)
                let second = try await buildApplication(config: config, logger: quietLogger)
                let sessionId = try await simulator.createDialog(MultiStepFormTests.context)
                let uri = MultiStepFormTests.uri(sessionId)
                try await first.test(.live) { client in
                    let visitor = StepVisitor(LiveClient(client: client), formURI: uri)
                    _ = try await visitor.get()
                    try await visitor.next(Self.incident)
                    try await visitor.next(Self.details)
                }
                let table = try await Self.draftsTableText(databaseURL)
                #expect(table.contains(sessionId.rawValue), "the draft is in the table")
                for marker in Self.markers {
                    #expect(!table.contains(marker), "\(marker) is in the drafts table in clear")
                }
                try await second.test(.live) { client in
                    let visitor = StepVisitor(LiveClient(client: client), formURI: uri)
                    let resumed = try await visitor.get()
                    #expect(resumed.text.contains("Step 3 of 3"))
                    #expect(resumed.text.contains("Welcome back"))
                    try await visitor.next(MultiStepFormTests.contact)
                    _ = try await visitor.get()
                    let sent = try await visitor.post("submit", [("policyNumber", "QX4418207")])
                    #expect(sent.status == .seeOther)
                }
                let outcome = try #require(try await simulator.waitForOutcomes(sessionId).first)
                #expect(outcome.first { $0.id == "location" }?.value == "Marker-K2W9 Quay")
                #expect(outcome.first { $0.id == "description" }?.value == "Marker-7Q3Z stolen bicycle")
                #expect(!(try await Self.draftsTableText(databaseURL)).contains(sessionId.rawValue), "deleted with the outcome")
            }
        }
    }

    /// Every row of `drafts` as PostgreSQL prints it (`bytea` in hex, and as text in case it is not).
    static func draftsTableText(_ url: String) async throws -> String {
        let settings = try await PostgresTestServer.settings(url: url)
        guard case .postgres(let postgres) = settings.kind else { throw PostgresTestServer.MissingServer() }
        let database = App.PostgresDatabase(postgres, logger: quietLogger)
        return try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                await database.client.run()
                return nil
            }
            defer { group.cancelAll() }
            var text = ""
            let rows = try await database.client.query("SELECT session_id, form_id, encode(sealed, 'escape') FROM drafts")
            for try await (session, form, sealed) in rows.decode((String, String, String).self) {
                text += "\(session) \(form) \(sealed)\n"
            }
            return text
        }
    }
}

/// A client of the app over real HTTP, as ``BrowserRequests`` wants it.
struct LiveClient: BrowserRequests, Sendable {
    let client: any TestClientProtocol
}
