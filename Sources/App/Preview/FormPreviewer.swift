import AlvariaModels
import Forms
import Foundation
import Metrics

/// What the preview shows for a request: a form page or a verification step (the app's own
/// pages), the Outcome a submit would make, another state to go to, or nothing (a step's
/// autosave, which keeps nothing here).
enum PreviewResult: Sendable {
    case form(FormPageView)
    case verification(VerificationPageView)
    case outcome(OutcomePreview)
    case redirect(String)
    case saved
}

/// The Outcome a submit or a "No thanks" would send: shown to the author, never stored or sent.
struct OutcomePreview: Sendable {
    /// The form in the page's language.
    let form: FormDefinition
    let language: String
    let declined: Bool
    let variables: [OutcomeVariable]
    /// The state to go back to.
    let back: String
}

/// Decides what each preview state shows and what a post to a previewed page comes to, from one
/// ``PreviewSnapshot``, with the pages the app serves people. Nothing is stored, nothing is sent,
/// and no context is fetched: the form's `example:` stands in for it. Knows no HTTP.
struct FormPreviewer: Sendable {
    let snapshot: PreviewSnapshot
    /// What a submit's `submittedAt` says.
    var now: @Sendable () -> Date = { Date() }

    /// The session the previewed pages carry (their forms post back with it).
    static let sessionId = SessionID("preview")
    /// Never checked: the preview signs nothing, as it accepts nothing for real.
    static let token = "preview"
    /// A context without data: the "no context" state.
    static let noContext = FormContext(content: "{}")

    private var pages: PageLibrary { snapshot.pages }

    /// The page of `state` for the form `formId` in `language`; `nil` when the form (or a form
    /// without problems of that id) or the state does not exist.
    func show(formId: String, language requested: String, state: PreviewState) -> PreviewResult? {
        guard let form = snapshot.forms[formId], PreviewState.all(for: form).contains(state) else { return nil }
        let language = snapshot.language(of: form, requested: requested)
        let example = form.example ?? Self.noContext
        switch state {
        case .empty:
            return form.isMultiStep
                ? stepPage(form, index: 0, language: language, context: Self.noContext) : page(form, language: language, context: Self.noContext)
        case .prefilled:
            return page(form, language: language, context: example)
        case .errors:
            return page(form, language: language, context: example, inError: true)
        case .step(let id), .stepErrors(let id):
            guard let (index, _) = form.step(id: id) else { return nil }
            let inError = state == .stepErrors(id)
            return stepPage(form, index: index, language: language, context: example, errors: inError ? nil : [])
        case .review:
            guard let review = pages.form(form.id, language: language, screen: .review), let sessionId = Self.sessionId else { return nil }
            return .form(
                FormPageView(
                    page: review,
                    values: review.form.prefilledValues(from: example),
                    errors: [],
                    introHTML: nil,
                    sessionId: sessionId,
                    token: Self.token
                )
            )
        case .verification:
            return verificationPage(form, language: language, problem: nil)
        case .wrongAnswer:
            let attempts = max((form.verification?.maxAttempts ?? 1) - 1, 0)
            return verificationPage(form, language: language, problem: .noMatch(attemptsLeft: attempts))
        }
    }

    /// A previewed form's post (`_lang`, `_action`, a step's `_step`, the fields): the page again
    /// with the server's validation errors, the next state, or the Outcome it would send.
    ///
    /// - Parameter uploads: the files posted; each is inspected as the app inspects it (its kind
    ///   from its bytes, in the field's `accept`, whole, within `maxSize`), then dropped.
    func submit(formId: String, values posted: FormValues, uploads: [UploadedFile] = []) -> PreviewResult? {
        guard let form = snapshot.forms[formId] else { return nil }
        let language = snapshot.language(of: form, requested: posted.first("_lang"))
        let action = posted.first("_action") ?? "submit"
        if action == "decline", let variables = form.declineVariables(submittedAt: now()) {
            return outcome(form, language: language, declined: true, variables: variables)
        }
        let (values, fileProblems) = Self.receive(uploads, posted: posted, form: form)
        if form.isMultiStep { return submitStep(form, language: language, action: action, values: values, fileProblems: fileProblems) }
        guard let page = pages.form(form.id, language: language) else { return nil }
        let example = form.example ?? Self.noContext
        let validation = page.form.validate(values, context: example)
        let errors = FieldError.combining(validation.errors, fileProblems, in: form)
        guard errors.isEmpty else {
            return view(page, values: validation.values, errors: errors, introHTML: page.form.renderIntro(context: example))
        }
        return outcome(form, language: language, declined: false, variables: form.outcomeVariables(for: validation.values, submittedAt: now()))
    }

