import AlvariaModels
import Foundation
import Synchronization
import Testing

@testable import App

/// The real binary reloading its forms: on `SIGHUP`, and with `forms.watch` on an edit in the
/// folder, while people keep opening and sending forms.
@Suite("Reloading forms in the running process", .serialized)
struct FormReloadProcessTests {
    /// A server on its own forms folder (``FormReloadTests/before``), against a simulator.
    static func launch(
        _ simulator: LiveSimulator,
        overrides: [String: String] = [:]
    ) async throws -> (app: SpawnedApp, port: Int, forms: URL) {
        let directory = try temporaryDirectory()
        let forms = directory.appendingPathComponent("forms")
        try FileManager.default.createDirectory(at: forms, withIntermediateDirectories: true)
        try FormReloadTests.write(FormReloadTests.before, to: "contact.yaml", in: forms)
        let environment = TestApp.environment(
            simulator: simulator,
            databasePath: directory.appendingPathComponent("app.sqlite").path,
            overrides: ["FORMS_DIRECTORY": forms.path, "LIMITS_PAGE_LOADS_PER_MINUTE": "0", "LIMITS_SUBMITS_PER_MINUTE": "0"].merging(overrides) {
                $1
            }
        )
        let app = try SpawnedApp.launch(environment: environment, directory: directory)
        let port = try await app.waitForPort()
        // SIGHUP ends a process that has not trapped it yet.
        try await waitUntil(limit: .seconds(30)) { app.log.contains("Forms reload on SIGHUP") }
        return (app, port, forms)
    }

    /// What the clients of a load share: forms sent, the problems met, and when to stop.
    final class Load: Sendable {
        let sent = Atomic(0)
        let stop = Atomic(false)
        let failures = Mutex<[String]>([])
    }

