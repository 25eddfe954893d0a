import Forms
import Testing

/// Applying a translation: exact code first, then the primary subtag, else the texts as written.
@Suite("Localization")
struct FormDefinitionLocalizationTests {
    static let yaml = formYAML(
        fields: """
              - name: street
                label: Street
                help: As printed on your mail
                placeholder: Main St 1
              - name: contactTime
                label: Contact time
                type: select
                options: [{value: am, label: Morning}, {value: pm, label: Afternoon}]
            """,
        extra: """
            intro: "Hi {{context.firstName}}"
            submitLabel: Send
            decline:
              label: No thanks
              variables: {formStatus: declined}
            translations:
              es:
                title: Formulario
                intro: "Hola {{context.firstName}}"
                submitLabel: Enviar
                declineLabel: No, gracias
                fields:
                  street: {label: Calle, help: Como en su correo, placeholder: Calle Mayor 1}
                  contactTime: {label: Hora de contacto, options: {am: Mañana}}
              es-MX:
                title: Formulario MX
              fr: {submitLabel: Envoyer}
            """
    )

    @Test("All texts of a translation are applied")
    func appliesEverything() throws {
        let form = try loadForm(Self.yaml)
        let spanish = form.localized(to: "es")
        #expect(spanish.appliedLanguage == "es")
        #expect(spanish.title == "Formulario")
        #expect(spanish.submitLabel == "Enviar")
        #expect(spanish.decline?.label == "No, gracias")
        #expect(spanish.fields[0].label == "Calle")
        #expect(spanish.fields[0].help == "Como en su correo")
        #expect(spanish.fields[0].placeholder == "Calle Mayor 1")
        #expect(spanish.fields[1].label == "Hora de contacto")
        #expect(spanish.fields[1].options.map(\.label) == ["Mañana", "Afternoon"], "untranslated options keep their label")
        #expect(spanish.fields[1].options.map(\.value) == ["am", "pm"], "values never change")
        #expect(spanish.renderIntro(context: FormContext(content: #"{"firstName": "Ana & Co"}"#)) == "Hola Ana &amp; Co")
    }

    @Test("The exact code wins over the primary subtag, case and underscores aside")
    func exactCodeFirst() throws {
        let form = try loadForm(Self.yaml)
        #expect(form.localized(to: "es-MX").title == "Formulario MX")
        #expect(form.localized(to: "es-mx").title == "Formulario MX")
        #expect(form.localized(to: "es_MX").title == "Formulario MX")
        #expect(form.localized(to: "es-MX").submitLabel == "Send", "es-MX gives no submitLabel, so the form's stays")
    }

    @Test("A regional code falls back to its primary subtag")
    func primarySubtagFallback() throws {
        let form = try loadForm(Self.yaml)
        let spanish = form.localized(to: "es-AR")
        #expect(spanish.appliedLanguage == "es")
        #expect(spanish.title == "Formulario")
        #expect(form.localized(to: "fr-CA").submitLabel == "Envoyer")
    }

    @Test("An unknown or missing language gives the form as written")
    func unknownLanguage() throws {
        let form = try loadForm(Self.yaml)
        for language in [nil, "de", "de-DE", "", "e"] as [String?] {
            let same = form.localized(to: language)
            #expect(same.appliedLanguage == nil)
            #expect(same.title == "Test form")
            #expect(same.fields[0].label == "Street")
            #expect(same.renderIntro(context: FormContext(content: #"{"firstName": "Ann"}"#)) == "Hi Ann")
        }
    }
}
