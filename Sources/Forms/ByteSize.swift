/// Sizes as form files and the configuration write them: `10MB`, `500KB`, `25MB`, `2GB` or a bare
/// number of bytes. Units are binary (1 KB = 1024 bytes), as phones and file pickers count.
public enum ByteSize {
    /// The number of bytes `text` says (case and spaces ignored); nil for anything else, negative,
    /// fractional bytes, or beyond `Int.max`.
    public static func parse(_ text: String) -> Int? {
        let text = text.uppercased().filter { $0 != " " }
        let units: [(String, Int)] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1), ("", 1)]
        for (suffix, size) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy(\.isASCII), let value = Double(number), value >= 0, value.isFinite else { continue }
            let bytes = (value * Double(size)).rounded(.down)
            guard bytes < Double(Int.max), bytes == value * Double(size) || size > 1 else { return nil }
            return Int(bytes)
        }
        return nil
    }

    /// How a person reads a size: `10 MB`, `500 KB`, `812 bytes`; whole units when exact, one decimal otherwise.
    public static func describe(_ bytes: Int) -> String {
        for (unit, size) in [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)] where bytes >= size {
            let value = Double(bytes) / Double(size)
            let rounded = (value * 10).rounded() / 10
            return rounded == rounded.rounded() ? "\(Int(rounded)) \(unit)" : "\(rounded) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
