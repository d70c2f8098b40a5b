import Foundation
import RunbookCore
import RunbookEngine
import RunbookTestSupport
import Testing

/// `runbook report` and `runbook verify`, run as the built binary.
@Suite struct ReportCommandTests {
  static let guide = """
    ---
    title: Rotate the signing key
    id: rotate-key
    inputs:
      key_name: {label: Key name}
      passphrase: {label: Passphrase, secret: true}
    ---

    ## Rotate

    1. Create the key:

       ```sh {check}
       keytool -create <key_name>
       ```

    2. Enter the key in the console:

       | Setting | Value |
       |---|---|
       | Key | `<key_name>` |

    3. Tell the team.

    """

  static let start = JournalDateFormat.parse("2026-11-28T09:00:00.000Z")!

  /// A directory holding `guide.md` and `.runbook/rotate-key.state.jsonl`: step 1 done,
  /// then paused.
  static func partialRun() throws -> URL {
    let directory = Paths.temporaryDirectory("report-cli")
    try guide.write(to: directory.appendingPathComponent("guide.md"), atomically: true, encoding: .utf8)
    let runbook = RunbookCompiler().compile(guide, file: "guide.md")
    let header = JournalHeader(
      runbook: .init(
        path: "guide.md", id: runbook.id, title: runbook.title, sha256: StepFingerprint.sha256(guide)),
      steps: runbook.allSteps.map { .init(id: $0.id, fingerprint: StepFingerprint.of($0)) }, created: start,
      operator: "alice")
    let journal = try Journal.create(
      at: directory.appendingPathComponent(".runbook/rotate-key.state.jsonl").path, header: header,
      lock: LockInfo(operator: "alice", pid: 1, host: "ops", since: start))
    let step1 = runbook.allSteps[0].id
    let events = [
      Event(type: .started, at: start, operator: "alice", host: "ops", pid: 1),
      Event(type: .stepStarted, at: start + 1, operator: "alice", step: step1),
      Event(
        type: .input, at: start + 2, operator: "alice", step: step1, input: "key_name", value: "signing-2026"),
      Event(
        type: .check, at: start + 3, operator: "alice", step: step1, index: 0,
        text: "keytool -create 'signing-2026'",
        status: 0, passed: true, output: "created signing-2026\n", durationMs: 300),
      Event(type: .stepDone, at: start + 4, operator: "alice", step: step1),
      Event(type: .stepStarted, at: start + 4, operator: "alice", step: runbook.allSteps[1].id),
      Event(type: .paused, at: start + 5, operator: "alice"),
    ]
    for event in events { try journal.append(event) }
    journal.close()
    return directory
  }

  static let state = ".runbook/rotate-key.state.jsonl"

  @Test func reportOfAPartialRunIsAHandoff() throws {
    let directory = try Self.partialRun()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try RunbookProcess.run(["report", Self.state], directory: directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    #expect(result.stdout.hasPrefix("# Rotate the signing key\n"))
    #expect(result.stdout.contains("**Outcome: partial**"))
    #expect(result.stdout.contains("## What is left"))
    #expect(result.stdout.contains("- Passphrase (passphrase)"))
    #expect(result.stdout.contains("runbook resume .runbook/rotate-key.state.jsonl"))
    #expect(result.stdout.contains("| Key | signing-2026 |"))
  }

  @Test func theOnlyStateUnderDotRunbookIsTheDefault() throws {
    let directory = try Self.partialRun()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try RunbookProcess.run(["report"], directory: directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("runbook resume .runbook/rotate-key.state.jsonl"))

    try FileManager.default.copyItem(
      at: directory.appendingPathComponent(Self.state),
      to: directory.appendingPathComponent(".runbook/copy.state.jsonl"))
    let several = try RunbookProcess.run(["report"], directory: directory)
    #expect(several.status == 2)
    #expect(
      several.stderr
        == "runbook: 2 state files under .runbook/: .runbook/copy.state.jsonl, .runbook/rotate-key.state.jsonl; name one\n"
    )
  }

