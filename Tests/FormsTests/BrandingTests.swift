import Forms
import Testing

@Suite("Branding and its contrast check")
struct BrandingTests {
    @Test(
        "computes WCAG contrast ratios",
        arguments: [("#000000", 21.0), ("#ffffff", 1.0), ("#767676", 4.54), ("#777777", 4.48), ("#0b5cad", 6.6)]
    )
    func contrast(hex: String, ratio: Double) throws {
        let color = try #require(BrandColor(hex: hex))
        #expect(abs(color.contrast(with: .white) - ratio) < 0.01 + ratio * 0.01, "\(hex): \(color.contrast(with: .white))")
    }

    @Test("reads #rrggbb and #rgb, nothing else", arguments: ["#0B5CAD", "#0bd", "#ABCDEF"])
    func parses(text: String) throws {
        let color = try #require(BrandColor(hex: text))
        #expect(color.hex.count == 7)
        #expect(color.hex == color.hex.lowercased())
    }

    @Test("refuses what is not a hex colour", arguments: ["0b5cad", "#0b5ca", "#0b5cadff", "red", "#ggg", "rgb(0,0,0)", ""])
    func refuses(text: String) {
        #expect(BrandColor(hex: text) == nil)
    }

    @Test("names each failing pair and passes colours that meet AA")
    func contrastProblems() throws {
        let weak = Branding(primaryColor: BrandColor(hex: "#777777"), accentColor: BrandColor(hex: "#b0b0b0"))
        let problems = weak.contrastProblems
        #expect(problems.map(\.setting) == ["primaryColor", "accentColor"])
        #expect(problems[0].message.contains("#777777 against white"))
        #expect(problems[0].message.contains("4.48:1"))
        #expect(problems[0].message.contains("4.5:1"))
        #expect(problems[1].message.contains("3:1"))
        let strong = Branding(primaryColor: BrandColor(hex: "#767676"), accentColor: BrandColor(hex: "#949494"))
        #expect(strong.contrastProblems.isEmpty)
    }

    @Test("a form's branding overrides the app's key by key")
    func overrides() {
        let app = Branding(displayName: "Acme", logo: "img/acme.svg", primaryColor: BrandColor(hex: "#0b5cad"))
        let form = Branding(displayName: "Acme Insurance", accentColor: BrandColor(hex: "#8a4b00"))
        let merged = form.over(app)
        #expect(merged.displayName == "Acme Insurance")
        #expect(merged.logo == "img/acme.svg")
        #expect(merged.primaryColor == BrandColor(hex: "#0b5cad"))
        #expect(merged.accentColor == BrandColor(hex: "#8a4b00"))
    }

    @Test("a form file's branding is read and checked like the app's")
    func formBranding() throws {
        let form = try loadForm(
            formYAML(extra: "branding: {displayName: Acme, logo: img/acme.svg, primaryColor: \"#0b5cad\"}\nlanguage: es")
        )
        #expect(form.branding?.displayName == "Acme")
        #expect(form.branding?.logo == "img/acme.svg")
        #expect(form.language == "es")
        let found = problems(in: formYAML(extra: "branding: {primaryColor: \"#999999\", logo: ../secret, favicon: blue}\nlanguage: español"))
        let reasons = found.map(\.reason)
        #expect(reasons.contains { $0.hasPrefix("branding.primaryColor: #999999 against white") }, "\(reasons)")
        #expect(reasons.contains { $0.hasPrefix("branding.logo: \"../secret\" must be a relative path inside Public/") })
        #expect(reasons.contains { $0.hasPrefix("branding.favicon: \"blue\" is not a colour") } == false)
        #expect(reasons.contains { $0.hasPrefix("language: \"español\" is not a language code") })
    }
}
