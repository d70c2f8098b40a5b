import Foundation
import RunbookReports
import Testing

/// `--template`: the documented context, escaping, content types and syntax errors.
@Suite struct ReportTemplateTests {
  @Test func customTemplateRendersTheContext() throws {
    let built = try ReportFixture.partial()
    defer { ReportFixture.remove(built) }
    let report = try built.report()
    let text = try report.render(
      template: """
        {{title}} · {{outcome}} · {{progress.percent}}%
        {{#steps}}{{label}}:{{status}} {{/steps}}
        {{#remaining}}{{resumeCommand}}{{/remaining}}
        {{#integrity.verified}}verified {{integrity.chainHead}}{{/integrity.verified}}
        {{#tables}}{{location}}: {{#rows}}{{#cells}}[{{.}}]{{/cells}}{{/rows}}{{/tables}}
        """)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines[0] == "Connect the reporting database · failed · 50%")
    #expect(lines[1] == "1:done 2:skipped 3:failed 4:pending ")
    #expect(lines[2] == "runbook resume .runbook/reporting-db.state.jsonl")
    #expect(lines[3] == "verified \(report.integrity.chainHead ?? "")")
    #expect(lines[4].contains("[Host][db.internal.example][Password][&lt;db_password&gt;]"))
  }

  @Test func doubleBracesEscapeHTMLAndTripleBracesDoNot() throws {
    let built = try ReportFixture.hostileRun()
    defer { ReportFixture.remove(built) }
    let report = try built.report()
    let escaped = try report.render(template: "{{title}}")
    #expect(
      escaped.hasPrefix(
        "Deploy &lt;script&gt;alert(1)&lt;/script&gt; &lt;/table&gt; &amp; &quot;quotes&quot;"))
    let raw = try report.render(template: "{{{title}}}")
    #expect(raw.hasPrefix("Deploy <script>alert(1)</script> </table> & \"quotes\""))
    // Terminal escapes are made inert in the context itself, so even {{{x}}} cannot emit them.
    #expect(raw.contains("^[[31mred^[[0m ^[]0;x^G"))
    #expect(!raw.utf8.contains(0x1B))
    let markdown = try report.render(template: "{{% CONTENT_TYPE: MARKDOWN}}{{title}}")
    #expect(markdown.hasPrefix("Deploy \\<script\\>alert(1)\\</script\\> \\</table\\> & \"quotes\""))
  }

  @Test func codeblockTransformFencesAnything() throws {
    let built = try ReportFixture.hostileRun()
    defer { ReportFixture.remove(built) }
    let text = try built.report().render(template: "{{#ran}}{{{codeblock(output)}}}{{/ran}}")
    #expect(text.hasPrefix("```\n^[[31mFAILED^[[0m </table>"))
    #expect(text.hasSuffix("\n```"))
  }

  @Test func aSyntaxErrorNamesItsLine() throws {
    let built = try ReportFixture.partial()
    defer { ReportFixture.remove(built) }
    let report = try built.report()
    do {
      _ = try report.render(template: "ok\n{{#steps}}\n{{title}}\n{{/stepz}}\n")
      Issue.record("no error")
    } catch {
      #expect(error.line == 4)
      #expect(error.description.hasPrefix("line 4, column"))
      #expect(error.description.contains("closed with another name"))
    }
    #expect(throws: ReportTemplateError.self) { try report.render(template: "{{% CONTENT_TYPE: PDF}}") }
    #expect(throws: ReportTemplateError.self) { try report.render(template: "{{#steps}}") }
  }

  @Test func builtInTemplatesArePublicAndRenderLikeTheFormats() throws {
    let built = try ReportFixture.partial()
    defer { ReportFixture.remove(built) }
    let report = try built.report()
    func trimmed(_ text: String) -> String {
      var out = text
      while out.hasSuffix("\n") { out.removeLast() }
      return out
    }
    #expect(trimmed(try report.render(template: ReportTemplates.markdown)) == trimmed(report.markdown()))
    #expect(trimmed(try report.render(template: ReportTemplates.html)) == trimmed(report.html()))
  }
}
