/// What a person answered so far on a multi-step form; never holds a sensitive field's value.
///
/// Stored sealed (``Sealer``) in the outbox's database until the outcome is stored, which deletes
/// it in the same transaction, or until `drafts.retention` has passed since its last save.
struct Draft: Sendable, Equatable, Codable {
    var formId: String
    /// The version of the form the answers were given to; `nil` in a draft saved before forms
    /// had versions. Opening the link again shows that version while it is kept.
    var formVersion: String? = nil
    /// Field name -> values as the form's validation normalised them (or as typed, for an autosave).
    var values: [String: [String]]
    /// Ids of the steps whose `next` validated, in form order.
    var completedSteps: [String]
}
