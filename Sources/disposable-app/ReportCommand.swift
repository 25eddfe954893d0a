import App
import ArgumentParser
import Forms
import Foundation

/// `disposable-app report [--since 7d] [--format text|json]`: where people give up, per form and
/// version, from the database `database.url` names (every instance's marks).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Print the funnel of each form: opened, verified, each step, the review, submitted, declined, expired; validation problems by field."
    )

    enum Format: String, CaseIterable, ExpressibleByArgument {
        case text, json
    }

    @OptionGroup var options: ConfigOptions
    @Option(
        help: ArgumentHelp("The window: marks made within this long before now (30m, 12h, 7d).", valueName: "duration"),
        transform: { text in
            guard let age = OutboxOperations.age(text) else { throw ValidationError("expected a duration with its unit, like 30m, 12h or 7d") }
            return age
        }
    )
    var since: Duration = .seconds(7 * 86400)
    @Option(help: "text: a table per form version; json: one JSON document.")
    var format: Format = .text

    func run() async throws {
        let config = try await options.load()
        // Steps in their forms' order; a folder with problems only costs that order.
        let forms = try? FormCatalog.load(directory: config.forms.directory)
        let start = Date().addingTimeInterval(-Double(since.components.seconds))
        try await options.onOutbox { [format] opened in
            let counts = try await opened.funnel.counts(since: start)
            switch format {
            case .text: return FunnelReport.text(counts, since: start, forms: forms)
            case .json: return String(decoding: FunnelReport.json(counts, since: start, forms: forms), as: UTF8.self)
            }
        }
    }
}
