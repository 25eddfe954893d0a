import Hummingbird
import NIOCore

/// Runs each request's handling on the event loop of its connection rather than on Swift's
/// global executor: a page's work no longer hops between threads at every await, which on a
/// 2-core machine costs more than the work itself.
struct EventLoopExecutorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let executor = context.executor else { return try await next(request, context) }
        return try await withTaskExecutorPreference(executor) {
            try await next(request, context)
        }
    }
}

/// A `TaskExecutor` that runs jobs on one NIO event loop.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
