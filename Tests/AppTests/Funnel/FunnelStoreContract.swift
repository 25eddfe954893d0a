import Foundation
import Testing

@testable import App

/// What every ``FunnelStore`` must do, whatever database is behind it: a session's mark kept once,
/// counts of people per form version and mark within a window, "expired" only without an outcome,
/// and the retention purge.
///
/// Like `DraftStoreContract`: a store's suite runs every check as one parameterised test with a
/// factory of fresh, empty stores.
struct FunnelStoreContract: Sendable {
    let makeStore: @Sendable () async throws -> any FunnelStore

    struct Check: Sendable, CustomTestStringConvertible {
        let name: String
        let run: @Sendable (FunnelStoreContract) async throws -> Void
        var testDescription: String { name }
    }

    static let checks: [Check] = [
        Check(name: "counts people: a session's mark recorded again, in the same batch or later, counts once", run: { try await $0.countsPeople() }),
        Check(name: "keeps form versions, steps, fields and problems apart", run: { try await $0.keepsApart() }),
        Check(name: "counts an expiry only for sessions without a submitted or declined mark", run: { try await $0.expiredWithoutOutcome() }),
        Check(name: "counts only marks made at or after the window's start", run: { try await $0.window() }),
        Check(name: "purges marks made before a time and says how many", run: { try await $0.purges() }),
        Check(name: "records an empty batch as nothing", run: { try await $0.emptyBatch() }),
    ]

    static let start = TestDateClock.start

    static func mark(
        _ session: String,
        _ stage: FunnelMark.Stage,
        form: String = "claim-report",
        version: String = "aaaaaaaaaaaa",
        step: String = "",
        field: String = "",
        problem: String = "",
        minutes: Double = 0
    ) -> FunnelMark {
        FunnelMark(
            sessionId: session,
            formId: form,
            formVersion: version,
            stage: stage,
            step: step,
            field: field,
            problem: problem,
            at: start.addingTimeInterval(minutes * 60)
        )
    }

    func countsPeople() async throws {
        let store = try await makeStore()
        try await store.record([Self.mark("s1", .opened), Self.mark("s1", .opened, minutes: 1), Self.mark("s2", .opened)])
        try await store.record([Self.mark("s1", .opened, minutes: 5), Self.mark("s1", .submitted)])
        let counts = try await store.counts(since: Self.start)
        #expect(counts.first { $0.stage == .opened }?.sessions == 2)
        #expect(counts.first { $0.stage == .submitted }?.sessions == 1)
        #expect(counts.count == 2)
    }

    func keepsApart() async throws {
        let store = try await makeStore()
        try await store.record([
            Self.mark("s1", .step, step: "incident"), Self.mark("s1", .step, step: "details"), Self.mark("s2", .step, step: "incident"),
            Self.mark("s1", .invalid, field: "email", problem: "required"), Self.mark("s1", .invalid, field: "email", problem: "invalidEmail"),
            Self.mark("s2", .invalid, field: "email", problem: "required"),
            Self.mark("s3", .opened, version: "bbbbbbbbbbbb"), Self.mark("s4", .opened, form: "other"),
        ])
        let counts = Set(
            try await store.counts(since: Self.start).map {
                "\($0.formId) \($0.formVersion) \($0.stage.rawValue) \($0.step)\($0.field) \($0.problem) \($0.sessions)"
            }
        )
        #expect(
            counts == [
                "claim-report aaaaaaaaaaaa step incident  2", "claim-report aaaaaaaaaaaa step details  1",
                "claim-report aaaaaaaaaaaa invalid email required 2", "claim-report aaaaaaaaaaaa invalid email invalidEmail 1",
                "claim-report bbbbbbbbbbbb opened   1", "other aaaaaaaaaaaa opened   1",
            ]
        )
    }

    func expiredWithoutOutcome() async throws {
        let store = try await makeStore()
        try await store.record([
            Self.mark("s1", .expired), Self.mark("s2", .expired), Self.mark("s2", .submitted), Self.mark("s3", .expired),
            Self.mark("s3", .declined, minutes: -60),
        ])
        let counts = try await store.counts(since: Self.start)
        #expect(counts.first { $0.stage == .expired }?.sessions == 1)
    }

    func window() async throws {
        let store = try await makeStore()
        try await store.record([Self.mark("s1", .opened, minutes: -1), Self.mark("s2", .opened), Self.mark("s3", .opened, minutes: 10)])
        #expect(try await store.counts(since: Self.start).first?.sessions == 2)
        #expect(try await store.counts(since: Self.start.addingTimeInterval(3600)).isEmpty)
    }

    func purges() async throws {
        let store = try await makeStore()
        try await store.record([Self.mark("s1", .opened, minutes: -10), Self.mark("s1", .submitted, minutes: -5), Self.mark("s2", .opened)])
        #expect(try await store.purgeMarks(before: Self.start) == 2)
        #expect(try await store.counts(since: .distantPast).map(\.sessions) == [1])
        #expect(try await store.purgeMarks(before: Self.start) == 0)
    }

    func emptyBatch() async throws {
        let store = try await makeStore()
        try await store.record([])
        #expect(try await store.counts(since: .distantPast).isEmpty)
    }
}

@Suite("The funnel stores")
struct FunnelStoreTests {
    @Test("SQLite, on a real file, meets the funnel store contract", arguments: FunnelStoreContract.checks)
    func sqlite(_ check: FunnelStoreContract.Check) async throws {
        try await withTemporaryFolder { folder in
            try await check.run(
                FunnelStoreContract {
                    let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("\(UUID().uuidString).sqlite").path)
                    return SQLiteFunnelStore(database: database)
                }
            )
        }
    }

    @Test("the in-memory stand-in meets the funnel store contract", arguments: FunnelStoreContract.checks)
    func inMemory(_ check: FunnelStoreContract.Check) async throws {
        try await check.run(FunnelStoreContract { InMemoryFunnelStore() })
    }
}

@Suite(
    "The PostgreSQL funnel store, on a real server",
    .enabled(if: PostgresTestServer.isAvailable, "needs TEST_POSTGRES_URL (scripts/test.sh starts one)")
)
struct PostgresFunnelStoreTests {
    @Test("meets the funnel store contract", arguments: FunnelStoreContract.checks)
    func contract(_ check: FunnelStoreContract.Check) async throws {
        try await PostgresTestServer.withStores { makeStore in
            try await check.run(FunnelStoreContract { PostgresFunnelStore(database: try await makeStore().database) })
        }
    }

    @Test("two instances recording the same marks at once, in opposite orders, keep one of each and never deadlock")
    func twoInstances() async throws {
        try await PostgresSessionStateStoreTests.withTwoInstances { first, second in
            // Several rounds of overlapping batches: inserted in the order given, opposite orders
            // deadlocked here (PostgreSQL aborted one of each pair in a whole-suite run).
            for round in 0..<5 {
                let marks = (0..<200).map { FunnelStoreContract.mark("r\(round)-s\($0)", .opened) }
                async let one: Void = first.funnel.record(marks)
                async let other: Void = second.funnel.record(marks.reversed())
                _ = try await (one, other)
            }
            #expect(try await first.funnel.counts(since: .distantPast).map(\.sessions) == [1000])
        }
    }
}
