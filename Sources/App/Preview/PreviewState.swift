import Forms

/// One of the states the form preview shows a form in, as its address names it
/// (`/preview/{formId}/{language}/{state}`): what a person meets on the way through the form.
enum PreviewState: Hashable, Sendable {
    /// No context at all: what a link shows when the CX script sent nothing.
    case empty
    /// Prefilled from the form's `example:` (a single-page form).
    case prefilled
    /// Every field with a problem (a single-page form).
    case errors
    /// A step of a multi-step form, prefilled from the example.
    case step(String)
    /// A step of a multi-step form with every field in error.
    case stepErrors(String)
    /// A multi-step form's review, the example's prefill as the answers.
    case review
    /// The verification step of a form with `verify:`.
    case verification
    /// The verification step after a wrong answer.
    case wrongAnswer

    /// Every state of `form`, in the order a person meets them.
    static func all(for form: FormDefinition) -> [PreviewState] {
        let verification: [PreviewState] = form.verification == nil ? [] : [.verification, .wrongAnswer]
        guard form.isMultiStep else { return verification + [.empty, .prefilled, .errors] }
        return verification + [.empty] + form.steps.map { .step($0.id) } + form.steps.map { .stepErrors($0.id) } + [.review]
    }

    /// The state a form's pages start at once verified: its first step, or the whole form prefilled.
    static func start(of form: FormDefinition) -> PreviewState {
        form.steps.first.map { .step($0.id) } ?? .prefilled
    }

    init?(pathComponent: String) {
        switch pathComponent {
        case "empty": self = .empty
        case "prefilled": self = .prefilled
        case "errors": self = .errors
        case "review": self = .review
        case "verify": self = .verification
        case "verify-wrong": self = .wrongAnswer
        default:
            if pathComponent.hasPrefix("step-") {
                self = .step(String(pathComponent.dropFirst("step-".count)))
            } else if pathComponent.hasPrefix("errors-") {
                self = .stepErrors(String(pathComponent.dropFirst("errors-".count)))
            } else {
                return nil
            }
        }
    }

    var pathComponent: String {
        switch self {
        case .empty: "empty"
        case .prefilled: "prefilled"
        case .errors: "errors"
        case .step(let id): "step-\(id)"
        case .stepErrors(let id): "errors-\(id)"
        case .review: "review"
        case .verification: "verify"
        case .wrongAnswer: "verify-wrong"
        }
    }

    /// How the index names the state.
    var title: String {
        switch self {
        case .empty: "no context"
        case .prefilled: "prefilled"
        case .errors: "every field in error"
        case .step(let id): "step \(id)"
        case .stepErrors(let id): "step \(id) in error"
        case .review: "review"
        case .verification: "verification"
        case .wrongAnswer: "wrong answer"
        }
    }
}

/// The preview server's addresses. Forms post where they do in the app (`/f/{formId}`), so the
/// pages are the app's own; everything else of the preview lives under `/preview/`.
enum PreviewURLs {
    static let index = "/"
    static let version = "/preview/version"
    static let script = "/static/js/preview.js"

    static func page(_ formId: String, language: String, state: PreviewState) -> String {
        "/preview/\(PercentEncoding.encode(formId))/\(PercentEncoding.encode(language))/\(PercentEncoding.encode(state.pathComponent))"
    }
}
