import RunbookCore
import Testing

@testable import RunbookWeb

/// What reaches a page from a guide or an answer is text, never markup or a live link.
@Suite struct EscapingTests {
  @Test("a quote followed by a combining mark is escaped (one Character, two scalars)")
  func quoteWithCombiningMark() {
    let value = "\"\u{301} autofocus onfocus=x \u{301}'<\u{301}"
    let escaped = HTMLText.escape(value)
    #expect(!escaped.unicodeScalars.contains { $0 == "\"" || $0 == "'" || $0 == "<" })
    #expect(escaped.hasPrefix("&quot;\u{301}"))
  }

  @Test("templates escape values per scalar too")
  func templatesEscape() {
    let page = Pages().operatorForm(csrf: "c", next: "/", name: "\"\u{301} onfocus=alert(1) x=\"")
    #expect(page.contains("value=\"&quot;\u{301} onfocus=alert(1) x=&quot;\""))
  }

  @Test(
    "only http(s), mailto and anchors become live addresses",
    arguments: [
      ("https://example.com/a?b=1&c=2", "https://example.com/a?b=1&amp;c=2"),
      ("HTTP://example.com", "HTTP://example.com"),
      ("mailto:ops@example.com", "mailto:ops@example.com"),
      ("#create-user-pool", "#create-user-pool"),
    ])
  func liveAddresses(address: String, expected: String) {
    #expect(HTMLText.safeURL(address) == expected)
  }

  @Test(
    "script and relative addresses are shown as text",
    arguments: [
      "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
      "data:text/html,<script>", "vbscript:x", "images/a.png", "//evil.example/x", "https://", "",
    ])
  func refusedAddresses(address: String) {
    #expect(HTMLText.safeURL(address) == nil)
  }

  @Test("a guide's script, event handlers and javascript: links render inert")
  func hostileGuide() {
    let guide = """
      # Guide

      Text <script>alert(1)</script> and [x](javascript:alert(1)) and ![i](javascript:alert(2)).

      <img src="https://example.com/a.png" onerror="alert(3)">

      <div onclick="alert(4)">block</div>

      ## Steps

      1. Enter `<name>`.

         | a | b |
         | - | - |
         | `<name>` | <b onmouseover=alert(5)>x</b> |
      """
    let runbook = RunbookCompiler().compile(guide, file: "g.md")
    let html = ContentHTML(values: { $0 == "name" ? "<script>alert(6)</script>" : nil })
    let out =
      html.render(runbook.intro) + runbook.allSections.map { html.render($0.intro) }.joined()
      + runbook.allSteps.map { html.render($0.titleInlines) + html.render($0.content) }.joined()
    #expect(!out.contains("<script"))
    #expect(!out.lowercased().contains("href=\"javascript"))
    #expect(!out.contains("onerror=\""))
    #expect(!out.contains("onclick=\""))
    #expect(!out.contains("<b "))
    #expect(out.contains("<img src=\"https://example.com/a.png\""))
    #expect(out.contains("&lt;script&gt;alert(6)&lt;/script&gt;"))
  }
}