  @Test func noStateAnywhereIsAnError() throws {
    let directory = Paths.temporaryDirectory("report-cli")
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try RunbookProcess.run(["report"], directory: directory)
    #expect(result.status == 2)
    #expect(
      result.stderr == "runbook: no state file (*.state.jsonl) under .runbook/; give the state file's path\n")
  }

  @Test func missingStateIsOneLineAndStatus2() throws {
    let directory = Paths.temporaryDirectory("report-cli")
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try RunbookProcess.run(["report", "nope.state.jsonl"], directory: directory)
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("runbook: nope.state.jsonl does not exist"))
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test func jsonParses() throws {
    let directory = try Self.partialRun()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try RunbookProcess.run(["report", Self.state, "--format", "json"], directory: directory)
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["outcome"] as? String == "partial")
    #expect(object["version"] as? Int == 1)
    #expect(
      (object["remaining"] as? [String: Any])?["resumeCommand"] as? String == "runbook resume \(Self.state)")
  }

  @Test func outputFileIsWritten() throws {
    let directory = try Self.partialRun()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try RunbookProcess.run(
      ["report", Self.state, "--format", "html", "-o", "out/report.html"], directory: directory)
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("runbook: cannot write out/report.html"))
    let ok = try RunbookProcess.run(
      ["report", Self.state, "--format", "html", "-o", "report.html"], directory: directory)
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(ok.stdout.isEmpty)
    let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<h1>Rotate the signing key</h1>"))
  }

  @Test func templateRendersTheTitle() throws {
    let directory = try Self.partialRun()
    defer { try? FileManager.default.removeItem(at: directory) }
    try "Report: {{title}} ({{outcome}}){{#steps}} {{label}}={{status}}{{/steps}}\n".write(
      to: directory.appendingPathComponent("brand.mustache"), atomically: true, encoding: .utf8)
    let result = try RunbookProcess.run(
      ["report", Self.state, "--template", "brand.mustache"], directory: directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "Report: Rotate the signing key (partial) 1=done 2=pending 3=pending\n")

    try "{{#steps}}".write(
      to: directory.appendingPathComponent("bad.mustache"), atomically: true, encoding: .utf8)
    let bad = try RunbookProcess.run(
      ["report", Self.state, "--template", "bad.mustache"], directory: directory)
    #expect(bad.status == 2)
    #expect(bad.stderr.hasPrefix("runbook: bad.mustache: line 1, column"))

    let both = try RunbookProcess.run(
      ["report", Self.state, "--template", "brand.mustache", "--format", "html"], directory: directory)
    #expect(both.status == 2)
  }

  @Test func withoutTheRunbookTheReportSaysSo() throws {
    let directory = try Self.partialRun()
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.moveItem(
      at: directory.appendingPathComponent("guide.md"), to: directory.appendingPathComponent("moved.md"))
    let alone = try RunbookProcess.run(["report", Self.state], directory: directory)
    #expect(alone.status == 0, "\(alone.stderr)")
    #expect(alone.stdout.contains("the runbook was not found at guide.md"))
    let found = try RunbookProcess.run(["report", Self.state, "--runbook", "moved.md"], directory: directory)
    #expect(found.status == 0, "\(found.stderr)")
    #expect(!found.stdout.contains("was not found"))
    #expect(found.stdout.contains("| Key | signing-2026 |"))
    let missing = try RunbookProcess.run(
      ["report", Self.state, "--runbook", "gone.md"], directory: directory)
    #expect(missing.status == 2)
    #expect(missing.stderr == "runbook: gone.md: no such file; check the path\n")
    try "# Another guide\n\n1. Do it.\n".write(
      to: directory.appendingPathComponent("other.md"), atomically: true, encoding: .utf8)
    let other = try RunbookProcess.run(["report", Self.state, "--runbook", "other.md"], directory: directory)
    #expect(other.status == 2)
    #expect(
      other.stderr.hasPrefix(
        "runbook: other.md is the runbook other, but the state records a run of rotate-key"))
  }

  @Test func verifyPassesACleanJournal() throws {
    let directory = try Self.partialRun()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try RunbookProcess.run(["verify", Self.state], directory: directory)
    #expect(result.status == 0)
    let head = try #require(Journal.verify(at: directory.appendingPathComponent(Self.state).path).chainHead)
    #expect(result.stdout == "\(Self.state): ok, 7 events, chain head \(head)\n")
  }

  @Test func verifyNamesTheEditedLine() throws {
    let directory = try Self.partialRun()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent(Self.state).path
    var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
    // Line 4 is the input event: change one character of its value.
    #expect(lines[3].contains("signing-2026"))
    lines[3] = lines[3].replacingOccurrences(of: "signing-2026", with: "signing-2027")
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    let result = try RunbookProcess.run(["verify", Self.state], directory: directory)
    #expect(result.status == 1)
    #expect(result.stdout == "\(Self.state): line 4 was altered (line 5 records a different hash)\n")
  }

  @Test func verifyOfAMissingFileIsAnIOError() throws {
    let directory = Paths.temporaryDirectory("report-cli")
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try RunbookProcess.run(["verify", "missing.state.jsonl"], directory: directory)
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("runbook: missing.state.jsonl does not exist"))
    try "not a journal\n".write(
      to: directory.appendingPathComponent("x.jsonl"), atomically: true, encoding: .utf8)
    let other = try RunbookProcess.run(["verify", "x.jsonl"], directory: directory)
    #expect(other.status == 2)
    #expect(other.stderr == "runbook: x.jsonl is not a runbook state file\n")
  }
}

