import Forms
import Foundation
import Metrics
import Testing

@testable import App

/// What every ``FormVersionStore`` must do: keep each version once, as first saved, and give it back.
struct FormVersionStoreContract: Sendable {
    let makeStore: @Sendable () async throws -> any FormVersionStore

    func run() async throws {
        let store = try await makeStore()
        #expect(try await store.version(formId: "f", version: "aaaaaaaaaaaa") == nil)
        let first = StoredFormVersion(
            formId: "f",
            version: "aaaaaaaaaaaa",
            file: "forms/f.yaml",
            source: "id: f\ntitle: F – ü\n",
            firstServedAt: TestDateClock.start
        )
        let other = StoredFormVersion(
            formId: "f",
            version: "bbbbbbbbbbbb",
            file: "forms/f.yaml",
            source: "id: f\n",
            firstServedAt: TestDateClock.start
        )
        try await store.save([first, other])
        var again = first
        again.source = "changed"
        again.firstServedAt = TestDateClock.start.addingTimeInterval(60)
        try await store.save([again])
        try await store.save([])
        #expect(try await store.version(formId: "f", version: "aaaaaaaaaaaa") == first, "kept as first saved, text exactly")
        #expect(try await store.version(formId: "f", version: "bbbbbbbbbbbb") == other)
        #expect(try await store.version(formId: "g", version: "aaaaaaaaaaaa") == nil)
    }
}

@Suite("The form version stores")
struct FormVersionStoreTests {
    @Test("SQLite, on a real file, keeps each version once and gives it back")
    func sqlite() async throws {
        try await withTemporaryFolder { folder in
            try await FormVersionStoreContract {
                SQLiteFormVersionStore(database: try SQLiteDatabase.open(path: folder.appendingPathComponent("app.sqlite").path))
            }.run()
        }
    }

    @Test("the in-memory stand-in keeps the same promise")
    func inMemory() async throws {
        try await FormVersionStoreContract { InMemoryFormVersionStore() }.run()
    }
}

@Suite(
    "Form versions on a real PostgreSQL",
    .enabled(if: PostgresTestServer.isAvailable, "needs TEST_POSTGRES_URL (scripts/test.sh starts one)")
)
struct PostgresFormVersionStoreTests {
    @Test("keeps each version once and gives it back")
    func contract() async throws {
        try await PostgresTestServer.withStores { makeStore in
            try await FormVersionStoreContract { PostgresFormVersionStore(database: try await makeStore().database) }.run()
        }
    }

    @Test("an instance that has not reloaded checks a page of the version another instance serves now, read from the database")
    func twoInstances() async throws {
        try await PostgresSessionStateStoreTests.withTwoInstances { first, second in
            let folder = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            try FormReloadTests.write(FormReloadTests.before, to: "contact.yaml", in: folder)
            let config = try await AppConfig.load(environment: ["FORMS_DIRECTORY": folder.path])
            let messages = try MessageCatalog.bundled()
            let library = { (store: any FormVersionStore) in
                FormLibrary(
                    catalog: try loadForms(config),
                    messages: messages,
                    config: config,
                    versions: store,
                    metricsFactory: NOOPMetricsHandler.instance
                )
            }
            let reloading = try library(first.formVersions)
            let behind = try library(second.formVersions)
            await reloading.publish(logger: quietLogger)
            await behind.publish(logger: quietLogger)

            try FormReloadTests.write(FormReloadTests.after, to: "contact.yaml", in: folder)
            #expect(await reloading.reload(logger: quietLogger) == .applied(changed: ["contact-choice"]))
            let new = try #require(reloading.current.catalog["contact-choice"]?.version)
            #expect(behind.current.catalog["contact-choice"]?.version != new, "the second instance has not reloaded")
            let edition = try #require(await behind.edition("contact-choice", version: new, logger: quietLogger))
            #expect(edition.form.field(named: "emailAddress")?.required == true)
            #expect(edition.set.pages.form("contact-choice", language: "en") != nil, "compiled, ready to render")
        }
    }
}
