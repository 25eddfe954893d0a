import Forms
import Foundation
import Testing

/// Writes form files into a fresh directory under the temporary folder, runs `body` with its
/// path, and removes it again: loading is tested on real files, as the server reads them.
func withFormFiles<T>(_ files: [String: String], _ body: (String) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("forms-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for (name, text) in files {
        try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }
    return try body(directory)
}

/// The problems `FormDefinition.parse` reports for `yaml`, or none when it loads, without their
/// line and column: the tests that use this are about which problems a file has and how they
/// read; where they are is `FormCheckTests`' subject (see ``placedProblems(in:file:)``).
func problems(in yaml: String, file: String = "form.yaml") -> [FormProblem] {
    placedProblems(in: yaml, file: file).map { problem in
        var unplaced = problem
        unplaced.line = nil
        unplaced.column = nil
        return unplaced
    }
}

/// The problems `FormDefinition.parse` reports for `yaml`, each with its line and column.
func placedProblems(in yaml: String, file: String = "form.yaml") -> [FormProblem] {
    do {
        _ = try FormDefinition.parse(yaml: yaml, file: file)
        return []
    } catch {
        return error.problems
    }
}

/// A small valid form around the given `fields:` items (indented by two spaces) and extra
/// top-level YAML, so each test shows only what it is about.
func formYAML(id: String = "test-form", fields: String = "  - name: street\n", extra: String = "") -> String {
    """
    id: \(id)
    title: Test form
    fields:
    \(fields)
    \(extra)
    """
}

/// Loads a form that must be valid; the test fails with the problems when it is not.
func loadForm(_ yaml: String, file: String = "form.yaml", sourceLocation: SourceLocation = #_sourceLocation) throws -> FormDefinition {
    do {
        return try FormDefinition.parse(yaml: yaml, file: file)
    } catch {
        Issue.record("unexpected problems:\n\(error)", sourceLocation: sourceLocation)
        throw error
    }
}

/// The problems of loading `files` as a catalog (none when it loads), with the directory used,
/// whose path prefixes every file in them.
func catalogProblems(_ files: [String: String]) throws -> (directory: String, problems: [FormProblem]) {
    try withFormFiles(files) { directory in
        do throws(FormLoadError) {
            _ = try FormCatalog.load(directory: directory)
            return (directory, [])
        } catch {
            return (directory, error.problems)
        }
    }
}
