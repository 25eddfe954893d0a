import AlvariaModels
import NIOCore

/// The demo's simulator console: start a dialog for a form, open its link, watch outcomes arrive.
/// Built per request (it lists live dialogs), with the same layout and escaping as every page.
struct ConsolePage: Sendable {
    let chrome: PageChrome
    let action: String
    let refresh: String
    let forms: [Form]
    let dialogs: [Dialog]

    /// A form a dialog can be started for, with an editable sample context.
    struct Form: Sendable {
        let id: String
        let title: String
        let sampleContext: String
    }

    /// A dialog the simulator knows, with the outcomes it received.
    struct Dialog: Sendable {
        let sessionId: String
        let link: String
        let ended: Bool
        let outcomes: [Outcome]
    }

    /// One received outcome.
    struct Outcome: Sendable {
        let receivedAt: String
        let variables: [OutcomeVariable]
    }

    func render() -> ByteBuffer {
        var page = PageBuilder<StaticPageState>()
        Layout.write(chrome, into: &page) { page in
            page.markup("<h1>CX simulator console</h1>\n")
            page.markup(
                "<p class=\"intro\">This server runs in <strong>simulator mode</strong>: it talks to a built-in imitation of Alvaria, "
                    + "not to a real contact center. Start a dialog as a CX script would, open its link, complete the form, "
                    + "and see the outcome arrive here.</p>\n"
            )
            page.markup("<h2>Dialogs</h2>\n")
            if dialogs.isEmpty { page.markup("<p>No dialogs yet: start one below.</p>\n") }
            for dialog in dialogs { write(dialog, into: &page) }
            page.markup("<h2>Start a dialog</h2>\n")
            for form in forms {
                page.markup("<form method=\"post\"")
                page.attribute("action", action)
                page.markup(" class=\"panel\">\n<h3>")
                page.text(form.title)
                page.markup(" <small>(")
                page.text(form.id)
                page.markup(")</small></h3>\n<label")
                page.attribute("for", "context-\(form.id)")
                page.markup(">Context (JSON the CX script sends)</label>\n<textarea")
                page.attribute("id", "context-\(form.id)")
                page.markup(" name=\"content\" rows=\"6\" spellcheck=\"false\">")
                page.text(form.sampleContext)
                page.markup("</textarea>\n<div class=\"actions\"><button type=\"submit\" class=\"button\">Start dialog</button></div>\n</form>\n")
            }
        }
        return page.build().render(StaticPageState())
    }

    /// A value as text; a file field's links (comma-separated) as links the agent can open.
    private static func writeValue(_ value: String, into page: inout PageBuilder<StaticPageState>) {
        let links = value.split(separator: ",").map(String.init)
        guard !links.isEmpty,
            links.allSatisfy({ ($0.hasPrefix("https://") || $0.hasPrefix("http://")) && $0.contains("/files/") && $0.contains("sig=") })
        else { return page.text(value) }
        for (index, link) in links.enumerated() {
            if index > 0 { page.markup(",<br>") }
            page.markup("<a")
            page.attribute("href", link)
            page.markup(">")
            page.text(link)
            page.markup("</a>")
        }
    }

    private func write(_ dialog: Dialog, into page: inout PageBuilder<StaticPageState>) {
        page.markup("<div class=\"panel\">\n<h3><a")
        page.attribute("href", dialog.link)
        page.markup(">Open the link for ")
        page.text(dialog.sessionId)
        page.markup("</a>")
        if dialog.ended { page.markup(" (ended)") }
        page.markup("</h3>\n")
        if dialog.outcomes.isEmpty {
            page.markup("<p>No outcome received yet. <a")
            page.attribute("href", refresh)
            page.markup(">Refresh</a></p>\n")
        }
        for outcome in dialog.outcomes {
            page.markup("<p>Outcome received ")
            page.text(outcome.receivedAt)
            page.markup(":</p>\n<table><thead><tr><th scope=\"col\">Variable</th><th scope=\"col\">Value</th></tr></thead><tbody>\n")
            for variable in outcome.variables {
                page.markup("<tr><td>")
                page.text(variable.id)
                page.markup("</td><td>")
                Self.writeValue(variable.value, into: &page)
                page.markup("</td></tr>\n")
            }
            page.markup("</tbody></table>\n")
        }
        page.markup("</div>\n")
    }
}
