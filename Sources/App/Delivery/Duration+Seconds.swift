extension Duration {
    /// The duration as seconds, for `Date` arithmetic and backoff maths (which need a Double).
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
