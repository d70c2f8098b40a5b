import Foundation
import RunbookCore
import RunbookEngine
import RunbookReports
import RunbookTestSupport

/// Runbooks and journals written with a fixed clock, for the report tests.
enum ReportFixture {
  static let start = JournalDateFormat.parse("2026-11-28T09:00:00.000Z")!
  static let esc = "\u{1B}"
  static let bel = "\u{07}"
  static let secret = "s3cr3t-XYZ"

  static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

  /// A small runbook: a precondition, a secret input, a derived one, a table with
  /// placeholders and two checks.
  static let database = """
    ---
    title: Connect the reporting database
    id: reporting-db
    description: Point the app at the reporting database.
    inputs:
      db_host: {label: Database host, example: db.example.com}
      db_password: {label: Database password, secret: true}
      dsn: {label: Connection string, value: 'postgres://app@<db_host>:5432/reports'}
    ---

    :::info Before you start
    You need the database administrator's password.
    :::

    ## Connect

    1. Check that the host answers:

       ```sh {check timeout=30s}
       pg_isready -h <db_host>
       ```

    2. Enter these values in **Settings → Database**:

       | Field | Value |
       |---|---|
       | Host | `<db_host>` |
       | Password | `<db_password>` |
       | Connection string | `<dsn>` |

    3. Check that the app can reach the database:

       ```sh {check}
       app-cli db-status --dsn <dsn>
       ```

    4. Tell the team the reports are back.

    """

  /// Hostile text everywhere: title, headings, step text, table cells and an input label.
  static let hostile = #"""
    ---
    title: "Deploy <script>alert(1)</script> </table> & \"quotes\" 'single' \e[31mred\e[0m \e]0;x\a"
    id: hostile
    inputs:
      site_note: {label: "Site note </table> <script>alert(1)</script>"}
    ---

    ## Set up `</table>` & "things"

    1. Run `<script>alert(1)</script>` then `</table>` & "quoted" 'single' ESC[31mred ESC]0;xBEL:

       | Field `</table>` | Value |
       |---|---|
       | `<script>alert(1)</script>` | `<site_note>` |
       | a & b "q" 'r' | `ESC[31m` and `ESC]0;xBEL` |

       ```sh {check}
       echo <site_note>
       ```

    2. Confirm the banner says `<b>done</b>`.

