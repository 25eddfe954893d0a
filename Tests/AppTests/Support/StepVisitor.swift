import AlvariaModels
import Foundation
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing

@testable import App

/// One browser on a multi-step form: it keeps the cookies the app sets and sends them back, and
/// posts each page's form with that page's token, as a person clicking through would.
final class StepVisitor: Sendable {
    let app: any BrowserRequests & Sendable
    let formURI: String
    private let jar = Mutex<[String: String]>([:])
    /// The last page this browser was shown.
    private let lastPage = Mutex<String>("")

    /// - Parameter formURI: `/f/{formId}?sessionId=S`.
    init(_ app: any BrowserRequests & Sendable, formURI: String) {
        self.app = app
        self.formURI = formURI
    }

    var cookies: [String: String] { jar.withLock { $0 } }

    func get(_ uri: String? = nil) async throws -> TestResponse {
        let response = try await app.get(uri ?? formURI, headers: cookieHeaders())
        keep(response)
        return response
    }

    /// Posts the last page's form: its token, `_step` and `_lang` as the page had them; to the
    /// form's address unless `uri` names another (the verification step's).
    func post(_ action: String?, _ fields: [(String, String)], query: String = "", to uri: String? = nil) async throws -> TestResponse {
        let page = lastPage.withLock { $0 }
        let token = try #require(TestApp.token(in: page), "no form on the last page")
        var posted = [("_token", token)] + (action.map { [("_action", $0)] } ?? [])
        for name in ["_step", "_lang"] {
            if let value = Self.hiddenValue(name, in: page) { posted.append((name, value)) }
        }
        var headers = cookieHeaders()
        headers[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
        let response = try await app.post((uri ?? formURI) + query, posted + fields, headers: headers)
        keep(response)
        return response
    }

    /// Posts `next` with the fields, expecting to be sent on; returns where to.
    @discardableResult
    func next(_ fields: [(String, String)], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let response = try await post("next", fields)
        #expect(response.status == .seeOther, "\(response.text)", sourceLocation: sourceLocation)
        let location = try #require(response.headers[.location], sourceLocation: sourceLocation)
        _ = try await get(location)
        return location
    }

    private func cookieHeaders() -> HTTPFields {
        let pairs = jar.withLock { $0.map { "\($0.key)=\($0.value)" } }
        return pairs.isEmpty ? [:] : [.cookie: pairs.sorted().joined(separator: "; ")]
    }

    private func keep(_ response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            let pair = header.prefix { $0 != ";" }
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals])
            let value = String(pair[pair.index(after: equals)...])
            jar.withLock { jar in
                if value.isEmpty || header.lowercased().contains("max-age=0") { jar[name] = nil } else { jar[name] = value }
            }
        }
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            lastPage.withLock { $0 = response.text }
        }
    }

    static func hiddenValue(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: #"name="\#(name)" value="([^"]*)""#, options: .regularExpression) else { return nil }
        return String(html[range].dropFirst(#"name="\#(name)" value=""#.count).dropLast())
    }
}
