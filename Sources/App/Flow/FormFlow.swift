import AlvariaModels
import Forms
import Foundation
import Logging
import NIOCore

/// Where a session's context comes from: Alvaria, or a test's stand-in.
protocol ContextSource: Sendable {
    func context(for sessionId: SessionID, logger: Logger) async throws(AlvariaError) -> DisposableAppContext
}

extension AlvariaClient: ContextSource {}

/// What the person's browser says about languages: the `lang` query parameter (or the form's
/// `_lang`) and the `Accept-Language` header.
struct LanguagePreference: Sendable {
    var requested: String? = nil
    var acceptLanguage: String? = nil
}

/// The cookies a browser keeps for a session: the verification pass, and a multi-step form's
/// sensitive answers (``HeldAnswers``).
struct SessionCookies: Sendable {
    var pass: String? = nil
    var held: String? = nil
}

/// A form page to show: the compiled form with what varies for this request.
struct FormPageView: Sendable {
    let page: CompiledForm
    let values: FormValues
    let errors: [FieldError]
    let introHTML: String?
    let sessionId: SessionID
    let token: String
    /// A step's or the review's own parts.
    var steps = StepExtras()
    /// The files each file field holds already.
    var files: [String: [KeptFile]] = [:]

    func render() -> ByteBuffer {
        page.render(values: values, errors: errors, introHTML: introHTML, sessionId: sessionId, token: token, steps: steps, files: files)
    }
}

extension FormDefinition {
    /// Whether the session's state in the database concerns this form: its first opening (for
    /// `expiresAfter`) or its verification.
    var tracksSession: Bool { verification != nil || expiresAfter != nil }
}

/// A verification step to show: the form's questions, and what was wrong with the last answers.
struct VerificationPageView: Sendable {
    let page: CompiledVerification
    let sessionId: SessionID
    let token: String
    let problem: VerificationProblem?

    func render() -> ByteBuffer {
        page.render(sessionId: sessionId, token: token, problem: problem)
    }
}

/// A cookie to set with a redirect: the verification pass, or a multi-step form's sensitive answers.
struct IssuedCookie: Sendable {
    let name: String
    let value: String
    /// `nil`: until the browser closes; `.zero`: deletes the cookie.
    let lifetime: Duration?
}

/// What the flow decided: a form page, a verification step, a status page, somewhere else to go,
/// or nothing to show (a draft saved by the page's script).
enum FlowResult: Sendable {
    case form(FormPageView)
    case verification(VerificationPageView)
    case status(StatusReply)
    case redirect(String, cookies: [IssuedCookie] = [])
    case saved
}

/// What happens when a person opens a link or sends a form, decided without HTTP: which form
/// and language, whether the session is still open, what the context prefills, whether the
/// answers are valid and what they become, and the first delivery attempt.
///
/// The controller turns requests into calls and ``FlowResult``s into responses.
struct FormFlow: Sendable {
    /// The forms served now and the earlier versions still honoured.
    let library: FormLibrary
    /// The forms this flow works with: a request's flow is ``pinned()`` to the set current when
    /// it began, or to the set of the version its form token names.
    private(set) var formSet: FormSet
    let contexts: any ContextSource
    let store: any OutboxStore
    /// First openings, verification attempts and locks.
    let sessions: any SessionStateStore
    let deliverer: Deliverer
    let signer: FormTokenSigner
    let passes: VerificationPass
    /// Multi-step forms' drafts, sealed, in the outbox's database.
    let drafts: DraftKeeper
    /// Multi-step forms' sensitive answers, in a sealed cookie between screens.
    let heldAnswers: HeldAnswers
    /// Uploaded files, sealed, in the outbox's database.
    let files: FileVault
    /// The signed links an Outcome carries for its files.
    let fileLinks: FileLinks
    let fileIntake: FileIntake
    /// How long a submit waits for the first delivery attempt before showing the confirmation.
    let immediateBudget: Duration
    let verificationMetrics: VerificationMetrics
    /// What people do on each form: the funnel's marks and counters, and the event feed.
    let activity: FormActivity
    var now: @Sendable () -> Date = { Date() }

