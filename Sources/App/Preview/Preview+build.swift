public import Forms
public import Hummingbird
public import Logging
public import NIOCore

/// What `disposable-app forms preview` serves: the folder, where, and how the pages look.
public struct FormPreviewSettings: Sendable {
    /// The forms folder, read again whenever its files change.
    public var directory: String
    public var host: String
    /// 0: any free port (see `onServerRunning`).
    public var port: Int
    /// `Public/`: the pages' stylesheet and scripts, served under `/static/` as by the app.
    public var publicDirectory: String
    /// The app's `branding.*`.
    public var branding: Branding
    /// `i18n.defaultLanguage`.
    public var defaultLanguage: String

    public init(
        directory: String,
        host: String = "127.0.0.1",
        port: Int = 8090,
        publicDirectory: String = "Public",
        branding: Branding = Branding(),
        defaultLanguage: String = "en"
    ) {
        self.directory = directory
        self.host = host
        self.port = port
        self.publicDirectory = publicDirectory
        self.branding = branding
        self.defaultLanguage = defaultLanguage
    }
}

/// The form preview server: every form of a folder in every language and state, made by the
/// app's own pages, with the app's static files and security headers. It opens no database,
/// calls no Alvaria and starts no simulator: nothing is stored or sent.
public func buildPreviewApplication(
    settings: FormPreviewSettings,
    logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let messages = try MessageCatalog.bundled(defaultLanguage: settings.defaultLanguage)
    let folder = PreviewFolder(directory: settings.directory, messages: messages, branding: settings.branding)
    return Application(
        router: buildPreviewRouter(folder: folder, publicDirectory: settings.publicDirectory, logger: logger),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
        onServerRunning: onServerRunning,
        logger: logger
    )
}

/// The preview's router: the app's security headers and static files, and ``PreviewController``.
func buildPreviewRouter(folder: PreviewFolder, publicDirectory: String, logger: Logger) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    // As the app's defaults: the same policy (no inline script, connect-src 'self' for the reload
    // script), no framing.
    router.add(middleware: SecurityHeadersMiddleware(frameAncestors: "'none'", strictTransportSecurity: false))
    router.add(middleware: NULPathMiddleware())
    router.add(
        middleware: FileMiddleware(
            fileProvider: PublicFiles(directory: publicDirectory, logger: logger),
            urlBasePath: "/static",
            // Edits to Public/ show at the next reload too.
            cacheControl: .init([(MediaType(type: .any), [.noStore])])
        )
    )
    PreviewController(folder: folder).addRoutes(to: router)
    return router
}
