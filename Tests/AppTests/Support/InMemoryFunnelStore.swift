import Foundation
import Synchronization

@testable import App

/// The funnel in memory, with the stores' rules: a session's mark kept once, `expired` counted
/// only without an outcome.
final class InMemoryFunnelStore: FunnelStore {
    private struct Key: Hashable {
        let sessionId: String
        let stage: FunnelMark.Stage
        let step: String
        let field: String
        let problem: String
    }

    private let marks = Mutex<[Key: FunnelMark]>([:])

    var all: [FunnelMark] { marks.withLock { Array($0.values) } }

    func record(_ new: [FunnelMark]) async throws {
        marks.withLock { marks in
            for mark in new {
                let key = Key(sessionId: mark.sessionId, stage: mark.stage, step: mark.step, field: mark.field, problem: mark.problem)
                if marks[key] == nil { marks[key] = mark }
            }
        }
    }

    func counts(since: Date) async throws -> [FunnelCount] {
        let marks = all.filter { $0.at >= since }
        let ended = Set(all.filter { $0.stage == .submitted || $0.stage == .declined }.map(\.sessionId))
        var counts: [String: FunnelCount] = [:]
        for mark in marks where mark.stage != .expired || !ended.contains(mark.sessionId) {
            let key = [mark.formId, mark.formVersion, mark.stage.rawValue, mark.step, mark.field, mark.problem].joined(separator: "\u{1F}")
            counts[
                key,
                default: FunnelCount(
                    formId: mark.formId,
                    formVersion: mark.formVersion,
                    stage: mark.stage,
                    step: mark.step,
                    field: mark.field,
                    problem: mark.problem,
                    sessions: 0
                )
            ].sessions += 1
        }
        return counts.sorted { $0.key < $1.key }.map(\.value)
    }

    func purgeMarks(before: Date) async throws -> Int {
        marks.withLock { marks in
            let old = marks.filter { $0.value.at < before }
            for key in old.keys { marks[key] = nil }
            return old.count
        }
    }
}
