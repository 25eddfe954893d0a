/// What a person submitted, or what prefill produced: field name -> values (several only for
/// `checkboxes`). Order between names does not matter; lookups are by name.
///
/// A name with no values and an absent name are the same thing (setting `[]` removes it), so
/// two `FormValues` compare equal whenever every name yields the same values.
public struct FormValues: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    private var storage: [String: [String]]

    /// From a decoded `application/x-www-form-urlencoded` body: repeated names accumulate in
    /// the order they were posted.
    public init(_ pairs: [(String, String)]) {
        var storage: [String: [String]] = [:]
        for (name, value) in pairs {
            storage[name, default: []].append(value)
        }
        self.storage = storage
    }

    public init(dictionary: [String: [String]]) {
        storage = dictionary.filter { !$0.value.isEmpty }
    }

    public init(dictionaryLiteral elements: (String, [String])...) {
        self.init(dictionary: Dictionary(elements, uniquingKeysWith: +))
    }

    /// The values posted under `name`, `[]` when none.
    public subscript(name: String) -> [String] {
        get { storage[name] ?? [] }
        set { storage[name] = newValue.isEmpty ? nil : newValue }
    }

    /// The first value posted under `name`.
    public func first(_ name: String) -> String? {
        storage[name]?.first
    }

    /// The names that have at least one value.
    public var names: Set<String> { Set(storage.keys) }

    /// Everything, e.g. to store a draft.
    public var dictionary: [String: [String]] { storage }
}
