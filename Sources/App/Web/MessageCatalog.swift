import Forms
import Foundation
import Yams

/// The UI text (buttons, errors, status pages) in every language the app speaks, loaded once
/// from `Messages/*.yaml`. English is the reference: a key missing elsewhere falls back to it,
/// and a key missing in English is a start-up error.
struct MessageCatalog: Sendable {
    /// Every key the app uses; checked against the English catalogue at start-up.
    static let requiredKeys: [String] =
        [
            "language", "dir", "form.optional", "form.errorSummaryTitle", "form.errorPrefix", "form.choose",
            "form.sessionNote", "form.onlyIf", "form.onlyIfChecked", "form.onlyIfUnchecked", "form.or",
            "form.enterAgain",
        ]
        // One message per kind of field problem, by its code: a new kind needs its texts.
        + FieldProblem.examples.map { "field.\($0.code)" }
        + StatusPage.allCases.flatMap { ["page.\($0.rawValue).title", "page.\($0.rawValue).message"] }
        + ["page.pageExpired.action", "page.unavailable.action", "page.preview.title", "page.preview.message"]
        + ["verify.intro", "verify.submit", "verify.noMatch"]

    static let fallbackLanguage = "en"

    /// Problems only the server finds (a file's content, how many files): the browser's own checks
    /// never report them, so every page need not carry their texts.
    private static let serverOnly: Set<String> = ["field.fileType", "field.fileTooLarge", "field.fileDamaged", "field.tooManyFiles"]

    private let catalogues: [String: [String: String]]
    /// Language -> the `field.*` texts as a JSON object, for the script to give the browser's
    /// own checks the same words as the server's (`data-messages` on the form). Built once.
    private let browserMessages: [String: String]
    /// `i18n.defaultLanguage`: the language of pages when nothing else decides.
    let defaultLanguage: String

    /// The languages with a catalogue, e.g. `["en", "es"]`.
    var languages: Set<String> { Set(catalogues.keys) }

