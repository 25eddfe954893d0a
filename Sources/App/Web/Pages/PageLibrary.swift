import Forms
import Hummingbird
import NIOCore

/// Every page the app serves, compiled at start-up: each form in each language the app speaks,
/// and each status page in each language and brand. Also the one place a ``StatusReply`` becomes
/// a response.
struct PageLibrary: Sendable {
    let presentation: Presentation
    /// Form id -> language -> the compiled form.
    private let forms: [String: [String: CompiledForm]]
    private let statusPages: [StatusKey: CompiledPage<StatusPageState>]
    /// A multi-step form's steps and review, by form, language and screen.
    private let screens: [ScreenKey: CompiledForm]
    /// Form id -> language -> the verification step, for forms with `verify:`.
    private let verifications: [String: [String: CompiledVerification]]
    /// Language -> the page link previews get, rendered once: it has nothing that varies.
    private let previewPages: [String: ByteBuffer]

    /// A status page in one language, wearing the app's brand (`brand` empty) or a form's.
    private struct StatusKey: Hashable {
        let page: StatusPage
        let language: String
        let brand: String
    }

    private struct ScreenKey: Hashable {
        let form: String
        let language: String
        let screen: FormScreen
    }

    init(forms catalog: FormCatalog, presentation: Presentation) {
        self.presentation = presentation
        let languages = presentation.messages.languages
        var forms: [String: [String: CompiledForm]] = [:]
        var statusPages: [StatusKey: CompiledPage<StatusPageState>] = [:]
        var verifications: [String: [String: CompiledVerification]] = [:]
        var screens: [ScreenKey: CompiledForm] = [:]
        // Forms without their own branding wear the app's: their status pages are the app's.
        let brands: [(String, FormDefinition?)] = [("", nil)] + catalog.forms.filter { $0.branding != nil }.map { ($0.id, $0) }
        for language in languages {
            for form in catalog.forms {
                forms[form.id, default: [:]][language] = CompiledForm(form, language: language, presentation: presentation)
                if form.isMultiStep {
                    for screen in form.steps.indices.map(FormScreen.step) + [.review] {
                        screens[ScreenKey(form: form.id, language: language, screen: screen)] = CompiledForm(
                            form,
                            language: language,
                            presentation: presentation,
                            screen: screen
                        )
                    }
                }
                if let verification = CompiledVerification(form, language: language, presentation: presentation) {
                    verifications[form.id, default: [:]][language] = verification
                }
            }
            for status in StatusPage.allCases {
                for (brand, form) in brands {
                    statusPages[StatusKey(page: status, language: language, brand: brand)] = StatusPageTemplate.compile(
                        status,
                        language: language,
                        form: form,
                        presentation: presentation
                    )
                }
            }
        }
        self.forms = forms
        self.statusPages = statusPages
        self.verifications = verifications
        self.screens = screens
        previewPages = Dictionary(
            uniqueKeysWithValues: languages.map {
                ($0, PreviewPageTemplate.compile(language: $0, presentation: presentation).render(StaticPageState()))
            }
        )
    }

    /// The form in `language`, which ``MessageCatalog/negotiate(query:context:acceptLanguage:form:)`` chose.
    func form(_ id: String, language: String) -> CompiledForm? {
        forms[id]?[language] ?? forms[id]?[MessageCatalog.fallbackLanguage]
    }

    /// A step or the review of a multi-step form, in `language`.
    func form(_ id: String, language: String, screen: FormScreen) -> CompiledForm? {
        screens[ScreenKey(form: id, language: language, screen: screen)]
            ?? screens[ScreenKey(form: id, language: MessageCatalog.fallbackLanguage, screen: screen)]
    }

    /// The verification step of a form with `verify:`, in `language`.
    func verification(_ id: String, language: String) -> CompiledVerification? {
        verifications[id]?[language] ?? verifications[id]?[MessageCatalog.fallbackLanguage]
    }

    /// The HTML response for a verification step: 422 when its answers had a problem.
    func response(for view: VerificationPageView) -> Response {
        Self.html(view.render(), status: view.problem == nil ? .ok : .unprocessableContent)
    }

    /// The HTML response for a form page.
    func response(for view: FormPageView) -> Response {
        Self.html(view.render(), status: view.errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// The status page's response, in the reply's language or else the one the request asks for.
    func response(for reply: StatusReply, request: Request) -> Response {
        let language =
            reply.language
            ?? presentation.messages.negotiate(
                query: request.uri.queryParameters["lang"].map(String.init),
                context: nil,
                acceptLanguage: request.headers[.acceptLanguage]
            )
        var response = Self.html(
            statusPage(reply, language: language),
            status: HTTPResponse.Status(code: reply.statusCode ?? reply.page.status)
        )
        if let retryAfter = reply.retryAfter {
            response.headers[.retryAfter] = String(retryAfter)
        }
        return response
    }

    /// The status page's HTML in `language`.
    func statusPage(_ reply: StatusReply, language: String) -> ByteBuffer {
        let brand = reply.form.flatMap { $0.branding == nil ? nil : $0.id } ?? ""
        let page =
            statusPages[StatusKey(page: reply.page, language: language, brand: brand)]
            ?? statusPages[StatusKey(page: reply.page, language: MessageCatalog.fallbackLanguage, brand: "")]
        // Every status was compiled in every language and brand: only a bug gets here without one.
        return page?.render(StatusPageState(actionURL: reply.actionURL, detail: reply.detail)) ?? ByteBuffer(string: "Internal error\n")
    }

    /// The neutral page for a link preview or a `HEAD`, in the language the request asks for; a
    /// `HEAD` gets its headers only.
    func previewResponse(for request: Request) -> Response {
        let language = presentation.messages.negotiate(query: nil, context: nil, acceptLanguage: request.headers[.acceptLanguage])
        let body = previewPages[language] ?? previewPages[MessageCatalog.fallbackLanguage] ?? ByteBuffer()
        var response = Self.html(body)
        if request.method == .head {
            // The length the GET would have, and no body: as Hummingbird answers a HEAD itself.
            response.body = ResponseBody(contentLength: body.readableBytes) { _ in }
        }
        return response
    }

    /// An HTML response; pages carry personal data, so nothing may be cached.
    static func html(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: body)
        )
    }
}
