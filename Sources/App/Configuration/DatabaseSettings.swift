import Foundation

/// `database.url`: `sqlite:PATH` (one instance) or `postgres://…` (several), and the
/// PostgreSQL pool: `database.poolSize`, `database.connectTimeout`, `database.queryTimeout`.
public struct DatabaseSettings: Sendable {
    /// Which store holds the outbox.
    public enum Kind: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(PostgresSettings)
    }

    /// Where PostgreSQL is and how to talk to it; the password is never printed.
    public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible {
        /// `sslmode` in the URL: `disable`, `prefer` (the default) or `require`.
        public enum TLSMode: String, Sendable, CaseIterable { case disable, prefer, require }

        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String?
        public var tls: TLSMode
        public var poolSize: Int
        public var connectTimeout: Duration
        /// The longest a store call may take, a wait for a connection included.
        public var queryTimeout: Duration

        public var description: String {
            "postgres://\(username)@\(host):\(port)/\(database ?? "") (sslmode=\(tls.rawValue), pool \(poolSize))"
        }
    }

    public var kind: Kind

    init(_ values: inout ConfigValues) {
        let text = values.string("database.url", secret: true) ?? "sqlite:data/app.sqlite"
        let poolSize = values.int("database.poolSize", default: 10, range: 1...200)
        let connectTimeout = values.duration("database.connectTimeout", default: .seconds(3), minimum: .milliseconds(100))
        let queryTimeout = values.duration("database.queryTimeout", default: .seconds(5), minimum: .milliseconds(100))
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }  // sqlite:///abs/path
            if path.isEmpty {
                values.problem("database.url", "has no file path; expected sqlite:PATH, e.g. sqlite:data/app.sqlite")
            }
            kind = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
            let settings = Self.postgres(text, poolSize: poolSize, timeouts: (connectTimeout, queryTimeout), &values)
        {
            kind = .postgres(settings)
        } else {
            // Never echo the value: a database URL usually carries a password.
            if !(text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")) {
                values.problem("database.url", "has an unknown scheme; expected sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB")
            }
            kind = .sqlite(path: "data/app.sqlite")
        }
    }

    private static func postgres(
        _ text: String,
        poolSize: Int,
        timeouts: (connect: Duration, query: Duration),
        _ values: inout ConfigValues
    ) -> PostgresSettings? {
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty,
            let username = components.user, !username.isEmpty
        else {
            values.problem("database.url", "is not a valid PostgreSQL URL; expected postgres://USER:PASSWORD@HOST:PORT/DB")
            return nil
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { _, last in last }
        guard let tls = PostgresSettings.TLSMode(rawValue: query["sslmode"] ?? "prefer") else {
            values.problem("database.url", "has an unsupported sslmode; expected disable, prefer or require")
            return nil
        }
        let database = components.path.split(separator: "/").first.map(String.init)
        return PostgresSettings(
            host: host,
            port: components.port ?? 5432,
            username: username,
            password: components.password,
            database: database,
            tls: tls,
            poolSize: poolSize,
            connectTimeout: timeouts.connect,
            queryTimeout: timeouts.query
        )
    }
}
