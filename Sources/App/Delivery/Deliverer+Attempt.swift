import AlvariaModels
import Foundation
import Logging
import Tracing

extension Deliverer {
    /// One delivery attempt of a claimed entry, and recording what came of it, in the store and
    /// in the metrics.
    ///
    /// Logs carry the entry's id, attempt number, shortened session and Alvaria's reason; never
    /// the variables.
    ///
    /// Traced as `outbox delivery`: inside the submit's span for the submit path's attempt, a root
    /// span of its own in the background loop; the Alvaria calls are its children.
    func attempt(_ entry: OutboxEntry, logger: Logger) async -> ImmediateResult {
        await withSpan("outbox delivery") { span in
            span.updateAttributes { attributes in
                attributes["outbox.id"] = entry.id
                attributes["outbox.attempt"] = entry.attempts + 1
                attributes["outbox.form"] = entry.formId
            }
            let result = await post(entry, logger: logger)
            metrics.record(result, createdAt: entry.createdAt, at: now())
            switch result {
            case .delivered: span.attributes["outbox.result"] = "delivered"
            case .pending: span.attributes["outbox.result"] = "retry"
            case .failed:
                span.attributes["outbox.result"] = "failed"
                span.setStatus(SpanStatus(code: .error))
            }
            return result
        }
    }

    private func post(_ entry: OutboxEntry, logger: Logger) async -> ImmediateResult {
        var logger = logger
        logger[metadataKey: "outbox.id"] = "\(entry.id)"
        logger[metadataKey: "outbox.attempts"] = "\(entry.attempts + 1)"
        let sessionId = SessionID(entry.sessionId)
        logger[metadataKey: "session"] = "\(sessionId?.shortened ?? "(invalid)")"

        guard let sessionId, let variables = entry.variables else {
            // Nothing later could change either: retrying would only hide the problem.
            let reason = sessionId == nil ? "the stored sessionId is not valid" : "the values were purged before delivery"
            logger.error("Outcome cannot be delivered", metadata: ["outbox.reason": "\(reason)"])
            await record("failure", logger: logger) { try await self.store.markFailed(id: entry.id, reason: reason, at: self.now()) }
            await recordEvent(.outcomeFailed, of: entry)
            return .failed(reason: reason, dialogEnded: false)
        }

        do throws(AlvariaError) {
            try await poster.postOutcome(variables, for: sessionId, logger: logger)
        } catch {
            return await handle(error, of: entry, logger: logger)
        }
        logger.info("Outcome delivered")
        // Alvaria has it whatever happens next; if this write fails the claim expires and the
        // outcome is posted again (at least once, never lost).
        await record("delivery", logger: logger) { try await self.store.markDelivered(id: entry.id, at: self.now()) }
        await recordEvent(.outcomeDelivered, of: entry)
        return .delivered
    }

    /// ``AlvariaError/isRetryable`` decides: a final answer fails the entry (a 404 also tells the
    /// caller the dialog ended); anything else retries until `delivery.maxAge`.
    private func handle(_ error: AlvariaError, of entry: OutboxEntry, logger: Logger) async -> ImmediateResult {
        var logger = logger
        logger[metadataKey: "alvaria.error"] = "\(error.reason)"
        guard error.isRetryable else {
            logger.warning("Outcome refused by Alvaria; not retrying")
            await record("failure", logger: logger) { try await self.store.markFailed(id: entry.id, reason: error.reason, at: self.now()) }
            await recordEvent(.outcomeFailed, of: entry)
            if case .dialogNotFound = error { return .failed(reason: error.reason, dialogEnded: true) }
            return .failed(reason: error.reason, dialogEnded: false)
        }
        let current = now()
        if current.timeIntervalSince(entry.createdAt) > settings.maxAge.inSeconds {
            let reason = "gave up after \(Self.describe(settings.maxAge)): \(error.reason)"
            logger.error("Outcome not delivered in time; giving up")
            await record("failure", logger: logger) { try await self.store.markFailed(id: entry.id, reason: reason, at: current) }
            await recordEvent(.outcomeFailed, of: entry)
            return .failed(reason: reason, dialogEnded: false)
        }
        let attempts = entry.attempts + 1
        let delay = retryPolicy.delay(afterAttempts: attempts)
        logger.warning("Outcome delivery failed; will retry", metadata: ["outbox.retryIn": "\(Self.describe(delay))"])
        await record("retry", logger: logger) {
            try await self.store.scheduleRetry(
                id: entry.id,
                attempts: attempts,
                nextAttemptAt: current.addingTimeInterval(delay.inSeconds),
                lastError: error.reason
            )
        }
        return .pending
    }

    /// Writes an attempt's result; a store failure is logged, not thrown: the claim then expires
    /// and the entry is tried again, which is the safe side.
    private func record(_ what: String, logger: Logger, _ write: @Sendable () async throws -> Void) async {
        do {
            try await write()
        } catch {
            logger.error(
                "Cannot record the outcome's \(what); it will be attempted again after its claim expires",
                metadata: ["outbox.storeError": "\(error)"]
            )
        }
    }

    /// `3d`, `2h`, `5m`, `90s`, `1.5s`, `250ms`: the syntax of the `delivery.*` keys, in logs and `lastError`.
    static func describe(_ duration: Duration) -> String {
        let seconds = duration.inSeconds
        let units: [(Double, String)] = [(86_400, "d"), (3_600, "h"), (60, "m")]
        for (size, unit) in units where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0 {
            return "\(Int(seconds / size))\(unit)"
        }
        if seconds >= 1 {
            return seconds.rounded() == seconds ? "\(Int(seconds))s" : String(format: "%.1fs", seconds)
        }
        return "\(Int((seconds * 1000).rounded()))ms"
    }
}
