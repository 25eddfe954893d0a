import Forms

/// What every page shares around its own content: language and direction, stylesheets, the
/// script, and the brand (name, logo, icon, colours) — the app's, or a form's own over it.
struct Presentation: Sendable {
    let urls: AppURLs
    let messages: MessageCatalog
    /// `branding.*` from the configuration.
    let branding: Branding
    /// Form id -> the stylesheet of its colours; `""` for the app's. Built once at start-up.
    private let brandStylesheets: [String: String]

    init(urls: AppURLs, messages: MessageCatalog, branding: Branding, forms: FormCatalog) {
        self.urls = urls
        self.messages = messages
        self.branding = branding
        var stylesheets: [String: String] = [:]
        if branding.hasColors { stylesheets[""] = Self.stylesheet(for: branding) }
        for form in forms.forms where form.branding?.hasColors == true {
            stylesheets[form.id] = Self.stylesheet(for: form.branding.map { $0.over(branding) } ?? branding)
        }
        brandStylesheets = stylesheets
    }

    /// The brand a form's pages show: the form's `branding:` over the app's.
    func branding(for form: FormDefinition?) -> Branding {
        form?.branding.map { $0.over(branding) } ?? branding
    }

    func chrome(title: String, language: String, form: FormDefinition? = nil, script: Bool = false) -> PageChrome {
        let brand = branding(for: form)
        let stylesheetKey = form.flatMap { brandStylesheets[$0.id] != nil ? $0.id : nil } ?? ""
        return PageChrome(
            lang: language,
            dir: messages.text("dir", language),
            pageTitle: brand.displayName.map { "\(title) – \($0)" } ?? title,
            stylesheet: urls.stylesheet,
            brandStylesheet: brandStylesheets[stylesheetKey] == nil ? nil : urls.brandStylesheet(stylesheetKey),
            favicon: brand.favicon.map(urls.staticFile) ?? "data:,",
            logo: brand.logo.map(urls.staticFile),
            displayName: brand.displayName,
            script: script ? urls.script : nil
        )
    }

    /// The CSS served at ``AppURLs/brandStylesheet(_:)``: `""` for the app's, else a form id.
    func brandStylesheet(named name: String) -> String? {
        brandStylesheets[name]
    }

    /// Custom properties that `app.css` reads; colours are `#rrggbb`, so nothing here needs escaping.
    /// Buttons keep the brand colour in the dark theme too (white text on it passed the start-up
    /// contrast check); links and the focus ring there keep the dark theme's own colours.
    private static func stylesheet(for branding: Branding) -> String {
        var properties: [String] = []
        if let primary = branding.primaryColor {
            properties.append("--brand-primary:\(primary.hex);--brand-on-primary:#ffffff")
        }
        if let accent = branding.accentColor {
            properties.append("--brand-accent:\(accent.hex)")
        }
        return ":root{\(properties.joined(separator: ";"))}\n"
    }
}
