internal import Foundation

/// All forms the server offers, checked together: loaded once at start-up, read-only afterwards.
public struct FormCatalog: Sendable {
    /// Sorted by id.
    public let forms: [FormDefinition]
    private let positions: [String: Int]

    /// Loads every `*.yaml` / `*.yml` file of `directory` (dot-files skipped), in file-name
    /// order, and reports every problem of every file at once. An empty or missing directory is
    /// a problem too: a server without forms has nothing to show.
    ///
    /// The same check as `disposable-app forms check`: ``check(directory:)``.
    public static func load(directory: String) throws(FormLoadError) -> FormCatalog {
        let check = check(directory: directory)
        guard check.isValid else { throw FormLoadError(problems: check.problems) }
        return FormCatalog(checked: check.forms)
    }

    /// Reads and checks every form file of `directory` as ``load(directory:)`` does, keeping
    /// every problem by file, with its line and column where it has one; across files, a
    /// duplicate id or a second `default: true` is a problem of the later file.
    public static func check(directory: String) -> FormCheck {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return FormCheck(directory: directory, directoryProblem: FormProblem(file: directory, reason: "the forms directory does not exist"))
        }
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: directory)
        } catch {
            return FormCheck(directory: directory, directoryProblem: FormProblem(file: directory, reason: "the forms directory cannot be read"))
        }
        let formFiles = names.filter { name in
            !name.hasPrefix(".") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
        }.sorted()
        guard !formFiles.isEmpty else {
            return FormCheck(
                directory: directory,
                directoryProblem: FormProblem(file: directory, reason: "no form files (*.yaml, *.yml) in the directory")
            )
        }

        var files: [FormCheck.File] = []
        var read: [(form: FormDefinition, source: FormSource?)] = []
        for name in formFiles {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let data = fileManager.contents(atPath: path) else {
                files.append(FormCheck.File(path: path, problems: [FormProblem(file: path, reason: "the file cannot be read")]))
                continue
            }
            guard let yaml = String(data: data, encoding: .utf8) else {
                files.append(FormCheck.File(path: path, problems: [FormProblem(file: path, reason: "the file is not UTF-8 text")]))
                continue
            }
            var (form, problems, source) = FormFileReader.read(yaml: yaml, file: path)
            form?.version = FormVersion.of(data)
            form?.versionSource = yaml
            files.append(FormCheck.File(path: path, form: form, problems: problems))
            if let form { read.append((form, source)) }
        }
        for problem in crossFormProblems(read) {
            if let index = files.firstIndex(where: { $0.path == problem.file }) {
                files[index].problems.append(problem)
            }
        }
        // Top to bottom, as an author fixes them; problems of no one place first, and problems
        // of one place in the order they were found.
        for index in files.indices {
            files[index].problems = files[index].problems.enumerated().sorted { lhs, rhs in
                let left = (lhs.element.line ?? 0, lhs.element.column ?? 0, lhs.offset)
                let right = (rhs.element.line ?? 0, rhs.element.column ?? 0, rhs.offset)
                return left < right
            }.map(\.element)
        }
        return FormCheck(directory: directory, files: files)
    }

    /// A catalog of forms built in code (or loaded one by one): each form is checked as loading
    /// would check it, then across forms (duplicate ids, more than one default).
    public init(forms: [FormDefinition]) throws(FormLoadError) {
        let problems = forms.flatMap { $0.definitionProblems() } + Self.crossFormProblems(forms.map { ($0, nil) })
        guard problems.isEmpty else { throw FormLoadError(problems: problems) }
        self.init(checked: forms)
    }

    init(checked forms: [FormDefinition]) {
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

    /// Problems only visible with all forms at hand, reported on the later file, at its `id:`
    /// or `default:`.
    private static func crossFormProblems(_ forms: [(form: FormDefinition, source: FormSource?)]) -> [FormProblem] {
        var problems: [FormProblem] = []
        var owners: [String: String] = [:]
        var defaultOwner: String?
        for (form, source) in forms where !form.id.isEmpty {
            var collector = ProblemCollector(file: form.problemFile, source: source)
            if let owner = owners[form.id] {
                collector.add("id \"\(form.id)\" is already used by \(owner)", place: ["id"])
            } else {
                owners[form.id] = form.problemFile
            }
            if form.isDefault {
                if let defaultOwner {
                    collector.add("default: true is also set by \(defaultOwner); only one form can be the default", place: ["default"])
                } else {
                    defaultOwner = form.problemFile
                }
            }
            problems += collector.problems
        }
        return problems
    }
}

/// What ``FormCatalog/check(directory:)`` found: every form file of a directory and its problems.
public struct FormCheck: Sendable {
    /// One form file, in file-name order.
    public struct File: Sendable {
        /// The directory as given plus the file name.
        public var path: String
        /// The form as far as it could be read; `nil` when the file is no form at all (YAML that
        /// does not parse, not a mapping, unreadable).
        public var form: FormDefinition?
        public var problems: [FormProblem]

        public init(path: String, form: FormDefinition? = nil, problems: [FormProblem]) {
            self.path = path
            self.form = form
            self.problems = problems
        }

        /// The form's id as written, `nil` when it has none.
        public var id: String? {
            guard let id = form?.id, !id.isEmpty else { return nil }
            return id
        }

        public var isValid: Bool { problems.isEmpty }
    }

    public var directory: String
    /// The directory's own problem (missing, unreadable, without form files); then there are no files.
    public var directoryProblem: FormProblem?
    public var files: [File]

    init(directory: String, directoryProblem: FormProblem? = nil, files: [File] = []) {
        self.directory = directory
        self.directoryProblem = directoryProblem
        self.files = files
    }

    /// Every problem: the directory's, else each file's in file-name order.
    public var problems: [FormProblem] {
        (directoryProblem.map { [$0] } ?? []) + files.flatMap(\.problems)
    }

    public var isValid: Bool { directoryProblem == nil && files.allSatisfy(\.isValid) }

    /// The forms read, valid or not (a valid check's are the catalog's).
    var forms: [FormDefinition] { files.compactMap(\.form) }
}
