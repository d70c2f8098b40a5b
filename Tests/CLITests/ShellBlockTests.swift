import Foundation
import RunbookTestSupport
import Testing

/// Shell blocks a guide does not mark `{run}` (issue 16): offered in guided runs, run unattended
/// only with `--run-shell-blocks`, in one shell session per run.
@Suite struct ShellBlockTests {
  /// Shell blocks in every form the engine offers, and blocks it must never offer.
  static let guide = """
    # Shells

    ## Set up

    1. Set the greeting:

       ```bash
       export GREETING=hello
       cd sub
       ```

    2. Look at the config (never run: YAML):

       ```yaml
       greeting: hello
       ```

    3. Show it:

       ```sh
       echo "$GREETING from $(basename "$PWD")" > ../greeted.txt
       cat ../greeted.txt
       ```

    4. Not to be run:

       ```sh {norun}
       touch ../norun-ran.txt
       ```

    5. Query (never run: PromQL):

       ```promql
       sum(rate(http_requests_total[5m]))
       ```

    6. Unlabelled, reads as shell:

       ```
       echo unlabelled > ../unlabelled.txt
       ```

    7. A transcript:

       ```console
       $ echo transcript > ../transcript.txt
       some output line
       ```
    """

  func workspace() throws -> URL {
    let dir = Paths.temporaryDirectory("shell-blocks")
    try Self.guide.write(to: dir.appendingPathComponent("shells.md"), atomically: true, encoding: .utf8)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
    return dir
  }

