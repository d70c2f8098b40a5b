import Foundation
import RunbookTestSupport
import Testing

/// `runbook run`, `resume` and `status`, run as the built binary in a temporary directory.
@Suite struct RunCommandTests {
  static let guide = """
    ---
    title: Demo
    inputs:
      region: {label: Region, example: us-east-1, pattern: '[a-z]{2}-[a-z]+-\\d'}
      token: {label: Token, secret: true}
      url: {label: URL, value: 'https://<region>.example.com'}
    ---
    ## Before you begin

    :::info
    You need an account.
    :::

    ## Setup

    1. Pick the region `<region>`.
    2. Fill in:

       | Field | Value |
       |---|---|
       | URL | `<url>` |

    3. Check it:

       ```sh {check}
       test -n "$RUNBOOK_INPUT_TOKEN" && echo token ok for <region>
       ```
    """

  func workspace(_ guide: String = guide) throws -> URL {
    let dir = Paths.temporaryDirectory("run")
    try guide.write(to: dir.appendingPathComponent("demo.md"), atomically: true, encoding: .utf8)
    return dir
  }

  func state(_ dir: URL) throws -> String {
    try String(contentsOf: dir.appendingPathComponent(".runbook/demo.state.jsonl"), encoding: .utf8)
  }

  @Test func answersOnStdinCompleteTheRun() throws {
    let dir = try workspace()
    let result = try RunbookProcess.run(
      ["run", "demo.md", "--interactive", "--operator", "alice"],
      stdin: "y\nEU\neu-west-1\nd\ny\nd\nhunter22\nd\n",
      directory: dir)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("Region must match"))
    #expect(result.stdout.contains("URL   | https://eu-west-1.example.com"))
    #expect(result.stdout.contains("token ok for eu-west-1"))
    #expect(result.stdout.contains("Completed: Demo."))
    let journal = try state(dir)
    #expect(!journal.contains("hunter22"))
    let attributes = try FileManager.default.attributesOfItem(
      atPath: dir.appendingPathComponent(".runbook/demo.state.jsonl").path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let status = try RunbookProcess.run(["status"], directory: dir)
    #expect(status.status == 0)
    #expect(status.stdout.contains("outcome:   completed"))
    #expect(status.stdout.contains("progress:  3 done, 0 skipped, 0 failed, 0 pending of 3 (100%)"))
    #expect(status.stdout.contains("token = provided (secret)"))
    #expect(status.stdout.contains("operators: alice"))
  }

  @Test func answersFileRunsUnattended() throws {
    let dir = try workspace()
    try "region: us-east-2\ntoken: abc-123\n".write(
      to: dir.appendingPathComponent("answers.yaml"), atomically: true, encoding: .utf8)
    let result = try RunbookProcess.run(
      ["run", "demo.md", "--answers", "answers.yaml", "--yes"], directory: dir)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let json = try RunbookProcess.run(["status", "--json"], directory: dir)
    let runs = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(runs.first?["outcome"] as? String == "completed")
    #expect(!(try state(dir)).contains("abc-123"))
  }