    var forms: FormCatalog { formSet.catalog }
    var pages: PageLibrary { formSet.pages }
    /// Whether any form has `verify:` or `expiresAfter:`: only then does a page load ask the
    /// database about the session beyond its outcome.
    var tracksSessions: Bool { formSet.tracksSessions }
    var urls: AppURLs { pages.presentation.urls }
    var messages: MessageCatalog { pages.presentation.messages }

    /// This flow with the forms served now: what a request works with from start to end.
    func pinned() -> FormFlow {
        pinned(to: library.current)
    }

    func pinned(to formSet: FormSet) -> FormFlow {
        var flow = self
        flow.formSet = formSet
        return flow
    }

    /// Opens the session's form: `formId` from the URL, else the one the context names, else
    /// the default form.
    ///
    /// - Parameters:
    ///   - step: a multi-step form's screen asked for (`step=`).
    ///   - cookies: the request's cookies for this session.
    func open(
        formId: String?,
        sessionId: SessionID,
        language preference: LanguagePreference,
        step: String? = nil,
        cookies: SessionCookies,
        logger: Logger
    ) async -> FlowResult {
        // An expired or locked session is answered from the database alone: no call to Alvaria.
        // Asked only when the form could need it: a link naming a form without verify: or
        // expiresAfter: costs no read (a page load's CPU rose by a fifth with one).
        var state: SessionState?
        if tracksSessions, formId.flatMap({ forms[$0] }).map(\.tracksSession) ?? true {
            switch await sessionState(sessionId) {
            case .success(let known): state = known
            case .failure(let error): return unavailable(error, logger: logger)
            }
            if let known = state, let early = gate(known, preference: preference) { return early }
        }
        // Both at once: a page waits for the slower of the two, not for their sum.
        async let consumed = isConsumed(sessionId)
        let fetched = await fetchContext(sessionId, logger: logger)
        switch await consumed {
        case .success(true): return .status(StatusReply(.alreadyCompleted))
        case .success(false): break
        case .failure(let error): return unavailable(error, logger: logger)
        }
        let content: String
        switch fetched {
        case .success(let context): content = context.content
        case .failure(.dialogNotFound):
            if forms.forms.contains(where: \.isMultiStep) {
                // Alvaria says the dialog ended: nobody will finish its draft.
                try? await drafts.delete(sessionId: sessionId)
            }
            if let form = formId.flatMap({ forms[$0] }) { await activity.reached(.expired, form: form, sessionId: sessionId) }
            return .status(StatusReply(.expired))
        case .failure(.responseTooLarge):
            // "Try again" could never succeed: the link is as good as broken.
            logger.warning("Context too large to read: treated as a bad link", metadata: ["session": "\(sessionId.shortened)"])
            return .status(StatusReply(.linkIncomplete))
        case .failure(let error):
            logger.warning("Context not available", metadata: ["alvaria.error": "\(error.reason)", "session": "\(sessionId.shortened)"])
            return unavailable(error, logger: logger)
        }
        let context = FormContext(content: content)
        // The form the CX script offered, and only that one: another id in the URL is not found.
        // The default form serves only a context that names none.
        if let formId, let named = context.formId, named != formId {
            logger.notice("Form not offered to this session", metadata: ["form": "\(formId)", "session": "\(sessionId.shortened)"])
            return .status(StatusReply(.notFound))
        }
        guard let form = formId.flatMap({ forms[$0] }) ?? context.formId.map({ forms[$0] }) ?? forms.defaultForm else {
            return .status(StatusReply(.notFound))
        }
        let language = messages.negotiate(
            query: preference.requested,
            context: context.language,
            acceptLanguage: preference.acceptLanguage,
            form: form
        )
        if form.tracksSession, state?.firstOpenedAt == nil {
            // The first opening starts the link's clock and names its form for the gate above;
            // later ones were answered by that gate already, and write nothing.
            switch await recordOpening(sessionId, form: form) {
            case .success(let recorded):
                if let early = gate(recorded, preference: LanguagePreference(requested: language)) { return early }
            case .failure(let error): return unavailable(error, logger: logger)
            }
        }
        let verified = form.verification != nil && passes.isValid(cookies.pass, sessionId: sessionId.rawValue, formId: form.id, now: now())
        // The link opened. Not a step's own address (a move within the form), nor the form a
        // verified browser is sent on to (it opened the link for the verification step).
        if step == nil, !verified { await activity.reached(.opened, form: form, sessionId: sessionId) }
        if form.verification != nil, !verified {
            guard let step = pages.verification(form.id, language: language) else { return .status(StatusReply(.notFound)) }
            return .verification(
                VerificationPageView(
                    page: step,
                    sessionId: sessionId,
                    token: signer.token(sessionId: sessionId.rawValue, formId: form.id, version: form.version),
                    problem: nil
                )
            )
        }
        if form.isMultiStep {
            return await openSteps(
                form,
                language: language,
                context: context,
                sessionId: sessionId,
                requested: step,
                held: cookies.held,
                logger: logger
            )
        }
        guard let page = pages.form(form.id, language: language) else { return .status(StatusReply(.notFound)) }
        return .form(
            FormPageView(
                page: page,
                values: page.form.prefilledValues(from: context),
                errors: [],
                introHTML: page.form.renderIntro(context: context),
                sessionId: sessionId,
                token: signer.token(sessionId: sessionId.rawValue, formId: form.id, version: form.version)
            )
        )
    }

