// Today's renderer (before compiled pages), kept so the differential tests can prove the
// compiled pages produce the same bytes. Do not change it to make a test pass.
import Forms
import Foundation
import Mustache

@testable import App

/// A typed model for one legacy template; the layout reads its ``LegacyChrome`` as `chrome`.
protocol LegacyPageModel: Sendable {
    static var template: String { get }
}

/// The parts every page's layout needed, as `Presentation.chrome` made them before compiled pages.
struct LegacyChrome: Sendable {
    let lang: String
    let dir: String
    let pageTitle: String
    let stylesheet: String
    let brandStylesheet: String?
    let favicon: String
    let logo: String?
    let displayName: String?
    let script: String?
    var hasBrand: Bool { logo != nil || displayName != nil }

    static func make(_ presentation: Presentation, title: String, language: String, form: FormDefinition? = nil, script: Bool = false) -> LegacyChrome
    {
        let brand = presentation.branding(for: form)
        let urls = presentation.urls
        let stylesheetKey = form.flatMap { presentation.brandStylesheet(named: $0.id) != nil ? $0.id : nil } ?? ""
        return LegacyChrome(
            lang: language,
            dir: presentation.messages.text("dir", language),
            pageTitle: brand.displayName.map { "\(title) – \($0)" } ?? title,
            stylesheet: urls.stylesheet,
            brandStylesheet: presentation.brandStylesheet(named: stylesheetKey) == nil ? nil : urls.brandStylesheet(stylesheetKey),
            favicon: brand.favicon.map(urls.staticFile) ?? "data:,",
            logo: brand.logo.map(urls.staticFile),
            displayName: brand.displayName,
            script: script ? urls.script : nil
        )
    }
}

/// The Mustache templates and library as they were.
struct LegacyRenderer: Sendable {
    private let library: MustacheLibrary

    init() throws {
        Self.registerContentType
        var library = MustacheLibrary()
        try library.register(MustacheTemplate(string: Self.layoutTemplate), named: "layout")
        try library.register(MustacheTemplate(string: Self.formTemplate), named: "form")
        try library.register(MustacheTemplate(string: Self.messageTemplate), named: "message")
        self.library = library
    }

    /// The escaping the old templates used: the app no longer registers it (it now escapes before
    /// swift-mustache sees a value), so the frozen copy does, once.
    private static let registerContentType: Void = MustacheContentTypes.register(ScalarEscapedHTML(), named: "SCALAR_ESCAPED_HTML")

    private struct ScalarEscapedHTML: MustacheContentType {
        func escapeText(_ text: String) -> String { HTMLEscaping.escape(text) }
    }

    func html(_ page: some LegacyPageModel) -> String? {
        library.render(page, withTemplate: type(of: page).template)
    }

