import Foundation
import RunbookCore
import RunbookEngine
import Testing

/// A process runner that answers from a script instead of running anything.
final class ScriptedRunner: ProcessRunner, @unchecked Sendable {
  private let lock = NSLock()
  private var results: [ProcessResult]
  private(set) var requests: [ProcessRequest] = []

  init(_ results: [ProcessResult]) { self.results = results }

  func run(_ request: ProcessRequest, output: @escaping @Sendable (String) -> Void) -> ProcessResult {
    let result = lock.withLock {
      requests.append(request)
      return results.isEmpty ? ProcessResult(status: 0) : results.removeFirst()
    }
    output(result.outputTail)
    return result
  }
}

let sessionGuide = """
  ---
  title: Session demo
  inputs:
    region: {label: Region, pattern: '[a-z]{2}-[a-z]+-\\d', message: Use a code like us-east-1}
    token: {label: Token, secret: true}
    url: {value: 'https://<region>.example.com'}
  ---
  ## Before you begin

  :::info
  Have an account.
  :::

  ## Go

  1. Choose `<region>`.
  2. Enter:

     | Field | Value |
     |---|---|
     | URL | `<url>` |
     | Region | `<region>` |

  3. Deploy:

     ```sh {run}
     deploy --region <region>
     ```

  4. Verify:

     ```sh {check}
     curl -H "Authorization: $RUNBOOK_INPUT_TOKEN" <url>/health
     ```
  """

func compileGuide(_ text: String = sessionGuide) -> Runbook {
  RunbookCompiler().compile(text, file: "demo.md")
}

func header(for runbook: Runbook) -> JournalHeader {
  JournalHeader(
    runbook: .init(path: "demo.md", id: runbook.id, title: runbook.title, sha256: "sha-1"),
    steps: runbook.allSteps.map { .init(id: $0.id, fingerprint: StepFingerprint.of($0)) },
    created: Date(timeIntervalSince1970: 1_800_000_000), operator: "alice@a")
}

@Suite struct SessionTests {
  func session(
    _ runbook: Runbook = compileGuide(), log: MemoryJournal? = nil,
    runner: ScriptedRunner = ScriptedRunner([]),
    operator name: String = "alice@a"
  ) -> (Session, MemoryJournal) {
    let log = log ?? MemoryJournal(header: header(for: runbook))
    return (Session(runbook: runbook, log: log, operator: name, clock: FakeClock(), runner: runner), log)
  }

