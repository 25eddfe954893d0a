import Testing

@testable import App

@Suite("The request log line")
struct RequestLogTests {
    @Test("durations are milliseconds with one decimal, rounded")
    func durationFormat() {
        #expect(RequestLogMiddleware<AppRequestContext>.milliseconds(.zero) == "0.0")
        #expect(RequestLogMiddleware<AppRequestContext>.milliseconds(.microseconds(40)) == "0.0")
        #expect(RequestLogMiddleware<AppRequestContext>.milliseconds(.microseconds(50)) == "0.1")
        #expect(RequestLogMiddleware<AppRequestContext>.milliseconds(.microseconds(12_345)) == "12.3")
        #expect(RequestLogMiddleware<AppRequestContext>.milliseconds(.microseconds(12_355)) == "12.4")
        #expect(RequestLogMiddleware<AppRequestContext>.milliseconds(.milliseconds(999_999)) == "999999.0")
        #expect(RequestLogMiddleware<AppRequestContext>.milliseconds(.seconds(2) + .microseconds(960)) == "2001.0")
    }
}
