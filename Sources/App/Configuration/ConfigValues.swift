import Configuration
import Forms
import Foundation

/// Reads keys from a `ConfigReader` as strings and parses them here, so that a malformed value
/// is reported (key, what is wrong, what is expected) instead of silently replaced by a default.
struct ConfigValues {
    let reader: ConfigReader
    private(set) var problems: [ConfigProblem] = []

    init(reader: ConfigReader) {
        self.reader = reader
    }

    mutating func problem(_ key: String, _ message: String) {
        problems.append(ConfigProblem(key: key, message: message))
    }

    /// The value, trimmed; nil when absent or blank.
    func string(_ key: String, secret: Bool = false) -> String? {
        guard let value = reader.string(forKey: ConfigKey(key), isSecret: secret)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !value.isEmpty
        else { return nil }
        return value
    }

    func string(_ key: String, default defaultValue: String) -> String {
        string(key) ?? defaultValue
    }

    /// A comma-separated list (environment) or a YAML sequence; blank entries are left out.
    /// `secret`: read as a secret, which swift-configuration never prints.
    func list(_ key: String, secret: Bool = false, default defaultValue: [String]) -> [String] {
        if let array = reader.stringArray(forKey: ConfigKey(key), isSecret: secret) {
            return array.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        guard let value = string(key, secret: secret) else { return defaultValue }
        return value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    mutating func int(_ key: String, default defaultValue: Int, range: ClosedRange<Int>) -> Int {
        guard let text = string(key) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            problem(key, "\"\(text)\" is not valid; expected an integer from \(range.lowerBound) to \(range.upperBound)")
            return defaultValue
        }
        return value
    }

    /// `true` or `false` (also `yes`/`no`, `on`/`off`, `1`/`0`: what YAML and shells write).
    mutating func bool(_ key: String, default defaultValue: Bool) -> Bool {
        guard let text = string(key) else { return defaultValue }
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default:
            problem(key, "\"\(text)\" is not valid; expected true or false")
            return defaultValue
        }
    }

    /// A size as form files write them (`25MB`, `500KB`, `1GB`, a bare number of bytes; binary
    /// units: ``ByteSize``), within `range`.
    mutating func byteSize(_ key: String, default defaultValue: Int, range: ClosedRange<Int>) -> Int {
        guard let text = string(key) else { return defaultValue }
        guard let value = ByteSize.parse(text), range.contains(value) else {
            problem(
                key,
                "\"\(text)\" is not valid; expected a size like 25MB or 500KB, from \(ByteSize.describe(range.lowerBound)) to \(ByteSize.describe(range.upperBound))"
            )
            return defaultValue
        }
        return value
    }

    /// `500ms`, `2s`, `5m`, `1h`, `7d`, or a bare number of seconds.
    mutating func duration(_ key: String, default defaultValue: Duration, minimum: Duration = .zero) -> Duration {
        guard let text = string(key) else { return defaultValue }
        guard let value = Self.parseDuration(text), value >= minimum else {
            problem(key, "\"\(text)\" is not valid; expected a duration like 500ms, 30s, 5m, 2h or 7d, at least \(minimum)")
            return defaultValue
        }
        return value
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, default defaultValue: T) -> T where T.RawValue == String {
        guard let text = string(key) else { return defaultValue }
        guard let value = T(rawValue: text.lowercased()) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            problem(key, "\"\(text)\" is not valid; expected one of \(allowed)")
            return defaultValue
        }
        return value
    }

    /// An absolute http(s) URL; `origin` rejects any path, query or fragment.
    mutating func url(_ key: String, value text: String, originOnly: Bool = false) -> URL? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil,
            let url = components.url
        else {
            problem(key, "\"\(text)\" is not valid; expected an absolute http:// or https:// URL")
            return nil
        }
        if originOnly, !(components.path.isEmpty || components.path == "/") {
            problem(key, "\"\(text)\" has a path; expected only scheme, host and port (put the path in http.basePath)")
            return nil
        }
        return url
    }

    static func parseDuration(_ text: String) -> Duration? {
        Duration(parsing: text)
    }
}
