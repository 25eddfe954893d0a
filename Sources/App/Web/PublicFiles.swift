import Foundation
import Hummingbird
import Logging
import NIOPosix

/// `Public/` as the static routes serve it: regular files inside the folder, and nothing else.
///
/// Hummingbird's `LocalFileSystem` follows symbolic links wherever they point, and answers a
/// folder with a redirect built from the request's path, so `/static//css` sent browsers to
/// `//css/`, another host. Here a path whose real location is outside the folder, and any folder,
/// is simply not found.
struct PublicFiles: FileProvider {
    typealias FileAttributes = LocalFileSystem.FileAttributes
    typealias FileIdentifier = String

    private let files: LocalFileSystem
    /// The folder with every symbolic link resolved, ending in `/`.
    private let root: String

    init(directory: String, logger: Logger) {
        files = LocalFileSystem(rootFolder: directory, threadPool: .singleton, logger: logger)
        // realpath drops a trailing slash: add it to the resolved path, or `Public` would also
        // admit a sibling such as `PublicX`.
        let resolved = Self.realPath(directory) ?? directory
        root = resolved.hasSuffix("/") ? resolved : resolved + "/"
    }

    func getFileIdentifier(_ path: String) -> String? {
        guard !path.contains("\0"), let candidate = files.getFileIdentifier(path) else { return nil }
        // A file that does not exist is not found by getAttributes; one that exists must really be inside.
        guard let real = Self.realPath(candidate) else { return candidate }
        return real.hasPrefix(root) ? real : nil
    }

    func getAttributes(id: String) async throws -> FileAttributes? {
        guard let attributes = try await files.getAttributes(id: id), !attributes.isFolder else { return nil }
        return attributes
    }

    func loadFile(id: String, context: some RequestContext) async throws -> ResponseBody {
        try await files.loadFile(id: id, context: context)
    }

    func loadFile(id: String, range: ClosedRange<Int>, context: some RequestContext) async throws -> ResponseBody {
        try await files.loadFile(id: id, range: range, context: context)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// A NUL in a request's path (`/static/js/form.js%00.html`) is 400: no file or route has one, and
/// the file system would read the name only up to it.
struct NULPathMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.holdsNUL(request.uri.path.utf8) { throw HTTPError(.badRequest) }
        return try await next(request, context)
    }

    /// A raw NUL or `%00`, scanned as bytes: every request passes here, and the Foundation
    /// search this replaced showed in the profile.
    static func holdsNUL(_ path: String.UTF8View) -> Bool {
        var lastTwo: (UInt8, UInt8) = (0, 0)
        for byte in path {
            if byte == 0 || (byte == UInt8(ascii: "0") && lastTwo == (UInt8(ascii: "%"), UInt8(ascii: "0"))) { return true }
            lastTwo = (lastTwo.1, byte)
        }
        return false
    }
}
