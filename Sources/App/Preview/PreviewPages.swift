import AlvariaModels
import Forms
import NIOCore

/// The preview's own pages, for the form author: the index of every form, language and state,
/// the Outcome a submit would send, and "not in this preview". Built per request with the app's
/// layout and escaping; in English, as `disposable-app forms check` speaks.
enum PreviewPages {
    static func index(_ snapshot: PreviewSnapshot) -> ByteBuffer {
        var page = PageBuilder<StaticPageState>()
        let chrome = snapshot.presentation.chrome(title: "Form preview", language: "en")
        Layout.write(chrome, into: &page) { page in
            page.markup("<h1>Form preview</h1>\n<p class=\"intro\">Every form of ")
            page.text(snapshot.check.directory)
            page.markup(
                " in every language and state, made by the app's own pages from each form's <code>example:</code> context. "
                    + "Nothing is stored or sent: a page you send shows its errors, or the Outcome it would send. "
                    + "A page reloads by itself when its file changes.</p>\n"
            )
            if let problem = snapshot.check.directoryProblem {
                page.markup("<p class=\"error\">")
                page.text(problem.description)
                page.markup("</p>\n")
            }
            for file in snapshot.check.files {
                if file.isValid, let id = file.id, let form = snapshot.forms[id] {
                    write(form, file: file.path, snapshot: snapshot, into: &page)
                } else {
                    writeProblems(of: file, into: &page)
                }
            }
        }
        return page.build().render(StaticPageState())
    }

    private static func write(_ form: FormDefinition, file: String, snapshot: PreviewSnapshot, into page: inout PageBuilder<StaticPageState>) {
        page.markup("<section class=\"panel\"")
        page.attribute("aria-labelledby", "form-\(form.id)")
        page.markup(">\n<h2")
        page.attribute("id", "form-\(form.id)")
        page.markup(">")
        page.text(form.title)
        page.markup("</h2>\n<p>")
        page.text("\(form.id) · \(file)")
        if form.example == nil { page.markup(" · no <code>example:</code>, so prefilled states show no context") }
        page.markup("</p>\n<table>\n<thead><tr><th scope=\"col\">Language</th><th scope=\"col\">States</th></tr></thead>\n<tbody>\n")
        let states = PreviewState.all(for: form)
        for language in snapshot.languages {
            let shown = snapshot.language(of: form, requested: language)
            page.markup("<tr><th scope=\"row\"")
            page.attribute("lang", language)
            page.markup(">")
            page.text("\(snapshot.messages.text("language", language)) (\(language))")
            page.markup("</th><td>")
            if shown != language {
                page.markup("<p>")
                page.text("No \(language) texts: people asking for it see \(shown).")
                page.markup("</p>")
            }
            for (position, state) in states.enumerated() {
                if position > 0 { page.markup(" · ") }
                page.markup("<a")
                page.attribute("href", PreviewURLs.page(form.id, language: language, state: state))
                page.markup(">")
                page.text(state.title)
                page.markup("</a>")
            }
            page.markup("</td></tr>\n")
        }
        page.markup("</tbody>\n</table>\n</section>\n")
    }

    /// The same lines as `disposable-app forms check`.
    private static func writeProblems(of file: FormCheck.File, into page: inout PageBuilder<StaticPageState>) {
        page.markup("<section class=\"panel\">\n<h2>")
        page.text(file.path)
        page.markup("</h2>\n<p>Not previewed: this file has problems.</p>\n<ul class=\"problems\">\n")
        for problem in file.problems {
            page.markup("<li>")
            page.text(problem.description)
            page.markup("</li>\n")
        }
        page.markup("</ul>\n</section>\n")
    }

    static func outcome(_ outcome: OutcomePreview, presentation: Presentation) -> ByteBuffer {
        var page = PageBuilder<StaticPageState>()
        let title = outcome.declined ? "The Outcome “No thanks” would send" : "The Outcome this submit would send"
        Layout.write(presentation.chrome(title: title, language: "en"), into: &page) { page in
            page.markup("<h1>")
            page.text(title)
            page.markup("</h1>\n<p class=\"intro\">")
            page.text("\(outcome.form.title) (\(outcome.form.id)), in \(outcome.language). ")
            page.markup("A preview: nothing was stored or sent.</p>\n")
            page.markup("<table>\n<thead><tr><th scope=\"col\">Variable</th><th scope=\"col\">Value</th></tr></thead>\n<tbody>\n")
            for variable in outcome.variables {
                page.markup("<tr><td>")
                page.text(variable.id)
                page.markup("</td><td>")
                page.text(variable.value)
                page.markup("</td></tr>\n")
            }
            page.markup("</tbody>\n</table>\n<p><a")
            page.attribute("href", outcome.back)
            page.markup(">Back to the form</a> · <a")
            page.attribute("href", PreviewURLs.index)
            page.markup(">Every form</a></p>\n")
        }
        return page.build().render(StaticPageState())
    }

    static func notFound(presentation: Presentation) -> ByteBuffer {
        var page = PageBuilder<StaticPageState>()
        Layout.write(presentation.chrome(title: "Not in this preview", language: "en"), into: &page) { page in
            page.markup("<h1>Not in this preview</h1>\n<p class=\"intro\">No such form, language or state: the form may have ")
            page.markup("been renamed, or its file has problems now.</p>\n<p><a")
            page.attribute("href", PreviewURLs.index)
            page.markup(">Every form</a></p>\n")
        }
        return page.build().render(StaticPageState())
    }

    /// `html` with the live-reload script in its head: it asks for ``PreviewURLs/version`` about
    /// once a second and reloads when it is no longer `version` (going to `page` instead when
    /// given, so that a page answering a post is not posted again).
    static func withReloadScript(_ html: ByteBuffer, version: String, page: String? = nil) -> ByteBuffer {
        var tag = "<script src=\"\(PreviewURLs.script)\" data-version=\"\(HTMLEscaping.escape(version))\""
        if let page { tag += " data-page=\"\(HTMLEscaping.escape(page))\"" }
        tag += " defer></script>\n</head>"
        let text = String(buffer: html)
        guard let head = text.range(of: "</head>") else { return html }
        return ByteBuffer(string: text.replacingCharacters(in: head, with: tag))
    }
}