    static let layoutTemplate = #"""
        {{% CONTENT_TYPE: SCALAR_ESCAPED_HTML}}
        <!doctype html>
        <html lang="{{chrome.lang}}" dir="{{chrome.dir}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="same-origin">
        <title>{{chrome.pageTitle}}</title>
        <link rel="icon" href="{{chrome.favicon}}">
        <link rel="stylesheet" href="{{chrome.stylesheet}}">
        {{#chrome.brandStylesheet}}<link rel="stylesheet" href="{{chrome.brandStylesheet}}">
        {{/chrome.brandStylesheet}}
        {{#chrome.script}}<script src="{{chrome.script}}" defer></script>
        {{/chrome.script}}
        </head>
        <body>
        {{#chrome.hasBrand}}<header class="brand">{{#chrome.logo}}<img class="brand__logo" src="{{chrome.logo}}" alt="">{{/chrome.logo}}{{#chrome.displayName}}<span class="brand__name">{{chrome.displayName}}</span>{{/chrome.displayName}}</header>
        {{/chrome.hasBrand}}
        <main class="page" id="main">
        {{$content}}{{/content}}
        </main>
        </body>
        </html>
        """#

    static let formTemplate = #"""
        {{% CONTENT_TYPE: SCALAR_ESCAPED_HTML}}
        {{<layout}}{{$content}}
        <h1>{{heading}}</h1>
        {{#introHTML}}<p class="intro">{{{introHTML}}}</p>{{/introHTML}}
        {{#hasErrors}}
        <div class="error-summary" id="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
        <h2 id="error-summary-title">{{errorSummaryTitle}}</h2>
        <ul>
        {{#errors}}<li><a href="#{{target}}">{{text}}</a></li>
        {{/errors}}
        </ul>
        </div>
        {{/hasErrors}}
        <form class="form" method="post" action="{{action}}" accept-charset="utf-8" data-messages="{{validationMessages}}">
        <input type="hidden" name="_token" value="{{token}}">
        <input type="hidden" name="_lang" value="{{language}}">
        {{#fields}}
        {{#isHidden}}<input type="hidden" name="{{name}}" value="{{value}}">
        {{/isHidden}}
        {{^isHidden}}
        <div class="field{{#error}} field--error{{/error}}"{{#condition}} data-show-if="{{field}}" data-show-values="{{valuesJSON}}"{{/condition}}>
        {{#isGroup}}
        <fieldset>
        <legend>{{label}}{{#optionalText}} <span class="optional">({{optionalText}})</span>{{/optionalText}}</legend>
        {{#condition}}<p class="condition" id="{{hintId}}">{{hint}}</p>{{/condition}}
        {{#help}}<p class="help" id="{{helpId}}">{{help}}</p>{{/help}}
        {{#error}}<p class="error" id="{{errorId}}"><span class="visually-hidden">{{errorPrefix}} </span>{{error}}</p>{{/error}}
        {{#options}}
        <div class="choice"><input type="{{inputType}}" id="{{id}}" name="{{name}}" value="{{value}}"{{#selected}} checked{{/selected}} {{{attributes}}}><label for="{{id}}">{{label}}</label></div>
        {{/options}}
        </fieldset>
        {{/isGroup}}
        {{#isCheckbox}}
        {{#condition}}<p class="condition" id="{{hintId}}">{{hint}}</p>{{/condition}}
        {{#error}}<p class="error" id="{{errorId}}"><span class="visually-hidden">{{errorPrefix}} </span>{{error}}</p>{{/error}}
        <div class="choice"><input type="checkbox" id="{{id}}" name="{{name}}" value="true"{{#checked}} checked{{/checked}} {{{attributes}}}><label for="{{id}}">{{label}}{{#optionalText}} <span class="optional">({{optionalText}})</span>{{/optionalText}}</label></div>
        {{#help}}<p class="help" id="{{helpId}}">{{help}}</p>{{/help}}
        {{/isCheckbox}}
        {{^isGroup}}{{^isCheckbox}}
        <label for="{{id}}">{{label}}{{#optionalText}} <span class="optional">({{optionalText}})</span>{{/optionalText}}</label>
        {{#condition}}<p class="condition" id="{{hintId}}">{{hint}}</p>{{/condition}}
        {{#help}}<p class="help" id="{{helpId}}">{{help}}</p>{{/help}}
        {{#enterAgain}}<p class="help" id="{{enterAgainId}}">{{enterAgain}}</p>{{/enterAgain}}
        {{#error}}<p class="error" id="{{errorId}}"><span class="visually-hidden">{{errorPrefix}} </span>{{error}}</p>{{/error}}
        {{#isTextarea}}<textarea id="{{id}}" name="{{name}}" rows="5" {{{attributes}}}>{{value}}</textarea>{{/isTextarea}}
        {{#isSelect}}<select id="{{id}}" name="{{name}}" {{{attributes}}}>
        <option value="">{{chooseText}}</option>
        {{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>
        {{/options}}
        </select>{{/isSelect}}
        {{#isInput}}<input type="{{inputType}}" id="{{id}}" name="{{name}}" value="{{value}}" {{{attributes}}}>{{/isInput}}
        {{/isCheckbox}}{{/isGroup}}
        </div>
        {{/isHidden}}
        {{/fields}}
        <div class="actions">
        <button type="submit" name="_action" value="submit" class="button">{{submitLabel}}</button>
        {{#declineLabel}}<button type="submit" name="_action" value="decline" class="button button--secondary" formnovalidate>{{declineLabel}}</button>{{/declineLabel}}
        </div>
        </form>
        {{/content}}{{/layout}}
        """#

    static let messageTemplate = #"""
        {{% CONTENT_TYPE: SCALAR_ESCAPED_HTML}}
        {{<layout}}{{$content}}
        <div class="panel{{#isSuccess}} panel--success{{/isSuccess}}">
        <h1>{{heading}}</h1>
        <p>{{message}}</p>
        {{#actionURL}}<p><a class="button" href="{{actionURL}}">{{actionLabel}}</a></p>{{/actionURL}}
        </div>
        {{/content}}{{/layout}}
        """#
}
