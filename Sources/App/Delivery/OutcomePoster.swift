public import AlvariaModels
public import Logging

/// Whatever posts an outcome to CX: the ``AlvariaClient``, or a test's stand-in.
///
/// The ``Deliverer`` only needs this one call; keeping it behind a protocol lets the deliverer be
/// built and tested without token plumbing (the tests still pass the real client).
public protocol OutcomePoster: Sendable {
    /// Returns when CX answered 204; throws what went wrong otherwise.
    func postOutcome(_ variables: [OutcomeVariable], for sessionId: SessionID, logger: Logger) async throws(AlvariaError)
}

extension AlvariaClient: OutcomePoster {}
