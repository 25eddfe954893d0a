import App
import ArgumentParser
import Foundation

/// `disposable-app outbox list | retry | purge`: the stored outcomes, for operators, on whichever
/// store `database.url` names. What each does and prints lives in the library (`OutboxOperations`);
/// never an outcome value.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Inspect and manage stored outcomes (never shows their values).",
        subcommands: [List.self, Retry.self, Purge.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List outbox entries, newest first, the counts per state, the number of drafts in progress and of uploaded files (and their size)."
        )

        @OptionGroup var options: ConfigOptions
        @Option(help: "Only entries in this state.") var state: StateFilter?
        @Option(help: "At most this many entries.") var limit = 50

        func validate() throws {
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            try await options.onOutbox { [state, limit] opened in
                try await OutboxOperations.list(opened.store, drafts: opened.drafts, files: opened.files, state: state?.state, limit: limit)
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue a failed outbox entry for delivery again; the running server posts it at its next poll."
        )

        @OptionGroup var options: ConfigOptions
        @Argument(help: "The entry's ID, as `outbox list` shows it.") var id: Int64

        func run() async throws {
            try await options.onOutbox { [id] opened in try await OutboxOperations.retry(opened.store, id: id, now: Date()) }
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete delivered outbox entries, metadata and all, delivered longer ago than a duration."
        )

        @OptionGroup var options: ConfigOptions
        @Option(
            help: ArgumentHelp("Delete what was delivered longer ago than this: 30m, 12h, 7d.", valueName: "duration"),
            transform: { text in
                guard let age = OutboxOperations.age(text) else {
                    throw ValidationError("expected a duration with its unit, like 30m, 12h or 7d")
                }
                return age
            }
        )
        var deliveredBefore: Duration

        func run() async throws {
            try await options.onOutbox { [deliveredBefore] opened in
                try await OutboxOperations.purge(opened.store, deliveredBefore: deliveredBefore, now: Date())
            }
        }
    }

    /// `--state`: the states in the order operators look at them.
    enum StateFilter: String, CaseIterable, ExpressibleByArgument {
        case queued, failed, delivered

        var state: OutboxState {
            switch self {
            case .queued: .queued
            case .failed: .failed
            case .delivered: .delivered
            }
        }
    }
}

extension ConfigOptions {
    /// Loads the configuration, runs `operation` on the existing outbox (and the stores beside it) and prints what it returns.
    /// Exit codes: 78 for a configuration or database problem (as `serve`), 1 when the operation
    /// is refused or the store fails.
    func onOutbox(_ operation: @escaping @Sendable (OpenedOutboxStore) async throws -> String) async throws {
        let config = try await load()
        // Logs go to stderr and would only clutter the output: warnings and up, unless asked for more.
        let logger = bootstrapLogging(level: config.log.level <= .debug ? config.log.level : .warning)
        let text: String
        do {
            text = try await OutboxOperations.withExistingStore(config.database, logger: logger, operation)
        } catch let error as StartupError {
            printToStandardError(error.description)
            throw ExitCode(78)
        } catch let error as OutboxOperationError {
            printToStandardError("error: \(error)")
            throw ExitCode.failure
        } catch {
            printToStandardError("error: the outbox could not be read or changed: \(error)")
            throw ExitCode.failure
        }
        print(text)
    }
}
