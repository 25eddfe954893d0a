import Forms
import HTTPTypes
import Hummingbird
import NIOCore

/// The preview server's routes: the index, each state's page, the folder's version for the
/// reload script, the brand stylesheets, and the previewed forms' posts (to the app's own
/// addresses, `/f/{formId}` and `/f/{formId}/verify`, which the pages' forms post to). Each
/// request reads the folder as it is now; ``FormPreviewer`` decides what to show.
struct PreviewController: Sendable {
    let folder: PreviewFolder
    /// The app's defaults for `http.maxBodySize` and `http.maxUploadSize`.
    var maxBodySize = 64 * 1024
    var maxUploadSize = 25 << 20

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("/", use: index)
        router.get("preview/version", use: version)
        router.get("preview/:formId/:language/:state", use: show)
        // A step page's links to earlier steps, and the app's own address of a form.
        router.get("f/:formId", use: showLink)
        router.post("f/:formId", use: submit)
        router.post("f/:formId/verify", use: verify)
        router.get("brand/:file", use: brandStylesheet)
    }

    @Sendable func index(_ request: Request, context: some RequestContext) async throws -> Response {
        let snapshot = await folder.current()
        return page(PreviewPages.index(snapshot), version: snapshot.version)
    }

    /// The folder's version as plain text, never cached: the reload script compares it with its page's.
    @Sendable func version(_ request: Request, context: some RequestContext) async throws -> Response {
        let snapshot = await folder.current()
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: snapshot.version))
        )
    }

    @Sendable func show(_ request: Request, context: some RequestContext) async throws -> Response {
        let snapshot = await folder.current()
        let formId = try context.parameters.require("formId")
        let language = try context.parameters.require("language")
        guard let state = context.parameters.get("state").flatMap(PreviewState.init(pathComponent:)),
            let result = FormPreviewer(snapshot: snapshot).show(formId: formId, language: language, state: state)
        else { return notFound(snapshot) }
        // Every state is shown as it looks, whatever status the app would answer it with (422 for errors).
        return respond(result, snapshot: snapshot, status: .ok)
    }

    /// `/f/{formId}?lang=…&step=…`: the state the app would show at that address.
    @Sendable func showLink(_ request: Request, context: some RequestContext) async throws -> Response {
        let snapshot = await folder.current()
        let formId = try context.parameters.require("formId")
        guard let form = snapshot.forms[formId] else { return notFound(snapshot) }
        let language = snapshot.language(of: form, requested: request.uri.queryParameters["lang"].map(String.init))
        let step = request.uri.queryParameters["step"].map(String.init)
        let state: PreviewState = step.map { $0 == FormStep.reviewId ? .review : .step($0) } ?? PreviewState.start(of: form)
        return Response(status: .seeOther, headers: [.location: PreviewURLs.page(form.id, language: language, state: state)])
    }

    @Sendable func submit(_ request: Request, context: some RequestContext) async throws -> Response {
        let snapshot = await folder.current()
        let formId = try context.parameters.require("formId")
        guard let form = snapshot.forms[formId] else { return notFound(snapshot) }
        let posted: (values: FormValues, files: [UploadedFile])
        switch await read(request, form: form) {
        case .success(let read): posted = read
        case .failure(let refusal): return Response(status: refusal.status)
        }
        guard let result = FormPreviewer(snapshot: snapshot).submit(formId: formId, values: posted.values, uploads: posted.files) else {
            return notFound(snapshot)
        }
        return respond(result, snapshot: snapshot, status: nil, shownAgainAt: shownAgain(form, snapshot: snapshot, posted: posted.values))
    }

    @Sendable func verify(_ request: Request, context: some RequestContext) async throws -> Response {
        let snapshot = await folder.current()
        let formId = try context.parameters.require("formId")
        guard let form = snapshot.forms[formId] else { return notFound(snapshot) }
        let values: FormValues
        switch await read(request, form: form) {
        case .success(let read): values = read.values
        case .failure(let refusal): return Response(status: refusal.status)
        }
        guard let result = FormPreviewer(snapshot: snapshot).verify(formId: formId, values: values) else { return notFound(snapshot) }
        let language = snapshot.language(of: form, requested: values.first("_lang"))
        return respond(result, snapshot: snapshot, status: nil, shownAgainAt: PreviewURLs.page(form.id, language: language, state: .verification))
    }

    /// As the app's `BrandingController`, for the folder as it is now.
    @Sendable func brandStylesheet(_ request: Request, context: some RequestContext) async throws -> Response {
        let snapshot = await folder.current()
        guard let file = context.parameters.get("file"), file.hasSuffix(".css") else { throw HTTPError(.notFound) }
        let name = String(file.dropLast(4))
        guard let css = snapshot.presentation.brandStylesheet(named: name == "app" ? "" : name) else { throw HTTPError(.notFound) }
        return Response(
            status: .ok,
            headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: css))
        )
    }

    // MARK: - Helpers

    /// The post's values and files (inspected, then dropped: see ``FormPreviewer/receive(_:posted:form:)``); a
    /// status for a post the app would refuse too.
    private func read(_ request: Request, form: FormDefinition) async -> Result<(values: FormValues, files: [UploadedFile]), Refusal> {
        let contentType = request.headers[.contentType] ?? ""
        if let boundary = MultipartBody.boundary(of: contentType) {
            let limits = MultipartBody.Limits(
                total: maxUploadSize,
                text: maxBodySize,
                parts: MultipartBody.Limits.parts(for: form),
                fileSizes: Dictionary(form.fields.filter { $0.type == .file }.map { ($0.name, $0.maxSize) }) { first, _ in first }
            )
            do {
                let body = try await MultipartBody.read(request.body, boundary: boundary, limits: limits)
                return .success((FormValues(body.values), body.files))
            } catch .malformed {
                return .failure(.badRequest)
            } catch {
                return .failure(.tooLarge)
            }
        }
        guard contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") else { return .failure(.badRequest) }
        do {
            let body = try await request.body.collect(upTo: maxBodySize)
            return .success((FormValues(try URLEncodedForm.decode(bytes: body.readableBytesView)), []))
        } catch is URLEncodedForm.MalformedError {
            return .failure(.badRequest)
        } catch {
            return .failure(.tooLarge)
        }
    }

    /// A post the app would refuse too: not a form's encoding, or too large.
    enum Refusal: Error {
        case badRequest, tooLarge

        var status: HTTPResponse.Status { self == .badRequest ? .badRequest : .contentTooLarge }
    }

    /// Where a page answering a post is shown again when its file changes: the state it came from.
    private func shownAgain(_ form: FormDefinition, snapshot: PreviewSnapshot, posted: FormValues) -> String {
        let language = snapshot.language(of: form, requested: posted.first("_lang"))
        let state: PreviewState =
            switch posted.first("_step") {
            case FormStep.reviewId?: .review
            case let step?: .step(step)
            case nil: .prefilled
            }
        return PreviewURLs.page(form.id, language: language, state: state)
    }

    /// - Parameter status: `nil`: as the app answers (422 for a page with errors).
    private func respond(
        _ result: PreviewResult,
        snapshot: PreviewSnapshot,
        status: HTTPResponse.Status?,
        shownAgainAt again: String? = nil
    ) -> Response {
        switch result {
        case .form(let view):
            let answered = status ?? (view.errors.isEmpty ? .ok : .unprocessableContent)
            return page(view.render(), version: snapshot.version, status: answered, shownAgainAt: again)
        case .verification(let view):
            let answered = status ?? (view.problem == nil ? .ok : .unprocessableContent)
            return page(view.render(), version: snapshot.version, status: answered, shownAgainAt: again)
        case .outcome(let outcome):
            return page(PreviewPages.outcome(outcome, presentation: snapshot.presentation), version: snapshot.version, shownAgainAt: outcome.back)
        case .redirect(let location):
            return Response(status: .seeOther, headers: [.location: location])
        case .saved:
            return Response(status: .noContent, headers: [.cacheControl: "no-store"])
        }
    }

    private func notFound(_ snapshot: PreviewSnapshot) -> Response {
        page(
            PreviewPages.notFound(presentation: snapshot.presentation),
            version: snapshot.version,
            status: .notFound,
            shownAgainAt: PreviewURLs.index
        )
    }

    private func page(_ html: ByteBuffer, version: String, status: HTTPResponse.Status = .ok, shownAgainAt again: String? = nil) -> Response {
        PageLibrary.html(PreviewPages.withReloadScript(html, version: version, page: again), status: status)
    }
}
