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
}
