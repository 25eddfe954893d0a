import Crypto
public import Foundation

/// A form's version: the first 12 hex digits of the SHA-256 of its file's bytes.
///
/// A content hash, not a counter: every instance that reads the same file names it the same,
/// without talking to the others, and an edit that is undone brings the earlier version back.
/// 48 bits keep versions apart across a form's edits; nothing relies on them being secret.
public enum FormVersion {
    public static func of(_ bytes: Data) -> String {
        SHA256.hash(data: bytes).prefix(6).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether `text` has the shape of a version (what a form token may carry).
    public static func isWellFormed(_ text: Substring) -> Bool {
        text.count == 12 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

extension FormCatalog {
    /// A form read back from the text of its file as an earlier check read it (``FormDefinition/versionSource``),
    /// with the version it had then; `nil` when that text has problems today (a rule added since).
    ///
    /// Only the file's own checks: the ones across files were passed when the version was served.
    public static func form(version: String, source: String, file: String) -> FormDefinition? {
        let (form, problems, _) = FormFileReader.read(yaml: source, file: file)
        guard var form, problems.isEmpty else { return nil }
        form.version = version
        form.versionSource = source
        return form
    }
}
