import Foundation
import Testing

@testable import App

@Suite("Configuration of files: files.retention, files.linkLifetime, http.maxUploadSize")
struct FileSettingsTests {
    private func problems(_ environment: [String: String], file: String? = nil) async -> [String] {
        do {
            _ = try await AppConfig.load(configFile: file, environment: environment)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test("defaults: files kept and links valid for a week, uploads up to 25 MB")
    func defaults() async throws {
        let config = try await AppConfig.load(environment: [:])
        #expect(config.files.retention == .seconds(7 * 86400))
        #expect(config.files.linkLifetime == .seconds(7 * 86400))
        #expect(config.http.maxUploadSize == 25 * 1024 * 1024)
        #expect(ConfigProblem.environmentName(for: "files.linkLifetime") == "FILES_LINK_LIFETIME")
        #expect(ConfigProblem.environmentName(for: "http.maxUploadSize") == "HTTP_MAX_UPLOAD_SIZE")
    }

    @Test("reads them from the environment and from the YAML")
    func reads() async throws {
        let config = try await AppConfig.load(environment: [
            "FILES_RETENTION": "30d", "FILES_LINK_LIFETIME": "2d", "HTTP_MAX_UPLOAD_SIZE": "50MB",
        ])
        #expect(config.files.retention == .seconds(30 * 86400))
        #expect(config.files.linkLifetime == .seconds(2 * 86400))
        #expect(config.http.maxUploadSize == 50 << 20)
        let file = try temporaryFile("files:\n  retention: 90m\n  linkLifetime: 1h\nhttp:\n  maxUploadSize: 1GB\n")
        let fromFile = try await AppConfig.load(configFile: file, environment: [:])
        #expect(fromFile.files.retention == .seconds(5400))
        #expect(fromFile.files.linkLifetime == .seconds(3600))
        #expect(fromFile.http.maxUploadSize == 1 << 30)
        let equal = try await AppConfig.load(environment: ["FILES_RETENTION": "1m", "FILES_LINK_LIFETIME": "60s"])
        #expect(equal.files.linkLifetime == equal.files.retention, "a link may live exactly as long as its file")
    }

    @Test(
        "http.maxUploadSize reads sizes as ByteSize does, from 1 MB to 1 GB",
        arguments: [
            ("1MB", 1_048_576), ("1mb", 1_048_576), ("25 MB", 26_214_400), ("1.5MB", 1_572_864), ("2048KB", 2_097_152),
            ("1GB", 1_073_741_824), ("1048576", 1_048_576), ("1073741824B", 1_073_741_824),
        ] as [(String, Int)]
    )
    func uploadSizes(text: String, bytes: Int) async throws {
        #expect(try await AppConfig.load(environment: ["HTTP_MAX_UPLOAD_SIZE": text]).http.maxUploadSize == bytes)
    }

    @Test(
        "a malformed or out-of-range http.maxUploadSize is one clear problem",
        arguments: ["512KB", "1048575", "2GB", "1025MB", "ten", "-5MB", "25 M"]
    )
    func badUploadSizes(text: String) async throws {
        #expect(
            await problems(["HTTP_MAX_UPLOAD_SIZE": text]) == [
                #"configuration error: http.maxUploadSize (HTTP_MAX_UPLOAD_SIZE): ""# + text
                    + #"" is not valid; expected a size like 25MB or 500KB, from 1 MB to 1 GB"#
            ]
        )
    }

    @Test("a malformed or too short files.retention or files.linkLifetime is a problem; the comparison is not made then")
    func badDurations() async throws {
        let atLeast = "is not valid; expected a duration like 500ms, 30s, 5m, 2h or 7d, at least 60.0 seconds"
        #expect(
            await problems(["FILES_RETENTION": "30s"]) == [#"configuration error: files.retention (FILES_RETENTION): "30s" "# + atLeast]
        )
        #expect(
            await problems(["FILES_LINK_LIFETIME": "soon"]) == [
                #"configuration error: files.linkLifetime (FILES_LINK_LIFETIME): "soon" "# + atLeast
            ]
        )
        #expect(
            await problems(["FILES_RETENTION": "forever", "FILES_LINK_LIFETIME": "30d"]) == [
                #"configuration error: files.retention (FILES_RETENTION): "forever" "# + atLeast
            ]
        )
    }

    @Test("a link lifetime longer than files.retention is refused: its links would outlive their files")
    func linkOutlivesFile() async throws {
        #expect(
            await problems(["FILES_RETENTION": "7d", "FILES_LINK_LIFETIME": "8d"]) == [
                "configuration error: files.linkLifetime (FILES_LINK_LIFETIME): 8d is longer than files.retention (7d): links would outlive their files and answer 410; expected at most files.retention"
            ]
        )
        // The default lifetime (a week) with a shorter retention: the operator shortens both.
        #expect(
            await problems(["FILES_RETENTION": "1d"]) == [
                "configuration error: files.linkLifetime (FILES_LINK_LIFETIME): 7d is longer than files.retention (1d): links would outlive their files and answer 410; expected at most files.retention"
            ]
        )
        #expect(await problems(["FILES_RETENTION": "1d", "FILES_LINK_LIFETIME": "24h"]) == [])
    }
}
