import Forms
import Metrics

/// Whether an uploaded file is taken for its field, and the count of what was taken and refused:
/// `files_accepted_total{form}` and `files_accepted_bytes_total{form}` (cleaned sizes), and
/// `files_refused_total{form, reason}` with `reason` one of `tooLarge`, `empty`, `unknownType`,
/// `markup`, `truncated`, `notAccepted` (a kind the field's `accept` leaves out).
struct FileIntake: Sendable {
    let factory: any MetricsFactory

    enum Verdict: Sendable {
        case accepted(FileInspection.Cleaned)
        case refused(FieldProblem)
    }

    func verdict(on upload: UploadedFile, for field: FieldDefinition, form: String) -> Verdict {
        guard let bytes = upload.bytes else { return refuse(.fileTooLarge(maximum: field.maxSize), reason: "tooLarge", form: form) }
        switch FileInspection.inspect(bytes) {
        case .failure(let refusal):
            return refuse(refusal.fieldProblem, reason: refusal.rawValue, form: form)
        case .success(let cleaned):
            guard field.accept.contains(cleaned.kind) else { return refuse(.fileType, reason: "notAccepted", form: form) }
            Counter(label: "files_accepted_total", dimensions: [("form", form)], factory: factory).increment()
            Counter(label: "files_accepted_bytes_total", dimensions: [("form", form)], factory: factory).increment(by: cleaned.bytes.count)
            return .accepted(cleaned)
        }
    }

    private func refuse(_ problem: FieldProblem, reason: String, form: String) -> Verdict {
        Counter(label: "files_refused_total", dimensions: [("form", form), ("reason", reason)], factory: factory).increment()
        return .refused(problem)
    }
}
