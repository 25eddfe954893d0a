public import AlvariaModels

/// One form: what a person sees, how their answers are checked, and which Outcome variables
/// they become. Usually loaded from a YAML file by ``FormCatalog``.
///
/// Plain texts (`title`, `submitLabel`, labels) are escaped by the web layer; `intro` is a
/// Mustache template rendered, escaped, by ``renderIntro(context:)``.
public struct FormDefinition: Sendable {
    /// Used in the URL: `^[a-z0-9][a-z0-9-]{0,63}$`.
    public var id: String
    public var title: String
    /// Mustache source, e.g. `Hi {{context.firstName}}`; see ``renderIntro(context:)``.
    public var intro: String? {
        get { introSource }
        set {
            introSource = newValue
            compiledIntro = IntroTemplate.compiledIfSafe(newValue)
        }
    }
    /// The form for links that name none.
    public var isDefault: Bool
    public var submitLabel: String
    /// Every field, a multi-step form's too: its steps' fields one after the other.
    public var fields: [FieldDefinition]
    /// `steps:`: the screens of a multi-step form, in order; empty for a single-page form.
    public var steps: [FormStep]
    /// `outcome.variables`, in file order: added to every outcome after the fields.
    public var fixedVariables: [OutcomeVariable]
    /// `outcome.submittedAt`: the variable that gets the ISO 8601 UTC submission time.
    public var submittedAtVariable: String?
    /// `outcome.includeHidden`: fields hidden by `showIf` are still sent, as `""`.
    public var includeHiddenFields: Bool
    /// The optional "No thanks" button.
    public var decline: Decline?
    /// Language code (`es`, `es-MX`) -> texts; see ``localized(to:)``.
    public var translations: [String: FormTranslation]
    /// `language`: the language the form's own texts are written in (`en` unless it says), and
    /// so the page's language when nobody asks for another one the form has.
    public var language: String
    /// `branding:`: overrides the app's branding key by key.
    public var branding: Branding?
    /// `verify:`: questions to answer before the form shows anything from the context.
    public var verification: Verification?
    /// `expiresAfter:`: how long the link works after its first opening.
    public var expiresAfter: Duration?
    /// `example:`: a context a CX script might send, for `disposable-app forms preview`; never
    /// used when serving people.
    public var example: FormContext?
    /// The file the form came from, for messages.
    public var sourceFile: String
    /// The form's version: a content hash of its file (``FormVersion``), set by ``FormCatalog``
    /// when it reads the file; empty for a form built in code. A form token carries it, so a
    /// submit is checked against the form the person saw, even after a reload changed it.
    public var version: String = ""
    /// The file's text as read, which ``version`` is the hash of: kept so that the server can
    /// store the version and read it back after a restart or on another instance. Empty for a
    /// form built in code.
    public var versionSource: String = ""
    /// The translation ``localized(to:)`` applied, `nil` for the texts as written.
    public internal(set) var appliedLanguage: String?

    private var introSource: String?
    /// The intro compiled once, so rendering never parses (and never fails).
    var compiledIntro: IntroTemplate?

    public init(
        id: String,
        title: String,
        intro: String? = nil,
        isDefault: Bool = false,
        submitLabel: String = "Send",
        fields: [FieldDefinition],
        steps: [FormStep] = [],
        fixedVariables: [OutcomeVariable] = [],
        submittedAtVariable: String? = nil,
        includeHiddenFields: Bool = false,
        decline: Decline? = nil,
        translations: [String: FormTranslation] = [:],
        language: String = "en",
        branding: Branding? = nil,
        verification: Verification? = nil,
        expiresAfter: Duration? = nil,
        sourceFile: String = ""
    ) {
        self.id = id
        self.title = title
        self.introSource = intro
        self.isDefault = isDefault
        self.submitLabel = submitLabel
        self.fields = fields
        self.steps = steps
        self.fixedVariables = fixedVariables
        self.submittedAtVariable = submittedAtVariable
        self.includeHiddenFields = includeHiddenFields
        self.decline = decline
        self.translations = translations
        self.language = language
        self.branding = branding
        self.verification = verification
        self.expiresAfter = expiresAfter
        self.sourceFile = sourceFile
        self.appliedLanguage = nil
        self.compiledIntro = IntroTemplate.compiledIfSafe(intro)
    }

    /// Replaces the intro with one compiled already (a translation's), without compiling again.
    mutating func setIntro(_ source: String, compiled: IntroTemplate?) {
        introSource = source
        compiledIntro = compiled
    }

    /// The field with this name.
    public func field(named name: String) -> FieldDefinition? {
        fields.first { $0.name == name }
    }

    /// Whether any field takes files: such a form posts `multipart/form-data`.
    public var hasFileFields: Bool {
        fields.contains { $0.type == .file }
    }
}

/// A "No thanks" button: sends its own variables instead of the fields'.
public struct Decline: Sendable {
    public var label: String
    /// Sent in file order, followed by the `submittedAt` variable when the form has one.
    public var variables: [OutcomeVariable]

    public init(label: String = "No thanks", variables: [OutcomeVariable]) {
        self.label = label
        self.variables = variables
    }
}

/// The texts of a form in another language. Anything left `nil` keeps the form's own text.
public struct FormTranslation: Sendable {
    public var title: String?
    /// Mustache source, like the form's intro.
    public var intro: String? {
        didSet { compiledIntro = IntroTemplate.compiledIfSafe(intro) }
    }
    public var submitLabel: String?
    public var declineLabel: String?
    /// Field name -> texts.
    public var fields: [String: FieldTranslation]
    /// Step id -> texts.
    public var steps: [String: StepTranslation]
    /// `verify.help`.
    public var verifyHelp: String?
    /// `verify.questions`: question name -> label.
    public var verifyQuestionLabels: [String: String]

    var compiledIntro: IntroTemplate?

    public init(
        title: String? = nil,
        intro: String? = nil,
        submitLabel: String? = nil,
        declineLabel: String? = nil,
        fields: [String: FieldTranslation] = [:],
        steps: [String: StepTranslation] = [:],
        verifyHelp: String? = nil,
        verifyQuestionLabels: [String: String] = [:]
    ) {
        self.title = title
        self.intro = intro
        self.submitLabel = submitLabel
        self.declineLabel = declineLabel
        self.fields = fields
        self.steps = steps
        self.verifyHelp = verifyHelp
        self.verifyQuestionLabels = verifyQuestionLabels
        self.compiledIntro = IntroTemplate.compiledIfSafe(intro)
    }
}

/// The texts of one field in another language.
public struct FieldTranslation: Sendable {
    public var label: String?
    public var help: String?
    public var placeholder: String?
    /// Option value -> label.
    public var options: [String: String]

    public init(label: String? = nil, help: String? = nil, placeholder: String? = nil, options: [String: String] = [:]) {
        self.label = label
        self.help = help
        self.placeholder = placeholder
        self.options = options
    }
}
