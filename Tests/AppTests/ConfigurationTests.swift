import Configuration
import Foundation
import HTTPTypes
import Testing

@testable import App

@Suite("Configuration")
struct ConfigurationTests {
    private let liveEnvironment = [
        "ALVARIA_MODE": "live",
        "ALVARIA_ORG_ID": "acme",
        "ALVARIA_CLIENT_ID": "client",
        "ALVARIA_CLIENT_SECRET": "s3cr3t-value",
        "ALVARIA_API_KEY": "key-value",
        "SECURITY_SECRET": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ]

    private func problems(_ environment: [String: String], file: String? = nil) async -> [String] {
        do {
            _ = try await AppConfig.load(configFile: file, environment: environment)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test("needs nothing in simulator mode and has the documented defaults")
    func defaults() async throws {
        let config = try await AppConfig.load(environment: [:])
        #expect(config.http.host == "127.0.0.1")
        #expect(config.http.port == 8080)
        #expect(config.http.basePath == "")
        #expect(config.alvaria.mode == .simulator)
        #expect(config.database.kind == .sqlite(path: "data/app.sqlite"))
        #expect(config.forms.directory == "config/forms")
        #expect(config.security.secret.count == 32)
        #expect(config.demo?.port == 0)
        #expect(config.log.level == .info)
    }

    @Test("demo mode's simulator stays on loopback when the app listens on every interface, unless told otherwise")
    func simulatorOnLoopback() async throws {
        let open = try await AppConfig.load(environment: ["HTTP_HOST": "0.0.0.0"])
        #expect(open.http.host == "0.0.0.0")
        #expect(open.demo?.host == "127.0.0.1")
        let chosen = try await AppConfig.load(environment: ["HTTP_HOST": "0.0.0.0", "SIMULATOR_HOST": "0.0.0.0"])
        #expect(chosen.demo?.host == "0.0.0.0")
    }

    @Test("derives the token host from the region and the API base from the organization in live mode")
    func liveDefaults() async throws {
        var environment = liveEnvironment
        environment["ALVARIA_REGION"] = "eu"
        let config = try await AppConfig.load(environment: environment)
        #expect(config.alvaria.tokenURL?.absoluteString == "https://myaspect.eu.id.aspect-cloud.net/tokenservice/oauth2/access_token")
        #expect(config.alvaria.apiBaseURL?.absoluteString == "https://acme.via.aspect-cloud.net/via/v2")
        #expect(config.alvaria.scope == "customerexperienceapi.disposableapp")
        #expect(config.demo == nil)
    }

    @Test("lets the environment override the file")
    func environmentOverridesFile() async throws {
        let file = try temporaryFile("http:\n  port: 9000\n  basePath: /forms/\nforms:\n  directory: somewhere\n")
        let config = try await AppConfig.load(configFile: file, environment: ["HTTP_PORT": "9100"])
        #expect(config.http.port == 9100)
        #expect(config.http.basePath == "/forms")
        #expect(config.forms.directory == "somewhere")
        #expect(config.http.absoluteURL("/f/x") == "http://127.0.0.1:9100/forms/f/x")
    }

    @Test("reports every missing live credential, one line per key")
    func missingLiveCredentials() async {
        let lines = await problems(["ALVARIA_MODE": "live"])
        for key in [
            "alvaria.orgId (ALVARIA_ORG_ID)", "alvaria.clientId (ALVARIA_CLIENT_ID)", "alvaria.clientSecret (ALVARIA_CLIENT_SECRET)",
            "alvaria.apiKey (ALVARIA_API_KEY)", "security.secret (SECURITY_SECRET)",
        ] {
            #expect(lines.contains { $0.contains(key) && $0.contains("missing") }, "\(key)")
        }
        #expect(lines.count == 5)
    }

    @Test(
        "rejects malformed values with the key, the problem and what is expected",
        arguments: [
            (["HTTP_PORT": "99999"], "http.port (HTTP_PORT): \"99999\" is not valid; expected an integer from 0 to 65535"),
            (["HTTP_PORT": "eighty"], "http.port (HTTP_PORT): \"eighty\" is not valid"),
            (
                ["ALVARIA_TOKEN_URL": "not a url"],
                "alvaria.tokenURL (ALVARIA_TOKEN_URL): \"not a url\" is not valid; expected an absolute http:// or https:// URL"
            ),
            (["ALVARIA_API_BASE_URL": "ftp://x/via/v2"], "alvaria.apiBaseURL (ALVARIA_API_BASE_URL): \"ftp://x/via/v2\" is not valid"),
            (["ALVARIA_REGION": "mars"], "alvaria.region (ALVARIA_REGION): \"mars\" is not valid; expected one of us, eu, uk, ca"),
            (["ALVARIA_SCOPE": "admin"], "alvaria.scope (ALVARIA_SCOPE): \"admin\" is not valid"),
            (["ALVARIA_REQUEST_TIMEOUT": "soon"], "alvaria.requestTimeout (ALVARIA_REQUEST_TIMEOUT): \"soon\" is not valid; expected a duration"),
            (["HTTP_BASE_PATH": "forms"], "http.basePath (HTTP_BASE_PATH): \"forms\" is not valid; expected a path like /forms"),
            (
                ["HTTP_PUBLIC_URL": "https://forms.example.com/forms"],
                "http.publicURL (HTTP_PUBLIC_URL): \"https://forms.example.com/forms\" has a path"
            ),
            (["SECURITY_SECRET": "short"], "security.secret (SECURITY_SECRET): is too short"),
            (["SECURITY_SECRET": String(repeating: "k", count: 40)], "security.secret (SECURITY_SECRET): has fewer than 8 different characters"),
            (
                ["SECURITY_SECRET": "0123456789abcdef0123456789abcdef"],
                "security.secret (SECURITY_SECRET): repeats one short sequence, not random text"
            ),
            (
                ["ALVARIA_TOKEN_URL": "http://tokens.example.com/tokenservice/oauth2/access_token"],
                "alvaria.tokenURL (ALVARIA_TOKEN_URL): \"http://tokens.example.com/tokenservice/oauth2/access_token\" is plain http to another machine"
            ),
            (
                ["ALVARIA_API_BASE_URL": "http://10.1.2.3/via/v2"],
                "alvaria.apiBaseURL (ALVARIA_API_BASE_URL): \"http://10.1.2.3/via/v2\" is plain http to another machine"
            ),
            (["DATABASE_URL": "mysql://user:pw@host/db"], "database.url (DATABASE_URL): has an unknown scheme"),
        ]
    )
    func malformedValues(overrides: [String: String], expected: String) async {
        let lines = await problems(liveEnvironment.merging(overrides) { $1 })
        #expect(lines.contains { $0.contains(expected) }, "\(lines)")
    }

    @Test("plain http is fine to this machine (a local simulator or proxy)", arguments: ["127.0.0.1:8081", "localhost", "[::1]:9000", "127.8.9.10"])
    func plainHTTPToLoopback(host: String) async {
        let environment = liveEnvironment.merging(["ALVARIA_API_BASE_URL": "http://\(host)/via/v2", "ALVARIA_TOKEN_URL": "http://\(host)/t"]) { $1 }
        #expect(await problems(environment).isEmpty)
    }

    @Test("a secrets file others can read starts with a warning, one only its owner can read without")
    func secretsFileMode() async throws {
        let file = try temporaryDirectory().appendingPathComponent("secrets.env")
        try "ALVARIA_CLIENT_SECRET=from-file\n".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let open = try await AppConfig.load(secretsFile: file.path, environment: liveEnvironment)
        #expect(open.warnings == ["the secrets file \(file.path) can be read by other users (mode 644); chmod 600 it"])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let closed = try await AppConfig.load(secretsFile: file.path, environment: liveEnvironment)
        #expect(closed.warnings.isEmpty)
    }

    @Test("accepts a mode other than live or simulator only with a clear error")
    func unknownMode() async {
        let lines = await problems(["ALVARIA_MODE": "production"])
        #expect(lines == ["configuration error: alvaria.mode (ALVARIA_MODE): \"production\" is not valid; expected one of live, simulator"])
    }

    @Test("never prints a secret, even a malformed one")
    func secretsNotPrinted() async {
        var environment = liveEnvironment
        environment["DATABASE_URL"] = "mysql://user:hunter2-password@host/db"
        environment["SECURITY_SECRET"] = "tiny-secret"
        environment["HTTP_PORT"] = "-1"
        let lines = await problems(environment)
        #expect(lines.count == 3)
        for line in lines {
            #expect(!line.contains("hunter2"))
            #expect(!line.contains("tiny-secret"))
            #expect(!line.contains("s3cr3t-value"))
        }
    }

    @Test("refuses secrets written in the YAML file")
    func secretsInFile() async throws {
        let file = try temporaryFile("alvaria:\n  clientSecret: oops-committed\n")
        let lines = await problems([:], file: file)
        #expect(lines.count == 1)
        #expect(lines.first?.contains("alvaria.clientSecret (ALVARIA_CLIENT_SECRET): is set in \(file); secrets belong in the environment") == true)
        #expect(lines.first?.contains("oops-committed") == false)
    }

    @Test("reads secrets from a secrets file")
    func secretsFile() async throws {
        let secrets = try temporaryFile("ALVARIA_CLIENT_SECRET=from-file-secret\nALVARIA_API_KEY=file-key\n")
        var environment = liveEnvironment
        environment["ALVARIA_CLIENT_SECRET"] = nil
        environment["ALVARIA_API_KEY"] = nil
        let config = try await AppConfig.load(secretsFile: secrets, environment: environment)
        #expect(config.alvaria.clientSecret == "from-file-secret")
        #expect(config.alvaria.apiKey == "file-key")
    }

    @Test("reads security.previousSecrets as a comma-separated list from the environment; none by default")
    func previousSecretsFromEnvironment() async throws {
        let old = "0a4f3c9e1b7d2a6f8c5e0b3d9a1f7c2e"
        let older = "f7e2c9a1d3b5e8f0a6c4d2b9e7f1a3c5"
        var environment = liveEnvironment
        #expect(try await AppConfig.load(environment: environment).security.previousSecrets.isEmpty)
        environment["SECURITY_PREVIOUS_SECRETS"] = " \(old) ,\(older),"
        let config = try await AppConfig.load(environment: environment)
        #expect(config.security.previousSecrets == [Array(old.utf8), Array(older.utf8)], "trimmed; a trailing comma adds nothing")
        #expect(config.security.keys.current == Array(liveEnvironment["SECURITY_SECRET"]!.utf8))
        #expect(config.security.keys.previous == config.security.previousSecrets)
        #expect(config.security.keys.all.count == 3)
        #expect(ConfigProblem.environmentName(for: "security.previousSecrets") == "SECURITY_PREVIOUS_SECRETS")
    }

    @Test("reads security.previousSecrets from a secrets file")
    func previousSecretsFromSecretsFile() async throws {
        let old = "0a4f3c9e1b7d2a6f8c5e0b3d9a1f7c2e"
        let older = "f7e2c9a1d3b5e8f0a6c4d2b9e7f1a3c5"
        let secrets = try temporaryFile("SECURITY_PREVIOUS_SECRETS=\(old),\(older)\n", name: "secrets.env")
        let config = try await AppConfig.load(secretsFile: secrets, environment: liveEnvironment)
        #expect(config.security.previousSecrets == [Array(old.utf8), Array(older.utf8)])
    }

    @Test(
        "refuses security.previousSecrets in the YAML file, as a list or as one value, without printing it",
        arguments: [
            "security:\n  previousSecrets:\n    - 0a4f3c9e1b7d2a6f8c5e0b3d9a1f7c2e\n",
            "security:\n  previousSecrets: 0a4f3c9e1b7d2a6f8c5e0b3d9a1f7c2e\n",
        ]
    )
    func previousSecretsInFile(yaml: String) async throws {
        let file = try temporaryFile(yaml)
        let lines = await problems(liveEnvironment, file: file)
        #expect(
            lines == [
                "configuration error: security.previousSecrets (SECURITY_PREVIOUS_SECRETS): is set in \(file); secrets belong in the environment or a secrets file, not in the YAML"
            ]
        )
    }

    @Test("checks every previous secret like security.secret, naming its place in the list and never its value")
    func weakPreviousSecrets() async throws {
        var environment = liveEnvironment
        let good = "0a4f3c9e1b7d2a6f8c5e0b3d9a1f7c2e"
        let short = "tiny-old-secret"
        let repeated = "0123456789abcdef0123456789abcdef"
        let few = String(repeating: "xy", count: 20) + "z"
        environment["SECURITY_PREVIOUS_SECRETS"] = "\(good),\(short),\(repeated),\(few)"
        let lines = await problems(environment)
        #expect(
            lines == [
                "configuration error: security.previousSecrets (SECURITY_PREVIOUS_SECRETS): entry 2 of 4 is too short; expected at least 32 characters of random text",
                "configuration error: security.previousSecrets (SECURITY_PREVIOUS_SECRETS): entry 3 of 4 repeats one short sequence, not random text; generate one, e.g. with openssl rand -hex 32",
                "configuration error: security.previousSecrets (SECURITY_PREVIOUS_SECRETS): entry 4 of 4 has fewer than 8 different characters, not random text; generate one, e.g. with openssl rand -hex 32",
            ]
        )
        for line in lines {
            for secret in [good, short, repeated, few] { #expect(!line.contains(secret)) }
        }
    }

    @Test("reads drafts.retention: a day by default, at least a minute")
    func draftRetention() async throws {
        #expect(try await AppConfig.load(environment: [:]).drafts.retention == .seconds(86_400))
        #expect(try await AppConfig.load(environment: ["DRAFTS_RETENTION": "2h"]).drafts.retention == .seconds(7200))
        let file = try temporaryFile("drafts:\n  retention: 90m\n")
        #expect(try await AppConfig.load(configFile: file, environment: [:]).drafts.retention == .seconds(5400))
        #expect(
            await problems(["DRAFTS_RETENTION": "30s"]) == [
                #"configuration error: drafts.retention (DRAFTS_RETENTION): "30s" is not valid; expected a duration like 500ms, 30s, 5m, 2h or 7d, at least 60.0 seconds"#
            ]
        )
    }

