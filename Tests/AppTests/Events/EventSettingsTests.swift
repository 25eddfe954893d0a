import Foundation
import Testing

@testable import App

@Suite("The events.* settings")
struct EventSettingsTests {
    private static let secret = "whsec_" + Data((0..<32).map { UInt8($0 * 5 + 1) }).base64EncodedString()

    private func problems(_ environment: [String: String], file: String? = nil) async -> [String] {
        do {
            _ = try await AppConfig.load(configFile: file, environment: environment)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test("are off without events.url, whatever else is set, and have the documented defaults with it")
    func offByDefault() async throws {
        #expect(try await AppConfig.load(environment: [:]).events == nil)
        #expect(try await AppConfig.load(environment: ["EVENTS_SECRET": Self.secret]).events == nil)
        let events = try #require(
            try await AppConfig.load(environment: ["EVENTS_URL": "https://hooks.example.com/cx?tenant=a", "EVENTS_SECRET": Self.secret]).events
        )
        #expect(events.url.absoluteString == "https://hooks.example.com/cx?tenant=a")
        #expect(events.timeout == .seconds(10))
        #expect(events.maxAge == .seconds(86400))
        #expect(events.retention == .seconds(7 * 86400))
        #expect(events.backoffBase == .seconds(1))
        #expect(events.backoffCap == .seconds(300))
        #expect(events.claimLease == .seconds(30))
    }

    @Test("reads the durations")
    func durations() async throws {
        let events = try #require(
            try await AppConfig.load(environment: [
                "EVENTS_URL": "http://127.0.0.1:9000/hooks", "EVENTS_SECRET": Self.secret, "EVENTS_TIMEOUT": "20s", "EVENTS_MAX_AGE": "2h",
                "EVENTS_RETENTION": "3d", "EVENTS_BACKOFF_BASE": "500ms", "EVENTS_BACKOFF_CAP": "1m",
            ]).events
        )
        #expect(events.timeout == .seconds(20))
        #expect(events.claimLease == .seconds(60))
        #expect(events.maxAge == .seconds(7200))
        #expect(events.retention == .seconds(3 * 86400))
        #expect(events.backoffBase == .milliseconds(500))
        #expect(events.backoffCap == .seconds(60))
    }

    @Test(
        "reports each bad value on one line naming the key, never the secret",
        arguments: [
            (["EVENTS_URL": "https://hooks.example.com/cx"], "events.secret (EVENTS_SECRET): is missing; required when events.url is set"),
            (["EVENTS_URL": "ftp://hooks.example.com", "EVENTS_SECRET": secret], "events.url (EVENTS_URL): is not valid; expected an absolute http"),
            (
                ["EVENTS_URL": "https://hooks.example.com", "EVENTS_SECRET": "whsec_c2hvcnQ="],
                "events.secret (EVENTS_SECRET): is too short (5 bytes)"
            ),
            (
                ["EVENTS_URL": "https://hooks.example.com", "EVENTS_SECRET": "plain-text-secret"],
                "events.secret (EVENTS_SECRET): does not start with whsec_"
            ),
            (
                ["EVENTS_URL": "https://hooks.example.com", "EVENTS_SECRET": secret, "EVENTS_TIMEOUT": "10ms"],
                "events.timeout (EVENTS_TIMEOUT): \"10ms\" is not valid"
            ),
            (
                ["EVENTS_URL": "https://hooks.example.com", "EVENTS_SECRET": secret, "EVENTS_TIMEOUT": "5m"],
                "events.timeout (EVENTS_TIMEOUT): is longer than 2m"
            ),
            (
                ["EVENTS_URL": "https://hooks.example.com", "EVENTS_SECRET": secret, "EVENTS_MAX_AGE": "10s"],
                "events.maxAge (EVENTS_MAX_AGE): \"10s\" is not valid"
            ),
            (
                ["EVENTS_URL": "https://hooks.example.com", "EVENTS_SECRET": secret, "EVENTS_RETENTION": "5m"],
                "events.retention (EVENTS_RETENTION): \"5m\" is not valid"
            ),
            (
                ["EVENTS_URL": "https://hooks.example.com", "EVENTS_SECRET": secret, "EVENTS_BACKOFF_BASE": "10s", "EVENTS_BACKOFF_CAP": "1s"],
                "events.backoffCap (EVENTS_BACKOFF_CAP): is shorter than events.backoffBase"
            ),
        ]
    )
    func badValues(_ environment: [String: String], _ expected: String) async throws {
        let lines = await problems(environment)
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.contains("configuration error: \(expected)") == true, "\(lines)")
        if let secret = environment["EVENTS_SECRET"] { #expect(lines.allSatisfy { !$0.contains(secret.dropFirst(6)) }) }
    }

    @Test("refuses events.secret written in the YAML file, exactly as security.secret, without printing it")
    func secretInYAML() async throws {
        let file = try temporaryFile("events:\n  url: https://hooks.example.com/cx\n  secret: \(Self.secret)\n")
        let lines = await problems([:], file: file)
        #expect(
            lines == [
                "configuration error: events.secret (EVENTS_SECRET): is set in \(file); secrets belong in the environment or a secrets file, not in the YAML"
            ]
        )
        #expect(lines.allSatisfy { !$0.contains(Self.secret) })
    }

    @Test("reads events.secret from a secrets file, events.url from the YAML")
    func secretFromSecretsFile() async throws {
        let file = try temporaryFile("events:\n  url: https://hooks.example.com/cx\n")
        let secrets = try temporaryFile("EVENTS_SECRET=\(Self.secret)\n", name: "secrets.env")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secrets)
        let config = try await AppConfig.load(configFile: file, secretsFile: secrets, environment: [:])
        #expect(config.events?.url.host == "hooks.example.com")
    }
}
