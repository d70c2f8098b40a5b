import Foundation
import RunbookEngine
import RunbookTestSupport
import Testing

/// The guided run's screen (issue 17, item 7), through the real program in a pseudo-terminal:
/// what the admin sees at 60 and 80 columns.
@Suite struct ScreenTests {
  static let guide = """
    ---
    title: Rotating the certificate of the reverse proxy
    inputs:
      host:
        label: Host name
        help: The host whose certificate is rotated, such as proxy-01.internal.example.com; the rest of the runbook keeps its files in /etc/nginx/certificates/proxy-01.internal.example.com/fullchain.pem and beside it.
      token: {label: Deploy token, secret: true}
    ---
    ## Rotate

    1. Copy the certificate to `<host>`.

       1. Make the folder for `<host>` with the deploy token `<token>`.

       2. Check the folder:

          ```sh {check}
          echo line 1
          echo line 2
          echo line 3
          echo line 4
          echo line 5
          echo line 6
          echo line 7
          echo line 8
          echo line 9
          echo line 10
          echo line 11
          echo line 12
          echo line 13
          echo line 14 is the last one
          ```

    2. Reload nginx on `<host>`:

       ```sh {check retries=3 interval=0.2s}
       n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count
       echo "attempt $n begins"
       sleep 1.5
       echo "attempt $n ends"
       [ "$n" -ge 2 ]
       ```
    """

  func workspace() throws -> URL {
    let dir = Paths.temporaryDirectory("screens")
    try Self.guide.write(to: dir.appendingPathComponent("g.md"), atomically: true, encoding: .utf8)
    return dir
  }

  /// The terminal's text with the status line of a running command taken out (drawn with
  /// `\r ESC[K` and erased the same way), and `\r\n` as `\n`.
  static func screen(_ transcript: String) -> String {
    var text = transcript.replacingOccurrences(of: "\r\n", with: "\n")
    while let start = text.range(of: "\r\u{1B}[K") {
      var end = start.upperBound
      if text[end...].hasPrefix("  ⋯ ") {
        end = text[end...].firstIndex { $0 == "\r" || $0 == "\n" } ?? text.endIndex
      }
      text.removeSubrange(start.lowerBound..<end)
    }
    return text
  }

