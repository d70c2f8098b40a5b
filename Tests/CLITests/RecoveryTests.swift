import Foundation
import RunbookEngine
import RunbookTestSupport
import Testing

/// Recovering from mistakes and handing over (issue 17), through the real program.
@Suite struct RecoveryTests {
  static let guide = """
    ---
    title: Regions
    inputs:
      region: {label: Region, pattern: '[a-z]{2}-[a-z]+-\\d'}
      bucket: {label: Bucket}
    ---
    ## Set up

    1. Pick `<region>`.

    2. Create the bucket `<bucket>`.

    3. Check the bucket's region:

       ```sh {check}
       echo "bucket in $RUNBOOK_INPUT_REGION"
       ```
    """

  func workspace(_ text: String = guide) throws -> URL {
    let dir = Paths.temporaryDirectory("recovery")
    try text.write(to: dir.appendingPathComponent("g.md"), atomically: true, encoding: .utf8)
    return dir
  }

  func events(_ dir: URL, _ state: String = ".runbook/g.state.jsonl") throws -> [Event] {
    try FileStore().read(RunID(dir.appendingPathComponent(state).path)).events
  }

  /// The bundled runbook's own check says the region and the pool ID disagree; the admin fixes
  /// the region at that prompt, goes back through the step that asked it, and the check passes.
  @Test func aWrongRegionIsCorrectedAtTheFailedCheckOfTheBundledRunbook() throws {
    let dir = Paths.temporaryDirectory("bundled")
    let guide = Paths.packageRoot.appendingPathComponent("Runbooks/amazon-cognito-oidc.md").path
    let result = try RunbookProcess.runInTerminal(
      [
        "run", guide, "--set", "appsmith_url=https://appsmith.example.com", "--set", "region=eu-west-1",
        "--set", "user_pool_id=us-east-1_AbCdEf123", "--set", "aws_setup=console", "--from", "record-pool-id",
      ],
      script: [
        ("Is this true?", "y"), ("Is this true?", "y"), ("Is this true?", "y"), ("Is this true?", "y"),
        ("[r]etry", "c"), ("Change which one?", "region"), ("New value for AWS Region", "us-east-1"),
        ("help:", "q"),
      ], directory: dir)
    #expect(result.status == 4, "\(result.stdout)")
    #expect(result.stdout.contains("belongs to region us-east-1, but the region input is eu-west-1"))
    #expect(result.stdout.contains("Changed. Steps that used it are open again."))
    #expect(result.stdout.contains("User pool us-east-1_AbCdEf123 is in region us-east-1"))
    let state = ".runbook/amazon-cognito-oidc.state.jsonl"
    let changed = try #require(try events(dir, state).first { $0.type == .inputChanged })
    #expect(changed.input == "region" && changed.value == "us-east-1" && changed.from == "eu-west-1")
    let report = try RunbookProcess.run(["report", state, "--runbook", guide], directory: dir)
    #expect(report.stdout.contains("| AWS Region | region | us-east-1 (changed; earlier: eu-west-1 by "))
    let status = try RunbookProcess.run(["status", state], directory: dir)
    #expect(status.stdout.contains("region = us-east-1"))
    #expect(status.stdout.contains("earlier: eu-west-1"))
  }