    @Test("reports a config file that is missing or not YAML")
    func badFile() async throws {
        let missing = await problems([:], file: "/nonexistent/app.yaml")
        #expect(missing == ["configuration error: --config (CONFIG_FILE): cannot read /nonexistent/app.yaml: no such file; expected a YAML mapping"])
        let garbage = try temporaryFile("http: [unclosed\n")
        let lines = await problems([:], file: garbage)
        #expect(lines.first?.contains("cannot read \(garbage): not valid YAML") == true)
    }

    @Test("maps keys to environment names the way swift-configuration does")
    func environmentNames() {
        #expect(ConfigProblem.environmentName(for: "alvaria.clientSecret") == "ALVARIA_CLIENT_SECRET")
        #expect(ConfigProblem.environmentName(for: "http.publicURL") == "HTTP_PUBLIC_URL")
        #expect(ConfigProblem.environmentName(for: "alvaria.apiBaseURL") == "ALVARIA_API_BASE_URL")
    }

    @Test("the environment variable a problem names is the one that sets the key")
    func namedVariableSetsTheKey() async throws {
        let name = { (key: String) in ConfigProblem.environmentName(for: key) }
        let config = try await AppConfig.load(environment: [
            name("limits.pageLoadsPerMinute"): "7",
            name("http.maxBodySize"): "2048",
            name("retention.deliveredValues"): "2d",
            name("security.frameAncestors"): "'self'",
        ])
        #expect(config.limits.pageLoadsPerMinute == 7)
        #expect(config.http.maxBodySize == 2048)
        #expect(config.retention.deliveredValues == .seconds(2 * 86400))
        #expect(config.security.frameAncestors == "'self'")
    }

