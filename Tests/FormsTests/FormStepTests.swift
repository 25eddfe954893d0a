import Forms
import Testing

/// One step at a time: validating a step's answers, its intro, and its texts in another language.
@Suite("Multi-step forms")
struct FormStepTests {
    static func claim() throws -> FormDefinition {
        try loadForm(FormStepLoadingTests.claim)
    }

    static func step(_ id: String, of form: FormDefinition) throws -> FormStep {
        try #require(form.step(id: id)).step
    }

    @Test("A step's validation reports only that step's problems, in form order")
    func onlyThisStepsErrors() throws {
        let form = try Self.claim()
        let details = try Self.step("details", of: form)
        // kind is answered, so amount is asked for; email (a later step) is empty but not this step's.
        let validation = form.validate(["kind": ["theft"], "stolenItem": ["Bike"], "police": ["yes"]], context: nil, step: details)
        #expect(validation.errors == [FieldError(field: "reference", problem: .required), FieldError(field: "amount", problem: .required)])
        #expect(!validation.isValid)
        let incident = try Self.step("incident", of: form)
        #expect(form.validate(["kind": ["damage"]], context: nil, step: incident).isValid, "the later steps' required fields do not count")
    }

    @Test("A showIf on an earlier step's field is decided by that field's normalised value")
    func showIfOnAnEarlierStep() throws {
        let form = try Self.claim()
        let details = try Self.step("details", of: form)
        let theft = form.validate(["kind": [" theft "], "police": ["no"]], context: nil, step: details)
        #expect(theft.errors == [FieldError(field: "amount", problem: .required)], "kind is trimmed to theft: amount is asked for")
        let damage = form.validate(["kind": ["damage"], "police": ["no"], "amount": ["lots"]], context: nil, step: details)
        #expect(damage.isValid, "kind is damage: amount is not asked for, so neither its emptiness nor its value counts")
        let unanswered = form.validate(["police": ["no"]], context: nil, step: details)
        #expect(unanswered.isValid, "an unanswered controller shows nothing")
    }

    @Test("A step's values are its own fields' only, normalised, hidden ones from the context")
    func valuesAreThisStepsOnly() throws {
        let form = try Self.claim()
        let details = try Self.step("details", of: form)
        let context = FormContext(content: #"{"customerId": "C-42"}"#)
        let submission: FormValues = [
            "kind": ["theft"], "police": [" yes "], "reference": ["  R-1 "], "amount": ["12"], "customerId": ["forged"],
            "email": ["ana@example.com"], "unknown": ["x"],
        ]
        let validation = form.validate(submission, context: context, step: details)
        #expect(validation.isValid)
        #expect(validation.values == ["police": ["yes"], "reference": ["R-1"], "amount": ["12"], "customerId": ["C-42"]])
    }

    @Test("A step's problems are the whole form's problems for that step's fields")
    func agreesWithTheWholeForm() throws {
        let form = try Self.claim()
        let submission: FormValues = ["kind": ["theft"], "police": ["maybe"], "amount": ["x"], "email": ["not an email"]]
        let whole = form.validate(submission, context: nil)
        for step in form.steps {
            let names = Set(form.fields(of: step).map(\.name))
            #expect(form.validate(submission, context: nil, step: step).errors == whole.errors.filter { names.contains($0.field) })
        }
        #expect(whole.errors.count == 4, "stolenItem, police, amount, email: every step has something to say")
    }

    @Test("A step's intro is rendered for the context, escaped like the form's")
    func rendersStepIntro() throws {
        let form = try Self.claim()
        let context = FormContext(content: #"{"name": "<b>Ana</b> & 'Co'"}"#)
        #expect(form.renderIntro(of: try Self.step("incident", of: form), context: context) == "Hi &lt;b&gt;Ana&lt;/b&gt; &amp; &#39;Co&#39;")
        #expect(form.renderIntro(of: try Self.step("details", of: form), context: context) == nil)
        let literal = FormStep(id: "one", title: "One", intro: "Tom & \"Jerry\"", fieldRange: 0..<1)
        #expect(form.renderIntro(of: literal, context: context) == "Tom &amp; &quot;Jerry&quot;", "the template's own text is escaped too")
    }

    @Test("A translation gives the steps their titles and intros; steps it leaves out keep theirs")
    func localizesSteps() throws {
        let form = try Self.claim()
        let spanish = form.localized(to: "es")
        #expect(spanish.steps.map(\.title) == ["Qué pasó", "Detalles", "How to reach you"])
        let context = FormContext(content: #"{"name": "Ana & Co"}"#)
        #expect(spanish.renderIntro(of: spanish.steps[0], context: context) == "Hola Ana &amp; Co")
        #expect(spanish.steps.map(\.fieldRange) == form.steps.map(\.fieldRange), "the fields stay where they are")
        #expect(form.localized(to: "de").steps.map(\.title) == form.steps.map(\.title))
    }
}
