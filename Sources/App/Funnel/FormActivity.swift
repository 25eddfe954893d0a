import AlvariaModels
import Forms
import Foundation
import Metrics

/// Where the form flow says what people do on its forms: each happening becomes a funnel mark
/// (stored in batches by ``FunnelWriter``, for `disposable-app report`), a count in `/metrics`,
/// and, where the feed has an event for it, an event for ``EventRecorder``. Never a value: form, version, stage, and a step's id or a field's name and a
/// problem's code.
///
/// Metrics: `form_funnel_total{form, version, stage, step}` (`step` empty but for the `step`
/// stage) counts every time a stage is reached; the report counts people, each mark once per
/// session. `form_validation_errors_total{form, version, field, problem}` counts the problems a
/// page showed.
struct FormActivity: Sendable {
    let writer: FunnelWriter
    let factory: any MetricsFactory
    /// The live event feed (``EventRecorder/off`` when `events.url` is unset).
    var events: EventRecorder = .off
    var now: @Sendable () -> Date = { Date() }

    /// A stage reached by `sessionId` on `form` (its version as shown): marked, counted, and, when
    /// the stage is an event of the feed, recorded for it (awaited, so a session's events keep
    /// their order; only the database insert is waited for, never the receiver).
    func reached(_ stage: FunnelMark.Stage, form: FormDefinition, sessionId: SessionID, step: String = "") async {
        mark(stage, form: form, sessionId: sessionId, step: step)
        if let type = stage.event { await event(type, form: form, sessionId: sessionId) }
    }

    /// ``reached(_:form:sessionId:step:)`` without the feed: for a stage that is no event.
    func mark(_ stage: FunnelMark.Stage, form: FormDefinition, sessionId: SessionID, step: String = "") {
        Counter(
            label: "form_funnel_total",
            dimensions: [("form", form.id), ("version", form.version), ("stage", stage.rawValue), ("step", step)],
            factory: factory
        ).increment()
        writer.add([FunnelMark(sessionId: sessionId.rawValue, formId: form.id, formVersion: form.version, stage: stage, step: step, at: now())])
    }

    /// An event of the feed that is no stage of the funnel (a wrong verification answer, a step
    /// done); nothing when the feed is off.
    func event(_ type: EventType, form: FormDefinition, sessionId: SessionID, step: String? = nil) async {
        await events.record(type, sessionId: sessionId.rawValue, formId: form.id, formVersion: form.version, step: step, at: now())
    }

    /// The problems a page showed the person, by field.
    func invalid(_ errors: [FieldError], form: FormDefinition, sessionId: SessionID) {
        guard !errors.isEmpty else { return }
        let at = now()
        for error in errors {
            Counter(
                label: "form_validation_errors_total",
                dimensions: [("form", form.id), ("version", form.version), ("field", error.field), ("problem", error.problem.code)],
                factory: factory
            ).increment()
        }
        writer.add(
            errors.map {
                FunnelMark(
                    sessionId: sessionId.rawValue,
                    formId: form.id,
                    formVersion: form.version,
                    stage: .invalid,
                    field: $0.field,
                    problem: $0.problem.code,
                    at: at
                )
            }
        )
    }
}

extension FunnelMark.Stage {
    /// The feed's event for reaching this stage, if it has one.
    var event: EventType? {
        switch self {
        case .opened: .linkOpened
        case .verified: .verificationPassed
        case .locked: .verificationLocked
        case .submitted: .formSubmitted
        case .declined: .formDeclined
        case .step, .review, .invalid, .expired: nil
        }
    }
}
