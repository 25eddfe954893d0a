/// `previews.userAgents`: link-preview and scanner agents beyond the built-in list, matched as
/// case-insensitive parts of the `User-Agent` header.
public struct PreviewSettings: Sendable {
    /// The messaging apps' and mail scanners' fetchers known to open links people are sent.
    public static let builtInAgents = [
        "WhatsApp", "facebookexternalhit", "Slackbot", "Twitterbot", "TelegramBot", "SkypeUriPreview", "Discordbot",
        "LinkedInBot", "Applebot", "Google-PageRenderer",
    ]

    /// The built-in agents and the configured ones.
    public var userAgents: [String]

    init(_ values: inout ConfigValues) {
        let extra = values.list("previews.userAgents", default: [])
        for agent in extra where agent.count < 3 {
            values.problem("previews.userAgents", "\"\(agent)\" is too short to tell an agent apart; expected a name like ScannerBot")
        }
        userAgents = Self.builtInAgents + extra.filter { $0.count >= 3 }
    }
}