    /// Checks the token, validates, stores the outcome, tries to deliver it, and says where to go.
    /// `values` is the decoded post, `_token`, `_lang` (the page's language) and `_action` included.
    func submit(
        form: FormDefinition,
        sessionId: SessionID,
        values posted: FormValues,
        uploads: [UploadedFile] = [],
        acceptLanguage: String?,
        cookies: SessionCookies,
        logger: Logger
    ) async -> FlowResult {
        let language = messages.negotiate(query: posted.first("_lang"), context: nil, acceptLanguage: acceptLanguage, form: form)
        switch await signedPost(posted, form: form, sessionId: sessionId, language: language, logger: logger) {
        case .refused(let refusal): return refusal
        case .accepted(let flow, let form):
            return await flow.submitSigned(
                form: form,
                sessionId: sessionId,
                values: posted,
                uploads: uploads,
                language: language,
                cookies: cookies,
                logger: logger
            )
        }
    }

    /// ``submit(form:sessionId:values:uploads:acceptLanguage:cookies:logger:)`` once its token is
    /// good, with the form and flow of the version the token names.
    private func submitSigned(
        form: FormDefinition,
        sessionId: SessionID,
        values posted: FormValues,
        uploads: [UploadedFile],
        language: String,
        cookies: SessionCookies,
        logger: Logger
    ) async -> FlowResult {
        if form.tracksSession {
            switch await sessionState(sessionId) {
            case .success(let state): if let state, let early = gate(state, preference: LanguagePreference(requested: language)) { return early }
            case .failure(let error): return unavailable(error, logger: logger)
            }
        }
        if form.verification != nil, !passes.isValid(cookies.pass, sessionId: sessionId.rawValue, formId: form.id, now: now()) {
            // Not verified in this browser (or no longer): the form's address asks first.
            logger.notice("Submit without verification", metadata: ["session": "\(sessionId.shortened)", "form": "\(form.id)"])
            return .redirect(urls.form(form.id, sessionId: sessionId.rawValue, language: language))
        }

        if posted.first("_action") == "save", !form.isMultiStep {
            // Only a multi-step form keeps a draft: a save is never taken for a submit.
            return .status(StatusReply(.badRequest, language: language, form: form))
        }
        let submittedAt = now()
        // "No thanks" exists only where the form offers it; elsewhere the post is an ordinary submit.
        let declined = posted.first("_action") == "decline" && form.decline != nil
        // A file field's values are the ids of its files: those the page kept, and the new ones,
        // stored as they arrive so that a validation error never makes the person pick them again.
        var values = posted
        var fileProblems: [FieldError] = []
        if form.hasFileFields, !declined {
            do {
                (values, fileProblems) = try await receiveFiles(uploads, posted: posted, form: form, sessionId: sessionId, logger: logger)
            } catch {
                return unavailable(error, logger: logger)
            }
        }
        let variables: [OutcomeVariable]
        if declined, let declineVariables = form.declineVariables(submittedAt: submittedAt) {
            variables = declineVariables
        } else if form.isMultiStep {
            // Read, changed and saved with no other post of the session in between.
            let step = await drafts.queue.serialized(sessionId.rawValue) { [values, fileProblems] in
                await postStep(
                    form,
                    sessionId: sessionId,
                    posted: values,
                    fileProblems: fileProblems,
                    language: language,
                    held: cookies.held,
                    logger: logger
                )
            }
            switch step {
            case .answered(let result): return result
            case .complete(let answers): variables = form.outcomeVariables(for: linkingFiles(answers, form: form), submittedAt: submittedAt)
            }
        } else {
            guard let page = pages.form(form.id, language: language) else { return .status(StatusReply(.notFound)) }
            // Hidden fields take their values from the context now, never from the post: fetch it
            // first when the form has any. A failure there is the page load's failure.
            var context: FormContext?
            if form.fields.contains(where: \.takesContextValue) {
                switch await fetchContext(sessionId, logger: logger) {
                case .success(let fetched): context = FormContext(content: fetched.content)
                case .failure(.dialogNotFound):
                    await activity.reached(.expired, form: form, sessionId: sessionId)
                    return .status(StatusReply(.expired, language: language, form: form))
                case .failure(let error):
                    logger.warning("Context not available", metadata: ["alvaria.error": "\(error.reason)", "session": "\(sessionId.shortened)"])
                    return unavailable(error, logger: logger)
                }
            }
            let validation = page.form.validate(values, context: context)
            let errors = FieldError.combining(validation.errors, fileProblems, in: form)
            guard errors.isEmpty else {
                activity.invalid(errors, form: form, sessionId: sessionId)
                // The intro may quote the context: fetch it if not done yet, but a failure must not
                // cost the person their answers.
                if context == nil, case .success(let fetched) = await fetchContext(sessionId, logger: logger) {
                    context = FormContext(content: fetched.content)
                }
                return .form(
                    FormPageView(
                        page: page,
                        values: validation.values,
                        errors: errors,
                        introHTML: context.flatMap { page.form.renderIntro(context: $0) },
                        sessionId: sessionId,
                        token: signer.token(sessionId: sessionId.rawValue, formId: form.id, version: form.version),
                        files: await filesShown(validation.values, form: form, sessionId: sessionId)
                    )
                )
            }
            variables = form.outcomeVariables(for: linkingFiles(validation.values, form: form), submittedAt: submittedAt)
        }

        let entry: OutboxEntry
        do {
            let outcome = NewOutcome(
                sessionId: sessionId.rawValue,
                formId: form.id,
                formVersion: form.version,
                kind: declined ? .declined : .submitted,
                variables: variables,
                sensitiveVariables: form.sensitiveVariables,
                createdAt: submittedAt
            )
            switch try await store.enqueue(outcome, claimedUntil: submittedAt.addingTimeInterval(deliverer.claimLease.inSeconds)) {
            case .stored(let stored):
                entry = stored
                await activity.reached(declined ? .declined : .submitted, form: form, sessionId: sessionId)
            case .alreadyConsumed: return .status(StatusReply(.alreadyCompleted, language: language, form: form, statusCode: 409))
            }
        } catch {
            return unavailable(error, logger: logger)
        }
        logger.info(
            "Outcome stored",
            metadata: ["outbox.id": "\(entry.id)", "session": "\(sessionId.shortened)", "form": "\(form.id)", "form.version": "\(form.version)"]
        )

        if await deliverer.deliverNow(entry, budget: immediateBudget, logger: logger).dialogEnded {
            return .status(StatusReply(.expired, language: language, form: form))
        }
        // A multi-step form's held answers are of no more use: the browser forgets them now.
        let cookies = form.isMultiStep ? [heldAnswers.removal(sessionId: sessionId.rawValue)] : []
        return .redirect(urls.done(form.id, sessionId: sessionId.rawValue, language: language, declined: declined), cookies: cookies)
    }

