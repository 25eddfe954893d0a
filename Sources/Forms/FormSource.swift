internal import Yams

/// Where things are written in a form file, so problems found after reading (a bad regex, a
/// duplicate name, a translation of an unknown field) can name their line and column too.
///
/// Places are paths of keys and list positions from the top of the file: `["fields", "2",
/// "pattern"]`, `["translations", "es", "fields", "street"]`. A key's place is its value's
/// position when the value is a single one, else the key's own (a mapping or list starts on the
/// next line); a list item's place is the item's.
struct FormSource {
    private var marks: [[String]: Mark] = [:]
    /// Each key's own mark, for problems with a key rather than its value (a translation of an
    /// unknown option: `hom: Casa` is wrong at `hom`).
    private var keyMarks: [[String]: Mark] = [:]
    /// The key's mark of each value that is no single value (a mapping, a list, nothing), by the
    /// value's own mark: see ``mark(of:)``.
    private var keysOfValues: [String: Mark] = [:]
    /// The place of each field the form kept, in the order of ``FormDefinition/fields``.
    var fieldPlaces: [[String]] = []
    /// The place of each step the form kept, in the order of ``FormDefinition/steps``.
    var stepPlaces: [[String]] = []
    /// The place of each verification question kept, in order.
    var questionPlaces: [[String]] = []

    init(root: Node) {
        // The root itself is no place: a missing key is not at line 1.
        record(root, at: [])
    }

    private mutating func record(_ node: Node, at place: [String]) {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard let name = key.scalar?.string else { continue }
                let child = place + [name]
                let single = value.scalar != nil && value.null == nil
                if let mark = single ? value.mark : key.mark { marks[child] = mark }
                if let mark = key.mark { keyMarks[child] = mark }
                if !single, let valueMark = value.mark, let keyMark = key.mark { keysOfValues["\(valueMark)"] = keyMark }
                record(value, at: child)
            }
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() {
                let child = place + [String(index)]
                if let mark = item.mark { marks[child] = mark }
                record(item, at: child)
            }
        case .scalar, .alias:
            break
        }
    }

    /// Where a problem of `node` is: as for places, a single value's own position, else its key's.
    func mark(of node: Node) -> Mark? {
        guard let mark = node.mark else { return nil }
        if node.scalar != nil, node.null == nil { return mark }
        return keysOfValues["\(mark)"] ?? mark
    }

    /// The mark of `place`, else of the nearest place around it that is written.
    func mark(_ place: [String]) -> Mark? {
        var place = place
        while true {
            if let mark = marks[place] { return mark }
            guard !place.isEmpty else { return nil }
            place.removeLast()
        }
    }

    /// The mark of the key at `place`, else as ``mark(_:)``.
    func keyMark(_ place: [String]) -> Mark? {
        keyMarks[place] ?? mark(place)
    }

    func field(_ index: Int) -> [String] {
        fieldPlaces.indices.contains(index) ? fieldPlaces[index] : ["fields"]
    }

    func step(_ index: Int) -> [String] {
        stepPlaces.indices.contains(index) ? stepPlaces[index] : ["steps"]
    }

    func question(_ index: Int) -> [String] {
        questionPlaces.indices.contains(index) ? questionPlaces[index] : ["verify", "questions"]
    }
}

/// Collects the problems of one file, each with its place in the file when that is known.
struct ProblemCollector {
    let file: String
    /// Where things are written; `nil` for forms built in code.
    var source: FormSource?
    private(set) var problems: [FormProblem] = []

    init(file: String, source: FormSource? = nil) {
        self.file = file
        self.source = source
    }

    /// A problem at a node of the file (`nil`: at no one place).
    mutating func add(_ reason: String, field: String? = nil, suggestion: String? = nil, at mark: Mark?) {
        problems.append(FormProblem(file: file, field: field, reason: reason, suggestion: suggestion, line: mark?.line, column: mark?.column))
    }

    /// A problem at a place of the file (see ``FormSource``), for problems found after reading.
    mutating func add(_ reason: String, field: String? = nil, suggestion: String? = nil, place: [String]? = nil) {
        add(reason, field: field, suggestion: suggestion, at: place.flatMap { source?.mark($0) })
    }

    /// A problem with the key at `place` itself: a name that names nothing.
    mutating func add(_ reason: String, field: String? = nil, suggestion: String? = nil, key place: [String]) {
        add(reason, field: field, suggestion: suggestion, at: source?.keyMark(place))
    }

    /// The place of the field at `index` of the form's fields (a path into the file).
    func fieldPlace(_ index: Int) -> [String] { source?.field(index) ?? [] }
    func stepPlace(_ index: Int) -> [String] { source?.step(index) ?? [] }
    func questionPlace(_ index: Int) -> [String] { source?.question(index) ?? [] }
}

/// "Did you mean": a valid spelling within edit distance 2 of what was written (or differing
/// only in case), else none; a far guess would mislead more than help.
enum Suggestion {
    static func closest(to written: String, in candidates: [String]) -> String? {
        let candidates = candidates.filter { $0 != written }
        if let sameLetters = candidates.first(where: { $0.lowercased() == written.lowercased() }) {
            return sameLetters
        }
        // Short words: one letter off at most, none for one or two letters, or every short word
        // would be "close" (`b` is not a misspelt `a`).
        let limit =
            switch written.count {
            case ...2: 0
            case 3...4: 1
            default: 2
            }
        let scored = candidates.map { ($0, editDistance(written.lowercased(), $0.lowercased())) }
        return scored.filter { $0.1 <= limit }.min { $0.1 < $1.1 }?.0
    }

    private static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let lhs = Array(lhs)
        let rhs = Array(rhs)
        guard !lhs.isEmpty else { return rhs.count }
        guard !rhs.isEmpty else { return lhs.count }
        var previous = Array(0...rhs.count)
        for (i, left) in lhs.enumerated() {
            var current = [i + 1]
            for (j, right) in rhs.enumerated() {
                current.append(Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1)))
            }
            previous = current
        }
        return previous[rhs.count]
    }
}
