import AlvariaModels
import Forms
import Foundation
import Logging

/// What a post to a multi-step form came to: a page or a redirect, or every answer, valid, to store.
enum StepPost: Sendable {
    case answered(FlowResult)
    case complete(FormValues)
}

extension FormFlow {
    /// `GET` of a multi-step form, once the session is open and verified: the screen asked for
    /// (`step=`) when the person has reached it, else where they left off; the answers from the
    /// draft over the context's prefill.
    func openSteps(
        _ form: FormDefinition,
        language: String,
        context: FormContext,
        sessionId: SessionID,
        requested: String?,
        held: String?,
        logger: Logger
    ) async -> FlowResult {
        let draft: Draft
        var notice: String?
        switch await loadDraft(sessionId, form: form, logger: logger) {
        case .failure(let error): return unavailable(error, logger: logger)
        case .success(.found(let found)):
            draft = found
            // Opening the link again: say why the answers are there.
            if requested == nil { notice = messages.text("drafts.restored", language) }
        case .success(.unreadable):
            draft = Draft(formId: form.id, values: [:], completedSteps: [])
            notice = messages.text("drafts.lost", language)
        case .success(.none):
            draft = Draft(formId: form.id, values: [:], completedSteps: [])
        }
        // Begun before an edit: finished with the version it was begun with, while it is kept.
        var edition: FormEdition?
        if let version = draft.formVersion, version != form.version {
            edition = await library.edition(form.id, version: version, logger: logger)
        }
        return await (edition.map { pinned(to: $0.set) } ?? self).showSteps(
            edition?.form ?? form,
            draft: draft,
            notice: notice,
            language: language,
            context: context,
            sessionId: sessionId,
            requested: requested,
            held: held
        )
    }

    /// The screen of ``openSteps(_:language:context:sessionId:requested:held:logger:)`` once its
    /// draft is read, with the draft's version of the form.
    private func showSteps(
        _ form: FormDefinition,
        draft: Draft,
        notice: String?,
        language: String,
        context: FormContext,
        sessionId: SessionID,
        requested: String?,
        held: String?
    ) async -> FlowResult {
        let screen = Self.reachableScreen(requested, in: form, draft: draft)
        if let requested, requested != Self.screenId(screen, in: form) {
            // Not reached yet (or no such step): the address shows the screen the person is on.
            return .redirect(urls.form(form.id, sessionId: sessionId.rawValue, language: language, step: Self.screenId(screen, in: form)))
        }
        var values = form.prefilledValues(from: context).dictionary
        values.merge(draft.values) { $1 }
        switch screen {
        case .step(let index):
            await activity.reached(.step, form: form, sessionId: sessionId, step: form.steps[index].id)
            return await stepPage(form, index: index, language: language, values: values, context: context, notice: notice, sessionId: sessionId)
        case .review, .whole:
            await activity.reached(.review, form: form, sessionId: sessionId)
            let answers = heldAnswers.open(held, sessionId: sessionId.rawValue)
            values.merge(answers) { $1 }
            return reviewPage(form, language: language, values: values, askAgain: askAgain(form, held: answers), sessionId: sessionId, notice: notice)
        }
    }

