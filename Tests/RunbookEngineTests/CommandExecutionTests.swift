import Foundation
import RunbookCore
import RunbookEngine
import RunbookTestSupport
import Testing

/// Clock that records sleeps instead of waiting.
final class FakeClock: WallClock, @unchecked Sendable {
  private let lock = NSLock()
  private var current = Date(timeIntervalSince1970: 1_800_000_000)
  private(set) var slept: [TimeInterval] = []
  func now() -> Date { lock.withLock { current } }
  func sleep(seconds: TimeInterval) {
    lock.withLock {
      slept.append(seconds)
      current += seconds
    }
  }
}

@Suite struct CommandExecutionTests {
  func code(_ markdown: String) throws -> CodeBlock {
    let runbook = RunbookCompiler().compile("## S\n\n1. Do:\n\n" + markdown, file: "t.md")
    return try #require(runbook.allSteps.first?.codeBlocks.first)
  }

  func run(_ block: CodeBlock, values: [String: String] = [:], inputs: [Input] = []) -> CheckRunner.Outcome {
    let command = PreparedCommand(block, values: values, inputs: inputs)
    let secrets = inputs.filter(\.secret).compactMap { values[$0.id] }
    return CheckRunner(runner: SystemProcessRunner(), clock: SystemClock(), secrets: secrets).run(command)
  }

  @Test(arguments: [
    "it's", "say \"hi\"", "a; touch MARKER", "$(touch MARKER)", "`touch MARKER`", "line\ntouch MARKER",
    "--help", "' ; touch MARKER ; '", "\\'$(touch MARKER)",
  ])
  func valuesReachCommandsAsDataOnly(value: String) throws {
    let dir = Paths.temporaryDirectory("inject")
    let marker = dir.appendingPathComponent("MARKER").path
    let hostile = value.replacingOccurrences(of: "MARKER", with: marker)
    let block = try code(
      "   ```sh {run}\n   printf '%s' <value> > \(dir.path)/out; printf '%s' \"$RUNBOOK_INPUT_VALUE\" > \(dir.path)/env\n   ```\n"
    )
    let outcome = run(block, values: ["value": hostile])
    #expect(outcome.passed, "\(outcome.reason ?? "")")
    #expect(!FileManager.default.fileExists(atPath: marker))
    #expect(try String(contentsOfFile: dir.path + "/out", encoding: .utf8) == hostile)
    #expect(try String(contentsOfFile: dir.path + "/env", encoding: .utf8) == hostile)
  }

  /// A command capturing into a secret: its standard output is kept apart for the capture and
  /// neither streamed nor kept in the output tail; standard error is shown as usual.
  @Test func aCapturedSecretIsNeverStreamedNorKept() throws {
    var secret = Input(id: "token", label: "Token", declared: true, location: .init(line: 1, column: 1))
    secret.secret = true
    let block = try code(
      "   ```sh {run capture=token}\n   echo working >&2\n   echo tok-hidden-1\n   echo done >&2\n   ```\n")
    let command = PreparedCommand(block, values: [:], inputs: [secret])
    #expect(command.capture == "token" && command.capturesSecret)
    let streamed = LockedText()
    let outcome = CheckRunner(runner: SystemProcessRunner(), clock: SystemClock(), secrets: [])
      .run(command, output: { streamed.append($0) })
    #expect(outcome.passed)
    #expect(outcome.captured == "tok-hidden-1\n")
    #expect(outcome.result.outputTail.contains("working") && outcome.result.outputTail.contains("done"))
    #expect(!outcome.result.outputTail.contains("tok-hidden-1"))
    #expect(streamed.value.contains("working") && !streamed.value.contains("tok-hidden-1"))
  }

