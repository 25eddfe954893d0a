import Forms
import Foundation
import Logging
import Metrics
import Synchronization

/// The forms the server offers now, and the earlier versions of them it still honours.
///
/// Every request takes ``current`` once (a lock and a copy of a few references) and works with
/// that set to the end. ``reload(logger:)`` reads the forms again and replaces the set whole, or
/// refuses an invalid edit and keeps the running forms. A form whose version a reload replaced
/// is kept, with its pages, for as long as a page or draft made with it can still come back
/// (`retention(form)`: the form token's lifetime, or a draft's for a multi-step form), so that
/// a person who opened a form before an edit submits against the version they saw.
///
/// Every version served is also saved, with the text of its file, in the database
/// (``FormVersionStore``, when the library has one): after a restart, or on an instance that has
/// not reloaded yet, a version a page or draft names is read back from there, compiled and kept
/// like a replaced one. Only a version found nowhere (or whose text has problems under today's
/// rules) leaves a post to the current version.
///
/// Metrics: `forms_reloads_total{result}` (`applied`, `unchanged`, `refused`) and
/// `form_version_info{form, version}`, 1 for the versions served now and 0 for earlier ones.
final class FormLibrary: Sendable {
    /// Reads and checks the forms as start-up does; the problems as start-up words them.
    typealias Source = @Sendable () throws(StartupError) -> FormCatalog

    /// What a reload did.
    enum ReloadResult: Sendable, Equatable {
        /// The forms changed: these forms are new, or at a new version.
        case applied(changed: [String])
        /// Every form is as it was (same ids, same versions).
        case unchanged
        /// The edit is invalid: the running forms stay. The problems, one per line.
        case refused(problems: [String])
    }

    private struct Key: Hashable {
        let formId: String
        let version: String
    }

    private struct Retired: Sendable {
        let edition: FormEdition
        let until: Date
    }

    private struct State: Sendable {
        var current: FormSet
        var retired: [Key: Retired] = [:]
    }

    private let state: Mutex<State>
    /// Held for a whole reload, so that two reloads never apply out of order.
    private let reloading = Mutex(())
    private let compiler: FormCompiler
    private let source: Source?
    private let versions: (any FormVersionStore)?
    private let retention: @Sendable (FormDefinition) -> Duration
    private let now: @Sendable () -> Date
    private let factory: any MetricsFactory

    /// - Parameters:
    ///   - source: where ``reload(logger:)`` reads the forms; `nil` when they never change.
    ///   - versions: where every version served is saved and earlier ones are read back.
    ///   - retention: how long an earlier version of `form` is kept once replaced.
    init(
        catalog: FormCatalog,
        compiler: FormCompiler,
        source: Source? = nil,
        versions: (any FormVersionStore)? = nil,
        retention: @escaping @Sendable (FormDefinition) -> Duration,
        now: @escaping @Sendable () -> Date = { Date() },
        metricsFactory: any MetricsFactory
    ) {
        self.compiler = compiler
        self.source = source
        self.versions = versions
        self.retention = retention
        self.now = now
        self.factory = metricsFactory
        state = Mutex(State(current: compiler.compile(catalog)))
        for form in catalog.forms { versionGauge(form.id, form.version).record(1) }
    }

    /// The forms served now.
    var current: FormSet { state.withLock { $0.current } }

    /// `formId` at `version`: the current form when it is that version, else an earlier version
    /// kept in memory, else one read back from the database (then kept in memory for its
    /// retention); `nil` when none has it.
    func edition(_ formId: String, version: String, logger: Logger) async -> FormEdition? {
        if let kept = keptEdition(formId, version: version) { return kept }
        guard let versions else { return nil }
        let stored: StoredFormVersion?
        do {
            stored = try await versions.version(formId: formId, version: version)
        } catch {
            logger.warning("Form version not readable from the database", metadata: ["form": "\(formId)", "form.version": "\(version)"])
            return nil
        }
        guard let stored, let form = FormCatalog.form(version: stored.version, source: stored.source, file: stored.file),
            let single = try? FormCatalog(forms: [form])
        else { return nil }
        let edition = FormEdition(form: form, set: compiler.compile(single))
        let until = now().addingTimeInterval(retention(form).inSeconds)
        state.withLock { $0.retired[Key(formId: formId, version: version)] = Retired(edition: edition, until: until) }
        logger.info("Form version read back from the database", metadata: ["form": "\(formId)", "form.version": "\(version)"])
        return edition
    }

    /// ``edition(_:version:logger:)`` from memory only: the current version, or one kept.
    func keptEdition(_ formId: String, version: String) -> FormEdition? {
        let now = now()
        return state.withLock { state in
            if let form = state.current.catalog[formId], form.version == version {
                return FormEdition(form: form, set: state.current)
            }
            let key = Key(formId: formId, version: version)
            guard let retired = state.retired[key] else { return nil }
            guard retired.until > now else {
                state.retired[key] = nil
                return nil
            }
            return retired.edition
        }
    }

