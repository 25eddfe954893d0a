import AlvariaModels
import Foundation
import Testing

@Suite("The Alvaria wire types")
struct WireFormatTests {
    @Test("decode the vendor reference's token, context and error payloads")
    func decodeFixtures() throws {
        let token = try JSONDecoder().decode(AccessTokenResponse.self, from: Data(contentsOf: fixtureURL("token-response.json")))
        #expect(token.expiresIn == 3599)
        #expect(token.tokenType == "Bearer")
        let context = try JSONDecoder().decode(DisposableAppContext.self, from: Data(contentsOf: fixtureURL("context-response.json")))
        #expect(context.kind == DisposableAppContext.kindValue)
        let error = try JSONDecoder().decode(ErrorResponse.self, from: Data(contentsOf: fixtureURL("error-response.json")))
        #expect(error.errors?.first?.reason == "required")
    }

    @Test("encode an outcome exactly as the reference shows it")
    func encodeOutcome() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let encoded = try encoder.encode(DisposableAppOutcome(variables: [OutcomeVariable(id: "v1", value: "x")]))
        let fixture = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL("outcome-request.json"))) as? NSDictionary
        let ours = try JSONSerialization.jsonObject(with: encoded) as? NSDictionary
        #expect(ours == fixture)
    }

    @Test("accept only 1–128 characters of A-Z a-z 0-9 . _ : - as a sessionId")
    func sessionIdFormat() {
        #expect(SessionID("abc-DEF_1.2:3") != nil)
        #expect(SessionID(String(repeating: "a", count: 128)) != nil)
        #expect(SessionID(String(repeating: "a", count: 129)) == nil)
        for bad in ["", "a b", "a/b", "ä", "a?b", "<script>", "a%20"] {
            #expect(SessionID(bad) == nil, "\(bad)")
        }
        #expect(SessionID("abcdefghijkl")!.shortened == "abcdef…")
    }
}
