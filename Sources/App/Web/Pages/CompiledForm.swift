import AlvariaModels
import Forms
import NIOCore

/// One page of a form in one language, compiled at start-up: serving it fills in the values,
/// the errors, the intro, the session and the token.
struct CompiledForm: Sendable {
    /// The form with this language's texts applied.
    let form: FormDefinition
    let language: String
    /// The whole form, one of its steps, or its review.
    let screen: FormScreen
    private let page: CompiledPage<FormPageState>
    private let messages: MessageCatalog
    /// Per field of `form.fields`: the label the error summary names.
    private let labels: [String]

    init(_ form: FormDefinition, language: String, presentation: Presentation, screen: FormScreen = .whole) {
        let localized = form.localized(to: language)
        self.form = localized
        self.language = language
        self.screen = screen
        messages = presentation.messages
        labels = localized.fields.map(\.label)
        page = FormPageTemplate.compile(localized, language: language, presentation: presentation, screen: screen)
    }

    /// The page's HTML.
    /// - Parameters:
    ///   - values: what to show in the fields (prefilled, or as submitted).
    ///   - errors: the validation's errors; a sensitive value is never shown again with them.
    ///   - introHTML: the intro rendered for the context, escaped already.
    ///   - steps: what a step or the review shows beyond a whole form.
    func render(
        values: FormValues,
        errors: [FieldError],
        introHTML: String?,
        sessionId: SessionID,
        token: String,
        steps: StepExtras = StepExtras(),
        files: [String: [KeptFile]] = [:]
    ) -> ByteBuffer {
        let fields = form.fields
        var state = FormPageState(
            values: fields.map { values[$0.name] },
            errorTexts: [],
            labels: labels,
            introHTML: introHTML,
            sessionId: sessionId.rawValue,
            token: token
        )
        if !errors.isEmpty {
            var texts = [String?](repeating: nil, count: fields.count)
            for error in errors {
                guard let index = fields.firstIndex(where: { $0.name == error.field }), texts[index] == nil else { continue }
                texts[index] = Self.message(for: error.problem, language, messages)
            }
            state.errorTexts = texts
            // A sensitive value is never sent back to the browser once submitted: the person retypes it.
            for index in fields.indices where fields[index].sensitive {
                state.values[index] = []
            }
        }
        if screen != .whole {
            fill(&state, values: values, steps: steps)
        }
        if !files.isEmpty {
            state.keptFiles = fields.map { field in (files[field.name] ?? []).map { keptFileLine($0, field: field.name) } }
        }
        return page.render(state)
    }

    /// What only steps and the review show: which fields apply, the review's answers, the notice.
    private func fill(_ state: inout FormPageState, values: FormValues, steps: StepExtras) {
        let fields = form.fields
        let shown = form.shownFieldNames(for: values)
        state.stepIntroHTML = steps.stepIntroHTML
        state.notice = steps.notice
        state.shown = fields.map { shown.contains($0.name) }
        state.askAgain = fields.map { steps.askAgain.contains($0.name) && shown.contains($0.name) }
        state.listed = fields.indices.map { state.shown[$0] && !state.askAgain[$0] }
        if screen == .review {
            state.answers = fields.map { answer(for: $0, values[$0.name]) }
        }
        // A sensitive value is never written into a page: a step asks for it afresh, the review masks it.
        for index in fields.indices where fields[index].sensitive {
            state.values[index] = []
        }
    }

    /// "Uploaded: JPEG photo, 1.2 MB", with what keeps the file in the next post.
    private func keptFileLine(_ file: KeptFile, field: String) -> FormPageState.KeptFileLine {
        // files.jpeg, files.png, files.pdf: the kind's name in the page's language.
        let description = "\(messages.text("files.\(file.kind)", language)), \(ByteSize.describe(file.size))"
        return FormPageState.KeptFileLine(
            field: field,
            id: file.id,
            text: messages.text("files.uploaded", language, ["file": description]),
            thumbnail: file.thumbnail
        )
    }

    /// The review's text for one answer, in the page's language.
    private func answer(for field: FieldDefinition, _ values: [String]) -> String {
        let given = values.filter { !$0.isEmpty }
        if field.sensitive {
            return messages.text(given.isEmpty ? "review.notGiven" : "review.hidden", language)
        }
        switch field.type {
        case .file:
            return given.isEmpty ? messages.text("review.notGiven", language) : messages.text("files.attached", language, ["n": String(given.count)])
        case .checkbox:
            return messages.text(given.first == "true" ? "review.yes" : "review.no", language)
        case .select, .radio, .checkboxes:
            let labels = given.map { value in field.options.first { $0.value == value }?.label ?? value }
            return labels.isEmpty ? messages.text("review.notGiven", language) : labels.joined(separator: ", ")
        default:
            return given.first ?? messages.text("review.notGiven", language)
        }
    }

    static func message(for problem: FieldProblem, _ language: String, _ messages: MessageCatalog) -> String {
        let substitutions: [String: String] =
            switch problem {
            case .tooShort(let n), .tooLong(let n), .tooManyFiles(let n): ["n": String(n)]
            case .fileTooLarge(let maximum): ["size": ByteSize.describe(maximum)]
            case .belowMinimum(let value), .aboveMaximum(let value), .stepMismatch(let value): ["value": value]
            default: [:]
            }
        return messages.text("field.\(problem.code)", language, substitutions)
    }

    /// "Full name: This field is required." — but "How should we contact you? This field is required."
    /// (and "كيف نتواصل معك؟ …": the Arabic question mark ends a label too).
    static func summaryLine(label: String, message: String) -> String {
        let endsWithPunctuation = label.last.map { "?!.:…؟".contains($0) } ?? false
        return endsWithPunctuation ? "\(label) \(message)" : "\(label): \(message)"
    }
}

/// What a step or the review shows beyond a whole form: the step's intro, a line about the
/// draft, and the sensitive fields the review must ask again.
struct StepExtras: Sendable {
    var stepIntroHTML: String? = nil
    var notice: String? = nil
    /// Names of sensitive fields whose answers were not kept (another device, a closed browser).
    var askAgain: Set<String> = []
}
