/// A problem found while assembling the app (forms, templates, database), reported on one
/// line each before the port is opened.
public struct StartupError: Error, CustomStringConvertible, Sendable {
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String {
        problems.map { "start-up error: \($0)" }.joined(separator: "\n")
    }
}
