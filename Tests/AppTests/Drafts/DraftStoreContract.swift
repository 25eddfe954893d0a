import AlvariaModels
import Foundation
import Testing

@testable import App

/// What every ``DraftStore`` must do, whatever database is behind it, with the outbox and the
/// session state store on the same database (storing an outcome ends the session's draft).
///
/// Like `OutboxStoreContract`: a store's suite runs every check as one parameterised test with a
/// factory of fresh, empty stores (see `SQLiteDraftStoreTests.contract`).
struct DraftStoreContract: Sendable {
    /// A draft store and the stores on its database.
    struct Stores: Sendable {
        let drafts: any DraftStore
        let outbox: any OutboxStore
        let sessions: any SessionStateStore
    }

    /// Makes fresh, empty stores each time it is called.
    let makeStores: @Sendable () async throws -> Stores

    /// One named check, for `@Test(arguments: DraftStoreContract.checks)`.
    struct Check: Sendable, CustomTestStringConvertible {
        let name: String
        let run: @Sendable (DraftStoreContract) async throws -> Void
        var testDescription: String { name }
    }

    static let checks: [Check] = [
        Check(name: "has no draft for a session it has not seen", run: { try await $0.noDraftBefore() }),
        Check(name: "saves a draft and reads it back, box and times as saved", run: { try await $0.savesAndReadsBack() }),
        Check(name: "replaces a session's draft, keeping its first save's time", run: { try await $0.replacesKeepingCreation() }),
        Check(name: "keeps an empty box and any bytes exactly", run: { try await $0.keepsBytesExactly() }),
        Check(name: "deletes a session's draft, and deleting none is no error", run: { try await $0.deletes() }),
        Check(name: "purges drafts last saved before a time, however early they were made", run: { try await $0.purges() }),
        Check(name: "counts drafts", run: { try await $0.counts() }),
        Check(name: "refuses a save once the session's outcome is stored, writing nothing", run: { try await $0.refusesAfterOutcome() }),
        Check(name: "storing an outcome deletes the session's draft, and only that one", run: { try await $0.enqueueEndsDraft() }),
        Check(name: "the verification lock's outcome deletes the session's draft", run: { try await $0.lockEndsDraft() }),
        Check(name: "of saves racing an outcome, none leaves a draft a reader is handed", run: { try await $0.savesRacingOutcome() }),
    ]

    private var t0: Date { TestDateClock.start }
    private func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    /// A box as the flow would store: opaque bytes (the stores never open them).
    static func box(_ text: String) -> [UInt8] { Array("sealed:\(text)".utf8) }

    func noDraftBefore() async throws {
        let drafts = try await makeStores().drafts
        #expect(try await drafts.draft(sessionId: "s-1") == nil)
        #expect(try await drafts.saveDraft(sessionId: "s-2", formId: "incident-report", sealed: Self.box("a"), at: at(1)))
        #expect(try await drafts.draft(sessionId: "s-1") == nil, "another session's draft is not this one's")
    }

