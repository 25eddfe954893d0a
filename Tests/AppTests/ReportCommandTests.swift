import AlvariaModels
import Forms
import Foundation
import Testing

@testable import App

/// `disposable-app report` as an operator runs it: the real server takes scripted sessions on a
/// real SQLite file, stops (its last funnel marks are written on the way out), and the report
/// reads the file.
@Suite("The report command", .serialized)
struct ReportCommandTests {
    @Test("after scripted sessions the report prints each form version's funnel, in text and JSON, and no value anyone typed")
    func afterScriptedSessions() async throws {
        try await LiveSimulator.run { simulator in
            let directory = try temporaryDirectory()
            let database = directory.appendingPathComponent("app.sqlite").path
            let environment = TestApp.environment(simulator: simulator, databasePath: database).merging(FaultHarness.fastDelivery) { $1 }
            let app = try SpawnedApp.launch(environment: environment, directory: directory)
            let port = try await app.waitForPort()
            try await withHTTPDriver(port: port) { http in
                // Two send consent-capture, a third opens it and meets a problem, a fourth declines.
                for name in ["Ana", "Bea"] {
                    #expect(
                        try await FaultHarness.submitConsent(http, try await simulator.createDialog(#"{"form":"consent-capture"}"#), name: name)
                            == 303
                    )
                }
                let third = try await simulator.createDialog(#"{"form":"consent-capture"}"#)
                let page = try await http.get("/f/consent-capture?sessionId=\(third.rawValue)")
                let token = try #require(TestApp.token(in: page.text))
                #expect(
                    try await http.post("/f/consent-capture?sessionId=\(third.rawValue)", [("_token", token), ("fullName", "Zoltan")]).status == 422
                )
                let fourth = try await simulator.createDialog(#"{"form":"consent-capture"}"#)
                let declinePage = try await http.get("/f/consent-capture?sessionId=\(fourth.rawValue)")
                let declineToken = try #require(TestApp.token(in: declinePage.text))
                #expect(
                    try await http.post("/f/consent-capture?sessionId=\(fourth.rawValue)", [("_token", declineToken), ("_action", "decline")]).status
                        == 303
                )
            }
            #expect(try await app.terminate() == 0)

            let version = try #require(
                try FormCatalog.load(directory: packageRoot.appendingPathComponent("config/forms").path)["consent-capture"]?.version
            )
            let text = try await Self.report(["--since", "1d"], environment: environment, directory: directory)
            #expect(text.status == 0, "\(text.output)")
            let lines = text.output.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
            #expect(lines.contains("consent-capture version \(version)"), "\(text.output)")
            #expect(lines.contains("opened 4 100%"))
            #expect(lines.contains("submitted 2 50%"))
            #expect(lines.contains("declined 1 25%"))
            #expect(lines.contains("channel required 1"), "the problems by field: \(text.output)")
            #expect(lines.contains("consent required 1"))
            for typed in ["Ana", "Bea", "Zoltan"] { #expect(!text.output.contains(typed)) }

            let json = try await Self.report(["--format", "json"], environment: environment, directory: directory)
            #expect(json.status == 0)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            let forms = try #require(document["forms"] as? [[String: Any]])
            #expect(forms.map { $0["form"] as? String } == ["consent-capture"])
            #expect(forms.first?["version"] as? String == version)
            let stages = try #require(forms.first?["stages"] as? [[String: Any]])
            #expect(stages.compactMap { $0["stage"] as? String } == ["opened", "submitted", "declined"])
            #expect(stages.compactMap { $0["sessions"] as? Int } == [4, 2, 1])
        }
    }

    @Test("a report over a database without marks says nobody opened a form; a missing database is a configuration problem (78)")
    func emptyAndMissing() async throws {
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("app.sqlite").path
        try SQLiteOutboxStore.open(path: database).close()
        let empty = try await Self.report([], environment: ["DATABASE_URL": "sqlite:\(database)"], directory: directory)
        #expect(empty.status == 0)
        #expect(empty.output.hasSuffix("nobody opened a form in that time\n"), "\(empty.output)")
        let missing = try await Self.report([], environment: ["DATABASE_URL": "sqlite:\(directory.path)/none.sqlite"], directory: directory)
        #expect(missing.status == 78)
        #expect(missing.output.contains("does not exist"))
    }

    static func report(_ arguments: [String], environment: [String: String], directory: URL) async throws -> (status: Int32, output: String) {
        let run = try SpawnedApp.launch(
            arguments: ["report"] + arguments,
            environment: environment.merging(["FORMS_DIRECTORY": packageRoot.appendingPathComponent("config/forms").path]) { $1 },
            directory: directory
        )
        let status = try await run.waitForExit(timeout: .seconds(30))
        return (status, run.log)
    }
}
