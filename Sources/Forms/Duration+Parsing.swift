internal import Foundation

extension Duration {
    /// Reads `500ms`, `30s`, `5m`, `2h`, `7d` (case and spaces ignored) or a bare number of
    /// seconds; nil for anything else, negative or not finite.
    ///
    /// The syntax of every duration: in Forms so that form files (`verify.lifetime`,
    /// `expiresAfter`), the configuration and the executable's options
    /// (`outbox purge --delivered-before 7d`) all read durations the same way.
    public init?(parsing text: String) {
        let text = text.lowercased().replacingOccurrences(of: " ", with: "")
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("", 1)]
        // "5ms" also ends with "s": a unit only counts when what is left is a plain number.
        for (suffix, seconds) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value >= 0 else { continue }
            let milliseconds = (value * seconds * 1000).rounded()
            // Bounded, so "1e300d" is refused rather than trapping on the conversion.
            guard milliseconds.isFinite, milliseconds < Double(Int64.max) else { return nil }
            self = .milliseconds(Int64(milliseconds))
            return
        }
        return nil
    }

    /// The duration as a form file would write it, in its largest whole unit (`30m`, `90s`,
    /// `1500ms`, `7d`, but `24h` rather than `1d`): problems quote limits and values in the
    /// syntax the author uses.
    var writtenForm: String {
        // A duration built in code may hold more milliseconds than an Int64.
        guard components.seconds.magnitude < Int64.max / 1000 else { return "\(components.seconds)s" }
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        let units: [(String, Int64)] = [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        for (suffix, size) in units where milliseconds != 0 && milliseconds % size == 0 && (suffix != "d" || milliseconds > size) {
            return "\(milliseconds / size)\(suffix)"
        }
        return "\(milliseconds)ms"
    }
}
