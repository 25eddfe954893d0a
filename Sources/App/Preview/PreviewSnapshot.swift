import Crypto
import Forms
import Foundation

/// A forms folder as the preview read it at one version: every file's check, the forms that
/// passed it, and their pages compiled by the app's own ``PageLibrary``.
struct PreviewSnapshot: Sendable {
    /// ``PreviewFolder/version(of:)`` when the folder was read.
    let version: String
    /// The same check as `disposable-app forms check`: a file with problems shows them instead.
    let check: FormCheck
    /// The forms of the files without problems, and their pages: compiled as the server compiles its own.
    let formSet: FormSet

    var forms: FormCatalog { formSet.catalog }
    var pages: PageLibrary { formSet.pages }
    var presentation: Presentation { formSet.presentation }
    var messages: MessageCatalog { presentation.messages }

    init(directory: String, version: String, messages: MessageCatalog, branding: Branding) {
        self.version = version
        check = FormCatalog.check(directory: directory)
        formSet = FormCompiler(urls: AppURLs(basePath: ""), messages: messages, branding: branding).compile(check.validForms)
    }

    /// The language a person asking for `requested` sees `form` in: only languages the form has
    /// texts in, as in the app (see ``MessageCatalog/negotiate(query:context:acceptLanguage:form:)``).
    func language(of form: FormDefinition, requested: String?) -> String {
        messages.negotiate(query: requested, context: nil, acceptLanguage: nil, form: form)
    }

    /// Every language the app speaks, the default first, then by code.
    var languages: [String] {
        messages.languages.sorted { ($0 == messages.defaultLanguage ? 0 : 1, $0) < ($1 == messages.defaultLanguage ? 0 : 1, $1) }
    }
}

/// The forms folder the preview serves, read again whenever its files change: each request asks
/// for ``current()``, which compares the folder's version (a hash of the form files' names and
/// bytes; the folder is small) with the one read last.
actor PreviewFolder {
    let directory: String
    private let messages: MessageCatalog
    private let branding: Branding
    private var snapshot: PreviewSnapshot?

    init(directory: String, messages: MessageCatalog, branding: Branding) {
        self.directory = directory
        self.messages = messages
        self.branding = branding
    }

    /// The folder as it is now.
    func current() -> PreviewSnapshot {
        let version = Self.version(of: directory)
        if let snapshot, snapshot.version == version { return snapshot }
        // Read after the version was taken: a change in between makes the next request read again.
        let fresh = PreviewSnapshot(directory: directory, version: version, messages: messages, branding: branding)
        snapshot = fresh
        return fresh
    }

    /// A hash of every form file's name and bytes, as ``FormCatalog/check(directory:)`` picks the
    /// files (`*.yaml`, `*.yml`, no dot-files): any edit, new file or removal changes it.
    static func version(of directory: String) -> String {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { name in
            !name.hasPrefix(".") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
        }.sorted()
        var hash = SHA256()
        for name in names {
            let bytes = FileManager.default.contents(atPath: directory + "/" + name) ?? Data()
            // Name and length first, so that no two folders hash the same bytes in a different split.
            hash.update(data: Data("\(name)\u{0}\(bytes.count)\u{0}".utf8))
            hash.update(data: bytes)
        }
        return hash.finalize().prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}
