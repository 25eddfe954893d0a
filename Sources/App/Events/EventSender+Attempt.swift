import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Tracing

extension EventSender {
    /// Why an attempt did not deliver: what `lastError` keeps and the logs say. Never a value, nor
    /// the URL (its query may carry a token).
    enum AttemptFailure: Error {
        case status(Int)
        /// A 3xx the shared client followed: what answered was not `events.url`, and a 301, 302 or
        /// 303 would have turned the POST into a GET without the event.
        case redirected
        case network(String)

        var reason: String {
            switch self {
            case .status(let code): "the receiver answered \(code)"
            case .redirected: "the receiver redirected; set events.url to the final address"
            case .network(let kind): "no answer from the receiver (\(kind))"
            }
        }
    }

    /// One attempt of a claimed event, and recording what came of it, in the store and the metrics.
    /// Logs carry the event's store id, type, attempt number and the failure's reason.
    ///
    /// Traced as `event delivery`, a root span of its own (the sender runs outside any request),
    /// with the event's id, type and attempt, never the URL nor the session.
    func attempt(_ event: StoredEvent) async {
        await withSpan("event delivery") { span in
            span.updateAttributes { attributes in
                attributes["events.id"] = event.id
                attributes["events.type"] = event.type.rawValue
                attributes["events.attempt"] = event.attempts + 1
            }
            let result = await deliver(event)
            span.attributes["events.result"] = result.rawValue
            if result != .delivered { span.setStatus(SpanStatus(code: .error)) }
        }
    }

    /// What came of one attempt, for its span.
    enum AttemptResult: String {
        case delivered, retry
        case givenUp = "given up"
    }

    /// Posts the event and records the result.
    private func deliver(_ event: StoredEvent) async -> AttemptResult {
        var logger = logger
        logger[metadataKey: "events.id"] = "\(event.id)"
        logger[metadataKey: "events.type"] = "\(event.type.rawValue)"
        logger[metadataKey: "events.attempts"] = "\(event.attempts + 1)"
        do throws(AttemptFailure) {
            try await post(event)
        } catch {
            return await handle(error, of: event, logger: logger)
        }
        let current = now()
        metrics.delivered[event.type]?.increment()
        // Another instance's clock may run a little behind: never a negative latency.
        metrics.latency.recordSeconds(max(0, current.timeIntervalSince(event.createdAt)))
        logger.debug("Event delivered")
        // The receiver has it whatever happens next; if this write fails the claim expires and the
        // event is posted again under the same webhook-id (at least once).
        await write("delivery", logger: logger) { try await self.store.markDelivered(id: event.id, at: current) }
        return .delivered
    }

    /// POSTs the stored body with the Standard Webhooks headers; returns on a 2xx.
    private func post(_ event: StoredEvent) async throws(AttemptFailure) {
        let timestamp = Int(wallClock().timeIntervalSince1970)
        var request = HTTPClientRequest(url: settings.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "disposable-app")
        request.headers.add(name: "webhook-id", value: event.webhookId)
        request.headers.add(name: "webhook-timestamp", value: "\(timestamp)")
        request.headers.add(name: "webhook-signature", value: settings.signer.signature(id: event.webhookId, timestamp: timestamp, body: event.body))
        request.body = .bytes(ByteBuffer(string: event.body))
        let status: Int
        let redirected: Bool
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount(settings.timeout))
            status = Int(response.status.code)
            redirected = response.history.count > 1
            // Read (and drop) the answer so the connection goes back to the pool; a large one is cut short.
            _ = try? await response.body.collect(upTo: Self.maxResponseBytes)
        } catch let error as HTTPClientError {
            throw .network("\(error)")
        } catch {
            throw .network("\(type(of: error))")
        }
        guard !redirected else { throw .redirected }
        guard (200..<300).contains(status) else { throw .status(status) }
    }

    /// A failed attempt: retried after a backoff, or given up once the event is older than `events.maxAge`.
    private func handle(_ failure: AttemptFailure, of event: StoredEvent, logger: Logger) async -> AttemptResult {
        var logger = logger
        logger[metadataKey: "events.reason"] = "\(failure.reason)"
        let current = now()
        if current.timeIntervalSince(event.createdAt) > settings.maxAge.inSeconds {
            let reason = "gave up after \(Deliverer.describe(settings.maxAge)): \(failure.reason)"
            metrics.givenUp[event.type]?.increment()
            logger.error("Event not delivered in time; giving up, the session's next event may go")
            await write("abandonment", logger: logger) { try await self.store.markAbandoned(id: event.id, reason: reason, at: current) }
            return .givenUp
        }
        let attempts = event.attempts + 1
        let delay = retryPolicy.delay(afterAttempts: attempts)
        metrics.retried[event.type]?.increment()
        logger.warning("Event delivery failed; will retry", metadata: ["events.retryIn": "\(Deliverer.describe(delay))"])
        await write("retry", logger: logger) {
            try await self.store.scheduleRetry(
                id: event.id,
                attempts: attempts,
                nextAttemptAt: current.addingTimeInterval(delay.inSeconds),
                lastError: failure.reason
            )
        }
        return .retry
    }

    /// Writes an attempt's result; a store failure is logged, not thrown: the claim then expires
    /// and the event is tried again, which is the safe side.
    private func write(_ what: String, logger: Logger, _ body: @Sendable () async throws -> Void) async {
        do {
            try await body()
        } catch {
            logger.error(
                "Cannot record an event's \(what); it will be attempted again after its claim expires",
                metadata: ["events.storeError": "\(type(of: error))"]
            )
        }
    }
}
