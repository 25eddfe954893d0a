import Hummingbird
import Logging

/// Turns every error that reaches the top into a page in the person's language: never a stack
/// trace, never `"\(error)"`. Expected situations are answered by the controllers themselves;
/// this catches unknown routes, oversized bodies and the unexpected.
struct ErrorPageMiddleware<Context: RequestContext>: RouterMiddleware {
    let pages: PageLibrary

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let page: StatusPage
            switch (error as? any HTTPResponseError)?.status {
            case .notFound?, .methodNotAllowed?: page = .notFound
            case .contentTooLarge?: page = .tooLarge
            case let status? where (400..<500).contains(status.code): page = .badRequest
            default:
                context.logger.error("Unhandled error", metadata: ["error.type": "\(type(of: error))"])
                page = .serverError
            }
            return pages.response(for: StatusReply(page), request: request)
        }
    }
}
