/// `files.*`: how long uploaded files are kept, and how long the links to them work.
public struct FileSettings: Sendable {
    /// The default `files.retention`: a week.
    public static let defaultRetention: Duration = .seconds(7 * 86400)
    /// The default `files.linkLifetime`: a week, as the retention.
    public static let defaultLinkLifetime: Duration = .seconds(7 * 86400)

    /// Files are erased this long after their upload by the retention job (which runs every
    /// `retention.interval`); storing the outcome does not erase them, it links to them.
    public var retention: Duration
    /// A link to a file (an outcome's variable) works this long after it was made. Not longer than
    /// ``retention``: a link that outlives its file answers 410.
    public var linkLifetime: Duration

    init(_ values: inout ConfigValues) {
        let problems = values.problems.count
        retention = values.duration("files.retention", default: Self.defaultRetention, minimum: .seconds(60))
        linkLifetime = values.duration("files.linkLifetime", default: Self.defaultLinkLifetime, minimum: .seconds(60))
        // Compared only when both read well: a value replaced by its default would only confuse.
        if values.problems.count == problems, linkLifetime > retention {
            values.problem(
                "files.linkLifetime",
                "\(Deliverer.describe(linkLifetime)) is longer than files.retention (\(Deliverer.describe(retention))): links would outlive their files and answer 410; expected at most files.retention"
            )
        }
    }
}
