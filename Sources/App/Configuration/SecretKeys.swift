/// The current secret and the previous ones still accepted (`security.previousSecrets`): new
/// tokens, cookies and boxes use ``current``; checks accept any of them.
///
/// Rotating `security.secret` without logging everyone out: the new value becomes `security.secret`,
/// the old one goes into `security.previousSecrets` for as long as anything made under it should
/// still count (a form token's lifetime, a verification pass's, a draft's retention), then leaves.
/// Never printed: its description says how many secrets there are, not what they are, and the
/// configuration reads them as secrets.
public struct SecretKeys: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Signs and seals everything new.
    public let current: [UInt8]
    /// Still accepted by checks and still open older boxes; never used for anything new.
    public let previous: [[UInt8]]

    public init(current: [UInt8], previous: [[UInt8]] = []) {
        self.current = current
        self.previous = previous
    }

    /// Every accepted secret, the current one first (checks try them in this order).
    var all: [[UInt8]] { [current] + previous }

    public var description: String { "SecretKeys(current: <redacted>, previous: \(previous.count) <redacted>)" }
    public var debugDescription: String { description }
    /// `dump` and the debugger show the description only.
    public var customMirror: Mirror { Mirror(self, children: [:], displayStyle: .struct) }
}
