import Hummingbird
import NIOCore
public import NIOPosix

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

/// A `TaskExecutor` that runs a job on the event loop it was enqueued from (the loop whose
/// channel resumed the task), else on the next loop of the group.
///
/// `serve` runs its whole service group with this preference, so that the server's connection
/// tasks, the deliverer and the other services resume where their I/O completed instead of
/// waking a thread of the global executor for every step (bench/run.sh, 32 connections, log level
/// warning: 251 -> 216 us of CPU per form page). Nothing in the app blocks a thread for long:
/// the one synchronous database read is an indexed SQLite lookup.
public final class EventLoopAffineExecutor: TaskExecutor {
    private let group: MultiThreadedEventLoopGroup

    public init(group: MultiThreadedEventLoopGroup = .singleton) {
        self.group = group
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? group.next()
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