    /// A post from a step (`_step`) or the review: `save` and `back` keep what was typed, `next`
    /// validates the step, the review's `submit` validates everything.
    func postStep(
        _ form: FormDefinition,
        sessionId: SessionID,
        posted: FormValues,
        fileProblems: [FieldError] = [],
        language: String,
        held: String?,
        logger: Logger
    ) async -> StepPost {
        var draft: Draft
        switch await loadDraft(sessionId, form: form, logger: logger) {
        case .failure(let error): return .answered(unavailable(error, logger: logger))
        case .success(.found(let found)): draft = found
        case .success(.none), .success(.unreadable): draft = Draft(formId: form.id, values: [:], completedSteps: [])
        }
        let action = posted.first("_action") ?? "next"
        let heldAnswers = heldAnswers.open(held, sessionId: sessionId.rawValue)
        let url = { (step: String?) in urls.form(form.id, sessionId: sessionId.rawValue, language: language, step: step) }

        guard let (index, step) = posted.first("_step").flatMap(form.step(id:)) else {
            guard posted.first("_step") == FormStep.reviewId else {
                // A page from before the form changed, or a forged post: go on where the draft says.
                return .answered(.redirect(url(nil)))
            }
            switch action {
            case "save": return .answered(.saved)
            case "back": return .answered(.redirect(url(form.steps.last?.id)))
            default:
                return await finish(form, sessionId: sessionId, posted: posted, draft: draft, held: heldAnswers, language: language, logger: logger)
            }
        }
        let kept = form.fields(of: step).filter(\.isDrafted)
        switch action {
        case "save", "back":
            // Kept as typed, unchecked: `next` and the review check them.
            for field in kept { draft.values[field.name] = posted[field.name] }
            if let refusal = await save(draft, form: form, sessionId: sessionId, language: language, logger: logger) { return .answered(refusal) }
            return .answered(action == "save" ? .saved : .redirect(url(form.steps[max(index - 1, 0)].id)))
        default:
            var answers = draft.values.merging(heldAnswers) { $1 }
            for field in form.fields(of: step) { answers[field.name] = posted[field.name] }
            let validation = form.validate(FormValues(dictionary: answers), context: nil, step: step)
            let errors = FieldError.combining(validation.errors, fileProblems, in: form)
            guard errors.isEmpty else {
                activity.invalid(errors, form: form, sessionId: sessionId)
                answers.merge(validation.values.dictionary) { $1 }
                let context = await contextForIntro(form, sessionId: sessionId, logger: logger)
                return .answered(
                    await stepPage(
                        form,
                        index: index,
                        language: language,
                        values: answers,
                        errors: errors,
                        context: context,
                        sessionId: sessionId
                    )
                )
            }
            for field in kept { draft.values[field.name] = validation.values[field.name] }
            draft.completedSteps = Self.completedSteps(of: form, after: step, in: draft, held: heldAnswers)
            if let refusal = await save(draft, form: form, sessionId: sessionId, language: language, logger: logger) { return .answered(refusal) }
            await activity.event(.stepCompleted, form: form, sessionId: sessionId, step: step.id)
            var cookies: [IssuedCookie] = []
            let sensitive = form.fields(of: step).filter { $0.sensitive && $0.type != .hidden }
            if !sensitive.isEmpty {
                var carried = heldAnswers
                for field in sensitive { carried[field.name] = validation.values[field.name] }
                cookies.append(self.heldAnswers.cookie(carried, sessionId: sessionId.rawValue))
            }
            let next = form.steps.first { !draft.completedSteps.contains($0.id) }?.id ?? FormStep.reviewId
            return .answered(.redirect(url(next), cookies: cookies))
        }
    }

    // MARK: - Screens

    /// The review's `submit`: every step's answers from the draft, the sensitive ones from the
    /// held cookie or as asked again, validated as one form.
    private func finish(
        _ form: FormDefinition,
        sessionId: SessionID,
        posted: FormValues,
        draft: Draft,
        held: [String: [String]],
        language: String,
        logger: Logger
    ) async -> StepPost {
        if let incomplete = form.steps.first(where: { !draft.completedSteps.contains($0.id) }) {
            return .answered(.redirect(urls.form(form.id, sessionId: sessionId.rawValue, language: language, step: incomplete.id)))
        }
        var answers = draft.values.merging(held) { $1 }
        let askedAgain = askAgain(form, held: held)
        for name in askedAgain { answers[name] = posted[name] }
        var context: FormContext?
        if form.fields.contains(where: \.takesContextValue) {
            switch await fetchContext(sessionId, logger: logger) {
            case .success(let fetched): context = FormContext(content: fetched.content)
            case .failure(.dialogNotFound):
                await activity.reached(.expired, form: form, sessionId: sessionId)
                try? await drafts.delete(sessionId: sessionId)
                return .answered(.status(StatusReply(.expired, language: language, form: form)))
            case .failure(let error): return .answered(unavailable(error, logger: logger))
            }
        }
        let validation = form.validate(FormValues(dictionary: answers), context: context)
        guard let first = validation.errors.first else { return .complete(validation.values) }
        if askedAgain.contains(first.field) {
            let errors = validation.errors.filter { askedAgain.contains($0.field) }
            activity.invalid(errors, form: form, sessionId: sessionId)
            return .answered(
                reviewPage(form, language: language, values: answers, askAgain: askedAgain, errors: errors, sessionId: sessionId, notice: nil)
            )
        }
        // An answer kept from an earlier step is no longer valid (the form changed, or a showIf
        // now asks for more): that step again, with its errors.
        guard let step = form.step(holding: first.field), let (index, _) = form.step(id: step.id) else {
            return .answered(.status(StatusReply(.badRequest, language: language, form: form)))
        }
        let errors = validation.errors.filter { form.step(holding: $0.field)?.id == step.id }
        activity.invalid(errors, form: form, sessionId: sessionId)
        if context == nil { context = await contextForIntro(form, sessionId: sessionId, logger: logger) }
        return .answered(
            await stepPage(form, index: index, language: language, values: answers, errors: errors, context: context, sessionId: sessionId)
        )
    }

