import Foundation

/// A strict reader of the Prometheus text exposition format (0.0.4), enough to check that
/// `/metrics` is well formed and to read its samples back:
///
/// - `# HELP name text` and `# TYPE name counter|gauge|histogram|summary|untyped`, at most one
///   of each per family, the TYPE before the family's first sample; other `#` lines are comments
/// - every other non-empty line is `name{label="value",…} value [timestamp]`, with valid names,
///   escaped label values (`\\`, `\"`, `\n`), no label twice, a float value (`+Inf`, `NaN`…)
/// - a histogram's samples are `_bucket` (with `le`), `_sum` and `_count`; no series twice
struct PrometheusText {
    /// One sample line.
    struct Sample: Equatable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    /// What is wrong with a line, and which line (1-based).
    struct ParseError: Error, CustomStringConvertible {
        let line: Int
        let reason: String
        let text: String
        var description: String { "line \(line): \(reason): \(text)" }
    }

    let samples: [Sample]
    /// The TYPE of each family that declared one.
    let types: [String: String]

    init(_ text: String) throws(ParseError) {
        guard text.isEmpty || text.hasSuffix("\n") else { throw ParseError(line: 0, reason: "does not end with a newline", text: "") }
        var samples: [Sample] = []
        var types: [String: String] = [:]
        var helps: Set<String> = []
        var familiesSeen: Set<String> = []
        var series: Set<String> = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let fail = { (reason: String) in ParseError(line: index + 1, reason: reason, text: String(line)) }
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
                guard words.count >= 3, words[0] == "#", ["HELP", "TYPE"].contains(words[1]) else { continue }
                let name = words[2]
                guard Self.isMetricName(name) else { throw fail("invalid metric name in \(words[1])") }
                if words[1] == "HELP" {
                    guard helps.insert(name).inserted else { throw fail("second HELP for \(name)") }
                } else {
                    guard words.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(words[3]) else {
                        throw fail("invalid TYPE")
                    }
                    guard types[name] == nil else { throw fail("second TYPE for \(name)") }
                    guard !familiesSeen.contains(name) else { throw fail("TYPE after the family's samples") }
                    types[name] = words[3]
                }
                continue
            }
            let sample = try Self.sample(Substring(line), fail: fail)
            let family = Self.family(of: sample.name, types: types)
            familiesSeen.insert(family)
            if types[family] == "histogram" {
                if sample.name == family + "_bucket" {
                    guard let le = sample.labels["le"], Self.number(le) != nil else { throw fail("histogram bucket without a valid le") }
                } else if sample.name != family + "_sum" && sample.name != family + "_count" {
                    throw fail("histogram sample that is not _bucket, _sum or _count")
                }
            }
            let key = sample.name + "{" + sample.labels.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: ",") + "}"
            guard series.insert(key).inserted else { throw fail("series twice") }
            samples.append(sample)
        }
        self.samples = samples
        self.types = types
    }

    /// The value of the one sample with exactly these labels; 0 when there is none (a series
    /// appears at its first use).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        samples.first { $0.name == name && $0.labels == labels }?.value ?? 0
    }

    // MARK: - Lines

    private static func sample(_ line: Substring, fail: (String) -> ParseError) throws(ParseError) -> Sample {
        var rest = line[...]
        let name = String(rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") })
        guard isMetricName(name) else { throw fail("invalid metric name") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = String(rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
                guard isLabelName(label) else { throw fail("invalid label name") }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { throw fail("label without =\"") }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\" {
                        switch rest.first {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw fail("invalid escape in a label value")
                        }
                        rest = rest.dropFirst()
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { throw fail("unterminated label value") }
                rest = rest.dropFirst()
                guard labels.updateValue(value, forKey: label) == nil else { throw fail("label \(label) twice") }
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { throw fail("expected , or }") }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw fail("no space before the value") }
        let fields = rest.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard (1...2).contains(fields.count), let value = number(String(fields[0])) else { throw fail("invalid value") }
        if fields.count == 2, Int64(fields[1]) == nil { throw fail("invalid timestamp") }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func number(_ text: String) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: text.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" }) ? nil : Double(text)
        }
    }

    /// The family a sample belongs to: a histogram's or summary's samples carry a suffix.
    private static func family(of name: String, types: [String: String]) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if ["histogram", "summary"].contains(types[base]) { return base }
        }
        return name
    }

    private static func isMetricName(_ name: String) -> Bool {
        name.wholeMatch(of: /[a-zA-Z_:][a-zA-Z0-9_:]*/) != nil
    }

    private static func isLabelName(_ name: String) -> Bool {
        name.wholeMatch(of: /[a-zA-Z_][a-zA-Z0-9_]*/) != nil && !name.hasPrefix("__")
    }
}