    @Test("a timeout too long for the event loop's clock is clamped, not a crash at start-up")
    func hugeTimeout() async throws {
        try await TestApp.run(overrides: ["HTTP_IDLE_TIMEOUT": "1000000000000s", "HTTP_BODY_TIMEOUT": "1000000000000s"]) { app in
            let health = try await app.get("/healthz")
            #expect(health.status == .ok)
        }
    }

    @Test("reads the pool settings from database.url, database.poolSize and database.connectTimeout, never printing the password")
    func settings() async throws {
        let config = try await AppConfig.load(environment: [
            "DATABASE_URL": "postgres://app:s3cret@db.internal:6543/forms?sslmode=require", "DATABASE_POOL_SIZE": "25",
            "DATABASE_CONNECT_TIMEOUT": "1500ms",
        ])
        guard case .postgres(let postgres) = config.database.kind else {
            Issue.record("expected a PostgreSQL store")
            return
        }
        #expect(postgres.host == "db.internal")
        #expect(postgres.port == 6543)
        #expect(postgres.username == "app")
        #expect(postgres.password == "s3cret")
        #expect(postgres.database == "forms")
        #expect(postgres.tls == .require)
        #expect(postgres.poolSize == 25)
        #expect(postgres.connectTimeout == .milliseconds(1500))
        #expect(!postgres.description.contains("s3cret"))
        await #expect(throws: ConfigurationError.self) {
            _ = try await AppConfig.load(environment: ["DATABASE_URL": "postgres://db.internal/forms"])
        }
        await #expect(throws: ConfigurationError.self) {
            _ = try await AppConfig.load(environment: ["DATABASE_URL": "postgres://app@db.internal/forms?sslmode=maybe"])
        }
    }
}

/// A file with these contents in a fresh temporary folder.
func temporaryFile(_ contents: String, name: String = "file.yaml") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disposable-app-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try contents.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}
