import App
import ArgumentParser
import Forms
import Foundation

/// `disposable-app forms check [DIR] [--format text|json]` and `forms preview [DIR]`: for form
/// authors and pipelines.
struct FormsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forms",
        abstract: "Work with form definition files.",
        subcommands: [Check.self, Preview.self]
    )

    /// Every problem of every form file, with the check the server runs at start-up
    /// (`FormCatalog.check`). Exit 0 when all are valid, 1 otherwise (a missing folder or one
    /// without form files too), 78 when the configuration naming the folder has problems.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every form file (*.yaml, *.yml) of a folder and print every problem, with its line."
        )

        enum Format: String, CaseIterable, ExpressibleByArgument {
            case text, json
        }

        @OptionGroup var options: ConfigOptions
        @Argument(help: "The folder of form files (default: forms.directory of the configuration, else config/forms).")
        var directory: String?
        @Option(help: "text: one line per problem and a summary; json: one JSON document.")
        var format: Format = .text

        func run() async throws {
            let folder: String
            if let directory {
                folder = directory
            } else {
                folder = try await options.load().forms.directory
            }
            let check = FormCatalog.check(directory: folder)
            if let problem = check.directoryProblem {
                printToStandardError(problem.description)
                throw ExitCode.failure
            }
            switch format {
            case .text:
                print(check.textReport)
            case .json:
                FileHandle.standardOutput.write(check.jsonReport + Data("\n".utf8))
            }
            if !check.isValid { throw ExitCode.failure }
        }
    }
}
