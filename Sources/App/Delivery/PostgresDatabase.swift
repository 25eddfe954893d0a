import Logging
import NIOSSL
import PostgresNIO

/// The app's PostgreSQL database, shared by several instances.
///
/// The plumbing every PostgreSQL store shares, so a store holds one of these and brings only its
/// own SQL (see ``DatabaseSchema`` for adding a table): the connection pool, the logger and the
/// timeout every statement runs within (``rows(_:)``), and the migrations (``migrate()``).
/// PostgresNIO has a `PostgresDatabase` protocol of its own (its older interface): inside this
/// module the name means this type, but a file importing both App and PostgresNIO (a test)
/// says `App.PostgresDatabase`.
struct PostgresDatabase: Sendable {
    /// The pool; a `Service` that must run in the application's ServiceGroup.
    let client: PostgresClient
    let logger: Logger
    /// The longest any call may take, waiting for a connection included: with the server down,
    /// the pool would otherwise hold a request until it comes back, and people would wait for a
    /// page instead of getting "temporarily unavailable".
    let timeout: Duration

    init(client: PostgresClient, logger: Logger, timeout: Duration) {
        self.client = client
        self.logger = logger
        self.timeout = timeout
    }

    /// A pool for `database.url`; nothing connects until the client runs.
    init(_ settings: DatabaseSettings.PostgresSettings, logger: Logger) {
        var configuration = PostgresClient.Configuration(
            host: settings.host,
            port: settings.port,
            username: settings.username,
            password: settings.password,
            database: settings.database,
            tls: {
                switch settings.tls {
                case .disable: .disable
                case .prefer: .prefer(.makeClientConfiguration())
                case .require: .require(.makeClientConfiguration())
                }
            }()
        )
        configuration.options.maximumConnections = settings.poolSize
        configuration.options.connectTimeout = settings.connectTimeout
        var logger = logger
        logger[metadataKey: "component"] = "postgres"
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.init(client: client, logger: logger, timeout: settings.queryTimeout)
    }

    /// Runs one statement and reads all its rows, within ``timeout``.
    @discardableResult
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await withinTimeout { try await client.query(query, logger: logger).collect() }
    }

    /// Runs `body` in a transaction on one connection of the pool, within ``timeout``: committed
    /// when it returns, rolled back when it throws. Inside, `connection.query(_:logger:)` runs the
    /// statements (pass ``logger``).
    ///
    /// The error `body` threw comes out as itself, not wrapped in PostgresNIO's
    /// `PostgresTransactionError`, so a store's own errors and the driver's read the same as outside a
    /// transaction.
    func transaction<Value: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Value) async throws -> Value {
        try await withinTimeout {
            do {
                return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
            } catch let error as PostgresTransactionError {
                // Whichever step failed: BEGIN, the body or COMMIT.
                throw error.closureError ?? error.beginError ?? error.commitError ?? error
            }
        }
    }

    /// `work`, or ``OutboxStoreError/unavailable(reason:)`` once ``timeout`` has passed.
    private func withinTimeout<Value: Sendable>(_ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await withThrowingTaskGroup(of: Value.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw OutboxStoreError.unavailable(reason: "no answer from PostgreSQL within \(timeout)")
            }
            defer { group.cancelAll() }
            guard let value = try await group.next() else { throw CancellationError() }
            return value
        }
    }
}
