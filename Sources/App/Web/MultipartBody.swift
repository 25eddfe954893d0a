import Forms
import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A `multipart/form-data` post: its text values in order, and its files.
struct MultipartForm: Sendable {
    var values: [(String, String)] = []
    var files: [UploadedFile] = []
}

/// Reads `multipart/form-data` as it arrives, with vapor/multipart-kit's streaming parser, and
/// enforces every limit while reading: the whole post, each file (its field's `maxSize`), the
/// text values together, the number of parts and of headers. Nothing is buffered past a limit.
struct MultipartBody {
    struct Limits: Sendable {
        /// `http.maxUploadSize`: the whole post.
        var total: Int
        /// `http.maxBodySize`: every text value together, as for a urlencoded post.
        var text: Int
        var parts: Int
        var headersPerPart = 8
        /// Field name -> its `maxSize`, for the form's file fields; a file posted under any other name is refused.
        var fileSizes: [String: Int]

        /// As many parts as the form's page can send, and a few more: one per field (one per
        /// option of a group), two per file a file field takes (new and kept), the hidden fields.
        static func parts(for form: FormDefinition) -> Int {
            form.fields.reduce(16) { count, field in
                count + max(1, field.options.count) + (field.type == .file ? 2 * field.maxFiles : 0)
            }
        }
    }

    enum Failure: Error, Equatable {
        /// Not multipart as a browser sends it: no boundary, bad syntax, cut short, not UTF-8, a file where no file field is.
        case malformed
        /// Over `total` or `text`, or too many parts or headers.
        case tooLarge
    }

    /// The boundary of a `multipart/form-data` content type; nil for anything else.
    static func boundary(of contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parts.dropFirst() {
            guard let equals = parameter.firstIndex(of: "="),
                parameter[..<equals].trimmingCharacters(in: .whitespaces).lowercased() == "boundary"
            else { continue }
            var value = parameter[parameter.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            // RFC 2046: 1 to 70 characters.
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    static func read(_ body: RequestBody, boundary: String, limits: Limits) async throws(Failure) -> MultipartForm {
        let parser = MultipartParser(boundary: boundary)
        let collector = Collector(limits: limits)
        parser.onHeader = { name, value in collector.header(name, value) }
        parser.onBody = { buffer in collector.body(&buffer) }
        parser.onPartComplete = { collector.complete() }
        let closing = Array("--\(boundary)--".utf8)
        var total = 0
        var tail: [UInt8] = []
        do {
            for try await chunk in body {
                total += chunk.readableBytes
                guard total <= limits.total else { throw Failure.tooLarge }
                try parser.execute(chunk)
                if let failure = collector.failure { throw failure }
                tail.append(contentsOf: chunk.readableBytesView.suffix(closing.count + 4))
                tail.removeFirst(max(0, tail.count - closing.count - 4))
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .malformed
        }
        // Cut short (a closed connection, a truncated upload): the closing boundary never came.
        let end = tail.lastIndex { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }.map { tail[...$0] } ?? []
        guard end.count >= closing.count, end.suffix(closing.count).elementsEqual(closing), collector.isBetweenParts else {
            throw .malformed
        }
        return collector.form
    }

    /// The parser's callbacks: the part being read and what the post held so far.
    private final class Collector {
        let limits: Limits
        var form = MultipartForm()
        var failure: Failure?
        private var headers = 0
        private var name: String?
        private var isFile = false
        private var bytes: [UInt8] = []
        private var overLimit = false
        private var textBytes = 0
        private var parts = 0
        /// True once the last part is complete (or before the first one starts).
        private(set) var isBetweenParts = true

        init(limits: Limits) {
            self.limits = limits
        }

        func header(_ field: String, _ value: String) {
            isBetweenParts = false
            headers += 1
            guard failure == nil, headers <= limits.headersPerPart else { return fail(.tooLarge) }
            guard field.lowercased() == "content-disposition" else { return }
            let disposition = ContentDisposition(value)
            guard disposition.isFormData, let fieldName = disposition.name else { return fail(.malformed) }
            name = fieldName
            isFile = disposition.filename != nil
            if isFile, limits.fileSizes[fieldName] == nil { fail(.malformed) }
        }

        func body(_ buffer: inout ByteBuffer) {
            isBetweenParts = false
            guard failure == nil, !overLimit else { return }
            if isFile, let name, let maximum = limits.fileSizes[name] {
                if bytes.count + buffer.readableBytes > maximum {
                    overLimit = true
                    bytes = []
                    return
                }
            } else {
                textBytes += buffer.readableBytes
                guard textBytes <= limits.text else { return fail(.tooLarge) }
            }
            bytes.append(contentsOf: buffer.readableBytesView)
        }

        func complete() {
            defer {
                headers = 0
                name = nil
                isFile = false
                bytes = []
                overLimit = false
                isBetweenParts = true
            }
            guard failure == nil else { return }
            parts += 1
            guard parts <= limits.parts else { return fail(.tooLarge) }
            guard let name else { return fail(.malformed) }
            if isFile {
                // "No file chosen": browsers send an empty part with an empty file name.
                if bytes.isEmpty, !overLimit { return }
                form.files.append(UploadedFile(field: name, bytes: overLimit ? nil : bytes))
            } else {
                guard let text = String(validating: bytes, as: UTF8.self) else { return fail(.malformed) }
                form.values.append((name, text))
            }
        }

        private func fail(_ reason: Failure) {
            if failure == nil { failure = reason }
        }
    }
}

/// `Content-Disposition: form-data; name="photo"; filename="IMG_0001.jpg"`, as RFC 7578 has
/// browsers send it: parameters with quoted (backslash-escaped) or bare values.
struct ContentDisposition {
    var isFormData = false
    var name: String?
    var filename: String?

    init(_ header: String) {
        var rest = Substring(header)
        let type = rest.prefix { $0 != ";" }
        isFormData = type.trimmingCharacters(in: .whitespaces).lowercased() == "form-data"
        rest = rest.dropFirst(type.count)
        while rest.first == ";" {
            rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
            let key = rest.prefix { $0 != "=" && $0 != ";" }
            rest = rest.dropFirst(key.count)
            var value = ""
            if rest.first == "=" {
                rest = rest.dropFirst()
                if rest.first == "\"" {
                    rest = rest.dropFirst()
                    while let character = rest.first, character != "\"" {
                        rest = rest.dropFirst()
                        if character == "\\", let escaped = rest.first {
                            value.append(escaped)
                            rest = rest.dropFirst()
                        } else {
                            value.append(character)
                        }
                    }
                    rest = rest.dropFirst()
                    rest = rest.drop { $0 != ";" }
                } else {
                    let bare = rest.prefix { $0 != ";" }
                    value = bare.trimmingCharacters(in: .whitespaces)
                    rest = rest.dropFirst(bare.count)
                }
            }
            switch key.trimmingCharacters(in: .whitespaces).lowercased() {
            case "name": name = value
            case "filename": filename = value
            default: break
            }
        }
    }
}
