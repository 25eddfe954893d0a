import Forms
import Testing

/// Submitted values by field name.
@Suite("Form values")
struct FormValuesTests {
    @Test("Repeated names accumulate in posting order")
    func repeatedNamesAccumulate() {
        let values = FormValues([("topics", "b"), ("name", "Ann"), ("topics", "a")])
        #expect(values["topics"] == ["b", "a"])
        #expect(values.first("topics") == "b")
        #expect(values["name"] == ["Ann"])
        #expect(values.names == ["topics", "name"])
    }

    @Test("Absent names have no values")
    func absentNames() {
        let values = FormValues([])
        #expect(values["x"] == [])
        #expect(values.first("x") == nil)
    }

    @Test("Setting no values removes a name, so equality ignores empty entries")
    func emptyMeansAbsent() {
        var values = FormValues(dictionary: ["a": ["1"], "b": []])
        #expect(values == FormValues([("a", "1")]))
        values["a"] = []
        #expect(values == FormValues([]))
        values["c"] = ["x", "y"]
        #expect(values == ["c": ["x", "y"]])
        #expect(values.dictionary == ["c": ["x", "y"]])
    }

    @Test("Order between names does not matter, order within a name does")
    func ordering() {
        #expect(FormValues([("a", "1"), ("b", "2")]) == FormValues([("b", "2"), ("a", "1")]))
        #expect(FormValues([("a", "1"), ("a", "2")]) != FormValues([("a", "2"), ("a", "1")]))
    }
}
