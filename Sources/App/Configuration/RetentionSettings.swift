/// `retention.*`: how long delivered outcomes keep their values, and how often that is enforced.
public struct RetentionSettings: Sendable {
    /// Delivered outcomes keep their metadata, but their values are erased after this long.
    public var deliveredValues: Duration
    /// How often the retention job looks for delivered outcomes whose values are due for erasure.
    public var interval: Duration
    /// Sessions' first openings, verification failures and locks are deleted after this long.
    public var sessionStates: Duration
    /// The funnel's marks (what each session reached of its form, for `disposable-app report`)
    /// are deleted after this long.
    public var funnel: Duration

    init(_ values: inout ConfigValues) {
        deliveredValues = values.duration("retention.deliveredValues", default: .seconds(7 * 86400), minimum: .zero)
        interval = values.duration("retention.interval", default: .seconds(3600), minimum: .seconds(1))
        sessionStates = values.duration("retention.sessionStates", default: .seconds(30 * 86400), minimum: .seconds(3600))
        funnel = values.duration("retention.funnel", default: .seconds(90 * 86400), minimum: .seconds(3600))
    }
}