    """#.replacingOccurrences(of: "ESC", with: esc).replacingOccurrences(of: "BEL", with: bel)

  /// A secret input, a value derived from it, and a table that shows both.
  static let token = """
    ---
    title: Install the API token
    id: api-token
    inputs:
      api_token: {label: API token, secret: true}
      auth_header: {label: Authorization header, value: 'Bearer <api_token>'}
      endpoint: {label: API endpoint, example: https://api.example.com}
    ---

    ## Install

    1. Enter the endpoint and token:

       | Setting | Value |
       |---|---|
       | Endpoint | `<endpoint>` |
       | Authorization | `<auth_header>` |
       | Token | `<api_token>` |

       ```sh {check}
       curl -fsS -H "Authorization: Bearer <api_token>" <endpoint>/ping
       ```

    """

  struct Built {
    var runbook: Runbook
    var sha256: String
    var directory: URL
    /// The real path of the state file.
    var statePath: String
    /// The path reports show, the same on every machine.
    var displayPath: String

    var contents: JournalContents { get throws { try Journal.read(at: statePath) } }

    /// The report, built from the journal alone when `journalOnly`.
    func report(journalOnly: Bool = false) throws -> Report {
      let guide = journalOnly ? nil : runbook
      return Report(
        statePath: displayPath, contents: try contents, verification: Journal.verify(at: statePath),
        runbook: guide,
        guideSHA256: guide == nil ? nil : sha256)
    }
  }

  /// Compiles `markdown` as `guide.md` and writes `.runbook/<id>.state.jsonl` with `events`.
  static func build(_ markdown: String, events: (Runbook) -> [Event]) throws -> Built {
    let directory = Paths.temporaryDirectory("report")
    try markdown.write(to: directory.appendingPathComponent("guide.md"), atomically: true, encoding: .utf8)
    let runbook = RunbookCompiler().compile(markdown, file: "guide.md")
    let sha = StepFingerprint.sha256(markdown)
    let display = ".runbook/\(runbook.id).state.jsonl"
    let path = directory.appendingPathComponent(display).path
    let header = JournalHeader(
      runbook: .init(path: "guide.md", id: runbook.id, title: runbook.title, sha256: sha),
      steps: runbook.allSteps.map { .init(id: $0.id, fingerprint: StepFingerprint.of($0)) }, created: start,
      operator: "alice")
    let journal = try Journal.create(
      at: path, header: header, lock: LockInfo(operator: "alice", pid: 100, host: "ops-1", since: start))
    for event in events(runbook) { try journal.append(event) }
    journal.close()
    return Built(runbook: runbook, sha256: sha, directory: directory, statePath: path, displayPath: display)
  }

  static func step(_ runbook: Runbook, _ number: String) -> String {
    runbook.allSteps.first { $0.number == number }!.id
  }

  /// Alice starts and does two steps; Bob resumes an hour later and finishes.
  static func completed() throws -> Built {
    try build(database) { rb in
      let s1 = step(rb, "1")
      let s2 = step(rb, "2")
      let s3 = step(rb, "3")
      let s4 = step(rb, "4")
      return [
        Event(type: .started, at: at(0), operator: "alice", host: "ops-1", pid: 100),
        Event(type: .preconditionAcknowledged, at: at(5), operator: "alice", index: 0),
        Event(type: .stepStarted, at: at(6), operator: "alice", step: s1),
        Event(
          type: .input, at: at(20), operator: "alice", step: s1, input: "db_host",
          value: "db.internal.example"),
        Event(
          type: .check, at: at(21), operator: "alice", step: s1, index: 0,
          text: "pg_isready -h 'db.internal.example'",
          status: 0, passed: true, output: "db.internal.example:5432 - accepting connections\n",
          durationMs: 140),
        Event(type: .stepDone, at: at(30), operator: "alice", step: s1, durationMs: 24_000),
        Event(type: .stepStarted, at: at(30), operator: "alice", step: s2),
        Event(type: .input, at: at(50), operator: "alice", step: s2, input: "db_password", secret: true),
        Event(type: .rowConfirmed, at: at(60), operator: "alice", step: s2, index: 0, table: 0),
        Event(type: .rowConfirmed, at: at(61), operator: "alice", step: s2, index: 1, table: 0),
        Event(type: .rowConfirmed, at: at(62), operator: "alice", step: s2, index: 2, table: 0),
        Event(type: .stepDone, at: at(70), operator: "alice", step: s2, durationMs: 40_000),
        Event(type: .stepStarted, at: at(70), operator: "alice", step: s3),
        Event(type: .paused, at: at(75), operator: "alice"),
        Event(type: .resumed, at: at(3600), operator: "bob", host: "ops-2", pid: 200),
        Event(
          type: .check, at: at(3610), operator: "bob", step: s3, index: 0,
          text: "app-cli db-status --dsn 'postgres://app@db.internal.example:5432/reports'", status: 0,
          passed: true,
          output: "connected\nschema version 42\n", durationMs: 2300),
        Event(type: .stepDone, at: at(3620), operator: "bob", step: s3),
        Event(type: .stepStarted, at: at(3620), operator: "bob", step: s4),
        Event(
          type: .note, at: at(3700), operator: "bob", step: s4,
          text: "Told #reports in chat; Dana confirmed the dashboards load."),
        Event(type: .stepDone, at: at(3710), operator: "bob", step: s4),
        Event(type: .completed, at: at(3710), operator: "bob"),
      ]
    }
  }

  /// Step 2 skipped with a reason, the check of step 3 failed, then paused: a handoff.
  static func partial() throws -> Built {
    try build(database) { rb in
      let s1 = step(rb, "1")
      let s2 = step(rb, "2")
      let s3 = step(rb, "3")
      let output =
        (1...28).map { "connecting (attempt \($0))" }.joined(separator: "\n")
        + "\nerror: connection refused\nhint: is port 5432 open from the app servers?\n"
      return [
        Event(type: .started, at: at(0), operator: "alice", host: "ops-1", pid: 100),
        Event(type: .preconditionAcknowledged, at: at(5), operator: "alice", index: 0),
        Event(type: .stepStarted, at: at(6), operator: "alice", step: s1),
        Event(
          type: .input, at: at(20), operator: "alice", step: s1, input: "db_host",
          value: "db.internal.example"),
        Event(
          type: .check, at: at(21), operator: "alice", step: s1, index: 0,
          text: "pg_isready -h 'db.internal.example'",
          status: 0, passed: true, output: "db.internal.example:5432 - accepting connections\n",
          durationMs: 140),
        Event(type: .stepDone, at: at(30), operator: "alice", step: s1),
        Event(type: .stepStarted, at: at(30), operator: "alice", step: s2),
        Event(
          type: .stepSkipped, at: at(90), operator: "alice", step: s2,
          reason: "Settings are managed by Terraform; applied in PR 1234 instead."),
        Event(type: .stepStarted, at: at(90), operator: "alice", step: s3),
        Event(
          type: .check, at: at(100), operator: "alice", step: s3, index: 0, reason: "it exited with status 2",
          text: "app-cli db-status --dsn 'postgres://app@db.internal.example:5432/reports'", status: 2,
          passed: false, output: output, durationMs: 5100),
        Event(
          type: .note, at: at(110), operator: "alice", step: s3,
          text: "Asked the network team to open port 5432 (ticket NET-77)."),
        Event(type: .paused, at: at(120), operator: "alice"),
      ]
    }
  }

  /// Hostile text in the input value, operator name, check output, skip reason and note.
  static func hostileRun() throws -> Built {
    try build(hostile) { rb in
      let s1 = step(rb, "1")
      let s2 = step(rb, "2")
      let who = "mallory \(esc)[2J<b>"
      let value = "</table><script>alert(1)</script> & \"x\" 'y' \(esc)[31mred\(esc)]0;x\(bel)"
      return [
        Event(type: .started, at: at(0), operator: who, host: "ops-1", pid: 100),
        Event(type: .stepStarted, at: at(1), operator: who, step: s1),
        Event(type: .input, at: at(2), operator: who, step: s1, input: "site_note", value: value),
        Event(type: .rowConfirmed, at: at(3), operator: who, step: s1, index: 0, table: 0),
        Event(type: .rowConfirmed, at: at(4), operator: who, step: s1, index: 1, table: 0),
        Event(
          type: .check, at: at(5), operator: who, step: s1, index: 0,
          reason: "it exited with status 1 </table>",
          text: "echo '\(value)'", status: 1, passed: false,
          output:
            "\(esc)[31mFAILED\(esc)[0m </table> <script>alert(1)</script>\n\(esc)]0;title\(bel)done & \"q\" 'r'\n",
          durationMs: 12),
        Event(
          type: .stepSkipped, at: at(6), operator: who, step: s1,
          reason: "skipped </table> <script>alert(1)</script> \(esc)[31m"),
        Event(type: .stepStarted, at: at(6), operator: who, step: s2),
        Event(
          type: .note, at: at(7), operator: who, step: s2,
          text: "<img src=x onerror=alert(1)> \(esc)[31m | `x` *y*"),
        Event(type: .stepDone, at: at(8), operator: who, step: s2),
        Event(type: .completed, at: at(8), operator: who),
      ]
    }
  }

  /// The token runbook run to the end; with `leak`, the journal holds the secret's value as an
  /// ordinary input (as a journal written before the input was marked secret would).
  static func tokenRun(leak: Bool) throws -> Built {
    try build(token) { rb in
      let s1 = step(rb, "1")
      return [
        Event(type: .started, at: at(0), operator: "alice", host: "ops-1", pid: 100),
        Event(type: .stepStarted, at: at(1), operator: "alice", step: s1),
        Event(
          type: .input, at: at(2), operator: "alice", step: s1, input: "endpoint",
          value: "https://api.example.com"),
        leak
          ? Event(type: .input, at: at(3), operator: "alice", step: s1, input: "api_token", value: secret)
          : Event(type: .input, at: at(3), operator: "alice", step: s1, input: "api_token", secret: true),
        Event(
          type: .check, at: at(4), operator: "alice", step: s1, index: 0,
          text:
            "curl -fsS -H 'Authorization: Bearer \(leak ? secret : SecretMasker.mask)' 'https://api.example.com'/ping",
          status: 0, passed: true, output: leak ? "token \(secret) accepted\n" : "pong\n", durationMs: 80),
        Event(
          type: .note, at: at(5), operator: "alice", step: s1,
          text: leak ? "used \(secret)" : "used \(SecretMasker.mask)"),
        Event(type: .stepDone, at: at(6), operator: "alice", step: s1),
        Event(type: .completed, at: at(6), operator: "alice"),
      ]
    }
  }

  static func remove(_ built: Built) {
    try? FileManager.default.removeItem(at: built.directory)
  }
}
