import AsyncHTTPClient
import NIOCore
import NIOHTTP1

extension AlvariaError {
    /// Sorts AsyncHTTPClient's and NIO's failures into timeouts and transport errors.
    static func classify(_ error: any Error) -> AlvariaError {
        if let error = error as? AlvariaError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return .timeout
            default:
                return .transport(reason: String(describing: error))
            }
        }
        if error is CancellationError { return .transport(reason: "cancelled") }
        return .transport(reason: String(describing: error))
    }
}
