import Forms

/// One consistent set of forms: the catalog and every page compiled from it. A request works
/// with one set from start to end, so a reload in the middle of it never mixes two versions.
struct FormSet: Sendable {
    let catalog: FormCatalog
    /// Brand stylesheets of this set's forms, and what every page shares.
    let presentation: Presentation
    let pages: PageLibrary
    /// Whether any form has `verify:` or `expiresAfter:`: only then does a page load ask the
    /// database about the session beyond its outcome.
    let tracksSessions: Bool
}

/// A form as one of its versions, with the pages compiled from that version: the current
/// version's are the current set's; an earlier version has a set of its own.
struct FormEdition: Sendable {
    let form: FormDefinition
    let set: FormSet
}

/// What turns a catalog into pages: what every page shares, whatever the forms (addresses, the
/// interface's texts, the app's brand).
struct FormCompiler: Sendable {
    let urls: AppURLs
    let messages: MessageCatalog
    /// `branding.*` from the configuration.
    let branding: Branding

    func compile(_ catalog: FormCatalog) -> FormSet {
        let presentation = Presentation(urls: urls, messages: messages, branding: branding, forms: catalog)
        return FormSet(
            catalog: catalog,
            presentation: presentation,
            pages: PageLibrary(forms: catalog, presentation: presentation),
            tracksSessions: catalog.forms.contains(where: \.tracksSession)
        )
    }
}
