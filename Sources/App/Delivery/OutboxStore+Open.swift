public import Logging
public import ServiceLifecycle
import Synchronization

/// An opened outbox store, the session state, draft, file and event stores on the same database, and what they need around them.
public struct OpenedOutboxStore: Sendable {
    public let store: any OutboxStore
    /// Verification and expiry state, in the outbox's database (the same SQLite file or
    /// PostgreSQL pool): a verification lock stores its outcome in the outbox in one transaction.
    public let sessions: any SessionStateStore
    /// Multi-step forms' drafts, in the outbox's database: storing an outcome deletes the
    /// session's draft in the same transaction.
    public let drafts: any DraftStore
    /// Uploaded files, in the outbox's database, so every instance serves every file: storing an
    /// outcome leaves them (it links to them); only the retention job erases them.
    public let files: any FileStore
    /// The funnel's marks, in the outbox's database, so that the report reads every instance's.
    public let funnel: any FunnelStore
    /// The versions of forms served, in the outbox's database, so every instance and restart reads them back.
    public let formVersions: any FormVersionStore
    /// The live event feed's outbox, in the outbox's database, so every instance's sender shares it.
    public let events: any EventStore
    /// Services the store needs running (PostgreSQL's connection pool): they go first in the
    /// application's ServiceGroup so they stop last.
    public let services: [any Service]
    /// Runs once the services run, before the server takes requests or the deliverer claims:
    /// PostgreSQL's migrations. Calling it again waits for the same, single run.
    public let prepare: @Sendable () async throws -> Void
}

/// Opens the store `database.url` names.
public enum OutboxStores {
    public static func open(_ settings: DatabaseSettings, logger: Logger) throws(StartupError) -> OpenedOutboxStore {
        switch settings.kind {
        case .sqlite(let path):
            try openSQLite(path: path)
        case .postgres(let postgres):
            openPostgres(postgres, logger: logger)
        }
    }

    private static func openSQLite(path: String) throws(StartupError) -> OpenedOutboxStore {
        let database = try SQLiteDatabase.open(path: path)
        // SQLite migrates while opening: nothing to run, nothing to prepare.
        return OpenedOutboxStore(
            store: SQLiteOutboxStore(database: database),
            sessions: SQLiteSessionStateStore(database: database),
            drafts: SQLiteDraftStore(database: database),
            files: SQLiteFileStore(database: database),
            funnel: SQLiteFunnelStore(database: database),
            formVersions: SQLiteFormVersionStore(database: database),
            events: SQLiteEventStore(database: database),
            services: [],
            prepare: {}
        )
    }

    private static func openPostgres(_ settings: DatabaseSettings.PostgresSettings, logger: Logger) -> OpenedOutboxStore {
        let database = PostgresDatabase(settings, logger: logger)
        // Both the server's start and the deliverer wait for the one migration run.
        let migration = OnceTask { try await database.migrate() }
        return OpenedOutboxStore(
            store: PostgresOutboxStore(database: database),
            sessions: PostgresSessionStateStore(database: database),
            drafts: PostgresDraftStore(database: database),
            files: PostgresFileStore(database: database),
            funnel: PostgresFunnelStore(database: database),
            formVersions: PostgresFormVersionStore(database: database),
            events: PostgresEventStore(database: database),
            services: [database.client],
            prepare: { try await migration.value() }
        )
    }

    /// For one-off commands (`disposable-app outbox …`): opens the stores, runs what they need
    /// while `body` runs, then stops them.
    public static func with<Value: Sendable>(
        _ settings: DatabaseSettings,
        logger: Logger,
        _ body: @Sendable (OpenedOutboxStore) async throws -> Value
    ) async throws -> Value {
        let opened = try open(settings, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for service in opened.services {
                group.addTask { try await service.run() }
            }
            defer { group.cancelAll() }
            try await opened.prepare()
            return try await body(opened)
        }
    }
}

/// Work done once, however many callers wait for it.
final class OnceTask: Sendable {
    private let work: @Sendable () async throws -> Void
    private let task = Mutex<Task<Void, any Error>?>(nil)

    init(_ work: @escaping @Sendable () async throws -> Void) {
        self.work = work
    }

    func value() async throws {
        let task = task.withLock { task in
            if let task { return task }
            let new = Task { try await work() }
            task = new
            return new
        }
        try await task.value
    }
}

/// Starts a service only once `ready` has returned: the deliverer waits for the store's migrations.
struct StartsAfter: Service {
    let ready: @Sendable () async throws -> Void
    let service: any Service

    func run() async throws {
        try await ready()
        try await service.run()
    }
}
