import Foundation
import RunbookEngine
import RunbookTestSupport
import Testing

/// Values that commands produce (`{run capture=ID}`, issue 21), through the real program.
@Suite struct CaptureTests {
  static let guide = """
    ---
    title: Capture
    inputs:
      pool_id: {label: Pool ID, pattern: '^[a-z]+-\\d+$', message: A pool ID looks like pool-42}
      token: {label: Token, secret: true}
    ---
    ## Set up

    1. Create the pool:

       ```sh {run capture=pool_id}
       echo "creating the pool" >&2
       printf '%s\\n' "$(cat pool.txt)"
       ```

    2. Get a token:

       ```sh {run capture=token}
       printf 'tok-%s\\n' s3cr3t-value-42
       ```

    3. Use them:

       ```sh {check}
       echo "pool <pool_id>, token of ${#RUNBOOK_INPUT_TOKEN} characters"
       echo "token: $RUNBOOK_INPUT_TOKEN"
       ```
    """

  static let secret = "tok-s3cr3t-value-42"

  /// A folder with the guide, and `pool.txt`, what the first command prints (a stand-in for
  /// the cloud's answer).
  func workspace(pool: String = "") throws -> URL {
    let dir = Paths.temporaryDirectory("capture")
    try Self.guide.write(to: dir.appendingPathComponent("g.md"), atomically: true, encoding: .utf8)
    try pool.write(to: dir.appendingPathComponent("pool.txt"), atomically: true, encoding: .utf8)
    return dir
  }

  func journal(_ dir: URL) throws -> (events: [Event], text: String) {
    let path = dir.appendingPathComponent(".runbook/g.state.jsonl").path
    return (try FileStore().read(RunID(path)).events, try String(contentsOfFile: path, encoding: .utf8))
  }

  @Test func anUnattendedRunCapturesValuesAndNeverWritesACapturedSecret() throws {
    let dir = try workspace(pool: "pool-42")
    let result = try RunbookProcess.run(["run", "g.md", "--yes"], directory: dir)
    #expect(result.status == 0, "\(result.stderr)")
    // The later check got both values; what it printed of the secret is masked.
    #expect(result.stdout.contains("pool pool-42, token of 19 characters"))
    #expect(result.stdout.contains("token: ••••••"))
    #expect(result.stdout.contains("creating the pool"))
    #expect(!result.stdout.contains(Self.secret))
    let (events, text) = try journal(dir)
    let pool = try #require(events.first { $0.type == .input && $0.input == "pool_id" })
    #expect(pool.value == "pool-42" && pool.step == "set-up/1" && pool.index == 0)
    let token = try #require(events.first { $0.type == .input && $0.input == "token" })
    #expect(token.secret == true && token.value == nil)
    #expect(!text.contains(Self.secret))
    let report = try RunbookProcess.run(["report", ".runbook/g.state.jsonl"], directory: dir)
    #expect(report.status == 0, "\(report.stderr)")
    #expect(report.stdout.contains("pool-42"))
    #expect(!report.stdout.contains(Self.secret))
    let status = try RunbookProcess.run(["status", ".runbook/g.state.jsonl"], directory: dir)
    #expect(status.stdout.contains("pool_id = pool-42"), "\(status.stdout)")
  }

  @Test(arguments: [
    ("", "it printed nothing to capture as Pool ID (`pool_id`)"),
    (
      "Pool 42",
      "it printed `Pool 42`, which is not a valid Pool ID (`pool_id`): A pool ID looks like pool-42"
    ),
  ])
  func anEmptyOrInvalidCaptureStopsAnUnattendedRunInOneLine(pool: String, message: String) throws {
    let dir = try workspace(pool: pool)
    let result = try RunbookProcess.run(["run", "g.md", "--yes"], directory: dir)
    #expect(result.status == 1)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("step set-up/1: The command failed: \(message)"), "\(result.stderr)")
    #expect(result.stderr.contains("runbook resume"))
    let (events, _) = try journal(dir)
    #expect(!events.contains { $0.type == .input && $0.input == "pool_id" })
    #expect(events.last { $0.type == .command }?.passed == false)
  }

