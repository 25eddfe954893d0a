import AlvariaModels
import Foundation
import Testing

@testable import App

/// The app behind a real nginx, with the shipped proxy settings (deploy/nginx/), under /forms.
@Suite("Behind a real nginx under /forms", .serialized, .enabled(if: NginxServer.isInstalled, "needs nginx (scripts/test.sh installs it)"))
struct NginxTests {
    @Test("form, static assets, submit and redirect all carry the prefix, and the log shows the client nginx saw")
    func endToEnd() async throws {
        try await LiveSimulator.run { simulator in
            let nginxPort = try freePort()
            let directory = try temporaryDirectory()
            let environment = TestApp.environment(simulator: simulator, databasePath: directory.appendingPathComponent("app.sqlite").path)
                .merging(["HTTP_BASE_PATH": "/forms", "HTTP_PUBLIC_URL": "http://127.0.0.1:\(nginxPort)", "HTTP_TRUSTED_PROXIES": "127.0.0.1/32"]) {
                    $1
                }
            let app = try SpawnedApp.launch(environment: environment, directory: directory)
            let appPort = try await app.waitForPort()
            let nginx = try await NginxServer.start(port: nginxPort, upstreamPort: appPort)
            defer { nginx.stop() }

            let sessionId = try await simulator.createDialog(#"{"form":"consent-capture","fullName":"Ana"}"#)
            try await withHTTPDriver(port: nginxPort) { http in
                let form = try await http.get("/forms/f/consent-capture?sessionId=\(sessionId.rawValue)")
                #expect(form.status == 200)
                #expect(form.text.contains(#"action="/forms/f/consent-capture?sessionId=\#(sessionId.rawValue)""#))
                #expect(form.text.contains(#"href="/forms/static/css/app.css""#))
                #expect(form.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
                let css = try await http.get("/forms/static/css/app.css")
                #expect(css.status == 200)
                #expect(css.header("Content-Type")?.hasPrefix("text/css") == true)

                let token = try #require(TestApp.token(in: form.text))
                let submitted = try await http.post(
                    "/forms/f/consent-capture?sessionId=\(sessionId.rawValue)",
                    [("_token", token), ("fullName", "Ana"), ("channel", "sms"), ("consent", "true")]
                )
                #expect(submitted.status == 303)
                let location = try #require(submitted.header("Location"))
                #expect(location.hasPrefix("/forms/f/consent-capture/done?"))
                let done = try await http.get(location)
                #expect(done.text.contains("Thank you"))
                let oversized = try await http.post(
                    "/forms/f/consent-capture?sessionId=\(sessionId.rawValue)",
                    [("fullName", String(repeating: "x", count: 100_000))]
                )
                #expect(oversized.status == 413, "the app holds a form without files to 64k")
                #expect(oversized.text.contains("Too much to send"), "the app's page, not nginx's")
                // A photo of several megabytes (padded with metadata segments, which the app strips)
                // goes through to the app and is taken.
                let photoSession = try await simulator.createDialog(#"{"form":"damage-photo"}"#)
                let photoPage = try await http.get("/forms/f/damage-photo?sessionId=\(photoSession.rawValue)")
                let photoToken = try #require(TestApp.token(in: photoPage.text))
                var photo = try UploadTests.fixture("photo-gps.jpg")
                let padding = (0..<80).flatMap { _ in [0xFF, 0xEF, 0xFF, 0xFF] + [UInt8](repeating: 0x20, count: 65533) }
                photo.insert(contentsOf: padding, at: 2)
                let uploaded = try await http.post(
                    "/forms/f/damage-photo?sessionId=\(photoSession.rawValue)",
                    body: UploadTests.multipart(
                        [("_token", photoToken), ("description", "Dent"), ("damageDate", "2026-11-28")],
                        files: [("photo", photo, "big.jpg")]
                    ),
                    contentType: "multipart/form-data; boundary=\(UploadTests.boundary)"
                )
                #expect(photo.count > 5_000_000)
                #expect(uploaded.status == 303, "a \(photo.count)-byte photo passes nginx and is taken")
                // A post that says it is over http.maxUploadSize (25MB) is refused from its headers.
                let connection = try RawConnection(port: nginxPort)
                await connection.send(
                    "POST /forms/f/damage-photo?sessionId=\(sessionId.rawValue) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: \(25 * 1024 * 1024 + 1)\r\n\r\n"
                )
                let tooBig = await connection.readUntilClosed().text
                #expect(tooBig.hasPrefix("HTTP/1.1 413"), "nginx stops posts over http.maxUploadSize")
                #expect(!tooBig.contains("Too much to send"), "stopped by nginx before the app")
                // The operators' routes answer on the app's own port, not through the public name.
                for path in ["/forms/metrics", "/forms/readyz"] {
                    #expect(try await http.get(path).status == 404, "\(path) is public")
                }
            }
            try await withHTTPDriver(port: appPort) { http in
                for path in ["/forms/metrics", "/forms/readyz"] {
                    let page = try await http.get(path)
                    #expect(page.status == 200, "\(path) on the app's own port")
                }
            }
            #expect(try await simulator.waitForOutcomes(sessionId).count == 1)

            // A request from another loopback address: nginx forwards it, the app logs that address.
            let viaNginx = try await curl([
                "--interface", "127.0.0.2", "-H", "X-Forwarded-For: 6.6.6.6", "http://127.0.0.1:\(nginxPort)/forms/healthz",
            ])
            #expect(viaNginx == "ok\n")
            // The same spoof sent straight to the app from an untrusted address is ignored.
            let direct = try await curl(["--interface", "127.0.0.3", "-H", "X-Forwarded-For: 6.6.6.6", "http://127.0.0.1:\(appPort)/forms/healthz"])
            #expect(direct == "ok\n")
            _ = try await app.terminate()
            let healthLines = app.log.split(separator: "\n").filter { $0.contains("http.route=/forms/healthz") }
            #expect(healthLines.contains { $0.contains("client.address=127.0.0.2") }, "\(healthLines)")
            #expect(healthLines.contains { $0.contains("client.address=127.0.0.3") }, "\(healthLines)")
            #expect(!app.log.contains("6.6.6.6"))
        }
    }
}

/// nginx with the shipped location block, on a loopback port, in a folder of its own.
struct NginxServer: Sendable {
    let process: Process

    static var binary: String? {
        ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var isInstalled: Bool { binary != nil }

    static func start(port: Int, upstreamPort: Int) async throws -> NginxServer {
        let directory = try temporaryDirectory()
        let locations = packageRoot.appendingPathComponent("deploy/nginx/disposable-app-locations.conf").path
        let configuration = """
            daemon off;
            worker_processes 1;
            pid \(directory.path)/nginx.pid;
            error_log \(directory.path)/error.log warn;
            events { worker_connections 256; }
            http {
                include /etc/nginx/mime.types;
                access_log off;
                client_body_temp_path \(directory.path)/body;
                proxy_temp_path \(directory.path)/proxy;
                fastcgi_temp_path \(directory.path)/fastcgi;
                uwsgi_temp_path \(directory.path)/uwsgi;
                scgi_temp_path \(directory.path)/scgi;
                upstream disposable_app { server 127.0.0.1:\(upstreamPort); keepalive 8; }
                server {
                    listen 127.0.0.1:\(port);
                    include \(locations);
                }
            }
            """
        let file = directory.appendingPathComponent("nginx.conf")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(binary))
        process.arguments = ["-c", file.path, "-e", "\(directory.path)/error.log"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready when it answers.
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if (try? await curl(["http://127.0.0.1:\(port)/forms/healthz"])) == "ok\n" { return NginxServer(process: process) }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw NginxDidNotStart(log: (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? "")
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGQUIT) }
    }

    struct NginxDidNotStart: Error { let log: String }
}

/// A free loopback port (bound, then released for nginx to take).
func freePort() throws -> Int {
    let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    try withUnsafeMutablePointer(to: &address) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            guard bind(socket, raw, length) == 0, getsockname(socket, raw, &length) == 0 else { throw CancellationError() }
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// curl's body, for requests that need a chosen source address.
func curl(_ arguments: [String]) async throws -> String {
    try await runTool("/usr/bin/curl", ["-s", "--max-time", "10"] + arguments).output
}
