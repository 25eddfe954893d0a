import AlvariaModels
import Forms
import Hummingbird

/// The routes of the pages a person sees: the form, its submission and the confirmation. It
/// turns requests into ``FormFlow`` calls and their results into responses; the flow decides.
///
/// Each request works with the forms served when it began (``FormFlow/pinned()``): a reload
/// in the middle of it changes nothing for it.
struct FormController: Sendable {
    let flow: FormFlow
    let crossSite: CrossSiteCheck
    let maxBodySize: Int
    /// `http.maxUploadSize`: a post with files, whole.
    let maxUploadSize: Int
    /// Shown at `GET {basePath}/` without a sessionId in demo mode.
    let console: ConsoleController?
    /// Verification cookies are `Secure` when people reach the app over https.
    let secureCookies: Bool

    var urls: AppURLs { flow.urls }

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.get("", use: root)
        group.get("s/:sessionId", use: short)
        group.get("f/:formId", use: show)
        group.post("f/:formId", use: submit)
        group.post("f/:formId/verify", use: verify)
        group.get("f/:formId/done", use: done)
    }

    /// `GET /?sessionId=S`: the form the context names, else the default form.
    @Sendable func root(_ request: Request, context: some RequestContext) async throws -> Response {
        if request.uri.queryParameters["sessionId"] == nil, let console {
            return try await console.show(request, context: context)
        }
        let flow = flow.pinned()
        guard let sessionId = sessionId(of: request) else { return respond(.status(StatusReply(.linkIncomplete)), to: request, flow: flow) }
        return await open(formId: nil, sessionId: sessionId, request: request, context: context, flow: flow)
    }

    /// `GET /s/{sessionId}`: the short link for SMS, where a long URL looks like phishing; the
    /// same page as `/?sessionId=S`.
    @Sendable func short(_ request: Request, context: some RequestContext) async throws -> Response {
        let flow = flow.pinned()
        guard let sessionId = context.parameters.get("sessionId").flatMap({ SessionID(String($0)) }) else {
            return respond(.status(StatusReply(.linkIncomplete)), to: request, flow: flow)
        }
        return await open(formId: nil, sessionId: sessionId, request: request, context: context, flow: flow)
    }

    /// `GET /f/{formId}?sessionId=S[&lang=xx]`.
    @Sendable func show(_ request: Request, context: some RequestContext) async throws -> Response {
        let formId = try context.parameters.require("formId")
        let flow = flow.pinned()
        guard let form = flow.forms[formId] else { return respond(.status(StatusReply(.notFound)), to: request, flow: flow) }
        guard let sessionId = sessionId(of: request) else {
            return respond(.status(StatusReply(.linkIncomplete, form: form)), to: request, flow: flow)
        }
        return await open(formId: formId, sessionId: sessionId, request: request, context: context, flow: flow)
    }

    /// `GET /f/{formId}/done?sessionId=S`: the confirmation, once the outcome is stored.
    @Sendable func done(_ request: Request, context: some RequestContext) async throws -> Response {
        let formId = try context.parameters.require("formId")
        let flow = flow.pinned()
        guard let form = flow.forms[formId] ?? flow.library.removedEdition(formId)?.form else {
            return respond(.status(StatusReply(.notFound)), to: request, flow: flow)
        }
        guard let sessionId = sessionId(of: request) else {
            return respond(.status(StatusReply(.linkIncomplete, form: form)), to: request, flow: flow)
        }
        let declined = request.uri.queryParameters["declined"] != nil
        return respond(await flow.done(form: form, sessionId: sessionId, declined: declined, logger: context.logger), to: request, flow: flow)
    }

    /// `POST /f/{formId}?sessionId=S`: the checks that concern HTTP (origin, encoding, size)
    /// here, the rest in the flow.
    @Sendable func submit(_ request: Request, context: some RequestContext) async throws -> Response {
        // An autosave is charged as a page load (RateLimitMiddleware): it may do nothing but save.
        let autosave = request.uri.queryParameters["autosave"] != nil
        return try await post(request, context: context, uploads: true) { flow, form, sessionId, values, uploads in
            if autosave, values.first("_action") != "save" { return .status(StatusReply(.badRequest, form: form)) }
            return await flow.submit(
                form: form,
                sessionId: sessionId,
                values: values,
                uploads: uploads,
                acceptLanguage: request.headers[.acceptLanguage],
                cookies: cookies(of: request, sessionId: sessionId),
                logger: context.logger
            )
        }
    }

    /// `POST /f/{formId}/verify?sessionId=S`: the verification step's answers, checked as a submit is.
    @Sendable func verify(_ request: Request, context: some RequestContext) async throws -> Response {
        try await post(request, context: context, uploads: false) { flow, form, sessionId, values, _ in
            await flow.verify(
                form: form,
                sessionId: sessionId,
                values: values,
                acceptLanguage: request.headers[.acceptLanguage],
                logger: context.logger
            )
        }
    }

    // MARK: - Helpers

    private func open(formId: String?, sessionId: SessionID, request: Request, context: some RequestContext, flow: FormFlow) async -> Response {
        let preference = LanguagePreference(
            requested: request.uri.queryParameters["lang"].map(String.init),
            acceptLanguage: request.headers[.acceptLanguage]
        )
        let result = await flow.open(
            formId: formId,
            sessionId: sessionId,
            language: preference,
            step: request.uri.queryParameters["step"].map(String.init),
            cookies: cookies(of: request, sessionId: sessionId),
            logger: context.logger
        )
        return respond(result, to: request, flow: flow)
    }

    /// A form post's HTTP checks (origin, encoding, size), then `decide` with its values and, for
    /// a form with file fields posted as `multipart/form-data`, its files. A form removed by a
    /// reload still takes posts from pages shown before, while its last version is kept.
    private func post(
        _ request: Request,
        context: some RequestContext,
        uploads: Bool,
        decide: (FormFlow, FormDefinition, SessionID, FormValues, [UploadedFile]) async -> FlowResult
    ) async throws -> Response {
        let formId = try context.parameters.require("formId")
        let current = self.flow.pinned()
        let (flow, form): (FormFlow, FormDefinition)
        if let served = current.forms[formId] {
            (flow, form) = (current, served)
        } else if let removed = current.library.removedEdition(formId) {
            (flow, form) = (current.pinned(to: removed.set), removed.form)
        } else {
            return respond(.status(StatusReply(.notFound)), to: request, flow: current)
        }
        let respond = { (result: FlowResult) in self.respond(result, to: request, flow: flow) }
        guard let sessionId = sessionId(of: request) else {
            return respond(.status(StatusReply(.linkIncomplete, form: form)))
        }
        guard crossSite.allows(request.headers) else {
            context.logger.notice("Cross-site form post refused", metadata: ["session": "\(sessionId.shortened)"])
            return respond(.status(StatusReply(.pageExpired, actionURL: urls.form(formId, sessionId: sessionId.rawValue))))
        }
        let contentType = request.headers[.contentType] ?? ""
        if uploads, form.hasFileFields, let boundary = MultipartBody.boundary(of: contentType) {
            let limits = MultipartBody.Limits(
                total: maxUploadSize,
                text: maxBodySize,
                parts: MultipartBody.Limits.parts(for: form),
                fileSizes: Dictionary(form.fields.filter { $0.type == .file }.map { ($0.name, $0.maxSize) }) { first, _ in first }
            )
            do {
                let body = try await MultipartBody.read(request.body, boundary: boundary, limits: limits)
                return respond(await decide(flow, form, sessionId, FormValues(body.values), body.files))
            } catch .malformed {
                return respond(.status(StatusReply(.badRequest)))
            } catch {
                return respond(.status(StatusReply(.tooLarge)))
            }
        }
        guard contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            return respond(.status(StatusReply(.badRequest)))
        }
        let values: FormValues
        do {
            let body = try await request.body.collect(upTo: maxBodySize)
            values = FormValues(try URLEncodedForm.decode(bytes: body.readableBytesView))
        } catch is URLEncodedForm.MalformedError {
            return respond(.status(StatusReply(.badRequest)))
        } catch {
            // Over http.maxBodySize, or more fields than any form has (URLEncodedForm.maxFields).
            return respond(.status(StatusReply(.tooLarge)))
        }
        return respond(await decide(flow, form, sessionId, values, []))
    }

    /// The request's cookies for this session. Most page loads carry no cookie at all: they cost
    /// no hash of the sessionId.
    private func cookies(of request: Request, sessionId: SessionID) -> SessionCookies {
        guard request.headers[.cookie] != nil else { return SessionCookies() }
        let cookies = request.cookies
        return SessionCookies(
            pass: cookies[VerificationPass.cookieName(sessionId: sessionId.rawValue)]?.value,
            held: cookies[HeldAnswers.cookieName(sessionId: sessionId.rawValue)]?.value
        )
    }

    private func respond(_ result: FlowResult, to request: Request, flow: FormFlow) -> Response {
        let pages = flow.pages
        switch result {
        case .form(let view):
            return pages.response(for: view)
        case .verification(let view):
            return pages.response(for: view)
        case .status(var reply):
            // "Try again" loads the same page again.
            if reply.page == .unavailable, reply.actionURL == nil { reply.actionURL = request.uri.description }
            return pages.response(for: reply, request: request)
        case .redirect(let location, let cookies):
            var response = Response(status: .seeOther, headers: [.location: location])
            for cookie in cookies {
                // HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it.
                response.setCookie(
                    Cookie(
                        name: cookie.name,
                        value: cookie.value,
                        maxAge: cookie.lifetime.map { Int($0.components.seconds) },
                        path: urls.basePath + "/",
                        secure: secureCookies,
                        httpOnly: true,
                        sameSite: .strict
                    )
                )
            }
            return response
        case .saved:
            return Response(status: .noContent, headers: [.cacheControl: "no-store"])
        }
    }

    private func sessionId(of request: Request) -> SessionID? {
        request.uri.queryParameters["sessionId"].flatMap { SessionID(String($0)) }
    }
}
