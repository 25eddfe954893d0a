import Crypto
import Foundation

/// Names of the cookies kept per session: a browser holding links of several sessions keeps one
/// of each for every session. A hash, so the cookie does not repeat the sessionId.
enum SessionCookie {
    static func name(_ prefix: String, sessionId: String) -> String {
        let digest = SHA256.hash(data: Data(sessionId.utf8))
        let hex = Array("0123456789abcdef".utf8)
        var name = Array(prefix.utf8)
        for byte in digest.prefix(12) {
            name.append(hex[Int(byte >> 4)])
            name.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: name, as: UTF8.self)
    }
}
