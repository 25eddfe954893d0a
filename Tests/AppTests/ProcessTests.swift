import AlvariaModels
import Foundation
import Testing

@testable import App

/// The real binary in its own process: start-up checks, the committed demo, crash recovery.
@Suite("The disposable-app process", .serialized)
struct ProcessTests {
    @Test("a bad configuration stops start-up with one line per problem and exit code 78, before the port opens")
    func badConfiguration() async throws {
        let directory = try temporaryDirectory()
        let app = try SpawnedApp.launch(environment: ["ALVARIA_MODE": "live", "HTTP_PORT": "99999"], directory: directory)
        #expect(try await app.waitForExit() == 78)
        #expect(app.log.contains(#"configuration error: http.port (HTTP_PORT): "99999" is not valid; expected an integer from 0 to 65535"#))
        #expect(app.log.contains("configuration error: alvaria.clientSecret (ALVARIA_CLIENT_SECRET): is missing; required when alvaria.mode is live"))
        #expect(!app.log.contains("Serving"))
    }

    @Test("an invalid form file stops start-up naming the file, the field and the reason")
    func invalidForm() async throws {
        let directory = try temporaryDirectory()
        let forms = directory.appendingPathComponent("forms")
        try FileManager.default.createDirectory(at: forms, withIntermediateDirectories: true)
        try "id: broken\ntitle: Broken\nfields:\n  - name: street\n    type: txt\n".write(
            to: forms.appendingPathComponent("broken.yaml"),
            atomically: true,
            encoding: .utf8
        )
        let app = try SpawnedApp.launch(
            environment: [
                "FORMS_DIRECTORY": forms.path, "HTTP_PORT": "0", "HTTP_PUBLIC_DIRECTORY": packageRoot.appendingPathComponent("Public").path,
            ],
            directory: directory
        )
        #expect(try await app.waitForExit() == 78)
        // The same check as `forms check`: with the line and column, and the suggestion.
        #expect(
            app.log.contains(
                "start-up error: forms: \(forms.path)/broken.yaml:5:11: field \"street\": unknown type \"txt\" (did you mean \"text\"?)"
            ),
            "\(app.log)"
        )
        #expect(!app.log.contains("Serving"))
    }

    @Test("a public folder that does not exist stops start-up naming http.publicDirectory, instead of serving unstyled pages")
    func missingPublicFolder() async throws {
        let directory = try temporaryDirectory()
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("config"), to: directory.appendingPathComponent("config"))
        // Started from a folder without Public/, as from the wrong working directory.
        let app = try SpawnedApp.launch(environment: ["HTTP_PORT": "0"], directory: directory)
        #expect(try await app.waitForExit() == 78)
        #expect(
            app.log.contains(
                "start-up error: configuration error: http.publicDirectory (HTTP_PUBLIC_DIRECTORY): \(directory.standardizedFileURL.path)/Public is not a folder"
            ),
            "\(app.log)"
        )
        #expect(!app.log.contains("Serving"))
    }

    @Test("demo mode whose simulator port is taken stops start-up naming simulator.port, instead of hanging every page")
    func simulatorPortTaken() async throws {
        try await LiveSimulator.run { occupied in
            let directory = try temporaryDirectory()
            for folder in ["config", "Public"] {
                try FileManager.default.copyItem(at: packageRoot.appendingPathComponent(folder), to: directory.appendingPathComponent(folder))
            }
            let app = try SpawnedApp.launch(environment: ["HTTP_PORT": "0", "SIMULATOR_PORT": "\(occupied.port)"], directory: directory)
            #expect(try await app.waitForExit() == 78)
            #expect(
                app.log.contains(
                    "start-up error: configuration error: simulator.port (SIMULATOR_PORT): the built-in simulator cannot listen on 127.0.0.1:\(occupied.port)"
                ),
                "\(app.log)"
            )
            #expect(!app.log.contains("Serving"))
        }
    }

    @Test("the committed demo walks console → link → form → submit → outcome visible, with no configuration")
    func committedDemo() async throws {
        let directory = try temporaryDirectory()
        for folder in ["config", "Public"] {
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent(folder), to: directory.appendingPathComponent(folder))
        }
        // Only the port is set, so the test cannot collide with anything on 8080.
        let app = try SpawnedApp.launch(environment: ["HTTP_PORT": "0"], directory: directory)
        let port = try await app.waitForPort()
        #expect(app.log.contains("SIMULATOR MODE"))
        try await withHTTPDriver(port: port) { http in
            let console = try await http.get("/")
            #expect(console.status == 200)
            #expect(console.text.contains("CX simulator console"))
            let started = try await http.post("/console/dialogs", [("content", #"{"form":"consent-capture","fullName":"Ana Demo"}"#)])
            #expect(started.status == 303)
            let withDialog = try await http.get("/")
            // The console offers the short link, as an SMS would carry it.
            let link = try #require(withDialog.text.firstMatch(of: /href="(\/s\/[^"]+)"/)?.1)
            let form = try await http.get(String(link))
            #expect(form.status == 200)
            #expect(form.text.contains(#"value="Ana Demo""#))
            let token = try #require(TestApp.token(in: form.text))
            let sessionId = String(link.dropFirst("/s/".count))
            let submitted = try await http.post(
                "/f/consent-capture?sessionId=\(sessionId)",
                [("_token", token), ("fullName", "Ana Demo"), ("channel", "email"), ("consent", "true")]
            )
            #expect(submitted.status == 303)
            let after = try await http.get("/")
            #expect(after.text.contains("consentStatus"))
            #expect(after.text.contains("<td>given</td>"))
        }
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("data/app.sqlite").path))
        #expect(try await app.terminate() == 0)
    }

    @Test("an outcome stored while Alvaria is down survives kill -9 and is delivered after restart")
    func crashRecovery() async throws {
        try await LiveSimulator.run { simulator in
            let directory = try temporaryDirectory()
            let database = directory.appendingPathComponent("data/app.sqlite").path
            let environment = TestApp.environment(simulator: simulator, databasePath: database)
            let sessionId = try await simulator.createDialog(#"{"form":"consent-capture"}"#)
            try await simulator.setFaults(#"{"failNextOutcome": 1000000}"#)

            let first = try SpawnedApp.launch(environment: environment, directory: directory)
            let port = try await first.waitForPort()
            try await withHTTPDriver(port: port) { http in
                let form = try await http.get("/f/consent-capture?sessionId=\(sessionId.rawValue)")
                let token = try #require(TestApp.token(in: form.text))
                let submitted = try await http.post(
                    "/f/consent-capture?sessionId=\(sessionId.rawValue)",
                    [("_token", token), ("fullName", "Ana"), ("channel", "sms"), ("consent", "true")]
                )
                #expect(submitted.status == 303)
            }
            try await first.kill9()
            let beforeRestart = try simulator.outcomes(sessionId)
            #expect(beforeRestart.isEmpty)

            try await simulator.setFaults(#"{"failNextOutcome": 0}"#)
            let second = try SpawnedApp.launch(environment: environment, directory: directory)
            _ = try await second.waitForPort()
            let outcomes = try await simulator.waitForOutcomes(sessionId)
            #expect(outcomes.count == 1)
            #expect(outcomes.first?.first == OutcomeVariable(id: "consentName", value: "Ana"))
            #expect(try await second.terminate() == 0)
        }
    }
}
