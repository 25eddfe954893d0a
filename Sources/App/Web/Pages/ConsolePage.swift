import AlvariaModels

/// The demo's simulator console: start a dialog for a form, open its link, watch outcomes arrive.
struct ConsolePage: PageModel {
    static let template = "console"

    let chrome: PageChrome
    let action: String
    let refresh: String
    let forms: [Form]
    let dialogs: [Dialog]

    /// A form a dialog can be started for, with an editable sample context.
    struct Form: Sendable {
        let id: String
        let title: String
        let sampleContext: String
    }

    /// A dialog the simulator knows, with the outcomes it received.
    struct Dialog: Sendable {
        let sessionId: String
        let link: String
        let ended: Bool
        let outcomes: [Outcome]
    }

    /// One received outcome.
    struct Outcome: Sendable {
        let receivedAt: String
        let variables: [OutcomeVariable]
    }
}
