import Foundation
import Glibc

/// A plain TCP connection to the app on loopback, for what an HTTP client library will not
/// send: oversized headers, headers trickled byte by byte. Every read is bounded by `timeout`.
/// (POSIX sockets through Glibc: the server and its tests run on Linux.)
///
/// The blocking calls run on a Dispatch thread, never on the cooperative pool, which the
/// server in the same process needs in order to answer.
final class RawConnection: Sendable {
    private let descriptor: Int32

    init(port: Int, timeout: Duration = .seconds(15)) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var seconds = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(descriptor) }

    /// False when the peer has closed or reset the connection.
    @discardableResult
    func send(_ text: String) async -> Bool {
        await Self.offloaded { self.blockingSend(text) }
    }

    /// Everything the server sends until it closes the connection (or the read timeout passes).
    func readUntilClosed() async -> (text: String, closed: Bool) {
        await Self.offloaded { self.blockingReadUntilClosed() }
    }

    /// Waits up to `timeout` for the server to close the connection; true when it did.
    func waitForClose(within timeout: Duration) async -> Bool {
        await Self.offloaded { self.blockingWaitForClose(within: timeout) }
    }

    private static func offloaded<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: body()) }
        }
    }

    private func blockingSend(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let result = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard result > 0 else { return false }
            sent += result
        }
        return true
    }

    private func blockingReadUntilClosed() -> (text: String, closed: Bool) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[..<count]
            } else {
                // 0: orderly close; -1 with ECONNRESET: closed too; EAGAIN: the timeout passed.
                let closed = count == 0 || errno == ECONNRESET
                return (String(decoding: received, as: UTF8.self), closed)
            }
        }
    }

    private func blockingWaitForClose(within timeout: Duration) -> Bool {
        var descriptors = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&descriptors, 1, milliseconds) > 0 else { return false }
        var byte: UInt8 = 0
        let count = recv(descriptor, &byte, 1, Int32(MSG_PEEK))
        return count == 0 || (count < 0 && errno == ECONNRESET)
    }
}