/// `runbook verify --chain-head`: the last line, checked against a chain head kept elsewhere.
extension ReportCommandTests {
  @Test func aRecordedChainHeadVouchesForTheLastLine() throws {
    let directory = try Self.partialRun()
    defer { try? FileManager.default.removeItem(at: directory) }
    let state = Self.state
    let path = directory.appendingPathComponent(state).path
    let head = try #require(Journal.verify(at: path).chainHead)
    let same = try RunbookProcess.run(
      ["verify", state, "--chain-head", head.uppercased()], directory: directory)
    #expect(same.status == 0)
    #expect(same.stdout == "\(state): ok, 7 events, chain head \(head) (the recorded one)\n")

    // Edit the last line: the chain still verifies, but the recorded head no longer matches.
    var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
    let last = lines.count - 2
    lines[last] = lines[last].replacingOccurrences(of: "\"alice\"", with: "\"mallory\"")
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    let plain = try RunbookProcess.run(["verify", state], directory: directory)
    #expect(plain.status == 0)
    let edited = try RunbookProcess.run(["verify", state, "--chain-head", head], directory: directory)
    #expect(edited.status == 1)
    #expect(edited.stdout.hasPrefix("\(state): the recorded chain head \(head) matches no line"))
  }

  @Test func eventsAppendedAfterTheRecordedHeadAreFine() throws {
    let directory = try Self.partialRun()
    defer { try? FileManager.default.removeItem(at: directory) }
    let state = Self.state
    let path = directory.appendingPathComponent(state).path
    let head = try #require(Journal.verify(at: path).chainHead)
    let journal = try Journal.open(
      at: path, lock: LockInfo(operator: "bob", pid: 2, host: "ops", since: Self.start))
    try journal.append(
      Event(type: .resumed, at: Self.start + 60, operator: "bob", host: "ops", pid: 2))
    journal.close()
    let result = try RunbookProcess.run(["verify", state, "--chain-head", head], directory: directory)
    #expect(result.status == 0)
    #expect(result.stdout.hasSuffix("the recorded chain head is line 8, and 1 event was appended after it\n"))
    let bad = try RunbookProcess.run(["verify", state, "--chain-head", "xyz"], directory: directory)
    #expect(bad.status == 2)
  }
}
