import Foundation
import RunbookCore
import RunbookEngine
import RunbookTestSupport
import Testing

/// Minimal reproducers of problems found by fuzzing and by the bad-input catalogue. Each test
/// states the behaviour that is right; see docs/fuzzing.md for how the fuzzers found them.
@Suite struct RegressionTests {
  /// Secrets are masked in streamed output too, not only in the stored tail: a secret that
  /// straddles two reads of the command's output pipe (16 KB each) must not reach the screen.
  /// Cause: SystemProcessRunner hands each read to CheckRunner, which masks chunk by chunk.
  @Test func aSecretSplitAcrossTwoOutputReadsIsStillMasked() throws {
    var secret = Input(
      id: "client_secret", label: "Secret", declared: true, location: .init(line: 1, column: 1))
    secret.secret = true
    let value = "s3cr3t-value"
    // One write of 16,381 bytes of padding then the secret: the first 16 KB read ends 3 bytes
    // into the secret.
    let runbook = RunbookCompiler().compile(
      "## S\n\n1. Do:\n\n   ```python {check}\n   import os; os.write(1, b'x' * 16381 + b'\(value)\\n')\n   ```\n",
      file: "t.md")
    let code = try #require(runbook.allSteps.first?.codeBlocks.first)
    let shown = Shown()
    let outcome = CheckRunner(
      runner: SystemProcessRunner(), clock: SystemClock(), secrets: [value]
    )
    .run(
      PreparedCommand(code, values: ["client_secret": value], inputs: [secret]), output: { shown.append($0) })
    #expect(outcome.passed, "\(outcome.reason ?? "")")
    #expect(!outcome.result.outputTail.contains(value))
    #expect(shown.text.hasSuffix(SecretMasker.mask + "\n"))
    #expect(!shown.text.contains(value), "the secret was shown while streaming")
  }

  /// Front matter written with Windows line endings is read like any other.
  /// Cause: FrontMatter.split splits the source on the Character "\n", and "\r\n" is a single
  /// Character in Swift, so the first line is the whole file and no front matter is found.
  @Test func frontMatterWithCRLFIsRead() {
    let runbook = RunbookCompiler().compile(
      "---\r\ntitle: Windows\r\ninputs:\r\n  region: {label: AWS region}\r\n---\r\n\r\n## S\r\n\r\n1. Use `<region>`.\r\n",
      file: "crlf.md")
    #expect(runbook.title == "Windows")
    #expect(runbook.input("region")?.declared == true)
    #expect(runbook.input("region")?.label == "AWS region")
    #expect(runbook.sections.map(\.title) == ["S"])
    #expect(runbook.allSteps.first?.range.start.line == 9)
  }

  /// A tab after a sub-step's letter works like a space, as it does after a step's number.
  /// Cause: StepBuilder.letter(of:) accepts only " " after `a.`/`a)`.
  @Test func letteredSubStepsAfterATab() {
    let runbook = RunbookCompiler().compile("## S\n\n1.\tOne\n\n\ta.\tSub\n\tb.\tSub\n", file: "t.md")
    #expect(runbook.allSteps.map(\.number) == ["1", "1.a", "1.b"])
  }

  @Test func frontMatterWithLoneCRIsRead() {
    let runbook = RunbookCompiler().compile("---\rtitle: Old Mac\r---\r\r## S\r\r1. Go.\r", file: "cr.md")
    #expect(runbook.title == "Old Mac")
    #expect(runbook.sections.map(\.title) == ["S"])
  }
}

private final class Shown: @unchecked Sendable {
  private let lock = NSLock()
  private var chunks: [String] = []
  func append(_ s: String) { lock.withLock { chunks.append(s) } }
  var text: String { lock.withLock { chunks.joined() } }
}
