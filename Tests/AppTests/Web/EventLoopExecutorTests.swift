import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

@testable import App

@Suite("Requests run on their connection's event loop")
struct EventLoopExecutorTests {
    @Test("a handler, and what it awaits, runs on the event loop that serves the connection")
    func handlerOnEventLoop() async throws {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: EventLoopExecutorMiddleware())
        router.get("where") { _, context -> String in
            let before = MultiThreadedEventLoopGroup.currentEventLoop
            try await Task.sleep(for: .milliseconds(1))
            let after = MultiThreadedEventLoopGroup.currentEventLoop
            let expected = context.executor?.eventLoop
            return "\(before != nil && before === expected && after === expected)"
        }
        try await Application(router: router).test(.live) { client in
            for _ in 0..<5 {
                let response = try await client.execute(uri: "/where", method: .get) { $0 }
                #expect(String(buffer: response.body) == "true")
            }
        }
    }
}
