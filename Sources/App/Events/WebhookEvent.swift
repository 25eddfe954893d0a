import Foundation

/// The body of one webhook, as the Standard Webhooks specification shapes it: `type`,
/// `timestamp` (ISO 8601 UTC, milliseconds, of the event) and `data`, which names the session,
/// the form, its version and the step, and nothing a person typed.
struct WebhookEvent: Encodable, Sendable {
    /// What `data` holds: identifiers only.
    struct Payload: Encodable, Sendable {
        var sessionId: String
        var formId: String
        var formVersion: String
        /// Omitted (not null) for events outside a step.
        var step: String?
    }

    var type: EventType
    var timestamp: String
    var data: Payload

    init(type: EventType, at date: Date, sessionId: String, formId: String, formVersion: String, step: String?) {
        self.type = type
        // The store keeps milliseconds: the body says what the row says.
        self.timestamp = date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        self.data = Payload(sessionId: sessionId, formId: formId, formVersion: formVersion, step: step)
    }

    /// The JSON posted and signed, compact and with sorted keys: the same event always makes the
    /// same bytes.
    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A fresh Standard Webhooks id: `msg_` and 24 random letters and digits (about 143 bits),
    /// never a `.`, which the signed content uses as its separator.
    static func makeId() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return "msg_" + String((0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