    /// As ``FormFlow/receiveFiles(_:posted:form:sessionId:logger:)`` without a store: each file
    /// field holds a stand-in id per accepted file (none kept from earlier posts: nothing was
    /// kept), and a refused file is its field's problem.
    static func receive(_ uploads: [UploadedFile], posted: FormValues, form: FormDefinition) -> (FormValues, [FieldError]) {
        guard form.hasFileFields else { return (posted, []) }
        // The app's inspection, uncounted: a preview is no traffic.
        let intake = FileIntake(factory: NOOPMetricsHandler.instance)
        var values = posted
        var problems: [FieldError] = []
        for field in form.fields where field.type == .file {
            var ids: [String] = []
            var problem: FieldProblem?
            for upload in uploads where upload.field == field.name {
                switch intake.verdict(on: upload, for: field, form: form.id) {
                case .refused(let refusal): problem = problem ?? refusal
                case .accepted: ids.append("preview-file-\(ids.count + 1)")
                }
            }
            if let problem { problems.append(FieldError(field: field.name, problem: problem)) }
            values[field.name] = Array(ids.suffix(field.maxFiles))
        }
        return (values, problems)
    }

    /// The verification step's answers, compared with the example's: the form when they match,
    /// the step again with its problem otherwise. No attempt is counted: nothing is stored.
    func verify(formId: String, values: FormValues) -> PreviewResult? {
        guard let form = snapshot.forms[formId], let verification = form.verification else { return nil }
        let language = snapshot.language(of: form, requested: values.first("_lang"))
        let (answers, problems) = verification.answers(in: values)
        guard problems.isEmpty else { return verificationPage(form, language: language, problem: .answers(problems)) }
        let example = form.example ?? Self.noContext
        let expected = verification.questions.map { verification.expectedAnswer($0, in: example) }
        guard FormFlow.allMatch(answers, expected) else {
            return verificationPage(form, language: language, problem: .noMatch(attemptsLeft: max(verification.maxAttempts - 1, 0)))
        }
        return .redirect(PreviewURLs.page(form.id, language: language, state: PreviewState.start(of: form)))
    }

    // MARK: - Steps

    /// `next` checks the step and goes on to the next state; `back` and `save` keep nothing; the
    /// review's `submit` checks the example's answers as the whole form.
    private func submitStep(
        _ form: FormDefinition,
        language: String,
        action: String,
        values: FormValues,
        fileProblems: [FieldError]
    ) -> PreviewResult? {
        let url = { (state: PreviewState) in PreviewURLs.page(form.id, language: language, state: state) }
        let posted = values.first("_step")
        if action == "save" { return .saved }
        if posted == FormStep.reviewId {
            if action == "back", let last = form.steps.last { return .redirect(url(.step(last.id))) }
            return finish(form, language: language)
        }
        guard let (index, step) = posted.flatMap(form.step(id:)) else { return .redirect(url(PreviewState.start(of: form))) }
        if action == "back" { return .redirect(url(.step(form.steps[max(index - 1, 0)].id))) }
        let validation = form.validate(values, context: nil, step: step)
        let errors = FieldError.combining(validation.errors, fileProblems.filter { form.step(holding: $0.field)?.id == step.id }, in: form)
        guard errors.isEmpty else {
            return stepPage(
                form,
                index: index,
                language: language,
                context: form.example ?? Self.noContext,
                values: validation.values,
                errors: errors
            )
        }
        let next = form.steps.indices.contains(index + 1) ? PreviewState.step(form.steps[index + 1].id) : .review
        return .redirect(url(next))
    }

