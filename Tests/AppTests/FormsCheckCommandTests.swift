import Foundation
import Testing

/// `disposable-app forms check` as a form author or a pipeline runs it: the real binary on real
/// folders.
@Suite("The forms check command", .serialized)
struct FormsCheckCommandTests {
    /// One run of the binary: its exit code and everything it printed (stdout and stderr).
    private struct Run {
        let status: Int32
        let output: String
        var lines: [String] { output.split(separator: "\n").map(String.init) }
    }

    private func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) async throws -> Run {
        let app = try SpawnedApp.launch(
            arguments: ["forms", "check"] + arguments,
            environment: environment,
            directory: try directory ?? temporaryDirectory()
        )
        let status = try await app.waitForExit(timeout: .seconds(30))
        return Run(status: status, output: app.log)
    }

    /// A folder with two broken forms and a valid one.
    private func brokenFolder() throws -> URL {
        let folder = try temporaryDirectory().appendingPathComponent("forms")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = [
            "address.yaml": """
            id: address
            title: Address
            fields:
              - name: street
                type: txt
              - name: city
                requird: true
            translations:
              es:
                fields:
                  stret: {label: Calle}
            """,
            "contact.yaml": """
            id: contact
            title: Contact
            fields:
              - name: phone
                type: tel
                pattern: "[0-9"
              - name: phone
            """,
            "fine.yaml": "id: fine\ntitle: Fine\nfields:\n  - name: x\n",
        ]
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test("the shipped config/forms pass: exit 0 and a summary")
    func shippedFormsPass() async throws {
        let forms = packageRoot.appendingPathComponent("config/forms")
        let count = try FileManager.default.contentsOfDirectory(atPath: forms.path).filter { $0.hasSuffix(".yaml") }.count
        let result = try await run([forms.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.lines == ["\(count) forms, all valid"])
    }

    @Test("broken files: exit 1, one line per problem of every file with its line and column, then the summary")
    func brokenFilesFail() async throws {
        let folder = try brokenFolder()
        let result = try await run([folder.path])
        #expect(result.status == 1)
        let path = folder.path
        #expect(
            result.lines == [
                "\(path)/address.yaml:5:11: field \"street\": unknown type \"txt\" (did you mean \"text\"?)",
                "\(path)/address.yaml:7:5: field \"city\": unknown key \"requird\" (did you mean \"required\"?)",
                "\(path)/address.yaml:11:7: translations.es.fields: unknown field \"stret\" (did you mean \"street\"?)",
                "\(path)/contact.yaml:6:14: field \"phone\": pattern \"[0-9\" is not a valid regular expression",
                "\(path)/contact.yaml:7:11: field \"phone\": duplicate field name: another field is already named \"phone\"",
                "\(path)/contact.yaml:7:11: field \"phone\": variable \"phone\" is already used by field \"phone\"",
                "6 problems in 2 of 3 forms",
            ],
            "\(result.output)"
        )
    }

    @Test("without a folder, forms.directory of the configuration is checked (FORMS_DIRECTORY here)")
    func folderFromConfiguration() async throws {
        let folder = try brokenFolder()
        let result = try await run([], environment: ["FORMS_DIRECTORY": folder.path])
        #expect(result.status == 1)
        #expect(result.lines.last == "6 problems in 2 of 3 forms", "\(result.output)")
        #expect(result.lines.first?.hasPrefix("\(folder.path)/address.yaml:") == true)
    }

    @Test("--format json: one JSON document of the documented shape")
    func jsonFormat() async throws {
        let folder = try brokenFolder()
        let result = try await run([folder.path, "--format", "json"])
        #expect(result.status == 1)
        let json = try #require(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
        #expect(Set(json.keys) == ["valid", "forms"])
        #expect(json["valid"] as? Bool == false)
        let forms = try #require(json["forms"] as? [[String: Any]])
        #expect(forms.map { $0["file"] as? String } == ["address", "contact", "fine"].map { "\(folder.path)/\($0).yaml" })
        #expect(forms.map { $0["id"] as? String } == ["address", "contact", "fine"])
        #expect(forms.map { $0["valid"] as? Bool } == [false, false, true])
        let problems = try #require(forms[0]["problems"] as? [[String: Any]])
        #expect(problems.count == 3)
        for problem in problems {
            #expect(Set(problem.keys) == ["line", "column", "field", "reason", "suggestion"])
        }
        #expect(problems[0]["line"] as? Int == 5)
        #expect(problems[0]["column"] as? Int == 11)
        #expect(problems[0]["field"] as? String == "street")
        #expect(problems[0]["reason"] as? String == "unknown type \"txt\"")
        #expect(problems[0]["suggestion"] as? String == "text")
        #expect(problems[2]["field"] is NSNull)
        let contact = try #require(forms[1]["problems"] as? [[String: Any]])
        #expect(contact.first?["suggestion"] is NSNull)

        let valid = try await run([packageRoot.appendingPathComponent("config/forms").path, "--format", "json"])
        #expect(valid.status == 0)
        let validJSON = try #require(JSONSerialization.jsonObject(with: Data(valid.output.utf8)) as? [String: Any], "\(valid.output)")
        #expect(validJSON["valid"] as? Bool == true)
    }

    @Test("a folder that does not exist, or holds no form file: exit 1 with a message naming it")
    func missingOrEmptyFolder() async throws {
        let missing = try temporaryDirectory().appendingPathComponent("nowhere").path
        let result = try await run([missing])
        #expect(result.status == 1)
        #expect(result.lines == ["\(missing): the forms directory does not exist"])

        let empty = try temporaryDirectory()
        let emptyResult = try await run([empty.path])
        #expect(emptyResult.status == 1)
        #expect(emptyResult.lines == ["\(empty.path): no form files (*.yaml, *.yml) in the directory"])
    }

    @Test("an unknown --format is a usage error, ArgumentParser's own exit code")
    func unknownFormat() async throws {
        let result = try await run([packageRoot.appendingPathComponent("config/forms").path, "--format", "xml"])
        #expect(result.status == 64, "\(result.output)")
    }
}
