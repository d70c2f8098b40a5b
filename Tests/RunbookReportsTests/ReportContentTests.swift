import Foundation
import RunbookCore
import RunbookEngine
import RunbookReports
import RunbookTestSupport
import Testing

/// What the report says: outcome, steps, inputs, tables, what is left, tamper evidence.
@Suite struct ReportContentTests {
  @Test func completedRunHasEveryFact() throws {
    let built = try ReportFixture.completed()
    defer { ReportFixture.remove(built) }
    let report = try built.report()
    #expect(report.outcome == .completed)
    #expect(report.remaining == nil)
    #expect(report.operators == ["alice", "bob"])
    #expect(report.durationMs == 3_710_000)
    #expect(report.runbook.sha256 == built.sha256)
    #expect(report.runbook.found && !report.runbook.changed)
    #expect(report.steps.map(\.status) == ["done", "done", "done", "done"])
    #expect(report.steps[2].by == "bob")
    #expect(report.steps[3].notes == ["Told #reports in chat; Dana confirmed the dashboards load."])
    let values = Dictionary(uniqueKeysWithValues: report.inputs.map { ($0.id, $0.value) })
    #expect(values["db_host"] == "db.internal.example")
    #expect(values["db_password"] == "provided (secret)")
    #expect(values["dsn"] == "postgres://app@db.internal.example:5432/reports")
    #expect(report.tables.count == 1)
    #expect(
      report.tables.first?.rows == [
        ["Host", "db.internal.example"], ["Password", "<db_password>"],
        ["Connection string", "postgres://app@db.internal.example:5432/reports"],
      ])
    #expect(report.tables.first?.location == "Step 2: Enter these values in Settings → Database")
    #expect(report.ran.map(\.result) == ["passed", "passed"])
    #expect(report.integrity.verified)
    #expect(report.integrity.chainHead == Journal.verify(at: built.statePath).chainHead)
    #expect(report.integrity.events == 21)
  }

  @Test func partialRunSaysWhatIsLeftAndHowToResume() throws {
    let built = try ReportFixture.partial()
    defer { ReportFixture.remove(built) }
    let report = try built.report()
    #expect(report.outcome == .failed)
    let left = try #require(report.remaining)
    #expect(left.steps.map(\.number) == ["3", "4"])
    #expect(left.steps.map(\.status) == ["failed", "pending"])
    #expect(left.missingInputs.map(\.id) == ["db_password"])
    #expect(left.failedChecks.count == 1)
    #expect(left.failedChecks.first?.exitStatus == 2)
    #expect(left.resumeCommand == "runbook resume .runbook/reporting-db.state.jsonl")
    #expect(report.steps[1].status == "skipped")
    #expect(report.steps[1].reason == "Settings are managed by Terraform; applied in PR 1234 instead.")
    let failed = try #require(report.ran.last)
    #expect(failed.output.split(separator: "\n").count == Report.outputLines)
    #expect(failed.omittedLines == 10)
    #expect(failed.output.hasSuffix("hint: is port 5432 open from the app servers?"))
    #expect(report.finished == nil)
    #expect(report.durationMs == 120_000)
    let markdown = report.markdown()
    #expect(markdown.contains("## What is left"))
    #expect(markdown.contains("runbook resume .runbook/reporting-db.state.jsonl"))
    #expect(
      markdown.contains("Database password (db\\_password)")
        || markdown.contains("Database password (db_password)"))
  }

  @Test func outcomeComesFromTheEvents() throws {
    func outcome(_ last: EventType?) throws -> RunSummary.Outcome {
      let built = try ReportFixture.build(ReportFixture.database) { rb in
        var events = [
          Event(type: .started, at: ReportFixture.at(0), operator: "alice", host: "h", pid: 1),
          Event(type: .stepStarted, at: ReportFixture.at(1), operator: "alice", step: rb.allSteps[0].id),
        ]
        if let last { events.append(Event(type: last, at: ReportFixture.at(2), operator: "alice")) }
        return events
      }
      defer { ReportFixture.remove(built) }
      return try built.report().outcome
    }
    #expect(try outcome(.paused) == .partial)
    #expect(try outcome(.interrupted) == .interrupted)
    #expect(try outcome(.failed) == .failed)
    #expect(try outcome(.completed) == .completed)
  }

  @Test func journalOnlyReportSaysSo() throws {
    let built = try ReportFixture.partial()
    defer { ReportFixture.remove(built) }
    let report = try built.report(journalOnly: true)
    #expect(report.journalOnly)
    #expect(report.tables.isEmpty)
    #expect(report.steps.map(\.title) == ["", "", "", ""])
    #expect(report.steps.map(\.id) == built.runbook.allSteps.map(\.id))
    #expect(report.markdown().contains("the runbook was not found at guide.md"))
    #expect(report.html().contains("the runbook was not found at"))
  }

  @Test func aChangedRunbookIsNoted() throws {
    let built = try ReportFixture.completed()
    defer { ReportFixture.remove(built) }
    let report = Report(
      statePath: built.displayPath, contents: try built.contents,
      verification: Journal.verify(at: built.statePath),
      runbook: built.runbook, guideSHA256: String(repeating: "0", count: 64))
    #expect(report.runbook.changed)
    #expect(report.markdown().contains("the runbook has changed since the run followed it"))
  }

  @Test func aChainThatDoesNotVerifyIsShown() throws {
    let built = try ReportFixture.completed()
    defer { ReportFixture.remove(built) }
    let report = Report(
      statePath: built.displayPath, contents: try built.contents,
      verification: VerifyResult(
        ok: false, chainHead: nil, events: 6, problem: "line 7 was altered (line 8 records a different hash)"),
      runbook: built.runbook, guideSHA256: built.sha256)
    #expect(!report.integrity.verified)
    #expect(
      report.markdown().contains("**NOT verified**: line 7 was altered (line 8 records a different hash)"))
    #expect(report.html().contains("NOT verified</span> line 7 was altered"))
    let json = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
    let integrity = json?["integrity"] as? [String: Any]
    #expect(integrity?["verified"] as? Bool == false)
    #expect(integrity?["chainHead"] is NSNull)
  }

  @Test func jsonHasTheDocumentedKeys() throws {
    let built = try ReportFixture.partial()
    defer { ReportFixture.remove(built) }
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(try built.report().json().utf8)) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "format", "version", "title", "outcome", "statePath", "runbook", "started", "finished",
        "lastActivity",
        "durationMs", "operators", "progress", "steps", "inputs", "tables", "ran", "notes", "remaining",
        "integrity", "journalOnly", "warnings", "timeline", "exceptions",
      ])
    #expect(object["format"] as? String == "runbook-report")
    #expect(object["version"] as? Int == 1)
    #expect(object["finished"] is NSNull)
    let step = try #require((object["steps"] as? [[String: Any]])?.first)
    #expect(
      Set(step.keys) == ["number", "id", "title", "status", "by", "at", "durationMs", "reason", "notes"])
    let ran = try #require((object["ran"] as? [[String: Any]])?.first)
    #expect(
      Set(ran.keys) == [
        "kind", "step", "command", "exitStatus", "passed", "result", "reason", "durationMs", "output",
        "omittedLines", "by", "at",
      ])
    let remaining = try #require(object["remaining"] as? [String: Any])
    #expect(Set(remaining.keys) == ["steps", "missingInputs", "failedChecks", "resumeCommand"])
  }

  @Test func completionReportsAreWrittenBesideTheState() throws {
    let built = try ReportFixture.completed()
    defer { ReportFixture.remove(built) }
    let paths = try ReportWriter.writeCompletionReports(
      store: FileStore(), run: RunID(built.statePath), runbook: built.runbook, guideSHA256: built.sha256)
    let directory = (built.statePath as NSString).deletingLastPathComponent
    #expect(paths == [directory + "/reporting-db.report.md", directory + "/reporting-db.report.html"])
    let markdown = try String(contentsOfFile: paths[0], encoding: .utf8)
    #expect(markdown.hasPrefix("# Connect the reporting database\n"))
    let html = try String(contentsOfFile: paths[1], encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    // The same reports as the run's whole journal and a separate check of its chain give.
    let report = Report(
      statePath: built.statePath, contents: try Journal.read(at: built.statePath),
      verification: Journal.verify(at: built.statePath), runbook: built.runbook, guideSHA256: built.sha256)
    #expect(markdown == report.markdown())
    #expect(html == report.html())
    #expect(report.render([.html, .json, .markdown]) == [report.html(), report.json(), report.markdown()])
  }

  @Test func completionReportsOfAMissingStateFail() {
    #expect(throws: ReportError.self) {
      try ReportWriter.writeCompletionReports(
        store: FileStore(), run: RunID("/nonexistent/x.state.jsonl"), runbook: nil, guideSHA256: nil)
    }
  }
}
