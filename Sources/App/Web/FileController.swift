import Forms
import Foundation
import Hummingbird

/// `GET {basePath}/files/{id}?exp=…&sig=…`: an uploaded file, for whoever holds the link an Outcome
/// carried (the agent). The signature is checked before anything is read; the file is served as
/// content that can do nothing: its detected type, `nosniff`, a sandboxing CSP, never cached, and a
/// download unless it is a JPEG or PNG photo.
struct FileController: Sendable {
    let vault: FileVault
    let links: FileLinks
    let pages: PageLibrary
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.get("files/:id", use: show)
    }

    @Sendable func show(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let query = request.uri.queryParameters
        switch links.check(id: id, exp: query["exp"].map(String.init), sig: query["sig"].map(String.init), now: now()) {
        case .forged:
            context.logger.notice("File link with a bad signature")
            return pages.response(for: StatusReply(.fileLinkInvalid), request: request)
        case .expired:
            return pages.response(for: StatusReply(.fileGone), request: request)
        case .valid:
            break
        }
        let opened: FileVault.Opened
        do {
            opened = try await vault.open(id: id)
        } catch {
            context.logger.error("Store not available", metadata: ["error.type": "\(type(of: error))"])
            return pages.response(for: StatusReply(.unavailable, retryAfter: 5), request: request)
        }
        switch opened {
        case .missing:
            return pages.response(for: StatusReply(.fileGone), request: request)
        case .unreadable:
            context.logger.warning("Stored file cannot be opened: no key fits")
            return pages.response(for: StatusReply(.fileGone), request: request)
        case .found(let file, let bytes):
            let kind = FileKind(rawValue: file.mediaType)
            // A generated name: the uploaded one is never kept.
            let name = "\(file.field)-\(id.prefix(8)).\(kind?.fileExtension ?? "bin")"
            let disposition = kind?.isImage == true ? "inline" : "attachment"
            return Response(
                status: .ok,
                headers: [
                    .contentType: kind?.mediaType ?? "application/octet-stream",
                    .contentDisposition: "\(disposition); filename=\"\(name)\"",
                    .contentSecurityPolicy: "default-src 'none'; sandbox",
                    .cacheControl: "private, no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
    }
}
