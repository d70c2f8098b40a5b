import Foundation
import RunbookCore
import Testing

@testable import RunbookReports

/// The escaping and formatting helpers.
@Suite struct ReportTextTests {
  @Test(arguments: [
    ("plain text", "plain text"),
    ("a | b", "a \\| b"),
    (
      "*bold* _em_ `code` [link](x) <b> ~s~ #1 $x$",
      "\\*bold\\* \\_em\\_ \\`code\\` \\[link\\](x) \\<b\\> \\~s\\~ \\#1 \\$x\\$"
    ),
    ("user_pool_id", "user_pool_id"),
    ("two\nlines\r\nand\ttab", "two lines and tab"),
    ("AT&T &amp; &#60;", "AT&T \\&amp; \\&\\#60;"),
    ("back\\slash", "back\\\\slash"),
  ])
  func markdownEscaping(input: String, expected: String) {
    #expect(ReportText.markdown(input) == expected)
  }

  @Test func codeBlockFenceOutgrowsBackticks() {
    #expect(ReportText.codeBlock("echo hi\n") == "```\necho hi\n```")
    #expect(ReportText.codeBlock("a ``` b\n````") == "`````\na ``` b\n````\n`````")
  }

  @Test func durations() {
    #expect(ReportText.duration(nil) == "")
    #expect(ReportText.duration(850) == "850 ms")
    #expect(ReportText.duration(2_540) == "2.5 s")
    #expect(ReportText.duration(42_000) == "42 s")
    #expect(ReportText.duration(185_000) == "3 min 5 s")
    #expect(ReportText.duration(7_620_000) == "2 h 7 min")
  }

  @Test func shellWords() {
    #expect(ReportText.shellWord(".runbook/a.state.jsonl") == ".runbook/a.state.jsonl")
    #expect(ReportText.shellWord("my state/it's.jsonl") == "'my state/it'\\''s.jsonl'")
    #expect(ReportText.shellWord("-x.jsonl") == "'./-x.jsonl'")
  }

  @Test func jsonStringsEscapeControlsAndLineSeparators() {
    #expect(JSONValue.quote("a\"b\\c\n\t\u{1B}[1m\u{2028}é/") == #""a\"b\\c\n\t\u001b[1m\u2028é/""#)
    #expect(
      JSONValue.object(["b": .array([]), "a": .object([:])]).serialized() == "{\n  \"a\": {},\n  \"b\": []\n}"
    )
  }

  @Test func fileNames() {
    #expect(PathName.safeFileName("amazon-cognito-oidc") == "amazon-cognito-oidc")
    #expect(PathName.safeFileName("../../etc/passwd") == "-..-etc-passwd")
    #expect(PathName.safeFileName("") == "runbook")
  }
}
