import Forms

/// What varies on a form page (a whole form, a step of a multi-step form, or its review): by
/// field index, the values and the error texts.
struct FormPageState: PageState {
    enum Slot: Sendable {
        /// The session in the form's action URL.
        case sessionId
        case token
        /// The intro, escaped already.
        case intro
        /// A step's own intro, escaped already.
        case stepIntro
        /// A line about the draft (restored, or lost).
        case notice
        case value(Int)
        case error(Int)
        /// The error summary's line for the field: its label and its error.
        case summary(Int)
        /// The review's text for the field's answer: option labels, "Yes", masked, "Not given".
        case answer(Int)
        /// A file field's files so far, each with the hidden input that keeps it.
        case keptFiles(Int)
    }

    enum Condition: Sendable {
        case hasErrors, noErrors, hasIntro, hasStepIntro, hasNotice
        case error(Int)
        case noError(Int)
        /// A `checkbox` that is on.
        case checked(Int)
        /// A choice of a select, radio or checkboxes field that is among its values.
        case selected(Int, String)
        /// The field's `showIf` holds for the answers so far (a condition on an earlier step's
        /// field is decided by the server, not the script).
        case shown(Int)
        /// The review lists the field's answer.
        case listed(Int)
        /// The review asks for a sensitive field again: its value was not kept.
        case askAgain(Int)
        /// A file field holds files already.
        case hasKeptFiles(Int)
    }

    /// One file a file field holds, as its page lists it.
    struct KeptFileLine: Sendable {
        let field: String
        let id: String
        let text: String
        let thumbnail: String?
    }

    var values: [[String]]
    /// Empty when the page has no errors.
    var errorTexts: [String?]
    /// The fields' labels, for the error summary.
    let labels: [String]
    let introHTML: String?
    /// A ``SessionID``'s text: its alphabet is URL-safe, so it goes into the URL as it is.
    let sessionId: String
    let token: String
    var stepIntroHTML: String? = nil
    var notice: String? = nil
    /// Per field, on steps and the review only.
    var shown: [Bool] = []
    var listed: [Bool] = []
    var askAgain: [Bool] = []
    var answers: [String] = []
    /// Per field, on pages of forms with file fields.
    var keptFiles: [[KeptFileLine]] = []

    var hasErrors: Bool { !errorTexts.isEmpty }

    func write(_ slot: Slot, to html: inout HTMLOutput) {
        switch slot {
        case .sessionId: html.writeEscaped(sessionId)
        case .token: html.writeEscaped(token)
        case .intro: html.writeTrusted(introHTML ?? "")
        case .stepIntro: html.writeTrusted(stepIntroHTML ?? "")
        case .notice: html.writeEscaped(notice ?? "")
        case .value(let index): html.writeEscaped(values[index].first ?? "")
        case .error(let index): html.writeEscaped(errorText(index) ?? "")
        case .summary(let index):
            html.writeEscaped(CompiledForm.summaryLine(label: labels[index], message: errorText(index) ?? ""))
        case .answer(let index): html.writeEscaped(answers[index])
        case .keptFiles(let index):
            html.writeTrusted("<ul class=\"files\">\n")
            for file in keptFiles[index] {
                html.writeTrusted("<li>")
                if let thumbnail = file.thumbnail {
                    html.writeTrusted("<img class=\"files__thumbnail\" src=\"")
                    html.writeEscaped(thumbnail)
                    html.writeTrusted("\" alt=\"\">")
                }
                html.writeEscaped(file.text)
                html.writeTrusted("<input type=\"hidden\" name=\"")
                html.writeEscaped(file.field)
                html.writeTrusted("\" value=\"")
                html.writeEscaped(file.id)
                html.writeTrusted("\"></li>\n")
            }
            html.writeTrusted("</ul>\n")
        }
    }

    func holds(_ condition: Condition) -> Bool {
        switch condition {
        case .hasErrors: hasErrors
        case .noErrors: !hasErrors
        case .hasIntro: introHTML != nil
        case .hasStepIntro: stepIntroHTML != nil
        case .hasNotice: notice != nil
        case .error(let index): errorText(index) != nil
        case .noError(let index): errorText(index) == nil
        case .checked(let index): values[index].first.map(Self.isOn) ?? false
        case .selected(let index, let value): values[index].contains(value)
        case .shown(let index): shown[index]
        case .listed(let index): listed[index]
        case .askAgain(let index): askAgain[index]
        case .hasKeptFiles(let index): keptFiles.indices.contains(index) && !keptFiles[index].isEmpty
        }
    }

    private func errorText(_ index: Int) -> String? {
        hasErrors ? errorTexts[index] : nil
    }

    private static func isOn(_ value: String) -> Bool {
        ["true", "on", "1", "yes"].contains(value.lowercased())
    }
}
