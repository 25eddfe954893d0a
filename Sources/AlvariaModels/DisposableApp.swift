/// The Disposable App resources of Alvaria's CX API v2.0.0, as the vendor reference spells them.
///
/// Both the client and the simulator encode and decode these, so the two cannot drift apart;
/// the test fixtures copied from the reference keep them from being wrong together.

/// `GET …/disposableApp/context?sessionId=S` answers this.
public struct DisposableAppContext: Codable, Sendable, Equatable {
    /// Always ``DisposableAppContext/kindValue`` on the wire.
    public var kind: String
    /// Whatever the CX script put in the context: often JSON, sometimes plain text.
    public var content: String

    public static let kindValue = "cxp#disposableAppContext"

    public init(content: String) {
        self.kind = Self.kindValue
        self.content = content
    }
}

/// One Outcome variable: `id` is a CX script variable's reference id (or creates a session
/// variable of that name); values are always strings.
public struct OutcomeVariable: Codable, Sendable, Hashable {
    public var id: String
    public var value: String

    public init(id: String, value: String) {
        self.id = id
        self.value = value
    }
}

/// `POST …/disposableApp/outcome?sessionId=S` sends this and gets `204` back.
public struct DisposableAppOutcome: Codable, Sendable, Equatable {
    /// Always ``DisposableAppOutcome/kindValue`` on the wire.
    public var kind: String
    public var variables: [OutcomeVariable]

    public static let kindValue = "cxp#disposableAppOutcome"

    public init(variables: [OutcomeVariable]) {
        self.kind = Self.kindValue
        self.variables = variables
    }
}
