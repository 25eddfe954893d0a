import AlvariaModels
import Foundation
import Hummingbird

/// `/simulator/…`: what tests and the console use to play the CX side — start dialogs, read the
/// outcomes they received, end them, inject faults, count calls.
struct ControlAPI: Sendable {
    let configuration: SimulatorConfiguration
    let state: SimulatorState

    struct NewDialog: Decodable {
        var content: String?
        var sessionId: String?
    }

    struct CreatedDialog: Encodable {
        var sessionId: String
        var link: String
    }

    func createDialog(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 256 * 1024)
        guard let new = try? JSONDecoder().decode(NewDialog.self, from: Data(buffer: body)) else {
            return JSONResponse.make(
                ErrorResponse(code: 400, message: "Expected JSON {\"content\": \"…\", \"sessionId\": optional}."),
                status: .badRequest
            )
        }
        if let id = new.sessionId, SessionID(id) == nil {
            return JSONResponse.make(
                ErrorResponse(code: 400, message: "sessionId must be 1–128 of A-Z a-z 0-9 . _ : -"),
                status: .badRequest
            )
        }
        let dialog = state.createDialog(content: new.content ?? "", sessionId: new.sessionId)
        return JSONResponse.make(CreatedDialog(sessionId: dialog.sessionId, link: link(for: dialog.sessionId)), status: .created)
    }

    func getDialog(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("sessionId")
        guard let dialog = state.dialog(id) else {
            return JSONResponse.make(ErrorResponse(code: 404, message: "Dialog not found."), status: .notFound)
        }
        return JSONResponse.make(dialog)
    }

    func deleteDialog(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("sessionId")
        guard state.endDialog(id) else {
            return JSONResponse.make(ErrorResponse(code: 404, message: "Dialog not found."), status: .notFound)
        }
        return Response(status: .noContent)
    }

    func setFaults(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1024)
        guard let faults = try? JSONDecoder().decode(SimulatorState.Faults.self, from: Data(buffer: body)) else {
            return JSONResponse.make(ErrorResponse(code: 400, message: "Expected JSON fault settings."), status: .badRequest)
        }
        state.apply(faults)
        return JSONResponse.make(state.currentFaults)
    }

    func stats(_ request: Request, context: some RequestContext) async throws -> Response {
        JSONResponse.make(state.stats)
    }

    /// The link CX would text the person: the app's root, which picks the form from the context.
    func link(for sessionId: String) -> String {
        var url = configuration.appURL
        while url.hasSuffix("/") { url.removeLast() }
        let encoded = sessionId.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? sessionId
        return "\(url)/?sessionId=\(encoded)"
    }
}
