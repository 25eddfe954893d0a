internal import Foundation
internal import Mustache

/// A form's (or translation's) intro, checked and compiled once when the form is loaded.
///
/// Everything the template outputs is HTML-escaped: the context values (by a content type that
/// escapes at the Unicode scalar level) and the template's own literal text (escaped before
/// compiling). Tags that would switch escaping off are refused when loading: triple-stache and
/// `{{&`, pragmas (`{{% CONTENT_TYPE: TEXT}}`), delimiter changes (which would hide the others
/// from this check) and partials (there is no library, and a partial resets the content type).
struct IntroTemplate: Sendable {
    let source: String
    private let template: MustacheTemplate

    /// Why a source is refused, as a sentence for a ``FormProblem``.
    struct Rejection: Error {
        let reason: String
    }

    static func compile(_ source: String) throws(Rejection) -> IntroTemplate {
        if let reason = unsafeTagReason(in: source) {
            throw Rejection(reason: reason)
        }
        // Compiled as written first, so the line and column of a mistake are the author's.
        do {
            _ = try MustacheTemplate(string: source)
        } catch let error as MustacheTemplate.ParserError {
            throw Rejection(
                reason: "Mustache template does not compile: \(describe(error.error)) "
                    + "(line \(error.context.lineNumber), column \(error.context.columnNumber))"
            )
        } catch {
            throw Rejection(reason: "Mustache template does not compile: \(error)")
        }
        // The pragma sits on its own line, which Mustache drops as "standalone", so the source's
        // first line is still a line start and renders as it would on its own.
        let escapedSource = "{{% CONTENT_TYPE: \(HTMLEscaping.mustacheContentType)}}\n" + escapeLiteralText(source)
        do {
            return IntroTemplate(source: source, template: try MustacheTemplate(string: escapedSource))
        } catch {
            throw Rejection(reason: "Mustache template does not compile once escaped: \(error)")
        }
    }

    /// For texts set in code rather than loaded: `nil` when unsafe or broken, so rendering
    /// can fall back instead of failing. Loading reports the reason.
    static func compiledIfSafe(_ source: String?) -> IntroTemplate? {
        guard let source else { return nil }
        return try? compile(source)
    }

    /// Never fails: a missing key renders as nothing, as Mustache specifies.
    func render(_ context: FormContext) -> String {
        template.render(["context": context.mustacheValue])
    }

    // MARK: - Checks

    private static func unsafeTagReason(in source: String) -> String? {
        let bytes = Array(source.utf8)
        var index = 0
        while index + 2 < bytes.count {
            guard bytes[index] == UInt8(ascii: "{"), bytes[index + 1] == UInt8(ascii: "{") else {
                index += 1
                continue
            }
            switch bytes[index + 2] {
            case UInt8(ascii: "{"), UInt8(ascii: "&"):
                return "unescaped Mustache output is not allowed ({{{…}}} and {{&…}} would put context values in the page unescaped)"
            case UInt8(ascii: "%"):
                return "Mustache pragmas ({{%…}}) are not allowed: they can switch escaping off"
            case UInt8(ascii: "="):
                return "changing the Mustache delimiters ({{=…=}}) is not allowed"
            case UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "$"):
                return "Mustache partials and blocks ({{>…}}, {{<…}}, {{$…}}) are not available in form texts"
            default:
                index += 2
            }
        }
        return nil
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect: "a section is closed with another name than it was opened with"
        case .unfinishedName: "a tag is not closed with }} or contains characters a name cannot have"
        case .expectedSectionEnd: "a section is opened but never closed"
        case .some(let other): "\(other)"
        case .none: "\(error)"
        }
    }

    /// Escapes the text between tags, leaving `{{…}}` as written. Delimiters cannot change
    /// (refused above), so a tag always runs from `{{` to the next `}}`.
    private static func escapeLiteralText(_ source: String) -> String {
        var result = ""
        var rest = source[...]
        while let open = rest.range(of: "{{") {
            result += HTMLEscaping.escape(String(rest[..<open.lowerBound]))
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                result += rest[open.lowerBound...]
                return result
            }
            result += rest[open.lowerBound..<close.upperBound]
            rest = rest[close.upperBound...]
        }
        return result + HTMLEscaping.escape(String(rest))
    }
}
