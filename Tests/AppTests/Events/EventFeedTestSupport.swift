import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import MetricsTestKit
import ServiceLifecycle
import Testing

@testable import App

/// What the event feed's tests share: a secret, settings with quick retries, an HTTP client, and
/// a sender run as a service until the test is done with it.
enum EventFeed {
    /// 32 bytes, base64: a `whsec_` secret as an operator would generate it.
    static let secret = "whsec_" + Data((0..<32).map { UInt8($0 * 7 + 3) }).base64EncodedString()

    /// Retries within milliseconds, so a test sees several in well under a second.
    static func settings(url: URL, maxAge: Duration = .seconds(3600)) throws -> EventSettings {
        EventSettings(
            url: url,
            signer: try #require(WebhookSigner(secret: secret)),
            timeout: .seconds(5),
            maxAge: maxAge,
            backoffBase: .milliseconds(10),
            backoffCap: .milliseconds(40)
        )
    }

    static func withHTTPClient<Value: Sendable>(_ body: @Sendable (HTTPClient) async throws -> Value) async throws -> Value {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let value = try await body(client)
            try await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func sender(
        store: any EventStore,
        client: HTTPClient,
        settings: EventSettings,
        metrics: EventMetrics = EventMetrics(factory: TestMetrics()),
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> EventSender {
        EventSender(
            store: store,
            httpClient: client,
            settings: settings,
            logger: quietLogger,
            metrics: metrics,
            pollInterval: .milliseconds(10),
            now: now,
            retryPolicy: RetryPolicy(base: settings.backoffBase, cap: settings.backoffCap, fraction: { 1 })
        )
    }

    /// Runs `senders` in a ServiceGroup while `body` runs, then shuts them down gracefully and
    /// waits for them to stop.
    static func running<Value: Sendable>(_ senders: [EventSender], _ body: @Sendable () async throws -> Value) async throws -> Value {
        let group = ServiceGroup(configuration: .init(services: senders.map { $0 as any Service }, logger: quietLogger))
        let running = Task { try await group.run() }
        do {
            let value = try await body()
            await group.triggerGracefulShutdown()
            try await running.value
            return value
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
    }

    static func recorder(_ store: any EventStore, metrics: EventMetrics = EventMetrics(factory: TestMetrics())) -> EventRecorder {
        EventRecorder(store: store, metrics: metrics, logger: quietLogger)
    }
}
