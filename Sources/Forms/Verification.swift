public import AlvariaModels

/// `verify:`: questions a person answers before the form shows anything from the context, so a
/// forwarded or leaked link alone does not reveal it. The expected answers come from the context
/// and are never rendered.
public struct Verification: Sendable, Equatable {
    /// One question, answered in a field of its own on the verification page.
    public struct Question: Sendable, Equatable {
        /// Like a field name; posted on the verification page, never as an Outcome variable.
        public var name: String
        public var label: String
        /// YAML `type`.
        public var kind: AnswerKind
        /// YAML `answer`: `context.a.b`, where the expected answer is in the context.
        public var answerPath: String
        /// YAML `autocomplete`, e.g. `bday`, `postal-code`, `one-time-code`.
        public var autocomplete: String?

        public init(name: String, label: String, kind: AnswerKind, answerPath: String, autocomplete: String? = nil) {
            self.name = name
            self.label = label
            self.kind = kind
            self.answerPath = answerPath
            self.autocomplete = autocomplete
        }
    }

    /// One or two.
    public var questions: [Question]
    /// Wrong answers allowed before the session is locked (1...10).
    public var maxAttempts: Int
    /// How long a browser stays verified (1m...24h).
    public var lifetime: Duration
    /// Posted once as the Outcome when the session is locked, in file order.
    public var lockedVariables: [OutcomeVariable]
    /// Shown on the verification page: what to do when the person cannot answer.
    public var help: String?

    public init(
        questions: [Question],
        maxAttempts: Int = 3,
        lifetime: Duration = .seconds(30 * 60),
        lockedVariables: [OutcomeVariable] = [OutcomeVariable(id: "formStatus", value: "verificationFailed")],
        help: String? = nil
    ) {
        self.questions = questions
        self.maxAttempts = maxAttempts
        self.lifetime = lifetime
        self.lockedVariables = lockedVariables
        self.help = help
    }

    /// The expected answer of `question`, normalised, from the context; nil when the context does
    /// not hold one that normalises to something (the person then can never verify; the caller
    /// logs it). A number in the context counts as its JSON text (`12345`).
    public func expectedAnswer(_ question: Question, in context: FormContext) -> String? {
        context.value(at: question.answerPath).flatMap(question.kind.normalise)
    }
}
