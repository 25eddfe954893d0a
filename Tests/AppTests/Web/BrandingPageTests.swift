import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

@Suite("Branding on the pages")
struct BrandingPageTests {
    static let brand = [
        "BRANDING_DISPLAY_NAME": "Acme <Bank>",
        "BRANDING_LOGO": "css/app.css",  // any file of Public/ will do for the markup
        "BRANDING_FAVICON": "js/form.js",
        "BRANDING_PRIMARY_COLOR": "#8A1538",
        "BRANDING_ACCENT_COLOR": "#00704a",
    ]

    @Test("the name, logo, icon and colours reach every page, escaped, through a stylesheet")
    func pagesCarryTheBrand() async throws {
        try await RouterTestApp.run(overrides: Self.brand) { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            let form = try await app.get("/?sessionId=\(sessionId.rawValue)")
            #expect(form.text.contains("<title>Stay in touch – Acme &lt;Bank&gt;</title>"))
            #expect(form.text.contains(#"<img class="brand__logo" src="/static/css/app.css" alt="">"#))
            #expect(form.text.contains(#"<span class="brand__name">Acme &lt;Bank&gt;</span>"#))
            #expect(form.text.contains(#"<link rel="icon" href="/static/js/form.js">"#))
            #expect(form.text.contains(#"<link rel="stylesheet" href="/brand/app.css">"#))
            let status = try await app.get("/f/consent-capture")
            #expect(status.text.contains(#"<span class="brand__name">Acme &lt;Bank&gt;</span>"#))

            let css = try await app.get("/brand/app.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(css.text == ":root{--brand-primary:#8a1538;--brand-on-primary:#ffffff;--brand-accent:#00704a}\n")
            #expect(try await app.get("/brand/consent-capture.css").status == .notFound, "the form has no colours of its own")
            #expect(try await app.get("/brand/nothing").status == .notFound)
        }
    }

    @Test("without branding the pages ask for no icon and carry no header")
    func unbranded() async throws {
        try await RouterTestApp.run { app in
            let page = try await app.get("/f/consent-capture")
            #expect(page.text.contains(#"<link rel="icon" href="data:,">"#))
            #expect(!page.text.contains("brand"))
            #expect(try await app.get("/brand/app.css").status == .notFound)
        }
    }

    @Test("a colour pair below WCAG AA, a bad colour or a missing logo stops start-up, named")
    func refusedAtStartup() async throws {
        let environment = ["HTTP_PUBLIC_DIRECTORY": packageRoot.appendingPathComponent("Public").path]
        let bad = [
            "BRANDING_PRIMARY_COLOR": "#4d90fe", "BRANDING_ACCENT_COLOR": "bright", "BRANDING_LOGO": "img/missing.svg",
            "BRANDING_FAVICON": "../etc/passwd",
        ]
        var lines: [String] = []
        do {
            _ = try await AppConfig.load(environment: environment.merging(bad) { $1 })
        } catch {
            lines = error.problems.map(\.description)
        }
        #expect(lines.count == 4, "\(lines)")
        #expect(
            lines.contains {
                $0.hasPrefix("configuration error: branding.primaryColor (BRANDING_PRIMARY_COLOR): #4d90fe against white")
                    && $0.contains(":1; WCAG AA needs at least 4.5:1")
            }
        )
        #expect(lines.contains { $0.hasPrefix("configuration error: branding.accentColor (BRANDING_ACCENT_COLOR): \"bright\" is not a colour") })
        #expect(lines.contains { $0.hasPrefix("configuration error: branding.logo (BRANDING_LOGO): \"img/missing.svg\" is not a file in") })
        #expect(lines.contains { $0.hasPrefix("configuration error: branding.favicon (BRANDING_FAVICON): \"../etc/passwd\" is not valid") })
    }

    @Test("a form's own colours get their own stylesheet")
    func formOverride() async throws {
        let directory = try temporaryDirectory()
        for file in try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("config/forms").path) {
            try FileManager.default.copyItem(
                at: packageRoot.appendingPathComponent("config/forms/\(file)"),
                to: directory.appendingPathComponent(file)
            )
        }
        let consent = directory.appendingPathComponent("consent-capture.yaml")
        let text = try String(contentsOf: consent, encoding: .utf8)
        try (text + "branding: {displayName: Acme Insurance, primaryColor: \"#1a5e20\"}\n").write(to: consent, atomically: true, encoding: .utf8)
        try await RouterTestApp.run(overrides: [
            "FORMS_DIRECTORY": directory.path, "BRANDING_DISPLAY_NAME": "Acme", "BRANDING_ACCENT_COLOR": "#00704a",
        ]) {
            app in
            let page = try await app.get("/f/consent-capture")
            #expect(page.text.contains(#"<span class="brand__name">Acme Insurance</span>"#))
            #expect(page.text.contains(#"href="/brand/consent-capture.css""#))
            let css = try await app.get("/brand/consent-capture.css")
            #expect(css.text == ":root{--brand-primary:#1a5e20;--brand-on-primary:#ffffff;--brand-accent:#00704a}\n")
            let other = try await app.get("/f/address-update")
            #expect(other.text.contains(#"<span class="brand__name">Acme</span>"#))
            #expect(other.text.contains(#"href="/brand/app.css""#))
        }
    }
}