  static func lines(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  /// A whole run at 80 columns: the header above each step, sub-steps under their parent's
  /// title, the parent finished after them, long code folded and shown in full with `v`, the
  /// attempt counter and the status line of a check that runs longer than a second.
  @Test func aRunShowsHeaderSubStepsFoldAttemptsAndProgress() throws {
    let dir = try workspace()
    let result = try RunbookProcess.runInTerminal(
      ["run", "g.md"],
      script: [
        ("  > ", "proxy-01"), ("go on to its sub-steps", ""), ("(secret, not shown)", "s3cret-value"),
        ("help:", "d"), ("help:", "v"), ("help:", "d"), ("its sub-steps are finished", "d"),
        // Not "help:": the prompt just answered has one; wait for step 2's check instead.
        ("✓ Check passed", "d"),
      ], directory: dir, environment: ["PTY_COLUMNS": "80"])
    #expect(result.status == 0, "\(result.stdout)")
    let screen = Self.screen(result.stdout)
    // The first screen names the runbook and its state file, and so does each step.
    #expect(screen.hasPrefix("Rotating the certificate of the reverse proxy\nState: "))
    #expect(
      screen.contains(
        "Rotating the certificate of the reverse proxy · .runbook/g.state.jsonl\nStep 1 · 1 of 4"))
    // A sub-step under its parent's title, with the value filled in (the secret never).
    #expect(
      screen.contains(
        "Rotating the certificate of the reverse proxy · .runbook/g.state.jsonl\nStep 1: Copy the certificate to proxy-01.\nStep 1.1 · 2 of 4"
      ))
    #expect(!result.stdout.contains("s3cret-value"))
    // The parent is offered its sub-steps first, and finished after them.
    let goOn = try #require(screen.range(of: "[Enter] go on to its sub-steps"))
    let sub = try #require(screen.range(of: "Step 1.1 · 2 of 4"))
    let back = try #require(screen.range(of: "Step 1 · 1 of 4 · its sub-steps are finished"))
    #expect(goOn.lowerBound < sub.lowerBound && sub.lowerBound < back.lowerBound)
    let events = try FileStore().read(RunID(dir.appendingPathComponent(".runbook/g.state.jsonl").path)).events
    let done = events.filter { $0.type == .stepDone }.compactMap(\.step)
    #expect(done == ["rotate/1.1", "rotate/1.2", "rotate/1", "rotate/2"])
    // Long code folded (in the step and where it runs), the rest one key away.
    #expect(screen.contains("    echo line 6\n    … 8 more lines (v shows all of it)"))
    let view = try #require(screen.range(of: "[v]iew code"))
    #expect(screen[view.upperBound...].contains("    echo line 14 is the last one"))
    #expect(!screen[..<view.lowerBound].contains("echo line 14"))
    // Retries counted, and the check alive while it sleeps, without garbling its output.
    #expect(screen.contains("Checking (up to 4 attempts):"))
    #expect(
      screen.contains(
        "\nattempt 1 begins\nattempt 1 ends\n  ↻ Attempt 2 of 4, after 200ms\nattempt 2 begins\n"))
    #expect(result.stdout.contains("\r\u{1B}[K  ⋯ running 1s · attempt 1 of 4 · attempt 1 begins"))
    #expect(result.stdout.contains("  ⋯ running 1s · attempt 2 of 4"))
  }

  /// At 60 columns nothing the program writes breaks inside a word or a path: prose, input
  /// help, the keys listed by `?`, prompts. `?` lists only the keys valid at that prompt.
  @Test func sixtyColumnsWrapAtWordBoundariesAndHelpListsTheKeysOfThePrompt() throws {
    let dir = try workspace()
    let result = try RunbookProcess.runInTerminal(
      ["run", "g.md"],
      script: [
        ("  > ", "?"), ("  > ", "proxy-01"), ("go on to its sub-steps", "?"), ("help:", "x"),
        ("help:", ""), ("(secret, not shown)", "s3cret-value"), ("help:", "?"), ("help:", "d"),
        ("help:", "?"), ("help:", "q"),
      ], directory: dir, environment: ["PTY_COLUMNS": "60"])
    #expect(result.status == 4, "\(result.stdout)")
    let screen = Self.screen(result.stdout)
    let lines = Self.lines(screen)
    // Code is shown as written (the terminal folds a long line); every other line fits, or
    // is one word too long for any line, kept whole.
    for line in lines where !line.hasPrefix("    ") {
      let words = line.split(separator: " ")
      #expect(line.count <= 60 || words.count == 1, "too wide: \(line)")
    }
    let path = "/etc/nginx/certificates/proxy-01.internal.example.com/fullchain.pem"
    #expect(lines.contains { $0.split(separator: " ").contains { $0 == Substring(path) } })
    // Every word of the input's help is on the screen whole.
    let words = Set(lines.flatMap { $0.split(separator: " ").map(String.init) })
    let help =
      "The host whose certificate is rotated, such as proxy-01.internal.example.com; the rest of the runbook keeps its files in /etc/nginx/certificates/proxy-01.internal.example.com/fullchain.pem and beside it."
    for word in help.split(separator: " ") { #expect(words.contains(String(word)), "broken: \(word)") }
    // `?` per prompt: at the input, what may be typed instead of a value.
    let sections = screen.components(separatedBy: "\n  > ")
    #expect(sections.count > 2)
    let atInput = try #require(sections.dropFirst().first)
    #expect(atInput.contains(":q") && atInput.contains(":back") && !atInput.contains("d, done"))
    // At the parent waiting for its sub-steps: Enter goes on; no done, no view (nothing folded).
    let prompts = screen.components(separatedBy: "help: ")
    let atParent = try #require(prompts.dropFirst().first)
    #expect(atParent.contains("Enter, d, done") && atParent.contains("go on to the sub-steps"))
    #expect(!atParent.contains("v, view") && !atParent.contains("r, retry") && !atParent.contains("y, yes"))
    // An unknown key gets one line.
    #expect(screen.contains("\n  Please type one of the keys shown (? lists them).\n"))
    // At step 1.2, whose check is folded: view is listed.
    let atCheck = try #require(prompts.last(where: { $0.contains("v, view") }))
    #expect(atCheck.contains("d, done") && atCheck.contains("show the long code of this"))
    // Prompts wrap at a word boundary too.
    #expect(!lines.contains { $0.count > 60 && $0.contains("[") })
  }

  /// Output that is not a terminal gets no status line: the check's output, plain.
  @Test func withoutATerminalARunningCheckPrintsItsOutputPlain() throws {
    let dir = try workspace()
    let result = try RunbookProcess.run(
      ["run", "g.md", "--interactive"], stdin: "proxy-01\n\ns3cret-value\nd\nd\nd\nd\n", directory: dir)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(!result.stdout.contains("\u{1B}") && !result.stdout.contains("⋯ running"))
    #expect(
      result.stdout.contains(
        "\nattempt 1 begins\nattempt 1 ends\n  ↻ Attempt 2 of 4, after 200ms\nattempt 2 begins\n"))
  }

  /// Values filled into step titles in `status`, `status --json` and the reports, secrets
  /// never.
  @Test func statusAndReportsShowTitlesWithValuesFilledIn() throws {
    let dir = try workspace()
    let result = try RunbookProcess.runInTerminal(
      ["run", "g.md"],
      script: [
        ("  > ", "proxy-01"), ("go on to its sub-steps", ""), ("(secret, not shown)", "s3cret-value"),
        ("help:", "q"),
      ], directory: dir, environment: ["PTY_COLUMNS": "80"])
    #expect(result.status == 4, "\(result.stdout)")
    let state = ".runbook/g.state.jsonl"
    let status = try RunbookProcess.run(["status", state], directory: dir)
    #expect(
      status.stdout.contains("current:   step 1 · Copy the certificate to proxy-01. (rotate/1)"),
      "\(status.stdout)")
    let json = try RunbookProcess.run(["status", state, "--json"], directory: dir)
    #expect(
      json.stdout.contains("\"title\" : \"Make the folder for proxy-01 with the deploy token <token>.\""))
    let follow = try RunbookProcess.run(["status", "--follow", state], directory: dir)
    #expect(follow.stdout.contains("step 1.1 (Make the folder for proxy-01 with the deploy token <token>.)"))
    #expect(!follow.stdout.contains("<host>") && !follow.stdout.contains("s3cret-value"))
    for format in ["markdown", "html", "json"] {
      let report = try RunbookProcess.run(["report", state, "--format", format], directory: dir)
      #expect(report.stdout.contains("Reload nginx on proxy-01"), "\(format)")
      #expect(!report.stdout.contains("<host>") && !report.stdout.contains("&lt;host&gt;"), "\(format)")
      #expect(!report.stdout.contains("s3cret-value"), "\(format)")
    }
  }
}