    /// The newest earlier version kept of a form the current set no longer has: a page shown
    /// before the form was removed can still be sent.
    func removedEdition(_ formId: String) -> FormEdition? {
        let now = now()
        return state.withLock { state in
            guard state.current.catalog[formId] == nil else { return nil }
            return state.retired.filter { $0.key.formId == formId && $0.value.until > now }.max { $0.value.until < $1.value.until }?.value.edition
        }
    }

    /// How many earlier versions are kept now.
    var retiredCount: Int { state.withLock { $0.retired.count } }

    /// Reads the forms again. An invalid edit is refused with the start-up's messages, each
    /// logged, and the running forms stay; a valid one replaces them at once. Versions it
    /// replaces are kept for their retention; versions past theirs are dropped.
    @discardableResult
    func reload(logger: Logger) async -> ReloadResult {
        let result = reloadNow(logger: logger)
        if case .applied = result { await publish(logger: logger) }
        return result
    }

    /// Saves the versions served now in the database, for restarts and the other instances (a
    /// version saved already stays as it was). Called at start-up and after each reload; a
    /// failure is logged, and those versions are then served from memory only.
    func publish(logger: Logger) async {
        guard let versions else { return }
        let now = now()
        let served = current.catalog.forms.map { form in
            StoredFormVersion(formId: form.id, version: form.version, file: form.problemFile, source: form.versionSource, firstServedAt: now)
        }
        do {
            try await versions.save(served)
        } catch {
            logger.warning(
                "Form versions not saved in the database: after a restart, pages of these versions are checked with the versions then served",
                metadata: ["forms.storeError": "\(type(of: error))"]
            )
        }
    }

    private func reloadNow(logger: Logger) -> ReloadResult {
        guard let source else { return .unchanged }
        return reloading.withLock { _ in
            let catalog: FormCatalog
            do throws(StartupError) {
                catalog = try source()
            } catch {
                Counter(label: "forms_reloads_total", dimensions: [("result", "refused")], factory: factory).increment()
                logger.error(
                    "Forms not reloaded: the edit has problems, the running forms stay",
                    metadata: ["forms.problems": "\(error.problems.count)"]
                )
                for problem in error.problems {
                    logger.error("Form problem", metadata: ["forms.problem": "\(problem)"])
                }
                return .refused(problems: error.problems)
            }
            let result = apply(catalog, logger: logger)
            Counter(label: "forms_reloads_total", dimensions: [("result", result == .unchanged ? "unchanged" : "applied")], factory: factory)
                .increment()
            return result
        }
    }

    private func apply(_ catalog: FormCatalog, logger: Logger) -> ReloadResult {
        let previous = current
        let changed = catalog.forms.filter { previous.catalog[$0.id]?.version != $0.version }
        let replaced = previous.catalog.forms.filter { catalog[$0.id]?.version != $0.version }
        guard !changed.isEmpty || !replaced.isEmpty else { return .unchanged }
        // Compiled outside the lock: requests go on with the previous set meanwhile.
        let set = compiler.compile(catalog)
        let now = now()
        var kept: [Key: Retired] = [:]
        for form in replaced {
            // A set of its own: the replaced version's pages, not the whole previous set.
            guard let single = try? FormCatalog(forms: [form]) else { continue }
            let edition = FormEdition(form: form, set: compiler.compile(single))
            kept[Key(formId: form.id, version: form.version)] = Retired(edition: edition, until: now.addingTimeInterval(retention(form).inSeconds))
        }
        state.withLock { state in
            state.current = set
            state.retired.merge(kept) { _, new in new }
            state.retired = state.retired.filter { key, retired in
                // Past its time, or served again as the current version (an edit undone).
                retired.until > now && catalog[key.formId]?.version != key.version
            }
        }
        for form in replaced { versionGauge(form.id, form.version).record(0) }
        for form in changed {
            versionGauge(form.id, form.version).record(1)
            logger.notice(
                "Form version now served",
                metadata: [
                    "form": "\(form.id)",
                    "form.version": "\(form.version)",
                    "form.previousVersion": "\(previous.catalog[form.id]?.version ?? "none")",
                ]
            )
        }
        for form in replaced where catalog[form.id] == nil {
            logger.notice("Form removed: pages shown before still submit", metadata: ["form": "\(form.id)", "form.version": "\(form.version)"])
        }
        return .applied(changed: changed.map(\.id))
    }

    private func versionGauge(_ form: String, _ version: String) -> Gauge {
        Gauge(label: "form_version_info", dimensions: [("form", form), ("version", version)], factory: factory)
    }
}
