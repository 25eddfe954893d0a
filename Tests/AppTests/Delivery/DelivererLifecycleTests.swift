import AlvariaModels
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Testing

@testable import App

@Suite("The deliverer as a service")
struct DelivererLifecycleTests {
    @Test("delivers a crash's leftovers at start and finishes in-flight attempts on graceful shutdown")
    func runsAndDrains() async throws {
        var settings = try await AppConfig.load(environment: [:]).delivery
        settings.backoffBase = .seconds(1)
        let finalSettings = settings
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            try await LiveSimulator.run { simulator in
                try await withAlvariaClient(simulator) { client, tokens in
                    // Left by a previous process that died after storing it; its claim has expired.
                    let store = try SQLiteOutboxStore.open(path: path)
                    let leftoverSession = try await simulator.createDialog("x")
                    let leftover = try await store.enqueue(
                        newOutcome(leftoverSession.rawValue, createdAt: Date().addingTimeInterval(-120)),
                        claimedUntil: Date().addingTimeInterval(-60)
                    ).storedEntry()

                    let deliverer = Deliverer(
                        store: store,
                        poster: client,
                        settings: finalSettings,
                        logger: quietLogger,
                        pollInterval: .milliseconds(20),
                        metricsFactory: NOOPMetricsHandler.instance
                    )
                    let group = ServiceGroup(configuration: .init(services: [deliverer], logger: quietLogger))
                    let running = Task { try await group.run() }

                    // The first pass runs at start; allow it up to 10 s on a loaded machine.
                    try await waitUntil { try await store.entry(id: leftover.id)?.state == .delivered }

                    _ = try await tokens.accessToken()
                    try await simulator.setFaults(#"{"latencyMs": 700}"#)
                    let sessionId = try await simulator.createDialog("y")
                    let entry = try await store.enqueue(
                        newOutcome(sessionId.rawValue, createdAt: Date()),
                        claimedUntil: Date().addingTimeInterval(60)
                    )
                    .storedEntry()
                    #expect(await deliverer.deliverNow(entry, budget: .milliseconds(50), logger: quietLogger) == .pending)

                    await group.triggerGracefulShutdown()
                    try await running.value
                    // run() returned only after the submit's background attempt finished.
                    #expect(try await store.entry(id: entry.id)?.state == .delivered)
                    #expect(try simulator.outcomes(sessionId).count == 1)
                    try store.close()
                }
            }
        }
    }
}