    func savesAndReadsBack() async throws {
        let drafts = try await makeStores().drafts
        // A quarter second: the stores keep milliseconds.
        #expect(try await drafts.saveDraft(sessionId: "s-1", formId: "incident-report", sealed: Self.box("one"), at: at(10.25)))
        #expect(
            try await drafts.draft(sessionId: "s-1")
                == StoredDraft(sessionId: "s-1", formId: "incident-report", sealed: Self.box("one"), createdAt: at(10.25), updatedAt: at(10.25))
        )
    }

    func replacesKeepingCreation() async throws {
        let drafts = try await makeStores().drafts
        #expect(try await drafts.saveDraft(sessionId: "s-1", formId: "incident-report", sealed: Self.box("one"), at: at(10)))
        #expect(try await drafts.saveDraft(sessionId: "s-2", formId: "incident-report", sealed: Self.box("other"), at: at(15)))
        #expect(try await drafts.saveDraft(sessionId: "s-1", formId: "claim", sealed: Self.box("two"), at: at(20)))
        #expect(
            try await drafts.draft(sessionId: "s-1")
                == StoredDraft(sessionId: "s-1", formId: "claim", sealed: Self.box("two"), createdAt: at(10), updatedAt: at(20))
        )
        #expect(try await drafts.draft(sessionId: "s-2")?.sealed == Self.box("other"), "another session's draft is untouched")
        #expect(try await drafts.draftCount() == 2, "replaced, not added")
    }

    func keepsBytesExactly() async throws {
        let drafts = try await makeStores().drafts
        let every = (0...255).map(UInt8.init) + [0, 0, 0xFF]
        #expect(try await drafts.saveDraft(sessionId: "s-1", formId: "incident-report", sealed: every, at: at(1)))
        #expect(try await drafts.draft(sessionId: "s-1")?.sealed == every)
        #expect(try await drafts.saveDraft(sessionId: "s-2", formId: "incident-report", sealed: [], at: at(1)))
        #expect(try await drafts.draft(sessionId: "s-2")?.sealed == [])
    }

    func deletes() async throws {
        let drafts = try await makeStores().drafts
        #expect(try await drafts.saveDraft(sessionId: "s-1", formId: "incident-report", sealed: Self.box("one"), at: at(1)))
        #expect(try await drafts.saveDraft(sessionId: "s-2", formId: "incident-report", sealed: Self.box("two"), at: at(1)))
        try await drafts.deleteDraft(sessionId: "s-1")
        #expect(try await drafts.draft(sessionId: "s-1") == nil)
        #expect(try await drafts.draft(sessionId: "s-2") != nil)
        try await drafts.deleteDraft(sessionId: "s-1")
        try await drafts.deleteDraft(sessionId: "never-saved")
        #expect(try await drafts.draftCount() == 1)
        #expect(try await drafts.saveDraft(sessionId: "s-1", formId: "incident-report", sealed: Self.box("again"), at: at(5)))
        #expect(try await drafts.draft(sessionId: "s-1")?.createdAt == at(5), "a new draft after a delete starts afresh")
    }

    func purges() async throws {
        let drafts = try await makeStores().drafts
        #expect(try await drafts.saveDraft(sessionId: "s-old", formId: "incident-report", sealed: Self.box("old"), at: at(10)))
        // Made at 5, saved again at 40: the last save is what counts.
        #expect(try await drafts.saveDraft(sessionId: "s-busy", formId: "incident-report", sealed: Self.box("busy"), at: at(5)))
        #expect(try await drafts.saveDraft(sessionId: "s-busy", formId: "incident-report", sealed: Self.box("busy 2"), at: at(40)))
        #expect(try await drafts.saveDraft(sessionId: "s-edge", formId: "incident-report", sealed: Self.box("edge"), at: at(30)))

        #expect(try await drafts.purgeDrafts(updatedBefore: at(30)) == 1)
        #expect(try await drafts.draft(sessionId: "s-old") == nil)
        #expect(try await drafts.draft(sessionId: "s-busy")?.sealed == Self.box("busy 2"))
        #expect(try await drafts.draft(sessionId: "s-edge") != nil, "saved at the cut-off: kept")
        #expect(try await drafts.purgeDrafts(updatedBefore: at(30)) == 0)
        #expect(try await drafts.purgeDrafts(updatedBefore: at(41)) == 2)
        #expect(try await drafts.draftCount() == 0)
    }

    func counts() async throws {
        let stores = try await makeStores()
        let drafts = stores.drafts
        #expect(try await drafts.draftCount() == 0)
        for index in 0..<3 {
            #expect(try await drafts.saveDraft(sessionId: "s-\(index)", formId: "incident-report", sealed: Self.box("\(index)"), at: at(1)))
        }
        #expect(try await drafts.saveDraft(sessionId: "s-0", formId: "incident-report", sealed: Self.box("again"), at: at(2)))
        #expect(try await drafts.draftCount() == 3)
        try await drafts.deleteDraft(sessionId: "s-1")
        _ = try await stores.outbox.enqueue(newOutcome("s-2"), claimedUntil: at(60)).storedEntry()
        #expect(try await drafts.draftCount() == 1)
    }

    func refusesAfterOutcome() async throws {
        let stores = try await makeStores()
        _ = try await stores.outbox.enqueue(newOutcome("s-1"), claimedUntil: at(60)).storedEntry()
        #expect(try await stores.drafts.saveDraft(sessionId: "s-1", formId: "incident-report", sealed: Self.box("late"), at: at(2)) == false)
        #expect(try await stores.drafts.draft(sessionId: "s-1") == nil)
        #expect(try await stores.drafts.draftCount() == 0, "nothing written")
        #expect(try await stores.drafts.saveDraft(sessionId: "s-2", formId: "incident-report", sealed: Self.box("other"), at: at(2)))
    }

    func enqueueEndsDraft() async throws {
        let stores = try await makeStores()
        #expect(try await stores.drafts.saveDraft(sessionId: "s-1", formId: "incident-report", sealed: Self.box("one"), at: at(1)))
        #expect(try await stores.drafts.saveDraft(sessionId: "s-2", formId: "incident-report", sealed: Self.box("two"), at: at(1)))
        let entry = try await stores.outbox.enqueue(newOutcome("s-1", createdAt: at(3)), claimedUntil: at(60)).storedEntry()
        #expect(entry.sessionId == "s-1")
        #expect(try await stores.drafts.draft(sessionId: "s-1") == nil)
        #expect(try await stores.drafts.draftCount() == 1, "the row is gone, not only hidden")
        #expect(try await stores.drafts.draft(sessionId: "s-2")?.sealed == Self.box("two"), "another session keeps its draft")
        #expect(try await stores.drafts.saveDraft(sessionId: "s-1", formId: "incident-report", sealed: Self.box("late"), at: at(4)) == false)
    }

    func lockEndsDraft() async throws {
        let stores = try await makeStores()
        #expect(try await stores.drafts.saveDraft(sessionId: "s-1", formId: "contact-details", sealed: Self.box("one"), at: at(1)))
        #expect(try await stores.drafts.saveDraft(sessionId: "s-2", formId: "contact-details", sealed: Self.box("two"), at: at(1)))
        let wrong = try await stores.sessions.attemptVerification(
            sessionId: "s-1",
            maxAttempts: 2,
            lockedOutcome: SessionStateStoreContract.lockedOutcome("s-1", createdAt: at(2)),
            at: at(2),
            isCorrect: { false }
        )
        #expect(wrong == .wrong(attemptsLeft: 1))
        #expect(try await stores.drafts.draft(sessionId: "s-1") != nil, "no outcome yet: the draft stays")
        let locked = try await stores.sessions.attemptVerification(
            sessionId: "s-1",
            maxAttempts: 2,
            lockedOutcome: SessionStateStoreContract.lockedOutcome("s-1", createdAt: at(3)),
            at: at(3),
            isCorrect: { false }
        )
        #expect(locked == .lockedNow)
        #expect(try await stores.outbox.isConsumed(sessionId: "s-1"))
        #expect(try await stores.drafts.draft(sessionId: "s-1") == nil)
        #expect(try await stores.drafts.draftCount() == 1)
        #expect(try await stores.drafts.saveDraft(sessionId: "s-1", formId: "contact-details", sealed: Self.box("late"), at: at(4)) == false)
    }

    func savesRacingOutcome() async throws {
        let stores = try await makeStores()
        let drafts = stores.drafts
        for round in 0..<10 {
            let sessionId = "s-race-\(round)"
            #expect(try await drafts.saveDraft(sessionId: sessionId, formId: "incident-report", sealed: Self.box("first"), at: at(1)))
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await drafts.saveDraft(sessionId: sessionId, formId: "incident-report", sealed: Self.box("\(index)"), at: self.at(2))
                    }
                }
                group.addTask {
                    _ = try await stores.outbox.enqueue(newOutcome(sessionId, createdAt: self.at(2)), claimedUntil: self.at(60))
                    return true
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.count == 9)
            #expect(try await drafts.draft(sessionId: sessionId) == nil, "a consumed session has no draft to hand out")
            #expect(try await drafts.saveDraft(sessionId: sessionId, formId: "incident-report", sealed: Self.box("after"), at: at(3)) == false)
        }
    }
}