  @Test func aCapturedValueIsAlsoShownWhenItIsNotSecret() throws {
    let input = Input(id: "pool_id", label: "Pool", declared: true, location: .init(line: 1, column: 1))
    let block = try code("   ```sh {run capture=pool_id}\n   echo note >&2\n   echo pool-1\n   ```\n")
    let command = PreparedCommand(block, values: [:], inputs: [input])
    let outcome = CheckRunner(runner: SystemProcessRunner(), clock: SystemClock(), secrets: []).run(command)
    #expect(outcome.captured == "pool-1\n")
    #expect(outcome.result.outputTail.contains("pool-1") && outcome.result.outputTail.contains("note"))
  }

  @Test func displayMasksSecretsButTheCommandGetsThem() throws {
    var secret = Input(
      id: "client_secret", label: "Secret", declared: true, location: .init(line: 1, column: 1))
    secret.secret = true
    let block = try code(
      "   ```sh {run}\n   echo got <client_secret> and $RUNBOOK_INPUT_CLIENT_SECRET\n   ```\n")
    let command = PreparedCommand(block, values: ["client_secret": "s3cr3t-value"], inputs: [secret])
    #expect(command.display == "echo got <client_secret> and $RUNBOOK_INPUT_CLIENT_SECRET\n")
    // The value travels in the environment only: never in the script, so never in `ps`.
    #expect(!command.script.contains("s3cr3t-value"))
    #expect(command.environment["RUNBOOK_INPUT_CLIENT_SECRET"] == "s3cr3t-value")
    let outcome = run(block, values: ["client_secret": "s3cr3t-value"], inputs: [secret])
    #expect(outcome.passed)
    #expect(outcome.result.outputTail == "got •••••• and ••••••\n")
  }

  @Test func timeoutStopsACommandThatIgnoresSIGTERM() throws {
    let block = try code("   ```sh {check timeout=1s}\n   trap '' TERM; sleep 30 & wait; sleep 30\n   ```\n")
    let started = Date()
    let outcome = run(block)
    #expect(!outcome.passed)
    #expect(outcome.reason == "it did not finish within 1s and was stopped")
    #expect(Date().timeIntervalSince(started) < 10)
  }

  @Test func megabytesOfOutputKeepOnlyTheTail() throws {
    let block = try code(
      "   ```sh {check}\n   head -c 5000000 /dev/zero | tr '\\0' x; echo; echo END\n   ```\n")
    let outcome = run(block)
    #expect(outcome.passed, "\(outcome.reason ?? "")")
    #expect(outcome.result.outputBytes == 5_000_005)
    #expect(outcome.result.outputTail.utf8.count <= SystemProcessRunner.tailLimit)
    #expect(outcome.result.outputTail.hasSuffix("x\nEND\n"))
  }

  @Test func aBackgroundProcessDoesNotHoldTheRunOpen() throws {
    let started = Date()
    let outcome = run(try code("   ```sh {run}\n   sleep 30 &\n   echo started\n   ```\n"))
    #expect(outcome.passed)
    #expect(outcome.result.outputTail == "started\n")
    #expect(Date().timeIntervalSince(started) < 10)
  }

  @Test func expectIsARegexOnTheOutput() throws {
    #expect(
      run(try code("   ```sh {check expect=\"status: (ok|ready)\"}\n   echo status: ready\n   ```\n")).passed)
    let failed = run(try code("   ```sh {check expect=\"ready\"}\n   echo starting\n   ```\n"))
    #expect(!failed.passed)
    #expect(failed.reason == "its output does not match /ready/")
  }

  @Test func retriesWaitTheIntervalThenReport() throws {
    let block = try code("   ```sh {check retries=2 interval=10s}\n   echo nope; exit 3\n   ```\n")
    let clock = FakeClock()
    let runner = CheckRunner(runner: SystemProcessRunner(), clock: clock, secrets: [])
    let outcome = runner.run(PreparedCommand(block, values: [:], inputs: []))
    #expect(!outcome.passed)
    #expect(outcome.attempts == 3)
    #expect(clock.slept == [10, 10])
    #expect(outcome.reason == "it exited with status 3 (after 3 attempts)")
  }

  @Test func missingValuesStopACommandBeforeItRuns() throws {
    let outcome = run(try code("   ```sh {check}\n   curl <url>\n   ```\n"))
    #expect(!outcome.passed && outcome.attempts == 0)
    #expect(outcome.reason == "it needs values for <url>")
  }
}

