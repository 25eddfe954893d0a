import AlvariaModels
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import App

/// Where people give up, through the app's router: scripted sessions, then the funnel's marks
/// (people, each mark once), its counters in `/metrics` (every time), and the report.
@Suite("The funnel")
struct FunnelTests {
    static func count(_ counts: [FunnelCount], _ stage: FunnelMark.Stage, step: String = "", field: String = "", problem: String = "") -> Int {
        counts.first { $0.stage == stage && $0.step == step && $0.field == field && $0.problem == problem }?.sessions ?? 0
    }

    @Test("scripted sessions on a multi-step form: opened, each step, the review, submitted, declined, expired, and validation problems by field")
    func multiStep() async throws {
        try await RouterTestApp.run { app in
            let version = try #require(app.forms.current.catalog["claim-report"]?.version)
            // Ada sends it; she opens the link twice and meets a problem on the first step.
            let (ada, visitor) = try await MultiStepFormTests.throughDetails(app)
            _ = try await visitor.get(MultiStepFormTests.uri(ada))
            try await visitor.next(MultiStepFormTests.contact)
            #expect(try await visitor.post("submit", []).status == .seeOther)
            // Ben gives up on the first step, twice told the date is missing.
            let ben = try await app.simulator.createDialog(MultiStepFormTests.context)
            let bensVisit = StepVisitor(app, formURI: MultiStepFormTests.uri(ben))
            _ = try await bensVisit.get()
            for _ in 0..<2 { #expect(try await bensVisit.post("next", [("claimType", "theft")]).status == .unprocessableContent) }
            // Cy reaches the review and declines.
            let (_, cysVisit) = try await MultiStepFormTests.throughDetails(app)
            try await cysVisit.next(MultiStepFormTests.contact)
            #expect(try await cysVisit.post("decline", []).status == .seeOther)
            // Dee's dialog ends before she opens the link.
            let dee = try await app.simulator.createDialog(MultiStepFormTests.context)
            app.contexts.remove(dee)
            #expect(try await app.get(MultiStepFormTests.uri(dee)).status == .gone)

            await app.funnel.flush()
            let counts = try await app.funnelStore.counts(since: .distantPast)
            #expect(Set(counts.map(\.formVersion)) == [version])
            #expect(Self.count(counts, .opened) == 3, "Dee's link never showed the form")
            #expect(Self.count(counts, .step, step: "incident") == 3)
            #expect(Self.count(counts, .step, step: "details") == 2)
            #expect(Self.count(counts, .step, step: "contact") == 2)
            #expect(Self.count(counts, .review) == 2)
            #expect(Self.count(counts, .submitted) == 1)
            #expect(Self.count(counts, .declined) == 1)
            #expect(Self.count(counts, .expired) == 1)
            #expect(Self.count(counts, .invalid, field: "incidentDate", problem: "required") == 1, "Ben, once however often")
            #expect(Self.count(counts, .invalid, field: "description", problem: "required") == 1)
            // No value anyone typed or the context held is in a mark.
            for mark in app.funnelStore.all {
                for value in ["Ada", "theft", "Bike", "12 Quay Street", "PR-5521", "QX4418207", "ada.new@example.test"] {
                    #expect(![mark.sessionId, mark.formId, mark.formVersion, mark.step, mark.field, mark.problem].contains { $0.contains(value) })
                }
            }

            let metrics = try PrometheusText(try await app.get("/metrics").text)
            let labels = { (stage: String, step: String) in ["form": "claim-report", "version": version, "stage": stage, "step": step] }
            #expect(metrics.value("form_funnel_total", labels("opened", "")) == 4, "every opening: Ada twice")
            #expect(metrics.value("form_funnel_total", labels("submitted", "")) == 1)
            #expect(metrics.value("form_funnel_total", labels("expired", "")) == 1)
            #expect(
                metrics.value(
                    "form_validation_errors_total",
                    ["form": "claim-report", "version": version, "field": "incidentDate", "problem": "required"]
                ) == 2,
                "every page that showed it"
            )
        }
    }

    @Test("verification: passed and locked are marked, and the report reads them in funnel order")
    func verification() async throws {
        try await RouterTestApp.run { app in
            let passed = try await app.simulator.createDialog(VerificationTests.context)
            #expect(try await VerificationTests.answer(app, passed, VerificationTests.right).status == .seeOther)
            let locked = try await app.simulator.createDialog(VerificationTests.context)
            for _ in 0..<3 { _ = try await VerificationTests.answer(app, locked, VerificationTests.wrong) }

            await app.funnel.flush()
            let counts = try await app.funnelStore.counts(since: .distantPast)
            #expect(Self.count(counts, .opened) == 2)
            #expect(Self.count(counts, .verified) == 1)
            #expect(Self.count(counts, .locked) == 1)
            let report = FunnelReport.text(counts, since: TestDateClock.start, forms: app.forms.current.catalog)
            let lines = report.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let stages = lines.compactMap { line in ["opened", "verified", "submitted", "locked"].first { line.hasPrefix($0 + " ") } }
            #expect(stages == ["opened", "verified", "submitted", "locked"], "\(report)")
            #expect(lines.contains { $0.hasPrefix("verified") && $0.hasSuffix("50%") })
        }
    }
}
