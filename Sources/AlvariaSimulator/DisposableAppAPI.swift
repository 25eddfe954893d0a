import AlvariaModels
import Foundation
import HTTPTypes
import Hummingbird

/// The two Disposable App calls under `/via/v2/organizations/{orgId}/customerexperience/disposableApp`,
/// with the checks and error bodies of Alvaria's reference, in its order: authentication (401,
/// no body), content negotiation (406), the request (400), the dialog (404).
struct DisposableAppAPI: Sendable {
    let configuration: SimulatorConfiguration
    let state: SimulatorState

    func context(_ request: Request, context: some RequestContext) async throws -> Response {
        state.count(.context)
        if let rejection = check(request, context: context, failing: .context) { return rejection }
        guard let sessionId = request.uri.queryParameters["sessionId"].map(String.init), !sessionId.isEmpty else {
            return missingSessionId()
        }
        guard let dialog = state.activeDialog(sessionId) else { return dialogNotFound() }
        return JSONResponse.make(DisposableAppContext(content: dialog.content))
    }

    func outcome(_ request: Request, context: some RequestContext) async throws -> Response {
        state.count(.outcome)
        if let rejection = check(request, context: context, failing: .outcome) { return rejection }
        guard let sessionId = request.uri.queryParameters["sessionId"].map(String.init), !sessionId.isEmpty else {
            return missingSessionId()
        }
        let body = try await request.body.collect(upTo: 1024 * 1024)
        let outcome: DisposableAppOutcome
        do {
            outcome = try JSONDecoder().decode(DisposableAppOutcome.self, from: Data(buffer: body))
        } catch {
            return validationError(scope: "body", reason: "invalidFormat", message: "The body is not a valid disposableAppOutcome.")
        }
        guard outcome.kind == DisposableAppOutcome.kindValue else {
            return validationError(scope: "kind", reason: "invalidValue", message: "kind must be \(DisposableAppOutcome.kindValue).")
        }
        if let index = outcome.variables.firstIndex(where: { $0.id.isEmpty }) {
            return validationError(scope: "variables[\(index)].id", reason: "required", message: "A variable needs an id.")
        }
        guard state.receiveOutcome(outcome.variables, for: sessionId) else { return dialogNotFound() }
        return Response(status: .noContent)
    }

    /// Injected failure, organization, token, API key and Accept checks shared by both calls.
    private func check(_ request: Request, context: some RequestContext, failing call: SimulatorState.Call) -> Response? {
        if state.consumeFailure(call) {
            return JSONResponse.make(
                ErrorResponse(code: 500, message: "Internal server error (injected fault)."),
                status: .internalServerError
            )
        }
        guard let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer "),
            state.isValidToken(String(authorization.dropFirst(7))),
            request.headers[HTTPField.Name("x-api-key")!] == configuration.apiKey
        else {
            return Response(status: .unauthorized)
        }
        guard Self.acceptsJSONOrXML(request.headers[.accept]) else {
            // The reference documents an ErrorResponse for 406 as for 400 and 404: in JSON, the
            // one representation a client that accepts neither can still be sent.
            return JSONResponse.make(
                ErrorResponse(
                    code: 406,
                    message: "Not acceptable.",
                    errors: [.init(scope: "Accept", reason: "notAcceptable", message: "Only application/json or application/xml can be produced.")]
                ),
                status: .notAcceptable
            )
        }
        guard context.parameters.get("orgId") == configuration.orgId else {
            return JSONResponse.make(
                ErrorResponse(
                    code: 404,
                    message: "Organization not found.",
                    errors: [.init(scope: "orgId", reason: "notFound", message: "No such organization on this cluster.")]
                ),
                status: .notFound
            )
        }
        return nil
    }

    private func missingSessionId() -> Response {
        validationError(scope: "sessionId", reason: "required", message: "The sessionId query parameter is required.")
    }

    private func validationError(scope: String, reason: String, message: String) -> Response {
        JSONResponse.make(
            ErrorResponse(code: 400, message: "Validation failed.", errors: [.init(scope: scope, reason: reason, message: message)]),
            status: .badRequest
        )
    }

    private func dialogNotFound() -> Response {
        JSONResponse.make(
            ErrorResponse(
                code: 404,
                message: "Dialog not found.",
                errors: [.init(scope: "sessionId", reason: "notFound", message: "The dialog does not exist on this cluster.")]
            ),
            status: .notFound
        )
    }

    /// No Accept header means anything; otherwise one of the listed types must be JSON, XML or a wildcard.
    static func acceptsJSONOrXML(_ accept: String?) -> Bool {
        guard let accept, !accept.trimmingCharacters(in: .whitespaces).isEmpty else { return true }
        let acceptable: Set<String> = ["application/json", "application/xml", "text/xml", "application/*", "*/*"]
        return accept.split(separator: ",").contains { item in
            let type = item.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            return acceptable.contains(type)
        }
    }
}
