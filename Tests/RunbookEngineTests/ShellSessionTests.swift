import Foundation
import RunbookCore
import RunbookEngine
import RunbookTestSupport
import Testing

/// One shell per run (issue 16): what a block sets is there for the next, as in a terminal.
@Suite struct ShellSessionTests {
  func block(_ body: String, _ info: String = "sh {run}") throws -> CodeBlock {
    let indented = body.split(separator: "\n", omittingEmptySubsequences: false).map { "   " + $0 }.joined(
      separator: "\n")
    let runbook = RunbookCompiler().compile(
      "## S\n\n1. Do:\n\n   ```\(info)\n\(indented)\n   ```\n", file: "t.md")
    return try #require(runbook.allSteps.first?.codeBlocks.first)
  }

  func run(_ body: String, _ info: String = "sh {run}", in shell: ShellSession, directory: URL) throws
    -> CheckRunner.Outcome
  {
    // The session starts in the test's own folder (a `cd` the session carries); the process's
    // folder is shared by tests running at the same time.
    if shell.state.isEmpty {
      _ = CheckRunner(runner: SystemProcessRunner(), clock: SystemClock(), secrets: [], shell: shell)
        .run(PreparedCommand(try block("cd \(ShellQuote.quote(directory.path))"), values: [:], inputs: []))
    }
    let command = PreparedCommand(try block(body, info), values: [:], inputs: [])
    return CheckRunner(runner: SystemProcessRunner(), clock: SystemClock(), secrets: [], shell: shell).run(
      command)
  }

  @Test func exportsVariablesArraysFunctionsAndTheFolderCarryToTheNextBlock() throws {
    let dir = Paths.temporaryDirectory("shell")
    let shell = ShellSession()
    let first = try run(
      """
      export ENCRYPTION_KEY=$(printf 'k%.0s' 1 2 3)
      PLAIN='two words'
      certs=(ca "admin cert" kube-proxy)
      declare -A owner=([ca]=root)
      greet() { echo "hello $1"; }
      mkdir -p sub && cd sub
      """, in: shell, directory: dir)
    #expect(first.passed, "\(first.reason ?? "") \(first.result.outputTail)")
    #expect(Set(first.set) == ["ENCRYPTION_KEY", "PLAIN", "certs", "owner"])
    let second = try run(
      """
      echo "$ENCRYPTION_KEY|$PLAIN|${certs[1]}|${#certs[@]}|${owner[ca]}|$(basename "$PWD")"
      greet there
      env | grep -c '^ENCRYPTION_KEY=kkk$'
      """, "bash {run}", in: shell, directory: dir)
    #expect(second.result.outputTail == "kkk|two words|admin cert|3|root|sub\nhello there\n1\n")
    #expect(second.set.isEmpty)
  }

  @Test func unsetAndChangedVariablesAreCarriedAsTheyAre() throws {
    let dir = Paths.temporaryDirectory("shell")
    let shell = ShellSession()
    _ = try run("A=1; B=2; export PATH=\"$PATH:/opt/extra/bin\"", in: shell, directory: dir)
    let changed = try run("unset A; B=3", in: shell, directory: dir)
    #expect(changed.set == ["B"])
    let seen = try run("echo \"${A-unset} $B ${PATH##*:}\"", in: shell, directory: dir)
    #expect(seen.result.outputTail == "unset 3 /opt/extra/bin\n")
  }

  @Test func blocksFailOnAnyLineLikeACIStepUnlessTheyOptOut() throws {
    let dir = Paths.temporaryDirectory("shell")
    let shell = ShellSession()
    let strict = try run("grep -q absent-text /dev/null\necho after", "sh {check}", in: shell, directory: dir)
    #expect(!strict.passed && strict.result.outputTail == "")
    let piped = try run("false | true", "sh {check}", in: shell, directory: dir)
    #expect(!piped.passed, "pipefail")
    let lenient = try run("false\necho after", "sh {check errexit=false}", in: shell, directory: dir)
    #expect(lenient.passed && lenient.result.outputTail == "after\n")
  }

  @Test func aFailingBlockStillLeavesWhatItSetBeforeFailing() throws {
    let dir = Paths.temporaryDirectory("shell")
    let shell = ShellSession()
    _ = try run("DONE_BEFORE=yes\nfalse\nNEVER=set", in: shell, directory: dir)
    let seen = try run("echo \"${DONE_BEFORE-} ${NEVER-unset}\"", in: shell, directory: dir)
    #expect(seen.result.outputTail == "yes unset\n")
  }

  @Test func theStateNeverTouchesTheDisk() throws {
    let dir = Paths.temporaryDirectory("shell")
    let shell = ShellSession()
    _ = try run("export TOKEN=super-secret-value-123", in: shell, directory: dir)
    #expect(shell.state.contains("super-secret-value-123"))
    let files = FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []
    #expect(files.isEmpty)
  }

  @Test func withoutASessionEachBlockStandsAlone() throws {
    let first = PreparedCommand(try block("export X=1"), values: [:], inputs: [])
    let second = PreparedCommand(try block("echo \"${X-none}\""), values: [:], inputs: [])
    let runner = CheckRunner(runner: SystemProcessRunner(), clock: SystemClock(), secrets: [])
    _ = runner.run(first)
    #expect(runner.run(second).result.outputTail == "none\n")
  }
}
