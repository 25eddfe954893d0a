import AlvariaModels
import Crypto
import Forms
import Foundation
import Logging

extension FormFlow {
    /// `POST {basePath}/f/{formId}/verify`: the answers to the verification step. Answers that
    /// cannot be compared (empty, not a date) are sent back without costing an attempt; the others
    /// are one attempt, counted in the database whatever instance takes it.
    func verify(form: FormDefinition, sessionId: SessionID, values: FormValues, acceptLanguage: String?, logger: Logger) async -> FlowResult {
        let language = messages.negotiate(query: values.first("_lang"), context: nil, acceptLanguage: acceptLanguage, form: form)
        switch await signedPost(values, form: form, sessionId: sessionId, language: language, logger: logger) {
        case .refused(let refusal): return refusal
        case .accepted(let flow, let form):
            return await flow.verifySigned(form: form, sessionId: sessionId, values: values, language: language, logger: logger)
        }
    }

    /// ``verify(form:sessionId:values:acceptLanguage:logger:)`` once its token is good, with the
    /// form and flow of the version the token names.
    private func verifySigned(form: FormDefinition, sessionId: SessionID, values: FormValues, language: String, logger: Logger) async -> FlowResult {
        guard let step = pages.verification(form.id, language: language) else { return .status(StatusReply(.notFound)) }
        switch await sessionState(sessionId) {
        case .success(let state):
            if state?.lockedAt != nil {
                // Refused without comparing, as the store would: counted with its refusals.
                verificationMetrics.record(.locked, form: form.id)
                return lockedPage(form, language: language)
            }
            if let state, let early = gate(state, preference: LanguagePreference(requested: language)) { return early }
        case .failure(let error): return unavailable(error, logger: logger)
        }
        let verification = step.verification
        let page = { (problem: VerificationProblem) in
            FlowResult.verification(
                VerificationPageView(
                    page: step,
                    sessionId: sessionId,
                    token: signer.token(sessionId: sessionId.rawValue, formId: form.id, version: form.version),
                    problem: problem
                )
            )
        }

        let (answers, problems) = verification.answers(in: values)
        guard problems.isEmpty else { return page(.answers(problems)) }

        let context: FormContext
        switch await fetchContext(sessionId, logger: logger) {
        case .success(let fetched): context = FormContext(content: fetched.content)
        case .failure(.dialogNotFound):
            await activity.reached(.expired, form: form, sessionId: sessionId)
            return .status(StatusReply(.expired, language: language, form: form))
        case .failure(let error):
            logger.warning("Context not available", metadata: ["alvaria.error": "\(error.reason)", "session": "\(sessionId.shortened)"])
            return unavailable(error, logger: logger)
        }
        let expected = verification.questions.map { verification.expectedAnswer($0, in: context) }
        for (question, answer) in zip(verification.questions, expected) where answer == nil {
            // The CX script did not put the answer in the context: nobody can pass. The operator's to fix.
            logger.warning(
                "Verification answer missing from the context",
                metadata: ["form": "\(form.id)", "verify.question": "\(question.name)", "verify.answer": "\(question.answerPath)"]
            )
        }
        let given = answers
        let isCorrect: @Sendable () -> Bool = { Self.allMatch(given, expected) }
        let lockedOutcome = NewOutcome(
            sessionId: sessionId.rawValue,
            formId: form.id,
            formVersion: form.version,
            kind: .locked,
            variables: verification.lockedVariables,
            createdAt: now()
        )
        let attempt: VerificationAttempt
        do {
            attempt = try await sessions.attemptVerification(
                sessionId: sessionId.rawValue,
                maxAttempts: verification.maxAttempts,
                lockedOutcome: lockedOutcome,
                at: now(),
                isCorrect: isCorrect
            )
        } catch {
            return unavailable(error, logger: logger)
        }
        verificationMetrics.record(attempt, form: form.id)
        let session = ["session": Logger.MetadataValue.string(sessionId.shortened), "form": .string(form.id)]
        switch attempt {
        case .verified:
            await activity.reached(.verified, form: form, sessionId: sessionId)
            logger.info("Verification passed", metadata: session)
            let expiresAt = now().addingTimeInterval(verification.lifetime.inSeconds)
            return .redirect(
                urls.form(form.id, sessionId: sessionId.rawValue, language: language),
                cookies: [
                    IssuedCookie(
                        name: VerificationPass.cookieName(sessionId: sessionId.rawValue),
                        value: passes.value(sessionId: sessionId.rawValue, formId: form.id, expiresAt: expiresAt),
                        lifetime: verification.lifetime
                    )
                ]
            )
        case .wrong(let attemptsLeft):
            await activity.event(.verificationFailed, form: form, sessionId: sessionId)
            logger.notice("Verification failed", metadata: session.merging(["verify.attemptsLeft": "\(attemptsLeft)"]) { $1 })
            return page(.noMatch(attemptsLeft: attemptsLeft))
        case .lockedNow:
            await activity.reached(.locked, form: form, sessionId: sessionId)
            logger.warning("Verification failed too often: session locked, its locked outcome stored", metadata: session)
            return lockedPage(form, language: language)
        case .locked:
            logger.notice("Verification refused: the session is locked", metadata: session)
            return lockedPage(form, language: language)
        }
    }

    /// Every answer equal to its expected one, each compared in constant time and all of them
    /// compared whatever the first gives. A missing expected answer never matches.
    static func allMatch(_ answers: [String], _ expected: [String?]) -> Bool {
        var matches = answers.count == expected.count
        for (answer, expected) in zip(answers, expected) {
            let equal = SHA256.hash(data: Data(answer.utf8)) == SHA256.hash(data: Data((expected ?? "").utf8))
            matches = matches && equal && expected != nil
        }
        return matches
    }

    // MARK: - Session state

    /// What the session's state alone decides, before anything else is asked: a lock, or a link
    /// whose form's `expiresAfter` has run out since its first opening.
    func gate(_ state: SessionState, preference: LanguagePreference) -> FlowResult? {
        guard let form = state.formId.flatMap({ forms[$0] }) else { return nil }
        let language = messages.negotiate(query: preference.requested, context: nil, acceptLanguage: preference.acceptLanguage, form: form)
        if state.lockedAt != nil {
            return lockedPage(form, language: language)
        }
        if let lifetime = form.expiresAfter, let opened = state.firstOpenedAt,
            now() >= opened.addingTimeInterval(lifetime.inSeconds)
        {
            if let sessionId = SessionID(state.sessionId) { activity.mark(.expired, form: form, sessionId: sessionId) }
            return .status(StatusReply(.linkTimedOut, language: language, form: form))
        }
        return nil
    }

    /// 403 with the form's `verify.help`, in the page's language.
    func lockedPage(_ form: FormDefinition, language: String) -> FlowResult {
        let help = pages.verification(form.id, language: language)?.verification.help
        return .status(StatusReply(.locked, language: language, form: form, detail: help))
    }

    func sessionState(_ sessionId: SessionID) async -> Result<SessionState?, any Error> {
        do {
            return .success(try await sessions.state(sessionId: sessionId.rawValue))
        } catch {
            return .failure(error)
        }
    }

    func recordOpening(_ sessionId: SessionID, form: FormDefinition) async -> Result<SessionState, any Error> {
        do {
            return .success(try await sessions.recordOpening(sessionId: sessionId.rawValue, formId: form.id, at: now()))
        } catch {
            return .failure(error)
        }
    }
}