    /// The confirmation, once the outcome is stored; the form again before.
    func done(form: FormDefinition, sessionId: SessionID, declined: Bool, logger: Logger) async -> FlowResult {
        switch await isConsumed(sessionId) {
        case .success(true): return .status(StatusReply(declined ? .declined : .confirmation, form: form))
        case .success(false): return .redirect(urls.form(form.id, sessionId: sessionId.rawValue))
        case .failure(let error): return unavailable(error, logger: logger)
        }
    }

    // MARK: - Helpers

    /// What a post's form token decided: refused (403 "page expired"), or accepted with the flow
    /// and form of the version the page showed.
    enum SignedPost: Sendable {
        case accepted(FormFlow, FormDefinition)
        case refused(FlowResult)
    }

    /// 403 "page expired" unless the post carries a token we signed for this session and form;
    /// else the version the token names, when it is still kept, or the one served now (a token
    /// of the earlier form, or a version from before a restart or past its retention: the
    /// current version checks the answers, and a problem is shown with what was typed kept).
    func signedPost(_ values: FormValues, form: FormDefinition, sessionId: SessionID, language: String, logger: Logger) async -> SignedPost {
        guard let token = values.first("_token"), let signed = signer.check(token, sessionId: sessionId.rawValue, formId: form.id) else {
            logger.notice("Form token missing, forged or expired", metadata: ["session": "\(sessionId.shortened)"])
            return .refused(
                .status(
                    StatusReply(
                        .pageExpired,
                        language: language,
                        form: form,
                        actionURL: urls.form(form.id, sessionId: sessionId.rawValue, language: language)
                    )
                )
            )
        }
        guard let version = signed.version, version != form.version else { return .accepted(self, form) }
        if let edition = await library.edition(form.id, version: version, logger: logger) {
            logger.info(
                "Post checked against the version shown",
                metadata: ["form": "\(form.id)", "form.version": "\(version)", "form.currentVersion": "\(form.version)"]
            )
            return .accepted(pinned(to: edition.set), edition.form)
        }
        logger.notice(
            "Form version no longer kept: the current version checks the post",
            metadata: ["form": "\(form.id)", "form.version": "\(version)", "form.currentVersion": "\(form.version)"]
        )
        return .accepted(self, form)
    }

    func isConsumed(_ sessionId: SessionID) async -> Result<Bool, any Error> {
        do {
            return .success(try await store.isConsumed(sessionId: sessionId.rawValue))
        } catch {
            return .failure(error)
        }
    }

    func fetchContext(_ sessionId: SessionID, logger: Logger) async -> Result<DisposableAppContext, AlvariaError> {
        do throws(AlvariaError) {
            return .success(try await contexts.context(for: sessionId, logger: logger))
        } catch {
            return .failure(error)
        }
    }

    /// 503; the controller gives its button the URL that loads the same page again.
    func unavailable(_ error: any Error, logger: Logger) -> FlowResult {
        if !(error is AlvariaError) {
            logger.error("Store not available", metadata: ["error.type": "\(type(of: error))"])
        }
        return .status(StatusReply(.unavailable, retryAfter: 5))
    }
}
