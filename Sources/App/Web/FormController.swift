import AlvariaModels
import Forms
import Foundation
import Hummingbird
import Logging

/// The pages a person sees: the form (prefilled from the session's context), its submission,
/// and the confirmation. Expected situations (bad link, expired dialog, Alvaria down…) are
/// answered here with their page and status; nothing a person typed is lost once stored.
struct FormController: Sendable {
    let forms: FormCatalog
    let alvaria: AlvariaClient
    let store: any OutboxStore
    let deliverer: Deliverer
    let pages: PageRenderer
    let presentation: Presentation
    let signer: FormTokenSigner
    let crossSite: CrossSiteCheck
    let immediateBudget: Duration
    let maxBodySize: Int
    /// Shown at `GET {basePath}/` without a sessionId in demo mode.
    let console: ConsoleController?

    var messages: MessageCatalog { presentation.messages }
    var urls: AppURLs { presentation.urls }

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.get("", use: root)
        group.get("s/:sessionId", use: short)
        group.get("f/:formId", use: show)
        group.post("f/:formId", use: submit)
        group.get("f/:formId/done", use: done)
    }

    // MARK: - Pages

    /// `GET /?sessionId=S`: the form the context names, else the default form.
    @Sendable func root(_ request: Request, context: some RequestContext) async throws -> Response {
        if request.uri.queryParameters["sessionId"] == nil, let console {
            return try await console.show(request, context: context)
        }
        guard let sessionId = sessionId(of: request) else { return status(.linkIncomplete, request) }
        return await formPage(formId: nil, sessionId: sessionId, request: request, logger: context.logger)
    }

    /// `GET /s/{sessionId}`: the short link for SMS, where a long URL looks like phishing; the
    /// same page as `/?sessionId=S`.
    @Sendable func short(_ request: Request, context: some RequestContext) async throws -> Response {
        guard let sessionId = context.parameters.get("sessionId").flatMap({ SessionID(String($0)) }) else {
            return status(.linkIncomplete, request)
        }
        return await formPage(formId: nil, sessionId: sessionId, request: request, logger: context.logger)
    }

    /// `GET /f/{formId}?sessionId=S[&lang=xx]`.
    @Sendable func show(_ request: Request, context: some RequestContext) async throws -> Response {
        let formId = try context.parameters.require("formId")
        guard let form = forms[formId] else { return status(.notFound, request) }
        guard let sessionId = sessionId(of: request) else { return status(.linkIncomplete, request, form: form) }
        return await formPage(formId: formId, sessionId: sessionId, request: request, logger: context.logger)
    }

    /// `GET /f/{formId}/done?sessionId=S`: the confirmation, once the outcome is stored.
    @Sendable func done(_ request: Request, context: some RequestContext) async throws -> Response {
        let formId = try context.parameters.require("formId")
        guard let form = forms[formId] else { return status(.notFound, request) }
        guard let sessionId = sessionId(of: request) else { return status(.linkIncomplete, request, form: form) }
        do {
            guard try await store.isConsumed(sessionId: sessionId.rawValue) else {
                return Response(status: .seeOther, headers: [.location: urls.form(formId, sessionId: sessionId.rawValue)])
            }
        } catch {
            return unavailable(request, error: error, logger: context.logger)
        }
        return status(request.uri.queryParameters["declined"] == nil ? .confirmation : .declined, request, form: form)
    }

    private func formPage(formId: String?, sessionId: SessionID, request: Request, logger: Logger) async -> Response {
        do {
            if try await store.isConsumed(sessionId: sessionId.rawValue) { return status(.alreadyCompleted, request) }
        } catch {
            return unavailable(request, error: error, logger: logger)
        }
        let formContext: FormContext
        do {
            formContext = FormContext(content: try await alvaria.context(for: sessionId, logger: logger).content)
        } catch .dialogNotFound {
            return status(.expired, request)
        } catch {
            logger.warning("Context not available", metadata: ["alvaria.error": "\(error.reason)", "session": "\(sessionId.shortened)"])
            return unavailable(request, error: error, logger: logger)
        }
        guard let form = formId.flatMap({ forms[$0] }) ?? formContext.formId.map({ forms[$0] }) ?? forms.defaultForm else {
            return status(.notFound, request)
        }
        let language = messages.negotiate(
            query: request.uri.queryParameters["lang"].map(String.init),
            context: formContext.language,
            acceptLanguage: request.headers[.acceptLanguage],
            form: form
        )
        let localized = form.localized(to: language)
        return renderForm(
            localized,
            sessionId: sessionId,
            values: localized.prefilledValues(from: formContext),
            errors: [],
            context: formContext,
            language: language
        )
    }

    private func renderForm(
        _ form: FormDefinition,
        sessionId: SessionID,
        values: FormValues,
        errors: [FieldError],
        context: FormContext?,
        language: String
    ) -> Response {
        let page = FormPage(
            form: form,
            values: values,
            errors: errors,
            introHTML: context.flatMap { form.renderIntro(context: $0) },
            language: language,
            presentation: presentation,
            action: urls.form(form.id, sessionId: sessionId.rawValue),
            token: signer.token(sessionId: sessionId.rawValue, formId: form.id)
        )
        return pages.render(page, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    // MARK: - Submit

    /// `POST /f/{formId}?sessionId=S`: check, validate, store, try to deliver, redirect.
    @Sendable func submit(_ request: Request, context: some RequestContext) async throws -> Response {
        let logger = context.logger
        let formId = try context.parameters.require("formId")
        guard let form = forms[formId] else { return status(.notFound, request) }
        guard let sessionId = sessionId(of: request) else { return status(.linkIncomplete, request, form: form) }
        let reload = urls.form(formId, sessionId: sessionId.rawValue)
        guard crossSite.allows(request.headers) else {
            logger.notice("Cross-site form post refused", metadata: ["session": "\(sessionId.shortened)"])
            return status(.pageExpired, request, actionURL: reload)
        }
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            return status(.badRequest, request)
        }
        let values: FormValues
        do {
            let body = try await request.body.collect(upTo: maxBodySize)
            values = FormValues(try URLEncodedForm.decode(bytes: body.readableBytesView))
        } catch is URLEncodedForm.MalformedError {
            return status(.badRequest, request)
        } catch {
            // Over http.maxBodySize, or more fields than any form has (URLEncodedForm.maxFields).
            return status(.tooLarge, request)
        }
        let language = messages.negotiate(
            query: values.first("_lang"),
            context: nil,
            acceptLanguage: request.headers[.acceptLanguage],
            form: form
        )
        guard let token = values.first("_token"), signer.verify(token, sessionId: sessionId.rawValue, formId: formId) else {
            logger.notice("Form token missing, forged or expired", metadata: ["session": "\(sessionId.shortened)"])
            return status(
                .pageExpired,
                request,
                language: language,
                form: form,
                actionURL: urls.form(formId, sessionId: sessionId.rawValue, language: language)
            )
        }

        let submittedAt = Date()
        let declined = values.first("_action") == "decline"
        let variables: [OutcomeVariable]
        if declined, let declineVariables = form.declineVariables(submittedAt: submittedAt) {
            variables = declineVariables
        } else {
            let localized = form.localized(to: language)
            let validation = localized.validate(values)
            guard validation.isValid else {
                // The intro may quote the context: fetch it again, but a failure must not cost the person their answers.
                let formContext = try? await alvaria.context(for: sessionId, logger: logger).content
                return renderForm(
                    localized,
                    sessionId: sessionId,
                    values: validation.values,
                    errors: validation.errors,
                    context: formContext.map(FormContext.init(content:)),
                    language: language
                )
            }
            variables = form.outcomeVariables(for: validation.values, submittedAt: submittedAt)
        }

        let entry: OutboxEntry
        do {
            let outcome = NewOutcome(
                sessionId: sessionId.rawValue,
                formId: formId,
                kind: declined ? .declined : .submitted,
                variables: variables,
                sensitiveVariables: declined ? [] : form.sensitiveVariables,
                createdAt: submittedAt
            )
            switch try await store.enqueue(outcome, claimedUntil: submittedAt.addingTimeInterval(deliverer.claimLease.inSeconds)) {
            case .stored(let stored): entry = stored
            case .alreadyConsumed: return status(.alreadyCompleted, request, language: language, form: form, httpStatus: .conflict)
            }
        } catch {
            return unavailable(request, error: error, logger: logger)
        }
        logger.info("Outcome stored", metadata: ["outbox.id": "\(entry.id)", "session": "\(sessionId.shortened)", "form": "\(formId)"])

        if await deliverer.deliverNow(entry, budget: immediateBudget, logger: logger).dialogEnded {
            return status(.expired, request, language: language, form: form)
        }
        return Response(
            status: .seeOther,
            headers: [.location: urls.done(formId, sessionId: sessionId.rawValue, language: language, declined: declined)]
        )
    }

    // MARK: - Helpers

    private func sessionId(of request: Request) -> SessionID? {
        request.uri.queryParameters["sessionId"].flatMap { SessionID(String($0)) }
    }

    private func status(
        _ page: StatusPage,
        _ request: Request,
        language: String? = nil,
        form: FormDefinition? = nil,
        actionURL: String? = nil,
        httpStatus: HTTPResponse.Status? = nil
    ) -> Response {
        let language =
            language
            ?? messages.negotiate(
                query: request.uri.queryParameters["lang"].map(String.init),
                context: nil,
                acceptLanguage: request.headers[.acceptLanguage]
            )
        // The form brands the page; its languages do not limit it, as a status page shows none of its texts.
        return pages.render(
            MessagePage(page, language: language, presentation: presentation, form: form, actionURL: actionURL),
            status: httpStatus ?? HTTPResponse.Status(code: page.status)
        )
    }

    /// 503 with a button that loads the same page again.
    private func unavailable(_ request: Request, error: any Error, logger: Logger) -> Response {
        if !(error is AlvariaError) {
            logger.error("Store not available", metadata: ["error.type": "\(type(of: error))"])
        }
        var response = status(.unavailable, request, actionURL: request.uri.description)
        response.headers[.retryAfter] = "5"
        return response
    }
}
