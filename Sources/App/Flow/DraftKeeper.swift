import AlvariaModels
import Foundation
import Logging

/// Multi-step forms' drafts as the flow sees them: sealed on their way into the database and
/// opened on their way out, so that no answer is ever stored in clear.
struct DraftKeeper: Sendable {
    let store: any DraftStore
    /// Purpose `drafts`: AES-GCM under keys derived from `security.secret` (and the previous secrets).
    let sealer: Sealer
    /// A session's posts that change its draft, one at a time.
    var queue = SessionQueue()

    enum Loaded: Sendable {
        case none
        case found(Draft)
        /// There was a draft, but no key opens it (a secret retired, a row tampered with) or it
        /// belongs to another form: it is deleted, and the person starts again.
        case unreadable
    }

    func load(sessionId: SessionID, formId: String, logger: Logger) async throws -> Loaded {
        guard let stored = try await store.draft(sessionId: sessionId.rawValue) else { return .none }
        if stored.formId == formId, let draft = sealer.openDraft(stored.sealed, sessionId: sessionId.rawValue), draft.formId == formId {
            return .found(draft)
        }
        logger.notice("Draft cannot be opened: deleted", metadata: ["session": "\(sessionId.shortened)", "form": "\(formId)"])
        try await store.deleteDraft(sessionId: sessionId.rawValue)
        return .unreadable
    }

    /// False when the session's outcome is stored already: a draft never outlives it.
    func save(_ draft: Draft, sessionId: SessionID, at time: Date) async throws -> Bool {
        let sealed = sealer.seal(draft, sessionId: sessionId.rawValue)
        return try await store.saveDraft(sessionId: sessionId.rawValue, formId: draft.formId, sealed: sealed, at: time)
    }

    func delete(sessionId: SessionID) async throws {
        try await store.deleteDraft(sessionId: sessionId.rawValue)
    }
}

/// The sensitive answers of a multi-step form between its screens. They are never drafted: they
/// travel in a sealed cookie that lives until the browser closes, so they are on no disk of ours
/// and on no other device. The review asks again for any that did not come back with it.
struct HeldAnswers: Sendable {
    /// Purpose `held answers`: its keys differ from the drafts'.
    let sealer: Sealer

    static func cookieName(sessionId: String) -> String {
        SessionCookie.name("held_", sessionId: sessionId)
    }

    /// The answers the cookie holds; none when it is missing or does not open.
    func open(_ cookie: String?, sessionId: String) -> [String: [String]] {
        guard let cookie, let sealed = Base64URL.decode(Substring(cookie)),
            let plaintext = sealer.open(Array(sealed), sessionId: sessionId),
            let answers = try? JSONDecoder().decode([String: [String]].self, from: Data(plaintext))
        else { return [:] }
        return answers
    }

    func cookie(_ answers: [String: [String]], sessionId: String) -> IssuedCookie {
        // Encoding a dictionary of strings cannot fail.
        let json = (try? JSONEncoder().encode(answers)) ?? Data("{}".utf8)
        let sealed = sealer.seal(json, sessionId: sessionId)
        return IssuedCookie(
            name: Self.cookieName(sessionId: sessionId),
            value: sealed.withUnsafeBytes { Base64URL.encode($0) },
            lifetime: nil
        )
    }

    /// Deletes the cookie: the outcome is stored.
    func removal(sessionId: String) -> IssuedCookie {
        IssuedCookie(name: Self.cookieName(sessionId: sessionId), value: "", lifetime: .zero)
    }
}
