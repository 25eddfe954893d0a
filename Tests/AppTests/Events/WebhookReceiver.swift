import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

@testable import App

/// A webhook receiver written to the Standard Webhooks specification, not to the sender: a real
/// Hummingbird server on 127.0.0.1, port 0, that
/// - verifies `webhook-signature` (any of its space-separated `v1,` entries) against its own
///   HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` with the `whsec_` key, compared in
///   constant time, and answers 401 when none matches;
/// - answers 400 to a `webhook-timestamp` more than 5 minutes from its clock, or missing headers;
/// - keeps every attempt, and notes what a correct sender never does: one webhook-id used for two
///   different bodies, and an id posted again while an attempt of it is still in flight.
///
/// What it answers to a verified attempt is ``answer``'s choice (500 to make the sender retry).
final class WebhookReceiver: Sendable {
    /// One request, as received.
    struct Attempt: Sendable {
        let webhookId: String
        let timestamp: Int
        let body: String
        /// The signature checked out and the timestamp was within the tolerance.
        let verified: Bool
        /// What the receiver answered.
        let status: Int

        /// The body as JSON, for the tests' checks.
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] }
        var type: String? { json?["type"] as? String }
        var data: [String: Any]? { json?["data"] as? [String: Any] }
        var sessionId: String? { data?["sessionId"] as? String }
    }

    /// The specification's suggested replay tolerance.
    static let tolerance = 300

    private let key: SymmetricKey
    private let attempts = Mutex<[Attempt]>([])
    private let inFlight = Mutex<Set<String>>([])
    private let bodies = Mutex<[String: String]>([:])
    /// Attempts of an id that arrived while another attempt of it was in flight.
    let concurrentRepeats = Mutex(0)
    /// Ids that came with two different bodies.
    let reusedIds = Mutex<[String]>([])
    /// When set, every POST is answered 302 to this location (`/moved`, which answers GET with 200).
    let redirect = Mutex<String?>(nil)
    /// Requests that followed a redirect to `/moved`.
    let movedRequests = Mutex(0)
    /// How long each request takes to answer.
    let latency = Mutex<Duration>(.zero)
    /// The status for a verified attempt, given its webhook-id and how many attempts of that id
    /// came before it.
    let answer = Mutex<@Sendable (_ webhookId: String, _ earlierAttempts: Int) -> HTTPResponse.Status>({ _, _ in .noContent })

    init(secret: String) throws {
        let encoded = try #require(secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : nil)
        key = SymmetricKey(data: try #require(Data(base64Encoded: encoded)))
    }

    var received: [Attempt] { attempts.withLock { $0 } }
    /// Requests being answered right now.
    var inFlightCount: Int { inFlight.withLock { $0.count } }
    /// Verified attempts that were answered 2xx: the events that arrived.
    var delivered: [Attempt] { received.filter { $0.verified && (200..<300).contains($0.status) } }

    /// Runs a receiver until `body` returns; `body` gets its URL.
    static func run<Value: Sendable>(
        secret: String,
        path: String = "/hooks",
        _ body: @Sendable (WebhookReceiver, URL) async throws -> Value
    ) async throws -> Value {
        let receiver = try WebhookReceiver(secret: secret)
        let router = Router()
        router.post(RouterPath(path)) { request, context in
            if let location = receiver.redirect.withLock({ $0 }) {
                return Response(status: .found, headers: [.location: location])
            }
            let bytes = try await request.body.collect(upTo: 1 << 20)
            return Response(status: try await receiver.receive(request.headers, body: String(buffer: bytes)))
        }
        // Where a redirect leads: answers anything with 200, and counts it.
        router.on(RouterPath("/moved"), method: .get) { _, _ in
            receiver.movedRequests.withLock { $0 += 1 }
            return Response(status: .ok)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: quietLogger)
        return try await app.test(.live) { client in
            let port = try #require(client.port)
            let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
            return try await body(receiver, url)
        }
    }

    private func receive(_ headers: HTTPFields, body: String) async throws -> HTTPResponse.Status {
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
        guard let id = header("webhook-id"), let timestampText = header("webhook-timestamp"), let signatures = header("webhook-signature"),
            let timestamp = Int(timestampText)
        else { return .badRequest }
        let fresh = abs(Int(Date().timeIntervalSince1970) - timestamp) <= Self.tolerance
        let signed = Self.anyMatches(signatures, expected: expectedSignature(id: id, timestamp: timestampText, body: body))
        let verified = fresh && signed
        let repeated = inFlight.withLock { !$0.insert(id).inserted }
        if repeated { concurrentRepeats.withLock { $0 += 1 } }
        defer { if !repeated { _ = inFlight.withLock { $0.remove(id) } } }
        // A receiver doing some work: long enough for an overlapping second post of the id to show.
        let latency = latency.withLock { $0 }
        if latency > .zero { try await Task.sleep(for: latency) }
        if verified {
            bodies.withLock { bodies in
                if let earlier = bodies[id], earlier != body { reusedIds.withLock { $0.append(id) } }
                bodies[id] = body
            }
        }
        let status: HTTPResponse.Status
        if !fresh {
            status = .badRequest
        } else if !signed {
            status = .unauthorized
        } else {
            let earlier = attempts.withLock { $0.count { $0.webhookId == id } }
            status = answer.withLock { $0 }(id, earlier)
        }
        attempts.withLock { $0.append(Attempt(webhookId: id, timestamp: timestamp, body: body, verified: verified, status: status.code)) }
        return status
    }

    private func expectedSignature(id: String, timestamp: String, body: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).\(body)".utf8), using: key))
    }

    /// Any `v1,<base64>` entry equal to the expected MAC, compared in constant time.
    private static func anyMatches(_ header: String, expected: Data) -> Bool {
        header.split(separator: " ").contains { entry in
            guard entry.hasPrefix("v1,"), let given = Data(base64Encoded: String(entry.dropFirst(3))), given.count == expected.count else {
                return false
            }
            return zip(given, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }
}
