import Foundation
import RunbookReports
import RunbookTestSupport
import Testing

/// Every format of three fixed runs against files in Golden/ (RUNBOOK_RECORD=1 re-records).
@Suite struct ReportGoldenTests {
  static let golden = Paths.packageRoot.appendingPathComponent("Tests/RunbookReportsTests/Golden")

  func compare(_ report: Report, _ name: String) {
    for format in ReportFormat.allCases {
      let path = Self.golden.appendingPathComponent("\(name).\(format.fileExtension)").path
      if let diff = Golden.mismatch(report.render(format), file: path) { Issue.record("\(diff)") }
    }
  }

  @Test func completedRun() throws {
    let built = try ReportFixture.completed()
    defer { ReportFixture.remove(built) }
    compare(try built.report(), "completed")
  }

  @Test func partialRun() throws {
    let built = try ReportFixture.partial()
    defer { ReportFixture.remove(built) }
    compare(try built.report(), "partial")
  }

  @Test func hostileRun() throws {
    let built = try ReportFixture.hostileRun()
    defer { ReportFixture.remove(built) }
    compare(try built.report(), "hostile")
  }

  @Test func partialRunFromTheJournalAlone() throws {
    let built = try ReportFixture.partial()
    defer { ReportFixture.remove(built) }
    let path = Self.golden.appendingPathComponent("journal-only.md").path
    if let diff = Golden.mismatch(try built.report(journalOnly: true).markdown(), file: path) {
      Issue.record("\(diff)")
    }
  }
}