    /// Opens the form for a new dialog and sends it with answers both versions take.
    static func openAndSend(_ http: HTTPDriver, _ simulator: LiveSimulator) async throws -> [String] {
        let sessionId = try await simulator.createDialog(#"{"form":"contact-choice"}"#)
        let uri = "/f/contact-choice?sessionId=\(sessionId.rawValue)"
        let page = try await http.get(uri)
        guard page.status == 200, let token = TestApp.token(in: page.text) else { return ["GET \(page.status)"] }
        let sent = try await http.post(uri, [("_token", token), ("contactBy", "phone"), ("emailAddress", "ana@example.test")])
        return sent.status == 303 ? [] : ["POST \(sent.status)"]
    }

    @Test("SIGHUP with a valid and then an invalid edit under load: no request fails, the valid edit is served and the invalid one refused")
    func sighupUnderLoad() async throws {
        try await LiveSimulator.run { simulator in
            let (app, port, forms) = try await Self.launch(simulator)
            let load = Load()
            try await withHTTPDriver(port: port) { http in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            // Bounded: at most 200 forms per client, and stopped once both reloads are done.
                            for _ in 0..<200 where !load.stop.load(ordering: .relaxed) {
                                let problems = try await Self.openAndSend(http, simulator)
                                load.failures.withLock { $0 += problems }
                                load.sent.add(1, ordering: .relaxed)
                            }
                        }
                    }
                    try await waitUntil(limit: .seconds(60)) { load.sent.load(ordering: .relaxed) >= 10 }
                    try FormReloadTests.write(FormReloadTests.after, to: "contact.yaml", in: forms)
                    kill(app.process.processIdentifier, SIGHUP)
                    try await waitUntil(limit: .seconds(30)) { app.log.contains("Forms reloaded") }
                    let afterValid = load.sent.load(ordering: .relaxed)
                    try await waitUntil(limit: .seconds(60)) { load.sent.load(ordering: .relaxed) >= afterValid + 10 }

                    try FormReloadTests.write(
                        FormReloadTests.after.replacingOccurrences(of: "type: email", with: "type: e-mail"),
                        to: "contact.yaml",
                        in: forms
                    )
                    kill(app.process.processIdentifier, SIGHUP)
                    try await waitUntil(limit: .seconds(30)) { app.log.contains("Forms not reloaded") }
                    let afterInvalid = load.sent.load(ordering: .relaxed)
                    try await waitUntil(limit: .seconds(60)) { load.sent.load(ordering: .relaxed) >= afterInvalid + 10 }
                    load.stop.store(true, ordering: .relaxed)
                    try await group.waitForAll()
                }
                #expect(load.failures.withLock { $0 } == [])

                let sessionId = try await simulator.createDialog(#"{"form":"contact-choice"}"#)
                let page = try await http.get("/f/contact-choice?sessionId=\(sessionId.rawValue)")
                #expect(page.text.contains(#"name="emailAddress""#), "the valid edit is served, the invalid one is not")
            }
            #expect(app.log.contains("contact.yaml:10:11: field"), "the problem as start-up words it: \(app.log)")
            #expect(app.log.contains("unknown type"))
            #expect(app.process.isRunning)
            #expect(try await app.terminate() == 0)
            print("SIGHUP under load: \(load.sent.load(ordering: .relaxed)) forms opened and sent, none failed")
        }
    }

    @Test(
        "after a restart with an edited form, a page opened before it is validated and mapped with the version it showed, read back from the database"
    )
    func restart() async throws {
        try await LiveSimulator.run { simulator in
            let directory = try temporaryDirectory()
            let forms = directory.appendingPathComponent("forms")
            try FileManager.default.createDirectory(at: forms, withIntermediateDirectories: true)
            try FormReloadTests.write(FormReloadTests.before, to: "contact.yaml", in: forms)
            let environment = TestApp.environment(
                simulator: simulator,
                databasePath: directory.appendingPathComponent("app.sqlite").path,
                overrides: ["FORMS_DIRECTORY": forms.path]
            )
            let sessionId = try await simulator.createDialog(#"{"form":"contact-choice"}"#)
            let uri = "/f/contact-choice?sessionId=\(sessionId.rawValue)"

            let first = try SpawnedApp.launch(environment: environment, directory: directory)
            let token = try await withHTTPDriver(port: try await first.waitForPort()) { http in
                try #require(TestApp.token(in: try await http.get(uri).text))
            }
            // The versions are saved once the migrations ran, before SIGHUP is trapped.
            try await waitUntil(limit: .seconds(30)) { first.log.contains("Forms reload on SIGHUP") }
            #expect(try await first.terminate() == 0)

            // A deploy: the form edited (an option renamed, a field required), the server started again.
            try FormReloadTests.write(FormReloadTests.after, to: "contact.yaml", in: forms)
            let second = try SpawnedApp.launch(environment: environment, directory: directory)
            try await withHTTPDriver(port: try await second.waitForPort()) { http in
                let sent = try await http.post(uri, [("_token", token), ("contactBy", "mail")])
                #expect(sent.status == 303, "\(sent.text)")
            }
            let outcome = try #require(try await simulator.waitForOutcomes(sessionId).first)
            #expect(outcome.map(\.id) == ["contactBy", "formStatus"], "the version shown: no emailAddress")
            #expect(outcome.first?.value == "mail")
            #expect(second.log.contains("Form version read back from the database"), "\(second.log)")
            #expect(try await second.terminate() == 0)
        }
    }

    @Test("forms.watch: an edit saved in the folder is served without a signal; an invalid one is refused and the forms stay")
    func watch() async throws {
        try await LiveSimulator.run { simulator in
            let (app, port, forms) = try await Self.launch(simulator, overrides: ["FORMS_WATCH": "true", "FORMS_WATCH_INTERVAL": "100ms"])
            try await withHTTPDriver(port: port) { http in
                let shows = { (field: String) async throws -> Bool in
                    let sessionId = try await simulator.createDialog(#"{"form":"contact-choice"}"#)
                    return try await http.get("/f/contact-choice?sessionId=\(sessionId.rawValue)").text.contains(#"name="\#(field)""#)
                }
                #expect(try await !shows("emailAddress"))
                try FormReloadTests.write(FormReloadTests.after, to: "contact.yaml", in: forms)
                try await waitUntil(limit: .seconds(30)) { app.log.contains("Forms reloaded") }
                #expect(try await shows("emailAddress"))

                try FormReloadTests.write("id: contact-choice\ntitle: [unclosed", to: "contact.yaml", in: forms)
                try await waitUntil(limit: .seconds(30)) { app.log.contains("Forms not reloaded") }
                #expect(try await shows("emailAddress"))
            }
            #expect(try await app.terminate() == 0)
        }
    }
}
