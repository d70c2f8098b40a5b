import Foundation
import RunbookTestSupport
import Testing

/// Guides nested far beyond anything written by hand (issue 18): emphasis, strikethrough and
/// images 100,001 levels deep in a heading, a step, a table cell and a note, and admonitions and
/// tabs nested as deep. Every command that reads the guide finishes with a warning instead of
/// overflowing the stack (before the fix: a segmentation fault, status 139).
@Suite(.serialized) struct DeepNestingTests {
  static let levels = 100_001

  /// `open` `a ` … `b` … ` b` `close`, `levels` deep.
  static func nest(_ open: String, _ close: String) -> String {
    String(repeating: open + "a ", count: levels) + "b" + String(repeating: " b" + close, count: levels)
  }

  static let emphasisWarning =
    "warning: emphasis, links or strikethrough are nested more than 64 deep here; the deeper text is kept without markup [nesting-too-deep]"
  static let groupWarning =
    "warning: admonitions or tabs are nested more than 64 deep here; the deeper ones are kept as the content around them [nesting-too-deep]"

  /// A guide with every kind of deep inline nesting, nested admonitions, and a check that fails
  /// until a file exists (so that a run stops and can be resumed).
  static func guide(in w: Workspace) -> String {
    let admonitions =
      String(repeating: ":::note\n\n", count: levels) + "deep\n\n"
      + String(repeating: ":::\n\n", count: levels)
    return w.write(
      "deep.md",
      """
      ---
      id: deep
      ---
      # Deep

      ## Section \(nest("*", "*"))

      \(admonitions)
      1. Prepare \(nest("_", "_"))

         | key | value |
         |-----|-------|
         | a   | \(nest("~~", "~~")) |

         :::note
         \(nest("![", "](x.png)"))
         :::

      2. Check:

         ```sh {check}
         test -f \(w.path)/flag
         ```

      """)
  }

  static func tabsGuide(in w: Workspace) -> String {
    w.write(
      "tabs.md",
      "# Tabs\n\n## S\n\n" + String(repeating: "<Tabs>\n<TabItem value=\"a\">\n\n", count: levels) + "1. Go\n"
    )
  }

  @Test func showAndLintWarnInsteadOfCrashing() throws {
    let w = Workspace()
    defer { w.remove() }
    let path = Self.guide(in: w)
    let tabs = Self.tabsGuide(in: w)
    let show = try CLI.expect(["show", path], status: 0, stderr: .none, stdout: ["## Section a a a"])
    #expect(
      show.stdout.components(separatedBy: Self.emphasisWarning).count - 1 == 4, "\(show.stdout.suffix(2000))")
    #expect(show.stdout.contains("\(path):134:1: " + Self.groupWarning), "the 64th admonition")
    try CLI.expect(["show", "--json", tabs], status: 0, stderr: .none, stdout: ["\"nesting-too-deep\""])
    // A whole folder, linted on every core.
    let lint = try CLI.expect(
      ["lint", w.path], status: 0, stderr: .line("2 files checked: 0 errors, 6 warnings"))
    #expect(lint.stdout.contains("\(tabs):98:1: " + Self.groupWarning))
  }

  @Test func runResumeStatusAndReportFinish() throws {
    let w = Workspace()
    defer { w.remove() }
    let path = Self.guide(in: w)
    let state = w.path + "/deep.state.jsonl"
    let run = try CLI.run(["run", "--non-interactive", "--yes", "--state", state, path])
    #expect(run.status == 1, "\(run.stderr)")
    // The heading's text (deeper than 64 levels, unstyled) is the section's id.
    #expect(run.stderr.hasPrefix("runbook: the check of step section-a-a-a-a"), "\(run.stderr.prefix(300))")
    #expect(run.stderr.contains("-b/2 failed: it exited with status 1"), "\(run.stderr.suffix(300))")
    #expect(FileManager.default.createFile(atPath: w.path + "/flag", contents: nil))
    let resume = try CLI.run(["resume", "--non-interactive", "--yes", state])
    #expect(resume.status == 0, "\(resume.stderr)")
    try CLI.expect(["status", state], status: 0, stderr: .none, stdout: ["outcome:   completed"])
    try CLI.expect(["report", state], status: 0, stderr: .none, stdout: ["| a a a a"])
    try CLI.expect(
      ["report", "--format", "html", state], status: 0, stderr: .none, stdout: ["<td class=\"cell\">a a a a"])
  }
}
