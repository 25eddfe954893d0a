extension FormCheck {
    /// The forms of the files without problems, as a catalog: what a preview can still show while
    /// other files are broken. A duplicate id or a second `default: true` is the later file's
    /// problem, so the files left make a valid catalog together.
    public var validForms: FormCatalog {
        FormCatalog(checked: files.filter(\.isValid).compactMap(\.form))
    }
}
