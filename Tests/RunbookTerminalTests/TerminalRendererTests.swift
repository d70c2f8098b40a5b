import RunbookCore
import RunbookMarkdown
import RunbookTerminal
import Testing

/// The content of the only step of a guide whose step body is `body`.
private func content(_ body: String) -> [Content] {
  let indented = body.split(separator: "\n", omittingEmptySubsequences: false)
    .map { $0.isEmpty ? "" : "   " + $0 }.joined(separator: "\n")
  let runbook = RunbookCompiler().compile("1. Step\n\n" + indented + "\n", file: "t.md")
  return runbook.sections.first?.steps.first?.content ?? []
}

private let at = RunbookMarkdown.SourceLocation(line: 1, column: 1)
private let range = SourceRange(line: 1, column: 1)

private let plain = TerminalRenderer(style: .plain)
private let color = TerminalRenderer(style: TerminalStyle(width: 80, color: true, hyperlinks: false))
private let colorLinks = TerminalRenderer(style: TerminalStyle(width: 80, color: true, hyperlinks: true))
private let plainLinks = TerminalRenderer(style: TerminalStyle(width: 80, color: false, hyperlinks: true))

/// The output without the renderer's own sequences: SGR and OSC 8.
private func strippingOwnSequences(_ text: String) -> String {
  text.replacing(#/\x1B\[[0-9;]*m/#, with: "").replacing(#/\x1B\]8;;[^\x1B\x07]*\x1B\\/#, with: "")
}

private func lines(_ text: String) -> [Substring] {
  text.split(separator: "\n", omittingEmptySubsequences: false)
}

/// Output rules every rendering must follow.
private func expectWellFormed(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
  #expect(!text.hasSuffix("\n"), sourceLocation: sourceLocation)
  for line in lines(text) {
    #expect(!line.hasSuffix(" "), "trailing space: \(line)", sourceLocation: sourceLocation)
  }
}

@Suite struct DisplayWidthTests {
  @Test func countsWideCombiningAndEscapes() {
    #expect(DisplayWidth.of("abc") == 3)
    #expect(DisplayWidth.of("日本語") == 6)
    #expect(DisplayWidth.of("e\u{301}") == 1)
    #expect(DisplayWidth.of("ｘ") == 2)  // fullwidth
    #expect(DisplayWidth.of("🚀") == 2)
    #expect(DisplayWidth.of("\u{1B}[1;33mok\u{1B}[0m") == 2)
    #expect(DisplayWidth.of("\u{1B}]8;;https://x.test\u{1B}\\link\u{1B}]8;;\u{1B}\\") == 4)
  }
}

@Suite struct WrappingTests {
  @Test func wrapsWideCharactersByDisplayWidth() {
    let text = Array(repeating: "日本語のテキスト", count: 6).joined(separator: " ")
    let renderer = TerminalRenderer(style: TerminalStyle(width: 20))
    let out = renderer.render([Inline.text(text, at)])
    let rows = lines(out)
    #expect(rows.count == 6)
    for row in rows {
      #expect(DisplayWidth.of(String(row)) <= 20)
      #expect(row == "日本語のテキスト")  // 16 columns: a second word would need 33
    }
    expectWellFormed(out)
  }

  @Test func keepsWordsWholeAndLongURLsOnALineOfTheirOwn() {
    let url = "https://example.com/" + String(repeating: "segment/", count: 12) + "end"
    let paragraph = content("Open \(url) and then continue with the rest of the sentence.")
    let renderer = TerminalRenderer(style: TerminalStyle(width: 30))
    let out = renderer.render(paragraph)
    expectWellFormed(out)
    let rows = lines(out).map(String.init)
    // The URL is longer than a line: it is never broken (the terminal folds it, and copies
    // it back whole); every other line fits.
    #expect(rows == ["Open", url, "and then continue with the", "rest of the sentence."])
  }

  @Test func widthIsClampedAndALongWordKeptWhole() {
    #expect(TerminalStyle(width: 3).width == 20)
    var style = TerminalStyle.plain
    style.width = 5
    let out = TerminalRenderer(style: style).render([
      Inline.text(String(repeating: "x", count: 50) + " y z", at)
    ])
    #expect(lines(out).map(\.count) == [50, 3])
  }

  @Test func softAndHardBreaks() {
    let inlines = content("one\ntwo  \nthree")
    guard case .paragraph(let paragraph, _) = inlines.first else {
      Issue.record("not a paragraph")
      return
    }
    #expect(plain.render(paragraph) == "one two\nthree")
  }
}

@Suite struct InlineStylingTests {
  static let markdown = "Some **bold**, *italic*, ~~gone~~, `code` and [a link](https://example.com/docs)."

  @Test func plainModeHasNoEscapes() {
    let out = plain.render(content(Self.markdown))
    #expect(!out.contains("\u{1B}"))
    // Inline code reads as the guide does; a link's address follows the paragraph.
    #expect(out == "Some bold, italic, gone, code and a link.\n-> a link: https://example.com/docs")
  }

  @Test func colorModeStylesWithSGR() {
    let out = color.render(content(Self.markdown))
    #expect(out.contains("\u{1B}[1mbold\u{1B}[0m"))
    #expect(out.contains("\u{1B}[3mitalic\u{1B}[0m"))
    #expect(out.contains("\u{1B}[9mgone\u{1B}[0m"))
    #expect(out.contains("\u{1B}[36mcode\u{1B}[0m"))
    #expect(!out.contains("`"))
    #expect(!out.contains("\u{1B}]8;"))
    let expected = "Some bold, italic, gone, code and a link.\n→ a link: https://example.com/docs"
    #expect(strippingOwnSequences(out) == expected)
  }

  @Test func hyperlinksOnlyWhenSupported() {
    let markdown = "See [the docs](https://example.com/docs) or <https://example.com/raw>."
    let linked = plainLinks.render(content(markdown))
    #expect(linked.contains("\u{1B}]8;;https://example.com/docs\u{1B}\\the docs\u{1B}]8;;\u{1B}\\"))
    #expect(!linked.contains("(https://example.com/docs)"))
    #expect(!linked.contains("\u{1B}["))  // no colour asked for
    let unlinked = plain.render(content(markdown))
    #expect(!unlinked.contains("\u{1B}"))
    #expect(unlinked == "See the docs or https://example.com/raw.\n-> the docs: https://example.com/docs")
    #expect(color.render(content(markdown)).contains("\u{1B}]8;") == false)
  }

  @Test func relativeLinksAreNotHyperlinks() {
    let out = plainLinks.render(content("See [setup](./setup.md)."))
    #expect(out == "See setup.\n-> setup: ./setup.md")
  }

  @Test func imagesShowAltAndURL() {
    let steps = RunbookCompiler().compile(
      """
      1. Markdown ![Console](/img/console.png) inline.
      2. HTML:

         <img src="/img/a.png" alt="An A" />

         <!-- a comment -->

         <div class="wrapper">

         <ZoomImage src="/img/z.png" alt="Zoomed" caption="c" />

         </div>
      """, file: "t.md"
    ).allSteps
    #expect(plain.render(steps[0].titleInlines) == "Markdown [image: Console] /img/console.png inline.")
    #expect(plain.render(steps[1].content) == "[image: An A] /img/a.png\n\n[image: Zoomed] /img/z.png")
    #expect(color.render(steps[1].content).contains("An A"))
  }

  @Test func placeholdersInInlineCodeAreFilled() {
    let renderer = TerminalRenderer(style: .plain) { $0 == "region" ? "eu-west-1" : nil }
    let inlines = content("Use `--region <region> --pool <pool-id>` here, not <region>.")
    #expect(renderer.render(inlines) == "Use --region eu-west-1 --pool <pool-id> here, not <region>.")
    let colored = TerminalRenderer(style: TerminalStyle(color: true)) { $0 == "region" ? "eu-west-1" : nil }
    #expect(colored.render(inlines).contains("\u{1B}[36;1meu-west-1\u{1B}[0m"))
  }
}

@Suite struct HostileContentTests {
  static let attack =
    "\u{1B}[2J x \u{1B}]0;pwned\u{07} x \u{07} x \u{9B}31m x \u{1B}P+q\u{1B}\\ x \u{202E}txt"

  /// Hostile text in every kind of block, through the compiler.
  static var hostile: [Content] {
    content(
      """
      Text \(attack) `code \(attack) <value>` [click\u{07}\u{1B}7](https://ok.test/&#x1B;]8;;https://evil.test&#x1B;\\x&#7;) ![alt\u{07}](/i&#x1B;[2J.png) <kbd>\u{1B}[2J</kbd> &#x1B;[2J entity

      ### Head \(attack)

      ```sh\u{1B}[31m {check}
      echo \(attack) <value>
      ```

      | H\u{1B}[2J | `<value>` |
      |---|---|
      | \(attack) | <value> |

      :::warning T\u{1B}]0;x\u{07}
      Note \(attack)
      :::

      - Item \(attack)

      > Quote \(attack)

      <Tabs>
      <TabItem value="l" label="L\u{1B}[2J">

      Tab \(attack)

      </TabItem>
      </Tabs>
      """)
  }

  /// Where each kind of block shows its hostile text, inert.
  static let expected = [
    "Text ^[[2J x ^[]0;pwned^G x ^G x <U+009B>31m x ^[P+q^[\\ x <U+202E>txt", "click^G^[7",
    "[image: alt^G] /i^[[2J.png",
    "/i^[[2J.png ^[[2J ^[[2J entity", "Head ^[[2J", "sh^[[31m {check}", "echo ^[[2J", "H^[[2J",
    "T^[]0;x^G", "Note ^[[2J", "Item ^[[2J", "Quote ^[[2J", "L^[[2J", "Tab ^[[2J",
  ]

  /// A value that tries to escape too.
  static let values: @Sendable (String) -> String? = {
    $0 == "value" ? "v\u{1B}]0;title\u{07}\u{1B}[2J" : nil
  }

  @Test func plainOutputHasNoControlsAtAll() {
    let out = TerminalRenderer(style: TerminalStyle(width: 400), values: Self.values).render(Self.hostile)
    #expect(!out.contains("\u{1B}"))
    #expect(!out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    #expect(!out.unicodeScalars.contains { (0x7F..<0xA0).contains($0.value) || $0 == "\u{202E}" })
    for text in Self.expected { #expect(out.contains(text)) }
    #expect(out.contains("v^[]0;title^G^[[2J"))  // the value, inert
    expectWellFormed(out)
  }

  @Test(arguments: [false, true])
  func colorOutputHasOnlyItsOwnSequences(hyperlinks: Bool) {
    let renderer = TerminalRenderer(
      style: TerminalStyle(width: 400, color: true, hyperlinks: hyperlinks), values: Self.values)
    let out = renderer.render(Self.hostile)
    #expect(out.contains("\u{1B}[1m"))
    #expect(out.contains("\u{1B}]8;;") == hyperlinks)
    let rest = strippingOwnSequences(out)
    #expect(!rest.contains("\u{1B}"))
    #expect(!rest.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    #expect(!rest.unicodeScalars.contains { (0x7F..<0xA0).contains($0.value) })
    for text in Self.expected { #expect(rest.contains(text)) }
    #expect(rest.contains("v^[]0;title^G^[[2J"))
    if hyperlinks {
      // The link target lost its controls and spaces: it cannot end the OSC 8 early.
      #expect(out.contains("\u{1B}]8;;https://ok.test/]8;;https://evil.test\\x\u{1B}\\"))
    }
    expectWellFormed(out)
  }
}

@Suite struct TableTests {
  static let markdown = """
    | Field | Value |
    |---|---|
    | **Client ID** | `<client_id>` |
    | Scopes | `openid`<br/>`email` |
    | Region | <region> |
    """

  @Test func columnsAlignWithMultiLineCellsAndValues() {
    let renderer = TerminalRenderer(style: .plain) { ["client_id": "abc123", "region": "eu-west-1"][$0] }
    let out = renderer.render(content(Self.markdown))
    #expect(
      out == """
        +-----------+-----------+
        | Field     | Value     |
        +-----------+-----------+
        | Client ID | abc123    |
        | Scopes    | openid    |
        |           | email     |
        | Region    | eu-west-1 |
        +-----------+-----------+
        """)
    expectWellFormed(out)
  }

  @Test func colorTableRowsShareDisplayWidth() {
    let renderer = TerminalRenderer(style: TerminalStyle(width: 80, color: true, hyperlinks: true)) {
      $0 == "client_id" ? "日本語-id" : nil
    }
    let out = renderer.render(content(Self.markdown))
    #expect(out.contains("\u{1B}[36;1m日本語-id\u{1B}[0m"))
    #expect(out.contains("<region>"))
    let widths = Set(lines(out).map { DisplayWidth.of(String($0)) })
    #expect(widths.count == 1)
    #expect(out.hasPrefix("\u{1B}[2m┌"))
  }

  @Test func wideTablesShrinkToTheWidth() {
    let long = Array(repeating: "a rather long description", count: 6).joined(separator: " ")
    guard
      case .table(let table) = content(
        "| Name | Description | Default |\n|---|---|---|\n| timeout | \(long) | 30s |"
      ).first
    else {
      Issue.record("not a table")
      return
    }
    let out = TerminalRenderer(style: TerminalStyle(width: 40)).render(table)
    let rows = lines(out)
    #expect(rows.count > 6)
    #expect(Set(rows.map { DisplayWidth.of(String($0)) }) == [40])
    #expect(rows[1] == "| Name    | Description      | Default |")
    expectWellFormed(out)
  }

  /// A URL wider than its column would be broken inside: the rows become records instead, and
  /// every word stays whole.
  @Test func tablesTooNarrowForTheirWordsBecomeRecords() {
    let url = "https://appsmith-login.auth.us-east-1.amazoncognito.com/oauth2/authorize"
    guard
      case .table(let table) = content(
        "| Field | Value |\n|---|---|\n| Authorization URL | \(url) |\n| Scope | openid, email |"
      ).first
    else {
      Issue.record("not a table")
      return
    }
    let out = TerminalRenderer(style: TerminalStyle(width: 60)).render(table)
    #expect(
      lines(out) == [
        "--------------------", "Field: Authorization URL", "Value:", "  \(url)", "--------------------",
        "Field: Scope", "Value: openid, email", "--------------------",
      ])
    expectWellFormed(out)
  }
}

@Suite struct BlockTests {
  @Test func notesAreFramedByKind() {
    let body = """
      :::warning Careful now
      Back up the database first.

      - one
      - two
      :::
      """
    let out = plain.render(content(body))
    #expect(
      out == """
        | WARNING: Careful now
        | Back up the database first.
        |
        | - one
        | - two
        """)
    let colored = color.render(content(body))
    #expect(colored.contains("\u{1B}[33m┃\u{1B}[0m Back up"))
    #expect(colored.contains("\u{1B}[33;1mWARNING: \u{1B}[0m\u{1B}[1mCareful now\u{1B}[0m"))
    #expect(colored.contains("• one"))
    guard case .note(let note) = content(":::danger\nStop.\n:::").first else {
      Issue.record("not a note")
      return
    }
    #expect(plain.render(note) == "| DANGER\n| Stop.")
    #expect(color.render(note).hasPrefix("\u{1B}[31m┃\u{1B}[0m \u{1B}[31;1mDANGER"))
  }

  @Test func listsHangTheirIndent() {
    let out = TerminalRenderer(style: TerminalStyle(width: 24)).render(
      content("- first item that is long enough to wrap\n- second\n  1. nested\n  2. list"))
    #expect(
      out == """
        - first item that is
          long enough to wrap
        - second
          1. nested
          2. list
        """)
  }

  @Test func codeBlocksAreIndentedUnwrappedWithTheirAttributes() {
    let body = """
      ```sh {check timeout=30s}
      curl -fsS <url>/health --header "\u{1B}[2J" && echo a-very-long-line-that-is-not-wrapped-even-at-width-twenty
      x\tindented
      ```
      """
    let renderer = TerminalRenderer(style: TerminalStyle(width: 20)) { $0 == "url" ? "https://x.test" : nil }
    let out = renderer.render(content(body))
    #expect(
      out == """
        -- sh {check timeout=30s} --
            curl -fsS https://x.test/health --header "^[[2J" && echo a-very-long-line-that-is-not-wrapped-even-at-width-twenty
            x   indented
        """)
    let colored = TerminalRenderer(style: TerminalStyle(color: true)) { $0 == "url" ? "https://x.test" : nil }
    guard case .code(let code) = content(body).first else {
      Issue.record("not code")
      return
    }
    let rendered = colored.render(code)
    #expect(rendered.hasPrefix("\u{1B}[2m── sh {check timeout=30s} ──\u{1B}[0m"))
    #expect(rendered.contains("\u{1B}[1mhttps://x.test\u{1B}[0m"))
  }

  @Test func tabsLabelEachAlternative() {
    let runbook = RunbookCompiler().compile(
      """
      1. Pick:

         <Tabs>
         <TabItem value="docker" label="Docker">

         Run `docker compose up`.

         </TabItem>
         <TabItem value="k8s" label="Kubernetes">

         Run `helm install`.

         </TabItem>
         </Tabs>
      """, file: "t.mdx")
    let out = plain.render(runbook.allSteps[0].content)
    #expect(
      out == """
        Option "Docker":
          Run docker compose up.

        Option "Kubernetes":
          Run helm install.
        """)
  }

  @Test func htmlShowsOnlyImages() {
    let blocks: [Content] = [
      .html("<!-- step: x -->", range), .html("<div class=\"x\">", range), .html("</div>", range),
      .html("<Tags tags={[{ name: \"E\" }]} />", range), .paragraph([.text("Text.", at)], range),
    ]
    #expect(plain.render(blocks) == "Text.")
  }

  @Test func headingsQuotesAndRules() {
    let out = plain.render(content("### Heading\n\n> quoted\n>\n> more\n\n---\n\nafter"))
    #expect(out == "Heading\n\n> quoted\n>\n> more\n\n" + String(repeating: "-", count: 80) + "\n\nafter")
    #expect(color.render(content("### Heading")) == "\u{1B}[1mHeading\u{1B}[0m")
  }

  @Test func stepHeading() {
    let title: [Inline] = [.text("Create the pool with ", at), .code("<name>", at)]
    let out = plain.stepHeading(
      section: "Set up Cognito", number: "6.2", title: title, position: 8, total: 23)
    #expect(out == "Set up Cognito\nStep 6.2 · 8 of 23\nCreate the pool with <name>")
    let colored = color.stepHeading(section: "S", number: "6.2", title: title, position: 8, total: 23)
    #expect(strippingOwnSequences(colored) == "S\nStep 6.2 · 8 of 23\nCreate the pool with <name>")
  }
}

