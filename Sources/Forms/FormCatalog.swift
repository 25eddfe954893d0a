internal import Foundation

/// All forms the server offers, checked together: loaded once at start-up, read-only afterwards.
public struct FormCatalog: Sendable {
    /// Sorted by id.
    public let forms: [FormDefinition]
    private let positions: [String: Int]

    /// Loads every `*.yaml` / `*.yml` file of `directory` (dot-files skipped), in file-name
    /// order, and reports every problem of every file at once. An empty or missing directory is
    /// a problem too: a server without forms has nothing to show.
    public static func load(directory: String) throws(FormLoadError) -> FormCatalog {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FormLoadError(problems: [FormProblem(file: directory, reason: "the forms directory does not exist")])
        }
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: directory)
        } catch {
            throw FormLoadError(problems: [FormProblem(file: directory, reason: "the forms directory cannot be read")])
        }
        let formFiles = names.filter { name in
            !name.hasPrefix(".") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
        }.sorted()
        guard !formFiles.isEmpty else {
            throw FormLoadError(problems: [FormProblem(file: directory, reason: "no form files (*.yaml, *.yml) in the directory")])
        }

        var forms: [FormDefinition] = []
        var problems: [FormProblem] = []
        for name in formFiles {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let data = fileManager.contents(atPath: path) else {
                problems.append(FormProblem(file: path, reason: "the file cannot be read"))
                continue
            }
            guard let yaml = String(data: data, encoding: .utf8) else {
                problems.append(FormProblem(file: path, reason: "the file is not UTF-8 text"))
                continue
            }
            let (form, fileProblems) = FormFileReader.read(yaml: yaml, file: path)
            problems += fileProblems
            if let form { forms.append(form) }
        }
        problems += crossFormProblems(forms)
        guard problems.isEmpty else { throw FormLoadError(problems: problems) }
        return FormCatalog(checked: forms)
    }

    /// A catalog of forms built in code (or loaded one by one): each form is checked as loading
    /// would check it, then across forms (duplicate ids, more than one default).
    public init(forms: [FormDefinition]) throws(FormLoadError) {
        let problems = forms.flatMap { $0.definitionProblems() } + Self.crossFormProblems(forms)
        guard problems.isEmpty else { throw FormLoadError(problems: problems) }
        self.init(checked: forms)
    }

    private init(checked forms: [FormDefinition]) {
        self.forms = forms.sorted { $0.id < $1.id }
        positions = Dictionary(uniqueKeysWithValues: self.forms.enumerated().map { ($1.id, $0) })
    }

    public subscript(id: String) -> FormDefinition? {
        positions[id].map { forms[$0] }
    }

    /// The form with `default: true`, else the only form when there is exactly one.
    public var defaultForm: FormDefinition? {
        forms.first(where: \.isDefault) ?? (forms.count == 1 ? forms.first : nil)
    }

    /// Problems only visible with all forms at hand, reported on the later file.
    private static func crossFormProblems(_ forms: [FormDefinition]) -> [FormProblem] {
        var problems: [FormProblem] = []
        var owners: [String: String] = [:]
        var defaultOwner: String?
        for form in forms where !form.id.isEmpty {
            if let owner = owners[form.id] {
                problems.append(FormProblem(file: form.problemFile, reason: "id \"\(form.id)\" is already used by \(owner)"))
            } else {
                owners[form.id] = form.problemFile
            }
            if form.isDefault {
                if let defaultOwner {
                    problems.append(
                        FormProblem(
                            file: form.problemFile,
                            reason: "default: true is also set by \(defaultOwner); only one form can be the default"
                        )
                    )
                } else {
                    defaultOwner = form.problemFile
                }
            }
        }
        return problems
    }
}