  func exists(_ dir: URL, _ name: String) -> Bool {
    FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path)
  }

  func journal(_ dir: URL) throws -> String {
    try String(contentsOf: dir.appendingPathComponent(".runbook/shells.state.jsonl"), encoding: .utf8)
  }

  @Test func guidedRunOffersShellBlocksAndNothingElse() throws {
    let dir = try workspace()
    // Step 1: run, done. Step 2: done (nothing offered). Step 3: print, then run, done.
    // Step 4: done. Step 5: done. Step 6: not now, done. Step 7: run, done.
    let result = try RunbookProcess.run(
      ["run", "shells.md", "--interactive", "--operator", "alice"],
      stdin: "r\nd\nd\np\nr\nd\nd\nd\nn\nd\nr\nd\n", directory: dir)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let out = result.stdout
    // Offered, with the choices.
    #expect(out.contains("Shell block:"))
    #expect(out.contains("[r]un, [p]rint it plain to copy, [n]ot now"))
    // One session: the export and the cd of step 1 are there in step 3.
    #expect(
      (try? String(contentsOf: dir.appendingPathComponent("greeted.txt"), encoding: .utf8))
        == "hello from sub\n")
    // Printed plain for copying: the text at the start of a line, without indent.
    #expect(out.contains("\necho \"$GREETING from $(basename \"$PWD\")\" > ../greeted.txt\n"))
    // Never offered: YAML, PromQL, {norun}.
    #expect(!out.contains("touch ../norun-ran.txt\n  Run it?"))
    #expect(!exists(dir, "norun-ran.txt"))
    #expect(out.components(separatedBy: "Run it?").count - 1 == 5, "\(out)")
    // Not now: not run, recorded so.
    #expect(!exists(dir, "unlabelled.txt"))
    // The transcript ran its command only and showed its output as expected.
    #expect(exists(dir, "transcript.txt"))
    #expect(out.contains("Expected output:"))
    let journal = try journal(dir)
    #expect(journal.contains("\"reason\":\"not run\""))
    #expect(journal.contains("\"variables\":[\"GREETING\"]"))
    let status = try RunbookProcess.run(["status"], directory: dir)
    #expect(status.stdout.contains("outcome:   completed"), "\(status.stdout)")
  }

  @Test func unattendedRunsOnlyMarkedBlocksWithoutTheOptIn() throws {
    let dir = try workspace()
    let result = try RunbookProcess.run(["run", "shells.md", "--yes"], directory: dir)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(!exists(dir, "greeted.txt"))
    #expect(!exists(dir, "unlabelled.txt"))
    #expect(!exists(dir, "transcript.txt"))
  }

  @Test func unattendedRunsEveryShellBlockWithTheOptIn() throws {
    let dir = try workspace()
    let result = try RunbookProcess.run(["run", "shells.md", "--yes", "--run-shell-blocks"], directory: dir)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(
      (try? String(contentsOf: dir.appendingPathComponent("greeted.txt"), encoding: .utf8))
        == "hello from sub\n")
    #expect(exists(dir, "unlabelled.txt"))
    #expect(exists(dir, "transcript.txt"))
    #expect(!exists(dir, "norun-ran.txt"))
  }

  /// A resumed unattended run has a new shell: it says which earlier commands set variables that
  /// the commands still to run read, and does not run them again.
  @Test func anUnattendedResumeNamesTheVariablesTheEarlierShellSet() throws {
    let dir = Paths.temporaryDirectory("shell-blocks")
    let work = dir.appendingPathComponent("work")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    try """
    # Carry

    1. Set it:

       ```sh
       export TARGET=the-cluster
       ```

    2. Use it, once the go-ahead file is there:

       ```sh
       test -f ../go
       echo "deploying to $TARGET" > ../deployed.txt
       ```
    """.write(to: work.appendingPathComponent("carry.md"), atomically: true, encoding: .utf8)
    let first = try RunbookProcess.run(["run", "carry.md", "--yes", "--run-shell-blocks"], directory: work)
    #expect(first.status == 1, "\(first.stdout)\(first.stderr)")
    #expect(!first.stdout.contains("Note: the shell of the earlier session is gone"))
    try "".write(to: dir.appendingPathComponent("go"), atomically: true, encoding: .utf8)
    let resumed = try RunbookProcess.run(
      ["resume", ".runbook/carry.state.jsonl", "--yes", "--run-shell-blocks"], directory: work)
    #expect(
      resumed.stdout.contains(
        "Note: the shell of the earlier session is gone; these commands set variables that commands still to run read"
      ),
      "\(resumed.stdout)\(resumed.stderr)")
    #expect(resumed.stdout.contains("  step 1: export TARGET=the-cluster (sets TARGET)"), "\(resumed.stdout)")
    // Not run again: the new shell does not have the variable.
    #expect(
      (try? String(contentsOf: dir.appendingPathComponent("deployed.txt"), encoding: .utf8))
        == "deploying to \n")
  }

  @Test func aFailedShellBlockStopsAnUnattendedRun() throws {
    let dir = Paths.temporaryDirectory("shell-blocks")
    try """
    # Fails

    1. Fail:

       ```sh
       false
       echo ne""ver
       ```

    2. After.
    """.write(to: dir.appendingPathComponent("fails.md"), atomically: true, encoding: .utf8)
    let result = try RunbookProcess.run(["run", "fails.md", "--yes", "--run-shell-blocks"], directory: dir)
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("it exited with status 1"), "\(result.stderr)")
    #expect(!result.stdout.contains("never\n"))
  }

  @Test func aRunPastFailuresCompletesWithExceptions() throws {
    let dir = Paths.temporaryDirectory("shell-blocks")
    try """
    # Exceptions

    1. Allowed to fail:

       ```sh {run allow-failure}
       echo trying; exit 3
       ```

    2. Also allowed to fail, twice the same failure:

       ```sh {run allow-failure}
       ls /nonexistent-runbook-dir
       ```

    3. Fine:

       ```sh {run}
       true
       ```
    """.write(to: dir.appendingPathComponent("exc.md"), atomically: true, encoding: .utf8)
    let result = try RunbookProcess.run(["run", "exc.md", "--yes"], directory: dir)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("Completed with exceptions: Exceptions."), "\(result.stdout)")
    #expect(result.stdout.contains("step 1: command `echo trying; exit 3` failed: it exited with status 3"))
    #expect(result.stdout.contains("step 2: command `ls /nonexistent-runbook-dir` failed"))
    #expect(!result.stdout.contains("Completed: Exceptions."))

    let status = try RunbookProcess.run(["status", ".runbook/exc.state.jsonl"], directory: dir)
    #expect(status.stdout.contains("outcome:   completed with exceptions"), "\(status.stdout)")
    #expect(status.stdout.contains("  exceptions:\n    step 1: command `echo trying; exit 3` failed"))
    #expect(!status.stdout.contains("to finish:"))
    let table = try RunbookProcess.run(["status", ".runbook"], directory: dir)
    #expect(table.stdout.contains("completed with exceptions"), "\(table.stdout)")
    let filtered = try RunbookProcess.run(
      ["status", ".runbook", "--outcome", "completed-with-exceptions"], directory: dir)
    #expect(filtered.stdout.contains("exc"), "\(filtered.stdout + filtered.stderr)")
    let json = try RunbookProcess.run(["status", ".runbook/exc.state.jsonl", "--json"], directory: dir)
    let object = try #require(
      (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])?.first)
    #expect(object["outcome"] as? String == "completed with exceptions")
    #expect((object["exceptions"] as? [Any])?.count == 2)

    let report = try RunbookProcess.run(["report", ".runbook/exc.state.jsonl"], directory: dir)
    #expect(report.stdout.contains("**Outcome: completed with exceptions**"), "\(report.stdout)")
    #expect(report.stdout.contains("## Exceptions"))
    #expect(report.stdout.components(separatedBy: "- step 1: command").count == 2)
    let reportJSON = try RunbookProcess.run(
      ["report", ".runbook/exc.state.jsonl", "--format", "json"], directory: dir)
    #expect(
      reportJSON.stdout.contains("\"outcome\": \"completed with exceptions\""), "\(reportJSON.stdout)")
    let html = try RunbookProcess.run(
      ["report", ".runbook/exc.state.jsonl", "--format", "html"], directory: dir)
    #expect(html.stdout.contains("o-completed-with-exceptions"))
    #expect(html.stdout.contains("<h2>Exceptions</h2>"))
  }

  @Test func aStepDoneDespiteAFailedBlockCompletesWithExceptions() throws {
    let dir = Paths.temporaryDirectory("shell-blocks")
    try """
    # Despite

    1. Fails:

       ```sh
       exit 4
       ```
    """.write(to: dir.appendingPathComponent("despite.md"), atomically: true, encoding: .utf8)
    // Run it (fails), go on without it, then done with a reason.
    let result = try RunbookProcess.run(
      ["run", "despite.md", "--interactive"], stdin: "r\nn\nd\nit was already set up\n", directory: dir)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("Why is it done anyway?"))
    #expect(result.stdout.contains("Completed with exceptions: Despite."))
    #expect(result.stdout.contains("step 1: command `exit 4` failed: it exited with status 4"))
  }
}