  @Test func aWholeRunRecordsEveryAnswerInOrder() throws {
    let runner = ScriptedRunner([
      ProcessResult(status: 0, outputTail: "deployed\n"), ProcessResult(status: 0, outputTail: "ok\n"),
    ])
    let (s, log) = session(runner: runner)
    try s.begin(host: "a", pid: 1, sha256: "sha-1")
    guard case .precondition(let note, 0, 1) = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    #expect(note.text == "Have an account.")
    try s.answer(.acknowledge)
    guard case .input(let region, let step?, nil) = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    #expect(region.id == "region" && step.number == "1")
    #expect(try s.answer(.value("Europe")) == "Use a code like us-east-1")
    guard case .input(_, _, "Use a code like us-east-1") = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    // A value is never changed silently: a stray space is refused with a word, not trimmed.
    #expect(try s.answer(.value(" eu-west-1 ")) == "Region starts or ends with a space; type it without")
    try s.answer(.value("eu-west-1"))
    #expect(s.values["region"] == "eu-west-1")
    guard case .finishStep(let first) = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    #expect(first.number == "1")
    try s.answer(.done)
    guard case .confirmRow(_, 0, 0, let header, let cells) = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    #expect(header == ["Field", "Value"] && cells == ["URL", "https://eu-west-1.example.com"])
    try s.answer(.confirmAll)
    try s.answer(.done)
    guard case .command(_, 0, let command) = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    #expect(command.display == "deploy --region 'eu-west-1'\n")
    try s.answer(.run)
    try s.answer(.done)
    guard case .input(let token, _, _) = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    #expect(token.id == "token")
    try s.answer(.value("s3cr3t-token"))
    guard case .check = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    try s.answer(.run)
    #expect(runner.requests.last?.environment["RUNBOOK_INPUT_TOKEN"] == "s3cr3t-token")
    try s.answer(.done)
    #expect(s.state.completed != nil)
    let types = log.events.map(\.type.rawValue)
    #expect(
      types == [
        "started", "precondition-acknowledged", "page-read", "step-started", "input", "step-done",
        "step-started", "row-confirmed", "row-confirmed", "step-done", "step-started", "command-started",
        "command", "step-done", "step-started", "input", "check-started", "check", "step-done", "completed",
      ])
    let encoded = String(decoding: try JSONEncoder().encode(log.events), as: UTF8.self)
    #expect(!encoded.contains("s3cr3t-token"))
    #expect(log.events.first { $0.input == "token" }?.secret == true)
    #expect(log.events.allSatisfy { $0.operator == "alice@a" })
  }

  @Test func skipNeedsAReasonAndBackReturns() throws {
    let (s, log) = session()
    try s.begin(host: "a", pid: 1, sha256: "sha-1")
    try s.answer(.acknowledge)
    try s.answer(.value("us-east-1"))
    #expect(
      try s.answer(.skip(reason: " ")) == "Say why the step is skipped, so whoever reads the report knows.")
    try s.answer(.skip(reason: "region chosen by the platform team"))
    #expect(s.state.status(of: "go/1") == .skipped)
    #expect(s.currentStep?.number == "2")
    try s.answer(.back)
    #expect(s.currentStep?.number == "1")
    try s.answer(.note("double-checked with Bob"))
    try s.answer(.done)
    #expect(s.state.status(of: "go/1") == .done)
    #expect(s.currentStep?.number == "2")
    #expect(
      log.events.contains { $0.type == .note && $0.text == "double-checked with Bob" && $0.step == "go/1" })
  }

  @Test func aFailedCheckOffersRetryAndTheStepWaits() throws {
    let runner = ScriptedRunner([
      ProcessResult(status: 0), ProcessResult(status: 7, outputTail: "503\n"),
      ProcessResult(status: 0, outputTail: "ok\n"),
    ])
    let (s, _) = session(runner: runner)
    try s.begin(host: "a", pid: 1, sha256: "sha-1")
    s.provided = ["region": "us-east-1", "token": "tok-123"]
    try s.answer(.acknowledge)
    try s.answer(.done)
    try s.answer(.confirmAll)
    try s.answer(.done)
    try s.answer(.run)
    try s.answer(.done)
    #expect(try s.answer(.run) == "The check failed: it exited with status 7")
    guard case .checkFailed(let step, 0, let outcome) = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    #expect(step.number == "4" && outcome.result.outputTail == "503\n")
    #expect(s.state.status(of: "go/4") == .failed)
    try s.answer(.retry)
    guard case .finishStep = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    #expect(s.state.status(of: "go/4") == .pending)
  }

  @Test func resumingContinuesWhereItStoppedAndAsksSecretsAgain() throws {
    let runbook = compileGuide()
    let (first, log) = session(runbook)
    try first.begin(host: "a", pid: 1, sha256: "sha-1")
    first.provided = ["region": "us-east-1", "token": "tok-123"]
    try first.answer(.acknowledge)
    try first.answer(.done)
    try first.answer(.quit)
    #expect(log.events.last?.type == .paused)

    let (second, _) = session(runbook, log: log, operator: "bob@b")
    let resumption = try second.begin(host: "b", pid: 2, sha256: "sha-1")
    #expect(resumption == Session.Resumption())
    #expect(second.values["region"] == "us-east-1")
    #expect(second.values["token"] == nil)
    guard case .confirmRow(let step, _, _, _, _) = second.next() else {
      Issue.record("\(second.next())")
      return
    }
    #expect(step.number == "2")
    try second.answer(.confirmAll)
    try second.answer(.done)
    try second.answer(.skipCommand)
    try second.answer(.done)
    guard case .input(let token, _, _) = second.next() else {
      Issue.record("\(second.next())")
      return
    }
    #expect(token.id == "token")
    #expect(second.state.operators == ["alice@a", "bob@b"])
  }

  @Test func anEditedRunbookReopensChangedStepsAndListsRemovedOnes() throws {
    let (first, log) = session()
    try first.begin(host: "a", pid: 1, sha256: "sha-1")
    first.provided = ["region": "us-east-1"]
    try first.answer(.acknowledge)
    try first.answer(.done)
    try first.answer(.confirmAll)
    try first.answer(.done)
    try first.answer(.quit)

    let edited = sessionGuide.replacingOccurrences(of: "2. Enter:", with: "2. Enter exactly:")
      .replacingOccurrences(of: "  4. Verify:", with: "  5. Verify:")
      .replacingOccurrences(
        of: "{label: Region, pattern: '[a-z]{2}-[a-z]+-\\d'", with: "{label: Region, pattern: 'eu-.*'")
    let (second, log2) = session(compileGuide(edited), log: log)
    let resumption = try second.begin(host: "b", pid: 2, sha256: "sha-2")
    #expect(resumption.reopened == ["go/2"])
    #expect(resumption.runbookChanged)
    #expect(resumption.invalidInputs["region"] == "Use a code like us-east-1")
    #expect(second.state.status(of: "go/1") == .done)
    #expect(second.state.status(of: "go/2") == .pending)
    #expect(
      log2.events.contains { $0.type == .runbookChanged && $0.sha256 == "sha-2" && $0.steps == ["go/2"] })
    guard case .input(let input, _, _) = second.next() else {
      Issue.record("\(second.next())")
      return
    }
    #expect(input.id == "region")
  }

  @Test func aFailedWriteStopsTheSessionWithoutChangingState() throws {
    let (s, log) = session()
    try s.begin(host: "a", pid: 1, sha256: "sha-1")
    let before = s.state
    log.failNextAppend = StoreError(.writeFailed, path: "x", description: "x: cannot append (disk full?)")
    #expect(throws: SessionError.self) { try s.answer(.acknowledge) }
    #expect(s.state == before)
    try s.answer(.acknowledge)
    #expect(s.state.acknowledged == [0])
  }

  @Test func unattendedListsMissingInputsBeforeAnyStep() throws {
    let (s, log) = session()
    try s.begin(host: "a", pid: 1, sha256: "sha-1")
    let outcome = try UnattendedRun(yes: true).run(s)
    guard case .missingInputs(let lines) = outcome else {
      Issue.record("\(outcome)")
      return
    }
    #expect(lines.count == 2)
    #expect(lines[0].hasPrefix("region (Region), needed at step 1 (go/1): missing"))
    #expect(lines[1].hasPrefix("token (Token), needed at step 4 (go/4): missing"))
    #expect(log.events.map(\.type) == [.started])
  }

  @Test func unattendedNeedsYesForManualStepsAndStopsAtAFailedCheck() throws {
    let runbook = compileGuide()
    let values = UnattendedRun.resolve(
      runbook, set: ["region": "us-east-1"], answers: [:], environment: ["RUNBOOK_INPUT_TOKEN": "tok-123"])
    let (s, _) = session(
      runbook,
      runner: ScriptedRunner([ProcessResult(status: 0), ProcessResult(status: 22, outputTail: "404\n")]))
    try s.begin(host: "a", pid: 1, sha256: "sha-1")
    s.provided = values
    guard case .needsConfirmation(nil, _) = try UnattendedRun(yes: false).run(s) else {
      Issue.record("expected a stop")
      return
    }
    let outcome = try UnattendedRun(yes: true).run(s)
    #expect(outcome == .checkFailed(step: "go/4", reason: "it exited with status 22"))
    #expect(s.state.status(of: "go/3") == .done)
  }
}
