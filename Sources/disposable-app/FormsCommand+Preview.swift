import App
import ArgumentParser
import Foundation
import Logging

extension FormsCommand {
    /// `disposable-app forms preview [DIR] [--host H] [--port N]`: every form of the folder in
    /// every language and state, as people see it, reloaded when a file changes. No database, no
    /// Alvaria, no simulator: nothing is stored or sent.
    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve every form of a folder in every language and state, from each form's example: context; pages reload when a file changes."
        )

        @OptionGroup var options: ConfigOptions
        @Argument(help: "The folder of form files (default: forms.directory of the configuration, else config/forms).")
        var directory: String?
        @Option(help: "Listen address.") var host = "127.0.0.1"
        @Option(help: "Listen port (0 picks a free one).") var port = 8090

        func run() async throws {
            var settings = FormPreviewSettings(directory: directory ?? "", host: host, port: port)
            if directory == nil {
                // The configuration names the folder, and the brand and language the pages wear.
                let config = try await options.load()
                settings.directory = config.forms.directory
                settings.publicDirectory = config.http.publicDirectory
                settings.branding = config.presentation.branding
                settings.defaultLanguage = config.presentation.defaultLanguage
            }
            let logger = bootstrapLogging(level: .info)
            let folder = settings.directory
            let app = try buildPreviewApplication(settings: settings, logger: logger) { channel in
                let url = "http://\(host):\(channel.localAddress?.port ?? port)/"
                FileHandle.standardOutput.write(Data("Previewing the forms of \(folder) at \(url)\n".utf8))
                logger.notice("Previewing forms", metadata: ["http.url": "\(url)", "forms.directory": "\(folder)"])
            }
            try await app.runService()
        }
    }
}