    private func stepPage(
        _ form: FormDefinition,
        index: Int,
        language: String,
        values: [String: [String]],
        errors: [FieldError] = [],
        context: FormContext?,
        notice: String? = nil,
        sessionId: SessionID
    ) async -> FlowResult {
        guard let page = pages.form(form.id, language: language, screen: .step(index)) else { return .status(StatusReply(.notFound)) }
        let step = page.form.steps[index]
        let values = FormValues(dictionary: values)
        return .form(
            FormPageView(
                page: page,
                values: values,
                errors: errors,
                introHTML: index == 0 ? context.flatMap { page.form.renderIntro(context: $0) } : nil,
                sessionId: sessionId,
                token: signer.token(sessionId: sessionId.rawValue, formId: form.id, version: form.version),
                steps: StepExtras(stepIntroHTML: context.flatMap { page.form.renderIntro(of: step, context: $0) }, notice: notice),
                files: await filesShown(values, form: form, sessionId: sessionId)
            )
        )
    }

    private func reviewPage(
        _ form: FormDefinition,
        language: String,
        values: [String: [String]],
        askAgain: Set<String>,
        errors: [FieldError] = [],
        sessionId: SessionID,
        notice: String?
    ) -> FlowResult {
        guard let page = pages.form(form.id, language: language, screen: .review) else { return .status(StatusReply(.notFound)) }
        return .form(
            FormPageView(
                page: page,
                values: FormValues(dictionary: values),
                errors: errors,
                introHTML: nil,
                sessionId: sessionId,
                token: signer.token(sessionId: sessionId.rawValue, formId: form.id, version: form.version),
                steps: StepExtras(notice: notice, askAgain: askAgain)
            )
        )
    }

    // MARK: - Helpers

    /// The screen a person may see: the one asked for once every step before it is done, the
    /// review once all are, else the first step not done.
    static func reachableScreen(_ requested: String?, in form: FormDefinition, draft: Draft) -> FormScreen {
        let firstIncomplete = form.steps.firstIndex { !draft.completedSteps.contains($0.id) }
        if let requested, let (index, _) = form.step(id: requested), index <= firstIncomplete ?? index {
            return .step(index)
        }
        return firstIncomplete.map(FormScreen.step) ?? .review
    }

    /// The steps done once `step` validated: those done before, except a later one an answer now
    /// changes (a `showIf` that asks for more there), which the person is sent to next. Sensitive
    /// answers not held here do not count against a step: the review asks for them.
    static func completedSteps(of form: FormDefinition, after step: FormStep, in draft: Draft, held: [String: [String]]) -> [String] {
        let answers = FormValues(dictionary: draft.values.merging(held) { $1 })
        return form.steps.filter { candidate in
            guard candidate.id != step.id else { return true }
            guard draft.completedSteps.contains(candidate.id) else { return false }
            return form.validate(answers, context: nil, step: candidate).errors.allSatisfy { error in
                form.field(named: error.field)?.sensitive == true
            }
        }.map(\.id)
    }

    static func screenId(_ screen: FormScreen, in form: FormDefinition) -> String {
        if case .step(let index) = screen { return form.steps[index].id }
        return FormStep.reviewId
    }

    /// The sensitive fields whose answers the browser did not bring back.
    private func askAgain(_ form: FormDefinition, held: [String: [String]]) -> Set<String> {
        Set(form.fields.filter { $0.sensitive && $0.type != .hidden && held[$0.name] == nil }.map(\.name))
    }

    private func loadDraft(_ sessionId: SessionID, form: FormDefinition, logger: Logger) async -> Result<DraftKeeper.Loaded, any Error> {
        do {
            return .success(try await drafts.load(sessionId: sessionId, formId: form.id, logger: logger))
        } catch {
            return .failure(error)
        }
    }

    /// Saves the draft; the page to answer instead when that cannot be done.
    private func save(_ draft: Draft, form: FormDefinition, sessionId: SessionID, language: String, logger: Logger) async -> FlowResult? {
        var draft = draft
        draft.formVersion = form.version
        do {
            if try await drafts.save(draft, sessionId: sessionId, at: now()) { return nil }
            return .status(StatusReply(.alreadyCompleted, language: language, form: form, statusCode: 409))
        } catch {
            return unavailable(error, logger: logger)
        }
    }

    /// The context, for a page's intros after a post; none when it cannot be had (the answers
    /// matter more than the greeting).
    private func contextForIntro(_ form: FormDefinition, sessionId: SessionID, logger: Logger) async -> FormContext? {
        guard form.intro != nil || form.steps.contains(where: { $0.intro != nil }) else { return nil }
        guard case .success(let fetched) = await fetchContext(sessionId, logger: logger) else { return nil }
        return FormContext(content: fetched.content)
    }
}

extension FieldDefinition {
    /// Whether a draft keeps this field's answer: never a sensitive one, never a hidden one (its
    /// value comes from the context when the outcome is stored).
    var isDrafted: Bool { !sensitive && type != .hidden }
}
