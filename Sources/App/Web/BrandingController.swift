import Hummingbird

/// `GET {basePath}/brand/{app|formId}.css`: the brand's colours as custom properties that
/// `app.css` reads. A stylesheet rather than inline style, so the CSP stays free of
/// `'unsafe-inline'`; it holds no personal data, so browsers may cache it.
struct BrandingController: Sendable {
    /// The brands of the forms served now: a reload may change a form's colours.
    let forms: FormLibrary

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.get("brand/:file", use: stylesheet)
    }

    @Sendable func stylesheet(_ request: Request, context: some RequestContext) async throws -> Response {
        guard let file = context.parameters.get("file"), file.hasSuffix(".css") else { throw HTTPError(.notFound) }
        let name = String(file.dropLast(4))
        guard let css = forms.current.presentation.brandStylesheet(named: name == "app" ? "" : name) else { throw HTTPError(.notFound) }
        return Response(
            status: .ok,
            headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: css))
        )
    }
}
