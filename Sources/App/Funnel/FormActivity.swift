import AlvariaModels
import Forms
import Foundation
import Metrics

/// Where the form flow says what people do on its forms: each happening becomes a funnel mark
/// (stored in batches by ``FunnelWriter``, for `disposable-app report`) and a count in
/// `/metrics`. Never a value: form, version, stage, and a step's id or a field's name and a
/// problem's code.
///
/// Metrics: `form_funnel_total{form, version, stage, step}` (`step` empty but for the `step`
/// stage) counts every time a stage is reached; the report counts people, each mark once per
/// session. `form_validation_errors_total{form, version, field, problem}` counts the problems a
/// page showed.
struct FormActivity: Sendable {
    let writer: FunnelWriter
    let factory: any MetricsFactory
    var now: @Sendable () -> Date = { Date() }

    /// A stage reached by `sessionId` on `form` (its version as shown).
    func reached(_ stage: FunnelMark.Stage, form: FormDefinition, sessionId: SessionID, step: String = "") {
        Counter(
            label: "form_funnel_total",
            dimensions: [("form", form.id), ("version", form.version), ("stage", stage.rawValue), ("step", step)],
            factory: factory
        ).increment()
        writer.add([FunnelMark(sessionId: sessionId.rawValue, formId: form.id, formVersion: form.version, stage: stage, step: step, at: now())])
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
