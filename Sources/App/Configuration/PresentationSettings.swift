public import Forms
import Foundation

/// `branding.*` and `i18n.defaultLanguage`: how the pages look, and their language when
/// nothing else decides. Forms may override the branding key by key.
public struct PresentationSettings: Sendable {
    public var branding: Branding
    /// Checked against the bundled catalogues when the app is built.
    public var defaultLanguage: String

    init(_ values: inout ConfigValues, publicDirectory: String) {
        func color(_ key: String) -> BrandColor? {
            guard let text = values.string(key) else { return nil }
            guard let color = BrandColor(hex: text) else {
                values.problem(key, "\"\(text)\" is not a colour; expected #rrggbb, like #0b5cad")
                return nil
            }
            return color
        }
        branding = Branding(
            displayName: values.string("branding.displayName"),
            logo: values.string("branding.logo"),
            favicon: values.string("branding.favicon"),
            primaryColor: color("branding.primaryColor"),
            accentColor: color("branding.accentColor")
        )
        for problem in branding.contrastProblems {
            values.problem("branding.\(problem.setting)", problem.message)
        }
        for problem in Self.fileProblems(of: branding, publicDirectory: publicDirectory) {
            values.problem(problem.key, problem.message)
        }
        defaultLanguage = values.string("i18n.defaultLanguage", default: "en").lowercased()
    }

    /// A logo or icon that is not a plain file of `Public/` would be a broken image on every page.
    static func fileProblems(of branding: Branding, publicDirectory: String) -> [(key: String, message: String)] {
        var problems: [(key: String, message: String)] = []
        for (key, path) in [("branding.logo", branding.logo), ("branding.favicon", branding.favicon)] {
            guard let path else { continue }
            if !FormDefinition.isPublicPath(path) {
                problems.append((key, "\"\(path)\" is not valid; expected a relative path inside \(publicDirectory)/, like img/logo.svg"))
            } else if !FileManager.default.fileExists(atPath: "\(publicDirectory)/\(path)") {
                problems.append((key, "\"\(path)\" is not a file in \(publicDirectory)/"))
            }
        }
        return problems
    }
}