  /// `--set` on a resume replaces a recorded answer and reopens exactly the steps that used it.
  @Test func setOnResumeReopensExactlyTheStepsThatUsedTheValue() throws {
    let dir = try workspace()
    let first = try RunbookProcess.run(
      ["run", "g.md", "--yes", "--set", "region=eu-west-1", "--set", "bucket=logs"], directory: dir)
    #expect(first.status == 0, "\(first.stderr)")
    let again = try RunbookProcess.run(
      ["resume", ".runbook/g.state.jsonl", "--yes", "--set", "region=us-east-2"], directory: dir)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.contains("bucket in us-east-2"))
    let all = try events(dir)
    let changed = try #require(all.first { $0.type == .inputChanged })
    #expect(changed.steps == ["set-up/1", "set-up/3"])
    #expect(all.filter { $0.type == .stepReopened }.compactMap(\.step) == ["set-up/1", "set-up/3"])
    #expect(all.last?.type == .completed)
    // The same value again changes nothing.
    let same = try RunbookProcess.run(
      ["resume", ".runbook/g.state.jsonl", "--yes", "--set", "region=us-east-2"], directory: dir)
    #expect(same.status == 0)
    #expect(try events(dir).filter { $0.type == .inputChanged }.count == 1)
    // An invalid new value is refused like any answer, and nothing is recorded.
    let invalid = try RunbookProcess.run(
      ["resume", ".runbook/g.state.jsonl", "--yes", "--set", "region=Ohio"], directory: dir)
    #expect(invalid.status == 2)
    #expect(invalid.stderr.contains("--set region: Region must match"))
  }

  /// A value from an answers file never silently replaces an answer: it is reported.
  @Test func anAnswersFileThatDiffersIsReportedNotApplied() throws {
    let dir = try workspace()
    _ = try RunbookProcess.run(
      ["run", "g.md", "--yes", "--set", "region=eu-west-1", "--set", "bucket=logs"], directory: dir)
    try "region: us-east-2\n".write(
      to: dir.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
    let result = try RunbookProcess.run(
      ["resume", ".runbook/g.state.jsonl", "--yes", "--answers", "a.yaml"], directory: dir)
    #expect(result.stderr.contains("region keeps its recorded answer"))
    #expect(try events(dir).allSatisfy { $0.type != .inputChanged })
  }

  @Test func twoRunsOfOneGuideInOneFolderKeepBothReports() throws {
    let dir = try workspace()
    for (state, bucket) in [("monday.state.jsonl", "logs-a"), ("tuesday.state.jsonl", "logs-b")] {
      let run = try RunbookProcess.run(
        ["run", "g.md", "--state", state, "--yes", "--set", "region=eu-west-1", "--set", "bucket=\(bucket)"],
        directory: dir)
      #expect(run.status == 0, "\(run.stderr)")
      #expect(
        run.stdout.contains("Report: \(state.replacingOccurrences(of: ".state.jsonl", with: ".report.md"))"))
    }
    let monday = try String(contentsOf: dir.appendingPathComponent("monday.report.md"), encoding: .utf8)
    let tuesday = try String(contentsOf: dir.appendingPathComponent("tuesday.report.md"), encoding: .utf8)
    #expect(monday.contains("logs-a") && !monday.contains("logs-b"))
    #expect(tuesday.contains("logs-b") && !tuesday.contains("logs-a"))
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("tuesday.report.html").path))
  }

  @Test func answersRoundTripIntoANewRun() throws {
    let dir = try workspace(
      Self.guide.replacingOccurrences(
        of: "  bucket: {label: Bucket}",
        with: "  bucket: {label: Bucket}\n  token: {label: Token, secret: true}"
      ).replacingOccurrences(
        of: "2. Create the bucket `<bucket>`.", with: "2. Create the bucket `<bucket>` with `<token>`."))
    let first = try RunbookProcess.run(
      [
        "run", "g.md", "--yes", "--set", "region=eu-west-1", "--set", "bucket=it's \"a\": b #c", "--set",
        "token=t0k3n",
      ],
      directory: dir)
    #expect(first.status == 0, "\(first.stderr)")
    let answers = try RunbookProcess.run(["answers", ".runbook/g.state.jsonl"], directory: dir)
    #expect(answers.status == 0)
    #expect(!answers.stdout.contains("t0k3n"))
    #expect(
      answers.stdout.contains(
        "# Secrets are not recorded; give them with --set ID=VALUE or RUNBOOK_INPUT_<ID>: token"))
    try answers.stdout.write(
      to: dir.appendingPathComponent("answers.yaml"), atomically: true, encoding: .utf8)
    let replay = try RunbookProcess.run(
      [
        "run", "g.md", "--state", "replay.state.jsonl", "--non-interactive", "--yes", "--answers",
        "answers.yaml",
      ],
      environment: ["RUNBOOK_INPUT_TOKEN": "t0k3n"], directory: dir)
    #expect(replay.status == 0, "\(replay.stderr)")
    let original = RunState(
      header: try FileStore().read(RunID(dir.appendingPathComponent(".runbook/g.state.jsonl").path)).header,
      events: try events(dir))
    let replayed = try FileStore().read(RunID(dir.appendingPathComponent("replay.state.jsonl").path))
    let again = RunState(header: replayed.header, events: replayed.events)
    #expect(again.inputs.mapValues(\.value) == original.inputs.mapValues(\.value))
    #expect(again.inputs["bucket"]?.value == "it's \"a\": b #c")
  }

  @Test func recheckReopensStepsWhoseChecksNowFail() throws {
    let dir = try workspace(
      Self.guide.replacingOccurrences(of: "echo \"bucket in $RUNBOOK_INPUT_REGION\"", with: "test -f flag"))
    #expect(FileManager.default.createFile(atPath: dir.appendingPathComponent("flag").path, contents: Data()))
    let first = try RunbookProcess.run(
      ["run", "g.md", "--yes", "--set", "region=eu-west-1", "--set", "bucket=logs"], directory: dir)
    #expect(first.status == 0)
    try FileManager.default.removeItem(at: dir.appendingPathComponent("flag"))
    let recheck = try RunbookProcess.run(
      ["resume", ".runbook/g.state.jsonl", "--yes", "--recheck"], directory: dir)
    #expect(
      recheck.stdout.contains("✗ step 3 (Check the bucket's region): it exited with status 1; reopened"))
    #expect(recheck.status == 1)
    let reopened = try #require(try events(dir).last { $0.type == .stepReopened })
    #expect(reopened.step == "set-up/3" && reopened.reason?.hasPrefix("its check failed on recheck") == true)
  }

  @Test func readingAFinishedRunDoesNotMakeTheReaderAnOperator() throws {
    let dir = try workspace()
    _ = try RunbookProcess.run(
      ["run", "g.md", "--yes", "--set", "region=eu-west-1", "--set", "bucket=logs", "--operator", "alice"],
      directory: dir)
    let count = try events(dir).count
    let reread = try RunbookProcess.run(["run", "g.md", "--yes", "--operator", "support"], directory: dir)
    #expect(reread.status == 0)
    #expect(try events(dir).count == count)
    let report = try RunbookProcess.run(["report"], directory: dir)
    #expect(report.stdout.contains("**Operators:** alice\n"))
  }

  @Test func followShowsAnotherRunAsItHappens() throws {
    let dir = try workspace(
      Self.guide.replacingOccurrences(
        of: "echo \"bucket in $RUNBOOK_INPUT_REGION\"", with: "sleep 2; echo ok"))
    let runner = Process()
    runner.executableURL = RunbookProcess.executable
    runner.arguments = ["run", "g.md", "--yes", "--set", "region=eu-west-1", "--set", "bucket=logs"]
    runner.currentDirectoryURL = dir
    runner.standardOutput = FileHandle.nullDevice
    try runner.run()
    defer { if runner.isRunning { runner.terminate() } }
    let state = dir.appendingPathComponent(".runbook/g.state.jsonl").path
    for _ in 0..<100 where !FileManager.default.fileExists(atPath: state) { usleep(50_000) }
    let follow = try RunbookProcess.run(["status", "--follow", ".runbook/g.state.jsonl"], directory: dir)
    runner.waitUntilExit()
    #expect(follow.status == 0)
    #expect(follow.stdout.contains("step 3 (Check the bucket's region): check passed"))
    #expect(follow.stdout.hasSuffix("completed the run\n"), "\(follow.stdout)")
  }
}
