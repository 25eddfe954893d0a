public import Forms
public import Foundation

/// What `disposable-app report` prints: the funnel of each form version, from the store's counts.
/// Pure functions of what the store returned; people, not page views (a session's mark counts
/// once), and never a value, only stages, steps, fields and problem codes.
public enum FunnelReport {
    /// One form version's funnel.
    struct Funnel: Sendable, Equatable {
        struct Stage: Sendable, Equatable {
            let stage: FunnelMark.Stage
            let step: String
            let sessions: Int
        }

        struct Problem: Sendable, Equatable {
            let field: String
            let problem: String
            let sessions: Int
        }

        let formId: String
        let formVersion: String
        let stages: [Stage]
        let problems: [Problem]

        var opened: Int { stages.first { $0.stage == .opened }?.sessions ?? 0 }
    }

    /// Groups the counts by form and version, stages in the order people meet them (steps in
    /// `forms`' order where a form is known there, else by id), problems most frequent first.
    static func funnels(_ counts: [FunnelCount], forms: FormCatalog?) -> [Funnel] {
        let grouped = Dictionary(grouping: counts) { [$0.formId, $0.formVersion] }
        return grouped.keys.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }.map { key in
            let counts = grouped[key] ?? []
            let stepOrder = forms?[key[0]]?.steps.map(\.id) ?? []
            let position = { (step: String) in stepOrder.firstIndex(of: step) ?? stepOrder.count }
            var stages = counts.filter { $0.stage != .invalid }.map { Funnel.Stage(stage: $0.stage, step: $0.step, sessions: $0.sessions) }
            // The two a funnel is read by are there even at zero.
            for always in [FunnelMark.Stage.opened, .submitted] where !stages.contains(where: { $0.stage == always }) {
                stages.append(Funnel.Stage(stage: always, step: "", sessions: 0))
            }
            let order = FunnelMark.Stage.allCases
            stages.sort { lhs, rhs in
                let left = (order.firstIndex(of: lhs.stage) ?? 0, position(lhs.step), lhs.step)
                let right = (order.firstIndex(of: rhs.stage) ?? 0, position(rhs.step), rhs.step)
                return left < right
            }
            let problems = counts.filter { $0.stage == .invalid }
                .map { Funnel.Problem(field: $0.field, problem: $0.problem, sessions: $0.sessions) }
                .sorted { ($1.sessions, $0.field, $0.problem) < ($0.sessions, $1.field, $1.problem) }
            return Funnel(formId: key[0], formVersion: key[1], stages: stages, problems: problems)
        }
    }

    /// The text report: a table per form version.
    public static func text(_ counts: [FunnelCount], since: Date, forms: FormCatalog?) -> String {
        let funnels = funnels(counts, forms: forms)
        var lines = ["Funnel since \(OutboxReport.timestamp(since)): people, each counted once per stage"]
        guard !funnels.isEmpty else { return (lines + ["", "nobody opened a form in that time"]).joined(separator: "\n") }
        for funnel in funnels {
            lines.append("")
            lines.append("\(OutboxReport.clean(funnel.formId))  version \(funnel.formVersion.isEmpty ? "-" : OutboxReport.clean(funnel.formVersion))")
            let rows = funnel.stages.map { (label(of: $0), $0.sessions) }
            let width = rows.map(\.0.count).max() ?? 0
            for (label, sessions) in rows {
                let share = funnel.opened > 0 ? "\(Int((Double(sessions) / Double(funnel.opened) * 100).rounded()))%" : "-"
                lines.append("  \(pad(label, width))  \(pad("\(sessions)", 6, right: true))  \(pad(share, 4, right: true))")
            }
            guard !funnel.problems.isEmpty else { continue }
            lines.append("  validation problems (people):")
            let fieldWidth = funnel.problems.map { OutboxReport.clean($0.field).count }.max() ?? 0
            let problemWidth = funnel.problems.map(\.problem.count).max() ?? 0
            for problem in funnel.problems {
                lines.append(
                    "    \(pad(OutboxReport.clean(problem.field), fieldWidth))  \(pad(problem.problem, problemWidth))  \(pad("\(problem.sessions)", 6, right: true))"
                )
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The JSON report, for dashboards and pipelines.
    public static func json(_ counts: [FunnelCount], since: Date, forms: FormCatalog?) -> Data {
        struct Document: Encodable {
            struct Form: Encodable {
                struct Stage: Encodable {
                    let stage: String
                    let step: String?
                    let sessions: Int
                }

                struct Problem: Encodable {
                    let field: String
                    let problem: String
                    let sessions: Int
                }

                let form: String
                let version: String
                let stages: [Stage]
                let problems: [Problem]
            }

            let since: String
            let forms: [Form]
        }
        let document = Document(
            since: OutboxReport.timestamp(since),
            forms: funnels(counts, forms: forms).map { funnel in
                Document.Form(
                    form: funnel.formId,
                    version: funnel.formVersion,
                    stages: funnel.stages.map { .init(stage: jsonName(of: $0.stage), step: $0.step.isEmpty ? nil : $0.step, sessions: $0.sessions) },
                    problems: funnel.problems.map { .init(field: $0.field, problem: $0.problem, sessions: $0.sessions) }
                )
            }
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Strings and integers only: encoding cannot fail.
        return (try? encoder.encode(document)) ?? Data("{}".utf8)
    }

    private static func label(of stage: Funnel.Stage) -> String {
        switch stage.stage {
        case .step: "step \(OutboxReport.clean(stage.step))"
        case .expired: "expired, no outcome"
        default: stage.stage.rawValue
        }
    }

    /// `expired` in JSON is what the text calls "expired, no outcome".
    private static func jsonName(of stage: FunnelMark.Stage) -> String {
        stage == .expired ? "expiredWithoutOutcome" : stage.rawValue
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
