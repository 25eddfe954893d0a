extension FormDefinition {
    /// The intro for this context, as HTML ready to insert without escaping again: the
    /// template's literal text and every context value are HTML-escaped (`<`, `>`, `&`, `"`,
    /// `'`), a missing key renders as nothing. Line breaks are kept as `\n`.
    ///
    /// `nil` when the form has no intro. Never fails at render time; an intro set in code that
    /// does not compile (loading would have refused it) comes out as its escaped source text.
    public func renderIntro(context: FormContext) -> String? {
        Self.render(intro, compiled: compiledIntro, context: context)
    }

    /// A step's intro, rendered exactly like the form's (see ``renderIntro(context:)``); `nil`
    /// when the step has none.
    public func renderIntro(of step: FormStep, context: FormContext) -> String? {
        Self.render(step.intro, compiled: step.compiledIntro, context: context)
    }

    private static func render(_ source: String?, compiled: IntroTemplate?, context: FormContext) -> String? {
        guard let source else { return nil }
        guard let compiled, compiled.source == source else {
            return HTMLEscaping.escape(source)
        }
        return compiled.render(context)
    }
}
