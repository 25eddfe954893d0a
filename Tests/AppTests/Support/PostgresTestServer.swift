import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import App

/// The PostgreSQL server `scripts/postgres.sh start` runs for the test command
/// (`TEST_POSTGRES_URL`). Suites that need it are enabled only when it is there; the test
/// command always starts it and fails if any test was skipped.
enum PostgresTestServer {
    static var url: String? { ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"] }
    static var isAvailable: Bool { url != nil }
    /// The folder `scripts/postgres.sh` manages, for tests that stop and restart the server.
    static var directory: String? { ProcessInfo.processInfo.environment["TEST_POSTGRES_DIR"] }

    /// The admin URL with another database name.
    static func url(database: String) throws -> String {
        guard let url, var components = URLComponents(string: url) else { throw MissingServer() }
        components.path = "/\(database)"
        return try #require(components.string)
    }

    struct MissingServer: Error {}

    /// Fresh, empty databases made on demand by `body`, all dropped afterwards.
    static func withDatabases<Value: Sendable>(
        _ body: @Sendable (_ makeDatabase: @escaping @Sendable () async throws -> String) async throws -> Value
    ) async throws -> Value {
        let created = Mutex<[String]>([])
        let admin = try await AdminConnection.open()
        do {
            let value = try await body {
                let name = "test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
                try await admin.execute("CREATE DATABASE \(name)")
                created.withLock { $0.append(name) }
                return try url(database: name)
            }
            for name in created.withLock({ $0 }) { try await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
            try await admin.close()
            return value
        } catch {
            for name in created.withLock({ $0 }) { try? await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
            try? await admin.close()
            throw error
        }
    }

    /// Fresh, migrated stores on fresh databases, their pools running until `body` returns.
    static func withStores<Value: Sendable>(
        _ body: @Sendable (_ makeStore: @escaping @Sendable () async throws -> PostgresOutboxStore) async throws -> Value
    ) async throws -> Value {
        let running = Mutex<[Task<Void, Never>]>([])
        defer { running.withLock { tasks in for task in tasks { task.cancel() } } }
        return try await withDatabases { makeDatabase in
            try await body {
                let opened = try OutboxStores.open(try await settings(url: try await makeDatabase()), logger: quietLogger)
                let client = try #require((opened.store as? PostgresOutboxStore)?.client)
                running.withLock { $0.append(Task { await client.run() }) }
                try await opened.prepare()
                return try #require(opened.store as? PostgresOutboxStore)
            }
        }
    }

    static func settings(url: String) async throws -> DatabaseSettings {
        try await AppConfig.load(environment: ["DATABASE_URL": url]).database
    }
}

/// One plain connection for CREATE/DROP DATABASE (which cannot run in a transaction or a pool's session state).
struct AdminConnection: Sendable {
    let connection: PostgresConnection

    static func open() async throws -> AdminConnection {
        guard let url = PostgresTestServer.url, let components = URLComponents(string: url), let host = components.host else {
            throw PostgresTestServer.MissingServer()
        }
        let configuration = PostgresConnection.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: components.user ?? "postgres",
            password: components.password,
            database: "postgres",
            tls: .disable
        )
        return AdminConnection(connection: try await PostgresConnection.connect(configuration: configuration, id: 1, logger: quietLogger))
    }

    func execute(_ sql: String) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: quietLogger)
    }

    func close() async throws {
        try await connection.close()
    }
}
