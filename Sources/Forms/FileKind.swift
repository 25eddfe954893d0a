/// The kinds of file a `file` field can take, by media type. What an upload is comes from its
/// bytes (``FileInspection/detect(_:)``), never from its name or the type the browser declared.
public enum FileKind: String, Sendable, CaseIterable, Codable {
    case jpeg = "image/jpeg"
    case png = "image/png"
    case pdf = "application/pdf"

    /// `image/jpeg`: the `Content-Type` to serve the file with, and how `accept:` names it.
    public var mediaType: String { rawValue }

    /// `jpg`, `png`, `pdf`: for the generated name of a stored file.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .pdf: "pdf"
        }
    }

    /// A photo (JPEG or PNG), as opposed to a document.
    public var isImage: Bool {
        switch self {
        case .jpeg, .png: true
        case .pdf: false
        }
    }

    /// The valid spellings for `accept:`, for "expected one of …" messages.
    static let spellings = allCases.map(\.rawValue).joined(separator: ", ")
}
