import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the forms on `SIGHUP` and, with `forms.watch: true`, when a form file of the folder
/// changes; a `Service` of the application's group, ended by graceful shutdown.
///
/// Watching compares the folder's form files (names, sizes, modification times) with what it
/// saw last, every `forms.watchInterval`: no platform file-event API, and a folder of a few
/// files costs a directory read. An edit caught half written is refused like any invalid edit,
/// and the next look, once the editor has finished, applies it.
struct FormReloadService: Service {
    let library: FormLibrary
    let directory: String
    /// `nil`: no watching, `SIGHUP` only.
    let watchInterval: Duration?
    let logger: Logger

    init(library: FormLibrary, settings: FormsSettings, logger: Logger) {
        self.library = library
        directory = settings.directory
        watchInterval = settings.watch ? settings.watchInterval : nil
        var logger = logger
        logger[metadataKey: "component"] = "forms"
        self.logger = logger
    }

    func run() async throws {
        await library.publish(logger: logger)
        // Trapped before the first await that could let a signal in: from here on, SIGHUP reloads
        // instead of ending the process.
        let signals = await UnixSignalsSequence(trapping: .sighup)
        logger.info("Forms reload on SIGHUP", metadata: ["forms.watch": "\(watchInterval.map { "every \(Deliverer.describe($0))" } ?? "off")"])
        try? await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await _ in signals { await reload(trigger: "signal") }
                }
                if let watchInterval {
                    group.addTask { await watch(every: watchInterval) }
                }
            }
        }
    }

    private func watch(every interval: Duration) async {
        var seen = Self.fingerprint(of: directory)
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            let now = Self.fingerprint(of: directory)
            guard now != seen else { continue }
            seen = now
            await reload(trigger: "watch")
        }
    }

    private func reload(trigger: String) async {
        logger.info("Forms reload requested", metadata: ["forms.trigger": "\(trigger)"])
        switch await library.reload(logger: logger) {
        case .applied(let changed):
            logger.notice("Forms reloaded", metadata: ["forms.changed": "\(changed.joined(separator: ","))"])
        case .unchanged:
            logger.info("Forms unchanged")
        case .refused:
            // FormLibrary logged each problem.
            break
        }
    }

    /// The form files of `directory` as the watcher compares them: name, size and modification time.
    static func fingerprint(of directory: String) -> [String] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }.sorted().map { name in
            let attributes = try? manager.attributesOfItem(atPath: (directory as NSString).appendingPathComponent(name))
            let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(name)\u{1F}\(size)\u{1F}\(modified)"
        }
    }
}
