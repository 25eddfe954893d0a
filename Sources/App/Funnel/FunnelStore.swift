public import Foundation

/// A mark of how far one session got on its form: it opened the form, passed verification,
/// reached a step or the review, met a validation problem, sent or declined it, found the link
/// expired, or was locked out. Never a value the person gave: a field's name and a problem's code
/// at most.
public struct FunnelMark: Sendable, Equatable {
    /// The stages of a form, in the order a person meets them. Raw values are what the stores
    /// write, so they must not change.
    public enum Stage: String, Sendable, CaseIterable {
        case opened, verified, step, review, invalid, submitted, declined, expired, locked
    }

    public var sessionId: String
    public var formId: String
    public var formVersion: String
    public var stage: Stage
    /// The step's id (`step`); otherwise empty.
    public var step: String
    /// The field and the problem's code (`invalid`, e.g. `email` / `invalidEmail`); otherwise empty.
    public var field: String
    public var problem: String
    public var at: Date

    public init(
        sessionId: String,
        formId: String,
        formVersion: String,
        stage: Stage,
        step: String = "",
        field: String = "",
        problem: String = "",
        at: Date
    ) {
        self.sessionId = sessionId
        self.formId = formId
        self.formVersion = formVersion
        self.stage = stage
        self.step = step
        self.field = field
        self.problem = problem
        self.at = at
    }
}

/// How many sessions reached one mark of one form version within the report's window.
public struct FunnelCount: Sendable, Equatable {
    public var formId: String
    public var formVersion: String
    public var stage: FunnelMark.Stage
    public var step: String
    public var field: String
    public var problem: String
    public var sessions: Int

    public init(
        formId: String,
        formVersion: String,
        stage: FunnelMark.Stage,
        step: String = "",
        field: String = "",
        problem: String = "",
        sessions: Int
    ) {
        self.formId = formId
        self.formVersion = formVersion
        self.stage = stage
        self.step = step
        self.field = field
        self.problem = problem
        self.sessions = sessions
    }
}

/// The funnel's marks, in the outbox's database, so that `disposable-app report` reads every
/// instance's: a session's mark is kept once, its first time, however often it is recorded.
///
/// Store-neutral like ``OutboxStore``: SQLite and PostgreSQL implement it, and both run
/// `FunnelStoreContract`'s suite.
public protocol FunnelStore: Sendable {
    /// Keeps the marks not kept already (same session, stage, step, field and problem).
    func record(_ marks: [FunnelMark]) async throws

    /// Sessions per form version and mark, among marks made at or after `since`. An `expired`
    /// mark counts only sessions without a `submitted` or `declined` one: "expired without an
    /// Outcome".
    func counts(since: Date) async throws -> [FunnelCount]

    /// Retention job: deletes marks made before `before`; returns how many.
    func purgeMarks(before: Date) async throws -> Int
}
