import Testing

@testable import App

/// The `limits.*` and `http.idleTimeout` keys: documented defaults, and a bad value is a
/// start-up problem naming the key, like every other key.
@Suite("Abuse limit settings")
struct LimitSettingsTests {
    @Test("have the documented defaults")
    func defaults() async throws {
        let config = try await AppConfig.load(environment: [:])
        #expect(config.limits.pageLoadsPerMinute == 60)
        #expect(config.limits.submitsPerMinute == 20)
        #expect(config.limits.upstreamConcurrency == 32)
        #expect(config.limits.upstreamQueueTimeout == .seconds(2))
        #expect(config.http.idleTimeout == .seconds(30))
    }

    @Test("are read from the environment, 0 disabling a rate limit")
    func overrides() async throws {
        let config = try await AppConfig.load(environment: [
            "LIMITS_PAGE_LOADS_PER_MINUTE": "0", "LIMITS_SUBMITS_PER_MINUTE": "5", "LIMITS_UPSTREAM_CONCURRENCY": "4",
            "LIMITS_UPSTREAM_QUEUE_TIMEOUT": "250ms", "HTTP_IDLE_TIMEOUT": "1m",
        ])
        #expect(config.limits.pageLoadsPerMinute == 0)
        #expect(config.limits.submitsPerMinute == 5)
        #expect(config.limits.upstreamConcurrency == 4)
        #expect(config.limits.upstreamQueueTimeout == .milliseconds(250))
        #expect(config.http.idleTimeout == .seconds(60))
    }

    @Test("a malformed value stops start-up with one line per key")
    func problems() async {
        var keys: [String] = []
        do {
            _ = try await AppConfig.load(environment: [
                "LIMITS_PAGE_LOADS_PER_MINUTE": "-1", "LIMITS_SUBMITS_PER_MINUTE": "lots", "LIMITS_UPSTREAM_CONCURRENCY": "0",
                "LIMITS_UPSTREAM_QUEUE_TIMEOUT": "soon", "HTTP_IDLE_TIMEOUT": "0",
            ])
        } catch {
            keys = error.problems.map(\.key)
        }
        for key in [
            "limits.pageLoadsPerMinute", "limits.submitsPerMinute", "limits.upstreamConcurrency", "limits.upstreamQueueTimeout", "http.idleTimeout",
        ] {
            #expect(keys.contains(key), "\(key) not reported")
        }
    }
}
