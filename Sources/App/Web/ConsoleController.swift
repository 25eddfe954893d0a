public import AlvariaModels
import Forms
public import Foundation
import Hummingbird

/// The CX side as demo mode's console sees it: the dialogs started and the outcomes they
/// received. The demo wiring adapts the built-in simulator to it, so this library never links
/// the simulator.
public protocol DemoDialogs: Sendable {
    /// The most recent first.
    func recentDialogs(limit: Int) -> [DemoDialog]
    /// Starts a dialog with this context (JSON), as a CX script would.
    func startDialog(content: String)
}

/// A dialog of demo mode, with the outcomes it received.
public struct DemoDialog: Sendable {
    public struct Outcome: Sendable {
        public var receivedAt: Date
        public var variables: [OutcomeVariable]

        public init(receivedAt: Date, variables: [OutcomeVariable]) {
            self.receivedAt = receivedAt
            self.variables = variables
        }
    }

    public var sessionId: String
    public var ended: Bool
    public var outcomes: [Outcome]

    public init(sessionId: String, ended: Bool, outcomes: [Outcome]) {
        self.sessionId = sessionId
        self.ended = ended
        self.outcomes = outcomes
    }
}

/// Demo mode's console at `GET {basePath}/`: plays the CX script's part — start a dialog with some
/// context, open its link, and see the outcome that arrived at the simulator.
struct ConsoleController: Sendable {
    let dialogs: any DemoDialogs
    /// The forms served now, for their sample contexts.
    let forms: FormLibrary
    let crossSite: CrossSiteCheck
    var urls: AppURLs { forms.current.presentation.urls }

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.post("console/dialogs", use: startDialog)
    }

    @Sendable func show(_ request: Request, context: some RequestContext) async throws -> Response {
        let set = forms.current
        let formatter = ISO8601DateFormatter()
        let page = ConsolePage(
            chrome: set.presentation.chrome(title: "CX simulator console", language: "en"),
            action: urls.consoleDialogs,
            refresh: urls.console,
            forms: set.catalog.forms.map { ConsolePage.Form(id: $0.id, title: $0.title, sampleContext: Self.sampleContext(for: $0)) },
            dialogs: dialogs.recentDialogs(limit: 20).map { dialog in
                ConsolePage.Dialog(
                    sessionId: dialog.sessionId,
                    link: urls.short(sessionId: dialog.sessionId),
                    ended: dialog.ended,
                    outcomes: dialog.outcomes.map { .init(receivedAt: formatter.string(from: $0.receivedAt), variables: $0.variables) }
                )
            }
        )
        return PageLibrary.html(page.render())
    }

    /// `POST {basePath}/console/dialogs` with `content=…`: starts a dialog and goes back to the console.
    @Sendable func startDialog(_ request: Request, context: some RequestContext) async throws -> Response {
        guard crossSite.allows(request.headers) else { return Response(status: .forbidden) }
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard let pairs = try? URLEncodedForm.decode(bytes: body.readableBytesView) else { return Response(status: .badRequest) }
        let content = FormValues(pairs).first("content") ?? ""
        dialogs.startDialog(content: content)
        return Response(status: .seeOther, headers: [.location: urls.console])
    }

    /// A context a CX script might send for this form: its id plus a value for every prefilled
    /// path, every verification answer and every path its intros quote (`{{context.firstName}}`).
    static func sampleContext(for form: FormDefinition) -> String {
        var object: [String: Any] = ["form": form.id, "lang": "en"]
        let intros = ([form.intro] + form.steps.map(\.intro)).compactMap { $0 }.flatMap(quotedPaths)
        let paths = form.fields.compactMap(\.prefill) + (form.verification?.questions.map(\.answerPath) ?? []) + intros
        for text in paths {
            let path = text.split(separator: ".").dropFirst().map(String.init)
            guard let last = path.last else { continue }
            insert(sampleValue(last), at: path[...], into: &object)
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The `context.…` paths a Mustache text quotes.
    private static func quotedPaths(in source: String) -> [String] {
        source.matches(of: /\{\{\s*(context\.[A-Za-z0-9_.]+)\s*\}\}/).map { String($0.output.1) }
    }

    private static func insert(_ value: String, at path: ArraySlice<String>, into object: inout [String: Any]) {
        guard let key = path.first else { return }
        if path.count == 1 {
            object[key] = value
        } else {
            var child = object[key] as? [String: Any] ?? [:]
            insert(value, at: path.dropFirst(), into: &child)
            object[key] = child
        }
    }

    private static let samples: [String: String] = [
        "firstName": "Ana", "lastName": "García", "fullName": "Ana García", "name": "Ana García", "street": "12 Harbour Road",
        "city": "Bristol", "postalCode": "BS1 5TY", "postcode": "BS1 5TY", "country": "GB", "email": "ana@example.com",
        "phone": "+44 117 496 0000", "customerId": "C-1042", "accountNumber": "88120347", "dateOfBirth": "1984-06-02",
        "accountLast4": "0347", "oneTimeCode": "482913",
    ]

    private static func sampleValue(_ key: String) -> String {
        samples[key] ?? ""
    }
}
