/// One screen of a multi-step form (`steps:`): a title, an optional intro, and a run of the
/// form's fields.
///
/// A step holds a range of ``FormDefinition/fields`` rather than fields of its own, so the
/// flattened list stays the one truth for everything that does not care about screens:
/// validating the whole form, prefill, outcome mapping, sensitive variables.
public struct FormStep: Sendable {
    /// In the URL (`step=incident`): `^[a-z0-9][a-z0-9-]{0,63}$`, unique within the form, never
    /// `review` (the review screen's).
    public var id: String
    /// Plain text; the web layer escapes it.
    public var title: String
    /// Mustache source, like the form's intro; see ``FormDefinition/renderIntro(of:context:)``.
    public var intro: String? {
        get { introSource }
        set {
            introSource = newValue
            compiledIntro = IntroTemplate.compiledIfSafe(newValue)
        }
    }
    /// Indices into the form's `fields` (the flattened list), contiguous, in order.
    public var fieldRange: Range<Int>

    private var introSource: String?
    /// The intro compiled once, so rendering never parses (and never fails).
    var compiledIntro: IntroTemplate?

    public init(id: String, title: String, intro: String? = nil, fieldRange: Range<Int>) {
        self.id = id
        self.title = title
        self.introSource = intro
        self.fieldRange = fieldRange
        self.compiledIntro = IntroTemplate.compiledIfSafe(intro)
    }

    /// The id of the review screen that follows the last step, so no step may take it.
    public static let reviewId = "review"

    /// Replaces the intro with one compiled already (a translation's), without compiling again.
    mutating func setIntro(_ source: String, compiled: IntroTemplate?) {
        introSource = source
        compiledIntro = compiled
    }

    /// Where a step's problems are: `steps.incident`, or by position while it has no id.
    static func path(id: String, number: Int) -> String {
        "steps.\(id.isEmpty ? String(number) : id)"
    }
}

/// The texts of one step in another language. Anything left `nil` keeps the step's own text.
public struct StepTranslation: Sendable {
    public var title: String?
    /// Mustache source, like the step's intro.
    public var intro: String? {
        didSet { compiledIntro = IntroTemplate.compiledIfSafe(intro) }
    }

    var compiledIntro: IntroTemplate?

    public init(title: String? = nil, intro: String? = nil) {
        self.title = title
        self.intro = intro
        self.compiledIntro = IntroTemplate.compiledIfSafe(intro)
    }
}
