import AlvariaModels
import Forms
import Foundation
import Logging

/// One file of a post, as read. Its name and declared type are never kept: the content decides
/// (``FileInspection``).
struct UploadedFile: Sendable {
    /// The form field it was posted under.
    let field: String
    /// The bytes; nil when the part went over its field's `maxSize` (the rest was not read).
    let bytes: [UInt8]?
}

/// A file a field holds already, as its page shows it again (so the person does not pick it twice).
struct KeptFile: Sendable {
    let id: String
    let kind: FileKind
    let size: Int
    /// A signed link to the file, for an image's thumbnail.
    let thumbnail: String?
}

extension FormFlow {
    /// The post's files inspected, cleaned and stored, each under its field with the ids the page
    /// kept (only this session's files of that field count). A field holds at most `maxFiles`: new
    /// files replace the oldest kept ones. Returns the values with every file field's ids, and a
    /// problem per field whose new file was refused.
    func receiveFiles(
        _ uploads: [UploadedFile],
        posted: FormValues,
        form: FormDefinition,
        sessionId: SessionID,
        logger: Logger
    ) async throws -> (values: FormValues, problems: [FieldError]) {
        var values = posted
        var problems: [FieldError] = []
        for field in form.fields where field.type == .file {
            var ids = try await keptFiles(posted[field.name], field: field.name, sessionId: sessionId).map(\.id)
            var problem: FieldProblem?
            for upload in uploads where upload.field == field.name {
                switch fileIntake.verdict(on: upload, for: field, form: form.id) {
                case .refused(let refusal):
                    problem = problem ?? refusal
                case .accepted(let cleaned):
                    let stored = try await files.put(
                        cleaned.bytes,
                        mediaType: cleaned.kind.mediaType,
                        sessionId: sessionId.rawValue,
                        formId: form.id,
                        field: field.name,
                        at: now()
                    )
                    ids.append(stored.id)
                }
            }
            if let problem {
                problems.append(FieldError(field: field.name, problem: problem))
                logger.notice("File refused", metadata: ["form": "\(form.id)", "field": "\(field.name)", "file.problem": "\(problem.code)"])
            }
            values[field.name] = Array(ids.suffix(field.maxFiles))
        }
        return (values, problems)
    }

    /// What the pages show of the files `values` hold, per file field.
    func describeFiles(_ values: FormValues, form: FormDefinition, sessionId: SessionID) async -> [String: [KeptFile]] {
        var described: [String: [KeptFile]] = [:]
        for field in form.fields where field.type == .file && !values[field.name].isEmpty {
            let stored = (try? await keptFiles(values[field.name], field: field.name, sessionId: sessionId)) ?? []
            described[field.name] = stored.compactMap { file in
                guard let kind = FileKind(rawValue: file.mediaType) else { return nil }
                return KeptFile(id: file.id, kind: kind, size: file.size, thumbnail: kind.isImage ? fileLinks.link(id: file.id, now: now()) : nil)
            }
        }
        return described
    }

    /// ``describeFiles(_:form:sessionId:)`` for a form with file fields; nothing to look up otherwise.
    func filesShown(_ values: FormValues, form: FormDefinition, sessionId: SessionID) async -> [String: [KeptFile]] {
        form.hasFileFields ? await describeFiles(values, form: form, sessionId: sessionId) : [:]
    }

    /// The values with each file field's ids replaced by signed links: what the Outcome carries.
    func linkingFiles(_ values: FormValues, form: FormDefinition) -> FormValues {
        var linked = values
        for field in form.fields where field.type == .file {
            linked[field.name] = values[field.name].map { fileLinks.link(id: $0, now: now()) }
        }
        return linked
    }

    /// The stored files among `ids` that belong to this session and field, in order.
    private func keptFiles(_ ids: [String], field: String, sessionId: SessionID) async throws -> [StoredFile] {
        var kept: [StoredFile] = []
        for id in ids where !id.isEmpty && !kept.contains(where: { $0.id == id }) {
            if let file = try await files.store.file(id: id), file.sessionId == sessionId.rawValue, file.field == field {
                kept.append(file)
            }
        }
        return kept
    }
}

extension FieldError {
    /// A post's errors in form order, one per field: a refused file's problem before what the
    /// validation says of the same field (usually that it is required).
    static func combining(_ errors: [FieldError], _ fileProblems: [FieldError], in form: FormDefinition) -> [FieldError] {
        guard !fileProblems.isEmpty else { return errors }
        return form.fields.compactMap { field in
            fileProblems.first { $0.field == field.name } ?? errors.first { $0.field == field.name }
        }
    }
}