@Suite struct DetectTests {
  @Test func colorAndHyperlinksOnARealTerminal() {
    let style = TerminalStyle.detect(environment: ["TERM": "xterm-256color"], isTTY: true, columns: 120)
    #expect(style == TerminalStyle(width: 120, color: true, hyperlinks: true))
  }

  @Test func noColorTurnsOffColorOnly() {
    let style = TerminalStyle.detect(
      environment: ["TERM": "xterm", "NO_COLOR": ""], isTTY: true, columns: 100)
    #expect(!style.color && style.hyperlinks && style.width == 100)
  }

  @Test(arguments: [["TERM": "dumb"], [:], ["TERM": ""]])
  func dumbOrMissingTerm(environment: [String: String]) {
    let style = TerminalStyle.detect(environment: environment, isTTY: true, columns: 90)
    #expect(!style.color && !style.hyperlinks)
  }

  @Test func notATerminalIsPlain() {
    #expect(TerminalStyle.detect(environment: ["TERM": "xterm"], isTTY: false, columns: nil) == .plain)
    #expect(TerminalStyle.detect(environment: ["COLUMNS": "132"], isTTY: false, columns: nil).width == 132)
    #expect(TerminalStyle.detect(environment: [:], isTTY: true, columns: 4).width == 20)
  }
}
