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
    /// The template as literal text and context paths, when it uses nothing but `{{context.…}}`
    /// variables (the usual intro): rendered without swift-mustache's name lookups and casts.
    private let plainSegments: [Segment]?

    private enum Segment: Sendable {
        /// Escaped already.
        case text(String)
        /// `context.a.b` as `["a", "b"]`.
        case value([String])
    }

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
        // TEXT: swift-mustache escapes nothing, because everything is escaped already — the
        // literal text here, the context's values as they enter (FormContext.htmlEscapedMustacheValue)
        // — by HTMLEscaping, which works on scalars where swift-mustache's HTML escaping works on
        // Characters and lets `"` plus a combining accent through. No process-wide content type.
        // The pragma sits on its own line, which Mustache drops as "standalone", so the source's
        // first line is still a line start and renders as it would on its own.
        let escapedSource = "{{% CONTENT_TYPE: TEXT}}\n" + escapeLiteralText(source)
        do {
            return IntroTemplate(
                source: source,
                template: try MustacheTemplate(string: escapedSource),
                plainSegments: plainSegments(of: source)
            )
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
        guard let plainSegments else { return renderWithMustache(context) }
        var html = ""
        for segment in plainSegments {
            switch segment {
            case .text(let text):
                html += text
            case .value(let path):
                // As swift-mustache renders them: strings, numbers as JSON text, booleans as
                // true/false; objects, arrays, null and missing keys as nothing.
                switch context.jsonValue(components: path) {
                case .string(let string): html += HTMLEscaping.escape(string)
                case .number(let number): html += HTMLEscaping.escape(number.description)
                case .bool(let bool): html += bool ? "true" : "false"
                case .null, .array, .object, nil: break
                }
            }
        }
        return html
    }

    /// The template rendered by swift-mustache, whatever it uses.
    func renderWithMustache(_ context: FormContext) -> String {
        template.render(["context": context.htmlEscapedMustacheValue])
    }

    /// Literal text and `{{context.a.b}}` tags only, or `nil` for anything else (sections,
    /// comments, other names), which swift-mustache renders.
    private static func plainSegments(of source: String) -> [Segment]? {
        var segments: [Segment] = []
        var rest = source[...]
        // swift-mustache drops a last line of nothing but spaces and tabs: so does this.
        // (Scalars, not Characters: in "\r\n" the line feed is part of one Character.)
        let scalars = rest.unicodeScalars
        let lastLine = scalars.lastIndex(of: "\n").map { scalars[scalars.index(after: $0)...] } ?? scalars[...]
        if !lastLine.isEmpty, lastLine.allSatisfy({ $0 == " " || $0 == "\t" }) {
            rest = Substring(scalars[..<lastLine.startIndex])
        }
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { segments.append(.text(HTMLEscaping.escape(String(rest[..<open.lowerBound])))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else { return nil }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let components = name.split(separator: ".", omittingEmptySubsequences: false)
            guard components.count >= 2, components[0] == "context",
                components.allSatisfy({ component in
                    !component.isEmpty && !component.contains { $0.isWhitespace || "{}#^/!>&=%<$".contains($0) }
                })
            else { return nil }
            segments.append(.value(components.dropFirst().map(String.init)))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.text(HTMLEscaping.escape(String(rest)))) }
        return segments
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
