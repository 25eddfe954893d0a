import AlvariaModels
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import App

/// Uploaded files kept by the real app on the real databases: any instance serves any file.
@Suite("Files on SQLite and PostgreSQL", .serialized)
struct FileStorageTests {
    /// Posts damage-photo with the photo fixture through `client`; returns the response.
    static func upload(_ client: any TestClientProtocol, _ sessionId: SessionID) async throws -> TestResponse {
        let uri = UploadTests.uri(sessionId)
        let page = try await client.execute(uri: uri, method: .get) { $0 }
        let token = try #require(TestApp.token(in: page.text))
        return try await client.execute(
            uri: uri,
            method: .post,
            headers: [.contentType: "multipart/form-data; boundary=\(UploadTests.boundary)", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"],
            body: UploadTests.multipart(
                [("_token", token), ("description", "Dent"), ("damageDate", "2026-11-28")],
                files: [("photo", try UploadTests.fixture("photo-gps.jpg"), "IMG_0001.jpg")]
            )
        ) { $0 }
    }

    @Test("on SQLite: the photo is in the file sealed, and its link serves it cleaned")
    func sqlite() async throws {
        try await TestApp.run { app in
            let sessionId = try await app.simulator.createDialog(UploadTests.context)
            #expect(try await Self.upload(app.client, sessionId).status == .seeOther)
            let outcome = try #require(try await app.simulator.waitForOutcomes(sessionId).first)
            let link = try #require(outcome.first { $0.id == "photo" }?.value)
            // http.port 0 and no http.publicURL: the link names the port the server was given.
            #expect(link.hasPrefix("http://127.0.0.1:\(try #require(app.client.port))/files/"))
            let served = try await app.get(try UploadTests.path(of: link))
            #expect(served.status == .ok)
            var bytes = Data()
            for file in [app.databasePath, app.databasePath + "-wal"] where FileManager.default.fileExists(atPath: file) {
                bytes.append(try Data(contentsOf: URL(fileURLWithPath: file)))
            }
            // A run of the photo's own pixels: the JPEG's entropy-coded data, which the cleaned file keeps.
            let pixels = Array(served.body.readableBytesView.suffix(200).prefix(64))
            #expect(bytes.range(of: Data(pixels)) == nil, "the photo is in the database in clear")
        }
    }

    @Test(
        "two instances on one PostgreSQL: a photo sent to one is served by the other",
        .enabled(if: PostgresTestServer.isAvailable, "needs TEST_POSTGRES_URL (scripts/test.sh starts one)")
    )
    func twoInstancesOnPostgres() async throws {
        try await PostgresTestServer.withDatabases { makeDatabase in
            let databaseURL = try await makeDatabase()
            try await LiveSimulator.run { simulator in
                let config = try await TestApp.config(simulator: simulator, databaseURL: databaseURL)
                let first = try await buildApplication(config: config, logger: quietLogger)
                let second = try await buildApplication(config: config, logger: quietLogger)
                let sessionId = try await simulator.createDialog(UploadTests.context)
                try await first.test(.live) { client in
                    let sent = try await Self.upload(client, sessionId)
                    #expect(sent.status == .seeOther)
                }
                let outcome = try #require(try await simulator.waitForOutcomes(sessionId).first)
                let link = try #require(outcome.first { $0.id == "photo" }?.value)
                try await second.test(.live) { client in
                    let served = try await client.execute(uri: try UploadTests.path(of: link), method: .get) { $0 }
                    #expect(served.status == .ok)
                    #expect(served.headers[.contentType] == "image/jpeg")
                    #expect(Array(served.body.readableBytesView).starts(with: [0xFF, 0xD8, 0xFF]))
                }
            }
        }
    }
}
