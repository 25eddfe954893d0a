/// The body of Alvaria's 4xx/5xx answers (`ErrorResponse` in the vendor reference).
public struct ErrorResponse: Codable, Sendable, Equatable, Error {
    /// One reason behind the error.
    public struct Detail: Codable, Sendable, Equatable {
        public var scope: String?
        public var reason: String?
        public var message: String?

        public init(scope: String?, reason: String?, message: String?) {
            self.scope = scope
            self.reason = reason
            self.message = message
        }
    }

    public var code: Int
    public var message: String
    public var errors: [Detail]?

    public init(code: Int, message: String, errors: [Detail]? = nil) {
        self.code = code
        self.message = message
        self.errors = errors
    }
}