    init(catalogues: [String: [String: String]], defaultLanguage: String = fallbackLanguage) throws(StartupError) {
        guard let english = catalogues[Self.fallbackLanguage] else {
            throw StartupError(problems: ["messages: no English catalogue (Messages/en.yaml)"])
        }
        let missing = Self.requiredKeys.filter { english[$0] == nil }
        if !missing.isEmpty {
            throw StartupError(problems: ["messages: Messages/en.yaml lacks \(missing.joined(separator: ", "))"])
        }
        guard catalogues[defaultLanguage] != nil else {
            let known = catalogues.keys.sorted().joined(separator: ", ")
            throw StartupError(problems: [
                "i18n.defaultLanguage (I18N_DEFAULT_LANGUAGE): \"\(defaultLanguage)\" has no catalogue; expected one of \(known)"
            ])
        }
        self.catalogues = catalogues
        self.defaultLanguage = defaultLanguage
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var browserMessages: [String: String] = [:]
        for language in catalogues.keys {
            let texts = Dictionary(
                uniqueKeysWithValues: Self.requiredKeys.filter { $0.hasPrefix("field.") && !Self.serverOnly.contains($0) }.map { key in
                    (String(key.dropFirst("field.".count)), catalogues[language]?[key] ?? english[key] ?? key)
                }
            )
            browserMessages[language] = (try? encoder.encode(texts)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
        self.browserMessages = browserMessages
    }

    /// The validation texts of `language` as JSON (see `browserMessages`).
    func browserValidationMessages(_ language: String) -> String {
        browserMessages[language] ?? browserMessages[Self.fallbackLanguage] ?? "{}"
    }

    /// Loads every `*.yaml` in the bundled `Messages` folder.
    static func bundled(defaultLanguage: String = fallbackLanguage) throws(StartupError) -> MessageCatalog {
        guard let directory = Bundle.module.url(forResource: "Messages", withExtension: nil) else {
            throw StartupError(problems: ["messages: the Messages resource folder is missing from the build"])
        }
        var catalogues: [String: [String: String]] = [:]
        var problems: [String] = []
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        for file in files where file.pathExtension == "yaml" {
            do {
                let text = try String(contentsOf: file, encoding: .utf8)
                catalogues[file.deletingPathExtension().lastPathComponent] = try YAMLDecoder().decode([String: String].self, from: text)
            } catch {
                problems.append("messages: \(file.lastPathComponent) is not a flat YAML mapping of strings")
            }
        }
        if !problems.isEmpty { throw StartupError(problems: problems) }
        return try MessageCatalog(catalogues: catalogues, defaultLanguage: defaultLanguage)
    }

    /// The keys of ``requiredKeys`` that `language`'s own catalogue lacks (English fills them in).
    func missingKeys(in language: String) -> [String] {
        Self.requiredKeys.filter { catalogues[language]?[$0] == nil }
    }

    /// The text for `key` in `language`, else in English.
    func text(_ key: String, _ language: String, _ substitutions: [String: String] = [:]) -> String {
        var text = catalogues[language]?[key] ?? catalogues[Self.fallbackLanguage]?[key] ?? key
        for (name, value) in substitutions {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    /// Picks the first language we speak from, in order: the `lang` query parameter, the
    /// context's `lang`, the browser's `Accept-Language` (by quality), the form's own language,
    /// then `i18n.defaultLanguage`.
    ///
    /// On a form's pages only languages the form has texts in count, so a page never mixes
    /// the form in one language with buttons and messages in another.
    func negotiate(query: String?, context: String?, acceptLanguage: String?, form: FormDefinition? = nil) -> String {
        let candidates = [query, context].compactMap { $0 } + Self.acceptedLanguages(acceptLanguage) + [form?.language].compactMap { $0 }
        for candidate in candidates {
            guard let code = catalogueCode(for: candidate) else { continue }
            if let form, !form.speaks(code) { continue }
            return code
        }
        return defaultLanguage
    }

    /// `es-MX` -> `es` when there is no `es-mx` catalogue; `nil` when neither exists.
    private func catalogueCode(for tag: String) -> String? {
        let code = tag.lowercased().replacingOccurrences(of: "_", with: "-")
        if catalogues[code] != nil { return code }
        if let primary = code.split(separator: "-").first.map(String.init), catalogues[primary] != nil { return primary }
        return nil
    }

    /// `es-MX,es;q=0.9,en;q=0.5` → `["es-MX", "es", "en"]`, best first; `q=0` means "not this one".
    static func acceptedLanguages(_ header: String?) -> [String] {
        guard let header else { return [] }
        let weighted = header.split(separator: ",").compactMap { item -> (String, Double)? in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first, !tag.isEmpty, tag != "*" else { return nil }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0 ? (tag, quality) : nil
        }
        return weighted.enumerated().sorted { ($0.element.1, -$0.offset) > ($1.element.1, -$1.offset) }.map(\.element.0)
    }
}

/// The pages that say one thing and offer at most one action.
enum StatusPage: String, CaseIterable, Sendable {
    case confirmation, declined, alreadyCompleted, linkIncomplete, notFound, expired, pageExpired, unavailable
    case tooLarge, badRequest, tooManyRequests, serverError
    /// Verification failed too often: the session is locked.
    case locked
    /// `expiresAfter` has passed since the link was first opened.
    case linkTimedOut
    /// A file link whose signature is not ours (or was changed).
    case fileLinkInvalid
    /// A file link past its `exp`, or its file erased by retention.
    case fileGone

    var status: HTTPStatusCode {
        switch self {
        case .confirmation, .declined, .alreadyCompleted: 200
        case .linkIncomplete, .badRequest: 400
        case .notFound: 404
        case .expired, .linkTimedOut, .fileGone: 410
        case .pageExpired, .locked, .fileLinkInvalid: 403
        case .unavailable: 503
        case .tooLarge: 413
        case .tooManyRequests: 429
        case .serverError: 500
        }
    }
}

typealias HTTPStatusCode = Int
