/// Why a submitted value was refused: a code, not a sentence, so the web layer can say it in
/// the person's language. ``englishMessage`` is the English wording.
public enum FieldProblem: Sendable, Equatable {
    case required
    case tooShort(minimum: Int)
    case tooLong(maximum: Int)
    case patternMismatch
    case invalidEmail
    case invalidURL
    case invalidTelephone
    case invalidNumber
    /// The field's `min`, as written.
    case belowMinimum(String)
    /// The field's `max`, as written.
    case aboveMaximum(String)
    /// The field's `step`, as written.
    case stepMismatch(String)
    case invalidDate
    case invalidTime
    case notAnOption
    /// Control characters (tab and line breaks are fine in a textarea) or bidirectional
    /// overrides, which can make a text read differently from what it holds.
    case invalidCharacters
    /// A file whose content (not its name) is not a kind the field accepts, or is no plain
    /// photo or document at all (markup, active content): see ``FileInspection``.
    case fileType
    /// A file larger than the field's `maxSize`, in bytes.
    case fileTooLarge(maximum: Int)
    /// A file that is empty, cut short or damaged.
    case fileDamaged
    /// More files than the field's `maxFiles`.
    case tooManyFiles(maximum: Int)

    /// One problem of every kind, so that lists of codes (message catalogues, their tests)
    /// follow the cases.
    public static let examples: [FieldProblem] = {
        // Exhaustive on purpose: a new case does not compile here until it is listed below too.
        func listed(_ problem: FieldProblem) {
            switch problem {
            case .required, .tooShort, .tooLong, .patternMismatch, .invalidEmail, .invalidURL, .invalidTelephone,
                .invalidNumber, .belowMinimum, .aboveMaximum, .stepMismatch, .invalidDate, .invalidTime, .notAnOption,
                .invalidCharacters, .fileType, .fileTooLarge, .fileDamaged, .tooManyFiles:
                break
            }
        }
        let examples: [FieldProblem] = [
            .required, .tooShort(minimum: 2), .tooLong(maximum: 80), .patternMismatch, .invalidEmail, .invalidURL,
            .invalidTelephone, .invalidNumber, .belowMinimum("18"), .aboveMaximum("120"), .stepMismatch("0.01"), .invalidDate,
            .invalidTime, .notAnOption, .invalidCharacters, .fileType, .fileTooLarge(maximum: 10 * 1024 * 1024), .fileDamaged,
            .tooManyFiles(maximum: 3),
        ]
        examples.forEach(listed)
        return examples
    }()

    /// A stable key for message catalogs, e.g. `tooLong`.
    public var code: String {
        switch self {
        case .required: "required"
        case .tooShort: "tooShort"
        case .tooLong: "tooLong"
        case .patternMismatch: "patternMismatch"
        case .invalidEmail: "invalidEmail"
        case .invalidURL: "invalidURL"
        case .invalidTelephone: "invalidTelephone"
        case .invalidNumber: "invalidNumber"
        case .belowMinimum: "belowMinimum"
        case .aboveMaximum: "aboveMaximum"
        case .stepMismatch: "stepMismatch"
        case .invalidDate: "invalidDate"
        case .invalidTime: "invalidTime"
        case .notAnOption: "notAnOption"
        case .invalidCharacters: "invalidCharacters"
        case .fileType: "fileType"
        case .fileTooLarge: "fileTooLarge"
        case .fileDamaged: "fileDamaged"
        case .tooManyFiles: "tooManyFiles"
        }
    }

    /// The message in English, addressed to the person filling in the form.
    public var englishMessage: String {
        switch self {
        case .required: "This field is required."
        case .tooShort(let minimum): "Use at least \(minimum) \(minimum == 1 ? "character" : "characters")."
        case .tooLong(let maximum): "Use at most \(maximum) \(maximum == 1 ? "character" : "characters")."
        case .patternMismatch: "Use the format shown."
        case .invalidEmail: "Enter an email address like name@example.com."
        case .invalidURL: "Enter a web address starting with http:// or https://."
        case .invalidTelephone: "Enter a phone number using digits, spaces and + - ( ) ."
        case .invalidNumber: "Enter a number, like 42 or 3.5."
        case .belowMinimum(let minimum): "The lowest value allowed is \(minimum)."
        case .aboveMaximum(let maximum): "The highest value allowed is \(maximum)."
        case .stepMismatch(let step): "Use a value in steps of \(step)."
        case .invalidDate: "Enter a date that exists, as YYYY-MM-DD."
        case .invalidTime: "Enter a time as HH:MM."
        case .notAnOption: "Choose one of the options offered."
        case .invalidCharacters: "Remove the special or invisible characters from this answer."
        case .fileType: "This file is not a type this form accepts."
        case .fileTooLarge(let maximum): "Choose a file of at most \(ByteSize.describe(maximum))."
        case .fileDamaged: "This file is incomplete or damaged. Choose it again, or another file."
        case .tooManyFiles(let maximum): "Too many files. The limit is \(maximum)."
        }
    }
}

/// One refused field of a submission.
public struct FieldError: Sendable, Equatable {
    /// The field's name.
    public var field: String
    public var problem: FieldProblem

    public init(field: String, problem: FieldProblem) {
        self.field = field
        self.problem = problem
    }
}
