extension FormDefinition {
    /// The form with the texts of `language` applied: the exact code first (case does not
    /// matter, `_` counts as `-`), then its primary subtag (`es-MX` -> `es`). An unknown or
    /// `nil` language gives the form as written. Texts a translation leaves out stay as written.
    public func localized(to language: String?) -> FormDefinition {
        guard let language, let code = translationCode(for: language), let translation = translations[code] else {
            return self
        }
        var form = self
        form.appliedLanguage = code
        if let title = translation.title { form.title = title }
        if let intro = translation.intro {
            form.setIntro(intro, compiled: translation.compiledIntro)
        }
        if let submitLabel = translation.submitLabel { form.submitLabel = submitLabel }
        if let declineLabel = translation.declineLabel { form.decline?.label = declineLabel }
        for index in form.fields.indices {
            guard let texts = translation.fields[form.fields[index].name] else { continue }
            form.fields[index].apply(texts)
        }
        for index in form.steps.indices {
            guard let texts = translation.steps[form.steps[index].id] else { continue }
            form.steps[index].apply(texts)
        }
        form.verification?.apply(translation)
        return form
    }

    /// Whether the form has texts in `language` (a code like `es`): its own, or a translation.
    public func speaks(_ language: String) -> Bool {
        let wanted = language.replacingUnderscores().lowercased()
        let own = self.language.lowercased()
        return own == wanted || own.split(separator: "-").first.map(String.init) == wanted || translationCode(for: wanted) != nil
    }

    /// The key of `translations` that serves `language`, if any.
    public func translationCode(for language: String) -> String? {
        let wanted = language.replacingUnderscores().lowercased()
        if let exact = translations.keys.first(where: { $0.lowercased() == wanted }) {
            return exact
        }
        guard let primary = wanted.split(separator: "-").first, primary.count < wanted.count else { return nil }
        return translations.keys.first { $0.lowercased() == primary }
    }
}

extension FieldDefinition {
    fileprivate mutating func apply(_ texts: FieldTranslation) {
        if let label = texts.label { self.label = label }
        if let help = texts.help { self.help = help }
        if let placeholder = texts.placeholder { self.placeholder = placeholder }
        for index in options.indices {
            if let label = texts.options[options[index].value] { options[index].label = label }
        }
    }
}

extension FormStep {
    fileprivate mutating func apply(_ texts: StepTranslation) {
        if let title = texts.title { self.title = title }
        if let intro = texts.intro { setIntro(intro, compiled: texts.compiledIntro) }
    }
}

extension Verification {
    fileprivate mutating func apply(_ translation: FormTranslation) {
        if let help = translation.verifyHelp { self.help = help }
        for index in questions.indices {
            if let label = translation.verifyQuestionLabels[questions[index].name] { questions[index].label = label }
        }
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}