/// The bundled Cognito runbook's live checks against a local stand-in for Cognito.
@Suite(.serialized) struct BundledRunbookCheckTests {
  let runbook: Runbook
  let region = "us-east-1"
  let pool = "us-east-1_AbC123"
  let domain = "appsmith-login.auth.us-east-1.amazoncognito.com"

  init() throws {
    let path = Paths.packageRoot.appendingPathComponent("Runbooks/amazon-cognito-oidc.md").path
    runbook = RunbookCompiler().compile(try GuideLoader.read(path), file: path)
  }

  func values(_ extra: [String: String]) -> [String: String] {
    var base = [
      "region": region, "user_pool_id": pool, "cognito_domain": domain,
      "appsmith_url": "https://appsmith.example.com",
    ]
    base.merge(extra) { _, new in new }
    return base.merging(DerivedValues(runbook).evaluate(base)) { a, _ in a }
  }

  func check(_ stepID: String, _ values: [String: String]) throws -> CheckRunner.Outcome {
    let step = try #require(runbook.step(stepID))
    let block = try #require(step.codeBlocks.first { $0.isCheck })
    var command = PreparedCommand(block, values: values, inputs: runbook.inputs)
    command.retries = 0
    return CheckRunner(runner: SystemProcessRunner(), clock: SystemClock(), secrets: [])
      .run(command)
  }

  @Test func checksPassAgainstAGoodProvider() throws {
    let stub = try OIDCStub(mode: .good, region: region, poolID: pool, domain: domain)
    defer { stub.stop() }
    let v = values(["discovery_base": stub.baseURL + "/" + pool])
    for step in ["check-discovery", "check-jwks", "record-pool-id"] {
      let outcome = try check(step, v)
      #expect(outcome.passed, "\(step): \(outcome.reason ?? "") \(outcome.result.outputTail)")
    }
  }

  @Test func discoveryFailsWithTheNoDomainMessage() throws {
    let stub = try OIDCStub(mode: .issuerHost, region: region, poolID: pool, domain: domain)
    defer { stub.stop() }
    let outcome = try check("check-discovery", values(["discovery_base": stub.baseURL + "/" + pool]))
    #expect(!outcome.passed)
    #expect(outcome.result.outputTail.contains("points at the issuer host"), "\(outcome.result.outputTail)")
    #expect(outcome.result.outputTail.contains("Domains"), "\(outcome.result.outputTail)")
  }

  @Test func jwksFailsWithoutKeys() throws {
    let stub = try OIDCStub(mode: .noKeys, region: region, poolID: pool, domain: domain)
    defer { stub.stop() }
    let outcome = try check("check-jwks", values(["discovery_base": stub.baseURL + "/" + pool]))
    #expect(!outcome.passed)
    #expect(outcome.result.outputTail.contains("no keys"), "\(outcome.result.outputTail)")
  }

  @Test func regionMismatchIsExplained() throws {
    let outcome = try check("record-pool-id", values(["user_pool_id": "us-west-2_Abc"]))
    #expect(!outcome.passed)
    #expect(
      outcome.result.outputTail.contains(
        "User pool id us-west-2_Abc belongs to region us-west-2, but the region input is us-east-1: fix one of them"
      ))
  }
}

/// Text gathered from a streaming callback.
final class LockedText: @unchecked Sendable {
  private let lock = NSLock()
  private var text = ""
  func append(_ s: String) { lock.withLock { text += s } }
  var value: String { lock.withLock { text } }
}