  /// A captured value is an answer like any other: `--set` on a resume changes it and reopens
  /// the steps that used it, but not the step whose command produced it.
  @Test func aCapturedValueIsChangedLikeAnAnswer() throws {
    let dir = try workspace(pool: "pool-42")
    let first = try RunbookProcess.run(["run", "g.md", "--yes"], directory: dir)
    #expect(first.status == 0, "\(first.stderr)")
    // A captured secret, like a typed one, lives only in the process that captured it: the
    // reopened check needs it again.
    let withoutSecret = try RunbookProcess.run(
      ["resume", ".runbook/g.state.jsonl", "--yes", "--set", "pool_id=pool-7"], directory: dir)
    #expect(withoutSecret.status == 3)
    #expect(
      withoutSecret.stderr.contains("token (Token), needed at step 3 (set-up/3): missing"),
      "\(withoutSecret.stderr)")
    let again = try RunbookProcess.run(
      ["resume", ".runbook/g.state.jsonl", "--yes", "--set", "pool_id=pool-7"],
      environment: ["RUNBOOK_INPUT_TOKEN": Self.secret], directory: dir)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.contains("pool pool-7, token of 19 characters"), "\(again.stdout)")
    let (events, _) = try journal(dir)
    let changed = try #require(events.first { $0.type == .inputChanged })
    #expect(changed.input == "pool_id" && changed.value == "pool-7" && changed.from == "pool-42")
    #expect(events.filter { $0.type == .stepReopened }.compactMap(\.step) == ["set-up/3"])
  }

  /// In a terminal: a captured value is shown after its command, a secret masked; a command not
  /// run leaves its input to be typed where a step needs it.
  @Test func aGuidedRunShowsCapturesAndAsksWhenTheCommandIsNotRun() throws {
    let dir = try workspace()
    let result = try RunbookProcess.runInTerminal(
      ["run", "g.md"],
      script: [
        ("Run it?", "n"), ("help:", "d"), ("Run it?", "r"), ("help:", "d"), ("Pool ID", "pool-9"),
        ("help:", "q"),
      ], directory: dir)
    #expect(result.status == 4, "\(result.stdout)")
    #expect(result.stdout.contains("✓ Token: ••••••"), "\(result.stdout)")
    #expect(result.stdout.contains("pool pool-9, token of 19 characters"))
    #expect(!result.stdout.contains(Self.secret))
    let (events, text) = try journal(dir)
    let pool = try #require(events.first { $0.type == .input && $0.input == "pool_id" })
    #expect(pool.value == "pool-9" && pool.index == nil)
    #expect(events.first { $0.type == .input && $0.input == "token" }?.index == 0)
    #expect(!text.contains(Self.secret))
  }

  @Test func lintRefusesACaptureIntoAnUndeclaredInput() throws {
    let dir = Paths.temporaryDirectory("capture-lint")
    try """
    ## Set up

    1. Create it:

       ```sh {run capture=pool_idd}
       echo pool-1
       ```

    2. Check it:

       ```sh {check capture=pool_id}
       echo <pool_id>
       ```
    """.write(to: dir.appendingPathComponent("g.md"), atomically: true, encoding: .utf8)
    let result = try RunbookProcess.run(["lint", "g.md"], directory: dir)
    #expect(result.status != 0)
    #expect(
      result.stdout.contains(
        "error: the command captures into `pool_idd`, which is not declared under `inputs:` in the front matter"
      ),
      "\(result.stdout)")
    #expect(result.stdout.contains("[undeclared-capture]"))
    #expect(
      result.stdout.contains(
        "`capture` only applies to `{run}` blocks; write `{run capture=INPUT}` [invalid-capture]"))
  }
}
