import Foundation

/// Every URL the pages link to, under `http.basePath`: the one place that knows the route layout.
struct AppURLs: Sendable {
    let basePath: String

    var stylesheet: String { "\(basePath)/static/css/app.css" }
    var script: String { "\(basePath)/static/js/form.js" }

    /// A file of `Public/` (`img/logo.svg`), checked at start-up to be a plain relative path.
    func staticFile(_ path: String) -> String { "\(basePath)/static/\(path)" }

    /// `""` names the app's brand colours, anything else a form's.
    func brandStylesheet(_ name: String) -> String { "\(basePath)/brand/\(name.isEmpty ? "app" : name).css" }

    /// `GET {basePath}/s/{sessionId}`: the short link for SMS.
    func short(sessionId: String) -> String { "\(basePath)/s/\(Self.encode(sessionId))" }
    var console: String { "\(basePath)/" }
    var consoleDialogs: String { "\(basePath)/console/dialogs" }

    func root(sessionId: String) -> String {
        "\(basePath)/?sessionId=\(Self.encode(sessionId))"
    }

    func form(_ formId: String, sessionId: String, language: String? = nil) -> String {
        "\(basePath)/f/\(Self.encode(formId))?sessionId=\(Self.encode(sessionId))" + (language.map { "&lang=\(Self.encode($0))" } ?? "")
    }

    func done(_ formId: String, sessionId: String, language: String, declined: Bool) -> String {
        "\(basePath)/f/\(Self.encode(formId))/done?sessionId=\(Self.encode(sessionId))&lang=\(Self.encode(language))"
            + (declined ? "&declined=1" : "")
    }

    /// Session ids, form ids and language codes are already restricted to URL-safe characters;
    /// this keeps it so should that ever change.
    static func encode(_ component: String) -> String {
        component.addingPercentEncoding(withAllowedCharacters: .urlUnreservedSet) ?? component
    }
}

extension CharacterSet {
    static let urlUnreservedSet = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:")
}
