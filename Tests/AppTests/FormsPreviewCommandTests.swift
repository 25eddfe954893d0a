import Foundation
import Testing

/// `disposable-app forms preview` as a form author runs it: the real binary on a real folder,
/// on a free port, with no configuration, database or Alvaria at hand.
@Suite("The forms preview command", .serialized)
struct FormsPreviewCommandTests {
    @Test("serves the index and a form's page on the port it prints, and stops with 0 on SIGTERM")
    func servesAndStops() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A working folder without config/: the folder named is all the preview needs.
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Public"), to: directory.appendingPathComponent("Public"))
        let forms = directory.appendingPathComponent("my-forms")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("config/forms"), to: forms)
        let app = try SpawnedApp.launch(arguments: ["forms", "preview", forms.path, "--port", "0"], environment: [:], directory: directory)
        let port = try await app.waitForPort()
        #expect(app.log.contains("Previewing the forms of \(forms.path) at http://127.0.0.1:\(port)/"))
        try await withHTTPDriver(port: port) { http in
            let index = try await http.get("/")
            #expect(index.status == 200)
            #expect(index.text.contains("<h1>Form preview</h1>"))
            let page = try await http.get("/preview/consent-capture/es/prefilled")
            #expect(page.status == 200)
            #expect(page.text.contains("Ana García"))
            #expect(page.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
            #expect(try await http.get("/static/js/preview.js").status == 200)
        }
        #expect(try await app.terminate() == 0)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("data").path), "no database was opened")
    }
}
