public import Logging
public import ServiceLifecycle

/// An opened outbox store and what it needs around it.
public struct OpenedOutboxStore: Sendable {
    public let store: any OutboxStore
    /// Services the store needs running (PostgreSQL's connection pool): they go first in the
    /// application's ServiceGroup so they stop last.
    public let services: [any Service]
    /// Runs once the services run, before the server takes requests: PostgreSQL's migrations.
    public let prepare: @Sendable () async throws -> Void
}

/// Opens the store `database.url` names.
public enum OutboxStores {
    public static func open(_ settings: DatabaseSettings, logger: Logger) throws(StartupError) -> OpenedOutboxStore {
        switch settings.kind {
        case .sqlite(let path):
            // SQLite migrates while opening: nothing to run, nothing to prepare.
            OpenedOutboxStore(store: try SQLiteOutboxStore.open(path: path), services: [], prepare: {})
        }
    }

    /// For one-off commands (`disposable-app outbox …`): opens the store, runs what it needs
    /// while `body` runs, then stops it.
    public static func with<Value: Sendable>(
        _ settings: DatabaseSettings,
        logger: Logger,
        _ body: @Sendable (any OutboxStore) async throws -> Value
    ) async throws -> Value {
        let opened = try open(settings, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for service in opened.services {
                group.addTask { try await service.run() }
            }
            defer { group.cancelAll() }
            try await opened.prepare()
            return try await body(opened.store)
        }
    }
}