    /// The review's submit: the example's prefill is what the review showed, so it is what is sent.
    private func finish(_ form: FormDefinition, language: String) -> PreviewResult? {
        let example = form.example ?? Self.noContext
        let validation = form.validate(form.prefilledValues(from: example), context: example)
        if let first = validation.errors.first, let step = form.step(holding: first.field), let (index, _) = form.step(id: step.id) {
            let errors = validation.errors.filter { form.step(holding: $0.field)?.id == step.id }
            return stepPage(form, index: index, language: language, context: example, values: validation.values, errors: errors)
        }
        return outcome(form, language: language, declined: false, variables: form.outcomeVariables(for: validation.values, submittedAt: now()))
    }

    // MARK: - Pages

    /// A single-page form with the context's prefill, or every field in error.
    private func page(_ form: FormDefinition, language: String, context: FormContext, inError: Bool = false) -> PreviewResult? {
        guard let page = pages.form(form.id, language: language) else { return nil }
        return view(
            page,
            values: page.form.prefilledValues(from: context),
            errors: inError ? page.form.fields.previewErrors : [],
            introHTML: page.form.renderIntro(context: context)
        )
    }

    /// A step with `values` (the context's prefill when `nil`) and `errors` (every field of the
    /// step in error when `nil`).
    private func stepPage(
        _ form: FormDefinition,
        index: Int,
        language: String,
        context: FormContext,
        values: FormValues? = nil,
        errors: [FieldError]? = []
    ) -> PreviewResult? {
        guard let page = pages.form(form.id, language: language, screen: .step(index)), let sessionId = Self.sessionId else { return nil }
        let step = page.form.steps[index]
        return .form(
            FormPageView(
                page: page,
                values: values ?? page.form.prefilledValues(from: context),
                errors: errors ?? page.form.fields(of: step).previewErrors,
                introHTML: index == 0 ? page.form.renderIntro(context: context) : nil,
                sessionId: sessionId,
                token: Self.token,
                steps: StepExtras(stepIntroHTML: page.form.renderIntro(of: step, context: context))
            )
        )
    }

    private func view(_ page: CompiledForm, values: FormValues, errors: [FieldError], introHTML: String?) -> PreviewResult? {
        guard let sessionId = Self.sessionId else { return nil }
        return .form(FormPageView(page: page, values: values, errors: errors, introHTML: introHTML, sessionId: sessionId, token: Self.token))
    }

    private func verificationPage(_ form: FormDefinition, language: String, problem: VerificationProblem?) -> PreviewResult? {
        guard let step = pages.verification(form.id, language: language), let sessionId = Self.sessionId else { return nil }
        return .verification(VerificationPageView(page: step, sessionId: sessionId, token: Self.token, problem: problem))
    }

    private func outcome(_ form: FormDefinition, language: String, declined: Bool, variables: [OutcomeVariable]) -> PreviewResult {
        // A file field's value is a signed link to the stored files in the app; here nothing is stored.
        let fileVariables = Set(form.fields.filter { $0.type == .file }.map(\.variable))
        let shown = variables.map { variable in
            guard fileVariables.contains(variable.id), !variable.value.isEmpty else { return variable }
            let count = variable.value.split(separator: ",").count
            return OutcomeVariable(id: variable.id, value: "(\(count) signed file \(count == 1 ? "link" : "links"): a preview keeps no file)")
        }
        return .outcome(
            OutcomePreview(
                form: form.localized(to: language),
                language: language,
                declined: declined,
                variables: shown,
                back: PreviewURLs.page(form.id, language: language, state: PreviewState.start(of: form))
            )
        )
    }
}
