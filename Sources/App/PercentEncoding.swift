import Foundation

/// The app's one percent-encoding, for path segments, query values and form bodies alike:
/// everything but RFC 3986's unreserved characters and `:` is encoded.
///
/// `:` stays because sessionIds may contain it and it is legal unencoded in a path segment, a
/// query and a form value: a sessionId then reads the same in a link, a log and Alvaria's URL.
enum PercentEncoding {
    private static let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:")

    static func encode(_ text: String) -> String {
        // Only unpaired surrogates make this fail, and a Swift String cannot hold one.
        text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
