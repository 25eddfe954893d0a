extension FormDefinition {
    /// The intro for this context, as HTML ready to insert without escaping again: the
    /// template's literal text and every context value are HTML-escaped (`<`, `>`, `&`, `"`,
    /// `'`), a missing key renders as nothing. Line breaks are kept as `\n`.
    ///
    /// `nil` when the form has no intro. Never fails at render time; an intro set in code that
    /// does not compile (loading would have refused it) comes out as its escaped source text.
    public func renderIntro(context: FormContext) -> String? {
        guard let intro else { return nil }
        guard let compiledIntro, compiledIntro.source == intro else {
            return HTMLEscaping.escape(intro)
        }
        return compiledIntro.render(context)
    }
}
