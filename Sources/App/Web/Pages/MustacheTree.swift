/// A page model as nested dictionaries and arrays, made with one reflection per object.
///
/// swift-mustache finds a name in a plain struct by reflecting it anew on every lookup, and a
/// form page makes thousands of lookups: that was most of the time a page took (about 20 ms of
/// a debug build's 21 ms for address-update). Dictionaries it reads directly. Leaving out `nil`s
/// keeps Mustache's meaning: a name that is absent is looked up in the enclosing sections, as
/// it is for an optional that is `nil`.
enum MustacheTree {
    static func of(_ value: Any) -> Any {
        switch value {
        case is String, is Bool, is Int, is Double: return value
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.map { of($0.value) } ?? Optional<Any>.none as Any
        case .collection, .set:
            return mirror.children.map { of($0.value) }
        case .struct, .class:
            var dictionary: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label else { continue }
                let childMirror = Mirror(reflecting: child.value)
                if childMirror.displayStyle == .optional {
                    guard let wrapped = childMirror.children.first else { continue }
                    dictionary[label] = of(wrapped.value)
                } else {
                    dictionary[label] = of(child.value)
                }
            }
            return dictionary
        default:
            return value
        }
    }
}
