import Foundation
import RunbookEngine
import RunbookPostgres
import RunbookReports
import RunbookTestSupport
import Testing

/// Every journal fixture of the report tests, imported into PostgreSQL and exported again: the
/// bytes come back unchanged, `verify` agrees on both sides, and the reports built from either
/// store are the same text.
@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.skipReason)))
struct StoreRoundTripTests {
  static let fixtures: [(String, @Sendable () throws -> ReportFixture.Built)] = [
    ("completed", ReportFixture.completed), ("partial", ReportFixture.partial),
    ("hostile", ReportFixture.hostileRun), ("token", { try ReportFixture.tokenRun(leak: false) }),
    ("leaked token", { try ReportFixture.tokenRun(leak: true) }),
  ]

  func store() throws -> PostgresStore {
    let cluster = try #require(PostgresCluster.shared, "the scratch PostgreSQL cluster did not start")
    let url = cluster.url(try cluster.createDatabase("roundtrip"))
    return try PostgresStore(location: PostgresLocation(url: url, environment: [:], loginName: "postgres"))
  }

  @Test func everyFixtureRoundTripsByteForByte() throws {
    let store = try store()
    for (name, make) in Self.fixtures {
      let built = try make()
      defer { ReportFixture.remove(built) }
      let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: built.statePath)))
      let imported = try store.importJournal(bytes, from: built.statePath)
      #expect(imported.warnings.isEmpty, "\(name)")
      let exported = try store.exportJournal(imported.run)
      #expect(exported == bytes, "\(name): export differs from the file")

      let inFile = Journal.verify(at: built.statePath)
      let inDatabase = store.verify(imported.run)
      #expect(inFile.ok && inDatabase.ok, "\(name)")
      #expect(inFile.chainHead == inDatabase.chainHead, "\(name)")
      #expect(inFile.events == inDatabase.events, "\(name)")

      // Written back to a file, it verifies and reads the same.
      let copy = built.directory.appendingPathComponent("exported.state.jsonl").path
      try Data(exported).write(to: URL(fileURLWithPath: copy))
      #expect(Journal.verify(at: copy) == inFile, "\(name)")

      // The report cannot tell the stores apart.
      let fromFile = try built.report()
      let fromDatabase = Report(
        statePath: built.displayPath, contents: try store.read(imported.run),
        verification: store.verify(imported.run), runbook: built.runbook, guideSHA256: built.sha256)
      for format in [ReportFormat.markdown, .html, .json] {
        #expect(fromDatabase.render(format) == fromFile.render(format), "\(name) \(format)")
      }
      // A second import of the same journal is refused, naming the run it already is.
      #expect {
        try store.importJournal(bytes, from: built.statePath)
      } throws: { error in
        "\(error)".contains("is already in") && "\(error)".contains(imported.run.rawValue)
      }
    }
  }

  @Test func aTornLastLineIsLeftOutWithAWarning() throws {
    let store = try store()
    let built = try ReportFixture.partial()
    defer { ReportFixture.remove(built) }
    let whole = Array(try Data(contentsOf: URL(fileURLWithPath: built.statePath)))
    let torn = whole + Array(#"{"at":"2026-11-28T09:05:00.000Z","operat"#.utf8)
    let imported = try store.importJournal(torn, from: "torn.state.jsonl")
    #expect(imported.warnings.count == 1)
    #expect(imported.warnings.first?.contains("is incomplete") == true)
    #expect(try store.exportJournal(imported.run) == whole)
  }
}
