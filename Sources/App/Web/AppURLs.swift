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
    func short(sessionId: String) -> String { "\(basePath)/s/\(PercentEncoding.encode(sessionId))" }
    var console: String { "\(basePath)/" }
    var consoleDialogs: String { "\(basePath)/console/dialogs" }

    /// - Parameter step: a multi-step form's screen: a step's id or `review`; none continues where the person left off.
    func form(_ formId: String, sessionId: String, language: String? = nil, step: String? = nil) -> String {
        "\(basePath)/f/\(PercentEncoding.encode(formId))?sessionId=\(PercentEncoding.encode(sessionId))"
            + formQuery(language: language, step: step)
    }

    /// What follows the sessionId in ``form(_:sessionId:language:step:)``: pages write the
    /// sessionId between the two parts themselves.
    func formQuery(language: String?, step: String?) -> String {
        (language.map { "&lang=\(PercentEncoding.encode($0))" } ?? "") + (step.map { "&step=\(PercentEncoding.encode($0))" } ?? "")
    }

    /// `POST {basePath}/f/{formId}/verify?sessionId=S`: the verification step's answers.
    func verify(_ formId: String, sessionId: String) -> String {
        "\(basePath)/f/\(PercentEncoding.encode(formId))/verify?sessionId=\(PercentEncoding.encode(sessionId))"
    }

    func done(_ formId: String, sessionId: String, language: String, declined: Bool) -> String {
        "\(basePath)/f/\(PercentEncoding.encode(formId))/done?sessionId=\(PercentEncoding.encode(sessionId))&lang=\(PercentEncoding.encode(language))"
            + (declined ? "&declined=1" : "")
    }
}
