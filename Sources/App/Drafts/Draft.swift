/// What a person answered so far on a multi-step form; never holds a sensitive field's value.
///
/// Stored sealed (``Sealer``) in the outbox's database until the outcome is stored, which deletes
/// it in the same transaction, or until `drafts.retention` has passed since its last save.
struct Draft: Sendable, Equatable, Codable {
    var formId: String
    /// Field name -> values as the form's validation normalised them (or as typed, for an autosave).
    var values: [String: [String]]
    /// Ids of the steps whose `next` validated, in form order.
    var completedSteps: [String]
}
