import Foundation
import RunbookEngine
import RunbookTestSupport
import Testing

/// A secret never reaches the screen, the state file, `status` or a report in any form a shell or
/// a tool prints it (issue 18): as given, single-quoted as `bash -x` writes it, backslash-escaped
/// as `printf %q` writes it, JSON-escaped, percent-encoded, and followed by a combining mark, a
/// variation selector or an emoji modifier; nor in a note, a skip reason or a value that holds it.
@Suite struct SecretFormTests {
  /// Quotes, a backslash, a dollar and spaces, so that every form differs from the others.
  static let secret = #"it's "S3cr3t" \ $x"#

  /// Every form the masker must catch, and the HTML-escaped form of each (the HTML report).
  static var forms: [String] {
    let base = [
      secret,
      #"it'\''s "S3cr3t" \ $x"#,  // bash -x
      #"it\'s\ \"S3cr3t\"\ \\\ \$x"#,  // printf %q
      #"it's \"S3cr3t\" \\ $x"#,  // JSON
      "it%27s%20%22S3cr3t%22%20%5C%20%24x",  // percent-encoded
    ]
    return base
      + base.map {
        $0.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
          .replacingOccurrences(of: "'", with: "&#39;").replacingOccurrences(of: "<", with: "&lt;")
      }
  }

  static func guide(_ w: Workspace) -> String {
    w.write(
      "g.md",
      #"""
      ---
      id: sf
      inputs:
        token: {secret: true, label: Token}
        user: {label: User, required: false}
        url: {value: "https://u:<token>@example.com/"}
      ---
      # Secrets

      ## S

      1. Print it in every form:

         ```bash {run}
         set -x; echo "$RUNBOOK_INPUT_TOKEN" >/dev/null; set +x
         printf '%q\n' "$RUNBOOK_INPUT_TOKEN"
         python3 -c 'import json,os,urllib.parse as u; t=os.environ["RUNBOOK_INPUT_TOKEN"]; print(json.dumps(t)); print(u.quote(t, safe=""))'
         printf '%s\xcc\x81 %s\xef\xb8\x8f %s\xf0\x9f\x8f\xbb\n' "$RUNBOOK_INPUT_TOKEN" "$RUNBOOK_INPUT_TOKEN" "$RUNBOOK_INPUT_TOKEN"
         echo user <user> at <url>
         ```

      2. Note it.

      3. Skip it.

      4. Fail:

         ```sh {check}
         echo "$RUNBOOK_INPUT_TOKEN"; false
         ```

      """#)
  }

  static func expectNoSecret(
    _ text: String, in place: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for form in forms {
      #expect(!text.contains(form), "\(place) shows the secret as \(form)", sourceLocation: sourceLocation)
    }
    #expect(!text.contains("S3cr3t"), "\(place): \(text.suffix(3000))", sourceLocation: sourceLocation)
  }

  @Test func noFormOfTheSecretIsShownOrStored() throws {
    let w = Workspace()
    defer { w.remove() }
    let guide = Self.guide(w)
    let state = w.path + "/sf.state.jsonl"
    // Typed at the prompts: the secret, run, done; a note holding it, done; a skip reason
    // holding it; then quit at the failed check.
    let answers = [
      Self.secret, "r", "d", "n", "note with \(Self.secret) inside", "d", "s", "reason \(Self.secret) here",
      "q",
    ]
    let run = try RunbookProcess.run(
      ["run", "--interactive", "--state", state, "--set", "user=alice", guide],
      stdin: answers.joined(separator: "\n") + "\n", directory: w.url)
    #expect(run.status == 4, "\(run.stderr)")
    #expect(run.stdout.contains("\nuser alice at https://u:••••••@example.com/\n"), "\(run.stdout)")
    #expect(
      run.stdout.contains("\n••••••\n\"••••••\"\n••••••\n••••••\u{301} ••••••\u{FE0F} ••••••\u{1F3FB}\n"))
    Self.expectNoSecret(run.stdout + run.stderr, in: "the run")
    Self.expectNoSecret(try String(contentsOfFile: state, encoding: .utf8), in: "the state file")

    let status = try CLI.run(["status", state], directory: w.path)
    #expect(status.stdout.contains("reason •••••• here"))
    #expect(status.stdout.contains("note with •••••• inside"))
    Self.expectNoSecret(status.stdout, in: "status")
    Self.expectNoSecret(
      try CLI.run(["status", "--json", state], directory: w.path).stdout, in: "status --json")
    for format in ["markdown", "html", "json"] {
      let report = try CLI.run(["report", "--format", format, state], directory: w.path)
      #expect(report.status == 0)
      Self.expectNoSecret(report.stdout, in: "the \(format) report")
    }
  }

  /// A value that holds the secret is recorded like a secret, and shown masked.
  @Test func aValueHoldingTheSecretIsKeptLikeTheSecret() throws {
    let w = Workspace()
    defer { w.remove() }
    let guide = Self.guide(w)
    let state = w.path + "/sf.state.jsonl"
    let run = try RunbookProcess.run(
      [
        "run", "--non-interactive", "--yes", "--state", state, "--set", "user=pre-\(Self.secret)-post", guide,
      ],
      environment: ["RUNBOOK_INPUT_TOKEN": Self.secret], directory: w.url)
    #expect(run.status == 1, "\(run.stderr)")
    #expect(run.stdout.contains("\nuser pre-••••••-post at https://u:••••••@example.com/\n"), "\(run.stdout)")
    Self.expectNoSecret(run.stdout, in: "the run")
    let user = try #require(try journalEvents(state).first { $0.input == "user" })
    #expect(user.value == nil)
    #expect(user.secret == true)
    Self.expectNoSecret(try String(contentsOfFile: state, encoding: .utf8), in: "the state file")

    // Guided, the command is shown before it runs: the value's quoted form is masked there.
    let guided = try RunbookProcess.run(
      [
        "run", "--interactive", "--state", w.path + "/g.state.jsonl", "--set", "user=pre-\(Self.secret)-post",
        "--set", "token=\(Self.secret)", guide,
      ],
      stdin: "q\n", directory: w.url)
    #expect(
      guided.stdout.contains("echo user 'pre-••••••-post' at 'https://u:••••••@example.com/'"),
      "\(guided.stdout)")
    Self.expectNoSecret(guided.stdout, in: "the guided run")
  }

  /// `status` masks the value of an input that the guide declared secret after the value was
  /// recorded.
  @Test func statusMasksAnInputDeclaredSecretLater() throws {
    let w = Workspace()
    defer { w.remove() }
    let text = "---\nid: later\ninputs:\n  key: {label: Key}\n---\n# Later\n\n## S\n\n1. Use `<key>`.\n"
    let guide = w.write("later.md", text)
    let state = w.path + "/later.state.jsonl"
    let run = try CLI.run([
      "run", "--non-interactive", "--yes", "--state", state, "--set", "key=V4lue-123", guide,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    w.write("later.md", text.replacingOccurrences(of: "{label: Key}", with: "{label: Key, secret: true}"))
    let status = try CLI.run(["status", state], directory: w.path)
    #expect(status.stdout.contains("key = provided (secret)"), "\(status.stdout)")
    #expect(!status.stdout.contains("V4lue-123"))
    #expect(!(try CLI.run(["report", state], directory: w.path)).stdout.contains("V4lue-123"))
  }
}
