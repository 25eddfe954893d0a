internal import Foundation

/// How the pages look for one organisation or form: `branding:` in the app's configuration,
/// overridden key by key by a form's own `branding:`.
public struct Branding: Sendable, Equatable {
    /// Shown next to the logo and at the end of page titles.
    public var displayName: String?
    /// A path inside `Public/` (`img/logo.svg`), served under `{basePath}/static/`.
    public var logo: String?
    /// A path inside `Public/`; without one the pages ask for no icon at all.
    public var favicon: String?
    /// Buttons, links: must reach 4.5:1 against white (the page, and the button's text).
    public var primaryColor: BrandColor?
    /// The header rule and the focus ring: must reach 3:1 against white (WCAG 1.4.11).
    public var accentColor: BrandColor?

    public init(
        displayName: String? = nil,
        logo: String? = nil,
        favicon: String? = nil,
        primaryColor: BrandColor? = nil,
        accentColor: BrandColor? = nil
    ) {
        self.displayName = displayName
        self.logo = logo
        self.favicon = favicon
        self.primaryColor = primaryColor
        self.accentColor = accentColor
    }

    /// These settings, with `base`'s wherever these leave one out.
    public func over(_ base: Branding) -> Branding {
        Branding(
            displayName: displayName ?? base.displayName,
            logo: logo ?? base.logo,
            favicon: favicon ?? base.favicon,
            primaryColor: primaryColor ?? base.primaryColor,
            accentColor: accentColor ?? base.accentColor
        )
    }

    public var hasColors: Bool { primaryColor != nil || accentColor != nil }

    /// WCAG 2.2 AA contrast of the colours against what they are drawn on: one problem per
    /// failing pair, naming the setting (`primaryColor`, `accentColor`) and the pair.
    public var contrastProblems: [(setting: String, message: String)] {
        var problems: [(setting: String, message: String)] = []
        if let primary = primaryColor, primary.contrast(with: .white) < 4.5 {
            problems.append(
                (
                    "primaryColor",
                    "\(primary.hex) against white (the page behind links, the text on buttons) has a contrast of "
                        + "\(Self.format(primary.contrast(with: .white))):1; WCAG AA needs at least 4.5:1 for text. Choose a darker colour"
                )
            )
        }
        if let accent = accentColor, accent.contrast(with: .white) < 3 {
            problems.append(
                (
                    "accentColor",
                    "\(accent.hex) against white (the header rule, the focus ring) has a contrast of "
                        + "\(Self.format(accent.contrast(with: .white))):1; WCAG AA needs at least 3:1 for interface parts. Choose a darker colour"
                )
            )
        }
        return problems
    }

    private static func format(_ ratio: Double) -> String {
        String(format: "%.2f", ratio)
    }
}

/// An sRGB colour written `#rrggbb` or `#rgb`.
public struct BrandColor: Sendable, Equatable {
    public let red: UInt8
    public let green: UInt8
    public let blue: UInt8

    public static let white = BrandColor(red: 255, green: 255, blue: 255)

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `#0b5cad` or `#0bd`; `nil` for anything else (names, rgb(), alpha).
    public init?(hex text: String) {
        guard text.first == "#" else { return nil }
        var digits = Array(text.dropFirst())
        guard digits.count == 3 || digits.count == 6, digits.allSatisfy(\.isHexDigit) else { return nil }
        if digits.count == 3 { digits = digits.flatMap { [$0, $0] } }
        let value = UInt32(String(digits), radix: 16) ?? 0
        self.init(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// Lower-case `#rrggbb`: safe to put in a stylesheet.
    public var hex: String {
        "#"
            + [red, green, blue].map { byte in
                let digits = String(byte, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }.joined()
    }

    /// WCAG 2.x relative luminance.
    public var luminance: Double {
        func channel(_ byte: UInt8) -> Double {
            let value = Double(byte) / 255
            return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    }

    /// WCAG contrast ratio, 1 to 21.
    public func contrast(with other: BrandColor) -> Double {
        let (lighter, darker) = (max(luminance, other.luminance), min(luminance, other.luminance))
        return (lighter + 0.05) / (darker + 0.05)
    }
}