  @Test func missingInputsStopBeforeAnyStepWithStatus3() throws {
    let dir = try workspace()
    let result = try RunbookProcess.run(
      ["run", "demo.md", "--non-interactive", "--set", "region=Nowhere"], directory: dir)
    #expect(result.status == 3)
    #expect(
      result.stderr == """
        runbook: 2 inputs are missing or invalid; nothing was run:
          region (Region), needed at step 1 (setup/1): invalid: Region must match [a-z]{2}-[a-z]+-\\d; set it with --set region=VALUE or RUNBOOK_INPUT_REGION
          token (Token), needed at step 3 (setup/3): missing; set it with --set token=VALUE or RUNBOOK_INPUT_TOKEN

        """)
    // A refused run leaves no trace: no state file, so the next run starts afresh.
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".runbook").path))
  }

  @Test func aFailedCheckStopsWithStatus1AndStatusExplainsIt() throws {
    let dir = try workspace()
    let result = try RunbookProcess.run(
      ["run", "demo.md", "--set", "region=us-east-1", "--set", "token=", "--yes"], directory: dir)
    #expect(result.status == 3)
    let failing = try workspace(
      Self.guide.replacingOccurrences(of: "test -n", with: "echo probe failed; test -z"))
    let run = try RunbookProcess.run(
      ["run", "demo.md", "--yes", "--non-interactive", "--set", "region=us-east-1"],
      environment: ["RUNBOOK_INPUT_TOKEN": "t0k3n"],
      directory: failing)
    #expect(run.status == 1)
    #expect(
      run.stderr.contains(
        "runbook: the check of step setup/3 failed: it exited with status 1; the state is saved."))
    let status = try RunbookProcess.run(["status"], directory: failing)
    #expect(status.stdout.contains("outcome:   failed"))
    #expect(status.stdout.contains("failed checks:\n    setup/3 at "))
    #expect(status.stdout.contains("      | probe failed"))
    #expect(status.stdout.contains("resume:    runbook resume .runbook/demo.state.jsonl"))
  }

  @Test func aSecondRunOnTheSameStateIsRefusedWithStatus5() throws {
    let dir = try workspace()
    let holder = Process()
    holder.executableURL = RunbookProcess.executable
    holder.arguments = ["run", "demo.md", "--interactive", "--operator", "alice"]
    holder.currentDirectoryURL = dir
    let input = Pipe()
    holder.standardInput = input
    holder.standardOutput = FileHandle.nullDevice
    try holder.run()
    defer {
      kill(holder.processIdentifier, SIGKILL)
      holder.waitUntilExit()
    }
    // Wait until the first run has written its lock.
    let lockPath = dir.appendingPathComponent(".runbook/demo.state.jsonl.runbook-lock").path
    for _ in 0..<100 where ((try? String(contentsOfFile: lockPath, encoding: .utf8)) ?? "").isEmpty {
      usleep(50_000)
    }
    let second = try RunbookProcess.run(
      ["run", "demo.md", "--interactive", "--operator", "bob"], stdin: "", directory: dir)
    #expect(second.status == 5)
    #expect(
      second.stderr.hasPrefix(
        "runbook: .runbook/demo.state.jsonl is in use by alice (pid \(holder.processIdentifier) on "))
    #expect(second.stderr.contains(" since "))
  }

  @Test func damagedOrForeignStatesAreRefusedAndLeftAlone() throws {
    let dir = try workspace()
    let statePath = dir.appendingPathComponent(".runbook/demo.state.jsonl")
    try FileManager.default.createDirectory(
      at: statePath.deletingLastPathComponent(), withIntermediateDirectories: true)
    try "this is not a state file\n".write(to: statePath, atomically: true, encoding: .utf8)
    let garbage = try RunbookProcess.run(["run", "demo.md", "--non-interactive"], directory: dir)
    #expect(garbage.status == 2)
    #expect(garbage.stderr == "runbook: .runbook/demo.state.jsonl is not a runbook state file\n")
    #expect(try String(contentsOf: statePath, encoding: .utf8) == "this is not a state file\n")

    try FileManager.default.removeItem(at: statePath)
    try "---\nid: other\n---\n## X\n\n1. Y.\n".write(
      to: dir.appendingPathComponent("other.md"), atomically: true, encoding: .utf8)
    _ = try RunbookProcess.run(
      ["run", "other.md", "--state", ".runbook/demo.state.jsonl", "--yes"], directory: dir)
    let before = try String(contentsOf: statePath, encoding: .utf8)
    let foreign = try RunbookProcess.run(["run", "demo.md", "--non-interactive"], directory: dir)
    #expect(foreign.status == 2)
    #expect(foreign.stderr.contains("belongs to runbook other (other.md), not demo; choose another --state"))
    #expect(try String(contentsOf: statePath, encoding: .utf8) == before)
  }

  @Test func aTornLastLineIsSetAsideAndTheRunContinues() throws {
    let dir = try workspace()
    _ = try RunbookProcess.run(
      ["run", "demo.md", "--interactive"], stdin: "y\nus-east-1\nd\n", directory: dir)
    let statePath = dir.appendingPathComponent(".runbook/demo.state.jsonl").path
    let handle = try #require(FileHandle(forWritingAtPath: statePath))
    handle.seekToEndOfFile()
    handle.write(Data("{\"at\":\"2026-11-28T10:00:00.000Z\",\"oper".utf8))
    try handle.close()
    let result = try RunbookProcess.run(
      ["run", "demo.md", "--interactive"], stdin: "y\nd\nhunter2\nd\n", directory: dir)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("torn"))
    #expect(result.stdout.contains("Resuming Demo: 1 of 3 steps done."))
    let verify = try RunbookProcess.run(["status", ".runbook/demo.state.jsonl"], directory: dir)
    #expect(verify.stdout.contains("outcome:   completed"))
  }

  @Test func killedMidRunResumesAndFinishes() throws {
    let slow = Self.guide.replacingOccurrences(of: "test -n", with: "sleep 20; test -n")
    let dir = try workspace(slow)
    let victim = Process()
    victim.executableURL = RunbookProcess.executable
    victim.arguments = [
      "run", "demo.md", "--yes", "--non-interactive", "--set", "region=us-east-1", "--set", "token=abc",
    ]
    victim.currentDirectoryURL = dir
    victim.standardOutput = FileHandle.nullDevice
    try victim.run()
    let statePath = dir.appendingPathComponent(".runbook/demo.state.jsonl").path
    for _ in 0..<200
    where !((try? String(contentsOfFile: statePath, encoding: .utf8)) ?? "").contains("\"step\":\"setup/3\"")
    {
      usleep(50_000)
    }
    kill(victim.processIdentifier, SIGKILL)
    victim.waitUntilExit()
    let before = try String(contentsOfFile: statePath, encoding: .utf8)
    #expect(before.contains("\"step-done\""))
    let fast = Self.guide
    try fast.write(to: dir.appendingPathComponent("demo.md"), atomically: true, encoding: .utf8)
    let resumed = try RunbookProcess.run(
      ["resume", ".runbook/demo.state.jsonl", "--yes", "--set", "token=abc"], directory: dir)
    #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
    let after = try String(contentsOfFile: statePath, encoding: .utf8)
    #expect(after.hasPrefix(before))
    #expect(after.contains("\"completed\""))
  }

  @Test func anEditedRunbookReopensTheChangedStep() throws {
    let dir = try workspace()
    _ = try RunbookProcess.run(
      ["run", "demo.md", "--interactive"], stdin: "y\nus-east-1\nd\ny\nd\nq\n", directory: dir)
    try Self.guide.replacingOccurrences(of: "2. Fill in:", with: "2. Fill in exactly:")
      .write(to: dir.appendingPathComponent("demo.md"), atomically: true, encoding: .utf8)
    let result = try RunbookProcess.run(["run", "demo.md", "--interactive"], stdin: "q\n", directory: dir)
    #expect(result.stdout.contains("The runbook changed since the state was written."))
    #expect(result.stdout.contains("Reopened because they changed: setup/2"))
    #expect(result.status == 4)
  }

  @Test func secretsAreNotEchoedAndCtrlCStopsSafely() throws {
    let dir = try workspace()
    let script = dir.appendingPathComponent("script.json")
    try """
    [["Is this true?", "y"], ["> ", "us-east-1"], ["help:", "d"], ["Confirm?", "a"], ["help:", "d"],
     ["(secret, not shown)", "Sup3rS3cret"], ["help:", "^C"]]
    """.write(to: script, atomically: true, encoding: .utf8)
    let pty = Process()
    pty.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    pty.arguments = [
      "python3", Paths.packageRoot.appendingPathComponent("Tests/Support/pty_run.py").path, script.path, "--",
      RunbookProcess.executable.path, "run", "demo.md",
    ]
    pty.currentDirectoryURL = dir
    var env = ProcessInfo.processInfo.environment
    env["TERM"] = "xterm"
    pty.environment = env
    let out = Pipe()
    pty.standardOutput = out
    try pty.run()
    let transcript = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    pty.waitUntilExit()
    #expect(transcript.contains("us-east-1"))
    #expect(!transcript.contains("Sup3rS3cret"), "\(transcript)")
    #expect(transcript.contains("token ok for us-east-1"))
    #expect(pty.terminationStatus == 130, "\(transcript)")
    #expect(transcript.contains("To continue: runbook resume .runbook/demo.state.jsonl"))
    #expect(!(try state(dir)).contains("Sup3rS3cret"))
  }
}
