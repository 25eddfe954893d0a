import Foundation
import Testing

@testable import App

@Suite("Sealing drafts")
struct SealerTests {
    static let current = Array("current-secret-0123456789-0123456789-abcdef".utf8)
    static let old = Array("old-secret-0123456789-0123456789-abcdefghij".utf8)
    static let unknown = Array("unknown-secret-0123456789-0123456789-abcdef".utf8)

    let sealer = Sealer(secrets: SecretKeys(current: current), purpose: "drafts")
    let draft = Draft(
        formId: "incident-report",
        values: ["street": ["Calle Ñandú 5, \"B\" <apt>"], "contactTime": ["am", "pm"], "empty": [""]],
        completedSteps: ["incident", "contact"]
    )

    @Test("a sealed draft opens to itself for its session; the box never shows a value")
    func roundTrip() throws {
        let box = sealer.seal(draft, sessionId: "s-1")
        #expect(sealer.openDraft(box, sessionId: "s-1") == draft)
        #expect(box.first == Sealer.version)
        #expect(box.firstRange(of: Array("Calle".utf8)) == nil)
        #expect(box.firstRange(of: Array("incident-report".utf8)) == nil)
        #expect(sealer.seal(draft, sessionId: "s-1") != box, "a fresh nonce every time")
        let bytes = Array("any bytes at all \u{0}\u{1}".utf8)
        #expect(sealer.open(sealer.seal(bytes, sessionId: "s-1"), sessionId: "s-1") == bytes)
        #expect(sealer.open(sealer.seal([UInt8](), sessionId: "s-1"), sessionId: "s-1") == [], "an empty plaintext too")
    }

    @Test("one flipped bit anywhere in the box, version, nonce, ciphertext or tag, and it does not open")
    func tampering() {
        let box = sealer.seal(Array("a short text".utf8), sessionId: "s-1")
        for index in box.indices {
            for bit in 0..<8 {
                var tampered = box
                tampered[index] ^= UInt8(1) << UInt8(bit)
                #expect(sealer.open(tampered, sessionId: "s-1") == nil, "byte \(index), bit \(bit)")
            }
        }
        #expect(sealer.open(box.dropLast().map { $0 }, sessionId: "s-1") == nil, "cut short")
        #expect(sealer.open(box + [0], sessionId: "s-1") == nil, "lengthened")
    }

    @Test("a box moved to another session does not open")
    func anotherSession() {
        let box = sealer.seal(draft, sessionId: "s-1")
        #expect(sealer.openDraft(box, sessionId: "s-2") == nil)
        #expect(sealer.openDraft(box, sessionId: "s-1 ") == nil)
        #expect(sealer.openDraft(box, sessionId: "") == nil)
    }

    @Test("after a rotation a box sealed under the old secret opens while it is a previous secret, and new boxes use the new one")
    func rotation() {
        let before = Sealer(secrets: SecretKeys(current: Self.old), purpose: "drafts")
        let oldBox = before.seal(draft, sessionId: "s-1")
        let rotated = Sealer(secrets: SecretKeys(current: Self.current, previous: [Self.unknown, Self.old]), purpose: "drafts")
        #expect(rotated.openDraft(oldBox, sessionId: "s-1") == draft)
        #expect(rotated.openDraft(oldBox, sessionId: "s-2") == nil, "still bound to its session")
        #expect(sealer.openDraft(oldBox, sessionId: "s-1") == nil, "the old secret dropped from the list: it no longer opens")
        let newBox = rotated.seal(draft, sessionId: "s-1")
        #expect(sealer.openDraft(newBox, sessionId: "s-1") == draft, "sealed under the current secret")
        #expect(before.openDraft(newBox, sessionId: "s-1") == nil, "not under the old one")
    }

    @Test("a box under a secret it does not know does not open")
    func unknownSecret() {
        let stranger = Sealer(secrets: SecretKeys(current: Self.unknown), purpose: "drafts")
        #expect(sealer.openDraft(stranger.seal(draft, sessionId: "s-1"), sessionId: "s-1") == nil)
    }

    @Test("keys for different purposes differ: a draft's box does not open as a file's, nor the other way round")
    func purposes() {
        let files = Sealer(secrets: SecretKeys(current: Self.current), purpose: "files")
        let bytes = Array("same secret, same session".utf8)
        #expect(files.open(sealer.seal(bytes, sessionId: "s-1"), sessionId: "s-1") == nil)
        #expect(sealer.open(files.seal(bytes, sessionId: "s-1"), sessionId: "s-1") == nil)
        #expect(files.open(files.seal(bytes, sessionId: "s-1"), sessionId: "s-1") == bytes)
    }

    @Test(
        "empty, short or foreign input is no box: nil, not a crash",
        arguments: [
            [], [1], [0], [2], [UInt8](repeating: 1, count: 28), [UInt8](repeating: 0, count: 29),
            [1] + [UInt8](repeating: 0, count: 28), [UInt8](repeating: 0xFF, count: 200),
            Array("{\"formId\":\"x\",\"values\":{},\"completedSteps\":[]}".utf8),
        ] as [[UInt8]]
    )
    func notABox(_ input: [UInt8]) {
        #expect(sealer.open(input, sessionId: "s-1") == nil)
        #expect(sealer.openDraft(input, sessionId: "s-1") == nil)
    }

    @Test("a box that opens but holds no draft is no draft")
    func notADraft() {
        #expect(sealer.openDraft(sealer.seal(Array("not JSON".utf8), sessionId: "s-1"), sessionId: "s-1") == nil)
        #expect(sealer.openDraft(sealer.seal(Array("{\"formId\":1}".utf8), sessionId: "s-1"), sessionId: "s-1") == nil)
    }

    @Test("a box is one version byte, a 12-byte nonce, the ciphertext and a 16-byte tag")
    func layout() {
        for length in [0, 1, 100] {
            #expect(sealer.seal([UInt8](repeating: 7, count: length), sessionId: "s-1").count == 1 + 12 + length + 16)
        }
    }
}
