import Forms
import Testing

/// `translations.<lang>.verify` gives the verification page's texts in another language.
@Suite("Localization of verify")
struct VerificationLocalizationTests {
    static let yaml = formYAML(
        extra: """
            verify:
              questions:
                - {name: postcode, label: Your postcode, answer: context.postalCode}
                - {name: birthday, label: Your date of birth, type: date, answer: context.birthDate}
              help: Reply to our message.
            translations:
              es:
                verify:
                  help: Responda a nuestro mensaje.
                  questions: {postcode: Tu código postal}
              fr: {title: Formulaire}
            """
    )

    @Test("The help and the labels of the questions a translation names are applied; the rest stays as written")
    func applied() throws {
        let form = try loadForm(Self.yaml)
        let spanish = try #require(form.localized(to: "es-MX").verification)
        #expect(spanish.help == "Responda a nuestro mensaje.")
        #expect(spanish.questions.map(\.label) == ["Tu código postal", "Your date of birth"])
        #expect(spanish.questions.map(\.answerPath) == ["context.postalCode", "context.birthDate"], "only texts change")

        let french = try #require(form.localized(to: "fr").verification)
        #expect(french.help == "Reply to our message.")
        #expect(french.questions.map(\.label) == ["Your postcode", "Your date of birth"])
    }

    @Test("Translations of verify are read into the form's translations")
    func read() throws {
        let translation = try #require(try loadForm(Self.yaml).translations["es"])
        #expect(translation.verifyHelp == "Responda a nuestro mensaje.")
        #expect(translation.verifyQuestionLabels == ["postcode": "Tu código postal"])
    }

    @Test("Unknown questions, empty texts and unknown keys are refused")
    func problemsOfTranslations() {
        let yaml = formYAML(
            extra: """
                verify:
                  questions:
                    - {name: postcode, label: Your postcode, answer: context.postalCode}
                translations:
                  es:
                    verify:
                      help: " "
                      questions: {postcode: "", other: Otro}
                      colour: rojo
                """
        )
        #expect(
            problems(in: yaml).map(\.description) == [
                "form.yaml: translations.es.verify: unknown key \"colour\"",
                "form.yaml: translations.es.verify.help must not be empty",
                "form.yaml: translations.es.verify.questions: unknown question \"other\"",
                "form.yaml: translations.es.verify.questions.postcode must not be empty",
            ]
        )
    }

    @Test("Verify texts for a form without verify are refused")
    func noVerifyStep() {
        let yaml = formYAML(extra: "translations:\n  es: {verify: {help: Ayuda}}")
        #expect(problems(in: yaml).map(\.description) == ["form.yaml: translations.es.verify: the form has no verify step"])
    }
}
