import Forms
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// Which language a page speaks, and that every catalogue can speak it whole.
@Suite("Languages")
struct LanguageTests {
    @Test("English, Spanish, French, German and Arabic are complete; Arabic is right to left")
    func cataloguesAreComplete() throws {
        let messages = try MessageCatalog.bundled()
        #expect(messages.languages == ["en", "es", "fr", "de", "ar"])
        for language in messages.languages.sorted() {
            #expect(messages.missingKeys(in: language) == [], "\(language)")
            #expect(messages.text("dir", language) == (language == "ar" ? "rtl" : "ltr"))
        }
        #expect(messages.text("field.required", "de") == "Dieses Feld ist erforderlich.")
        #expect(messages.text("field.tooShort", "fr", ["n": "3"]) == "Utilisez au moins 3 caractères.")
    }

    @Test("every kind of field problem has a message in every language, its numbers and sizes filled in")
    func everyProblemHasAMessage() throws {
        let messages = try MessageCatalog.bundled()
        for language in messages.languages.sorted() {
            for problem in FieldProblem.examples {
                #expect(!messages.missingKeys(in: language).contains("field.\(problem.code)"), "\(language) \(problem.code)")
                let text = CompiledForm.message(for: problem, language, messages)
                #expect(!text.contains("{") && !text.contains("field."), "\(language) \(problem.code): \(text)")
            }
        }
        #expect(CompiledForm.message(for: .fileTooLarge(maximum: 10 * 1024 * 1024), "es", messages) == "Elija un archivo de 10 MB como máximo.")
        #expect(CompiledForm.message(for: .tooManyFiles(maximum: 3), "de", messages) == "Zu viele Dateien. Höchstens 3 sind möglich.")
        #expect(CompiledForm.message(for: .fileType, "en", messages) == FieldProblem.fileType.englishMessage)
        #expect(CompiledForm.message(for: .fileDamaged, "en", messages) == FieldProblem.fileDamaged.englishMessage)
    }

    @Test("the link's lang wins, then the context's, then Accept-Language, then the form's own")
    func negotiationOrder() async throws {
        try await RouterTestApp.run { app in
            let withGerman = try await app.simulator.createDialog(#"{"form":"consent-capture","lang":"de"}"#)
            let viaQuery = try await app.get("/?sessionId=\(withGerman.rawValue)&lang=fr", headers: [.acceptLanguage: "es"])
            #expect(viaQuery.text.contains(#"<html lang="fr" dir="ltr">"#))
            #expect(viaQuery.text.contains("Restons en contact"))
            let viaContext = try await app.get("/?sessionId=\(withGerman.rawValue)", headers: [.acceptLanguage: "es"])
            #expect(viaContext.text.contains(#"<html lang="de" dir="ltr">"#))
            #expect(viaContext.text.contains("Bleiben wir in Kontakt"))

            let plain = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            let viaBrowser = try await app.get("/?sessionId=\(plain.rawValue)", headers: [.acceptLanguage: "pt-BR, ar;q=0.8, en;q=0.5"])
            #expect(viaBrowser.text.contains(#"<html lang="ar" dir="rtl">"#))
            #expect(viaBrowser.text.contains("لنبقَ على تواصل"))
            #expect(viaBrowser.text.contains(#"name="_lang" value="ar""#))

            // address-update has English and Spanish texts only: French is skipped, not half-applied.
            let address = try await app.simulator.createDialog(#"{"form":"address-update"}"#)
            let skipsFrench = try await app.get("/?sessionId=\(address.rawValue)", headers: [.acceptLanguage: "fr, es;q=0.5"])
            #expect(skipsFrench.text.contains(#"<html lang="es" dir="ltr">"#))
            #expect(skipsFrench.text.contains("Actualice su dirección"))
            let formsOwn = try await app.get("/?sessionId=\(address.rawValue)&lang=de", headers: [.acceptLanguage: "fr"])
            #expect(formsOwn.text.contains(#"<html lang="en" dir="ltr">"#))
            #expect(formsOwn.text.contains("Update your address"))
        }
    }

    @Test("validation messages come in the page's language")
    func localisedValidation() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture","lang":"fr"}"#)
            let response = try await app.submit(
                "/f/consent-capture?sessionId=\(sessionId.rawValue)",
                [("_lang", "fr"), ("fullName", ""), ("channel", "email"), ("_action", "submit")]
            )
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("Il y a un problème"))
            #expect(response.text.contains("Nom complet: Ce champ est obligatoire."))
        }
    }

    @Test("i18n.defaultLanguage speaks on pages without a form, and must have a catalogue")
    func appDefault() async throws {
        try await RouterTestApp.run(overrides: ["I18N_DEFAULT_LANGUAGE": "es"]) { app in
            let page = try await app.get("/f/address-update", headers: [.acceptLanguage: "ja"])
            #expect(page.status == .badRequest)
            #expect(page.text.contains(#"<html lang="es" dir="ltr">"#))
            #expect(page.text.contains("Este enlace está incompleto"))
        }
        await #expect(throws: StartupError.self) {
            try await RouterTestApp.run(overrides: ["I18N_DEFAULT_LANGUAGE": "xx"]) { _ in }
        }
    }
}
