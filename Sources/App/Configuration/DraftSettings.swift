/// `drafts.*`: how long a multi-step form's draft outlives its last save.
public struct DraftSettings: Sendable {
    /// The default `drafts.retention`: a day.
    public static let defaultRetention: Duration = .seconds(24 * 3600)

    /// Drafts not saved for this long are deleted by the retention job (which runs every
    /// `retention.interval`); storing the outcome deletes the draft at once.
    public var retention: Duration

    init(_ values: inout ConfigValues) {
        retention = values.duration("drafts.retention", default: Self.defaultRetention, minimum: .seconds(60))
    }
}
