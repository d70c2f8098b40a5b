import RunbookMarkdown
import Testing

@testable import RunbookCore

/// What `HTMLScanner` reads out of the HTML and MDX that guides hold: images, `<h1>` titles,
/// step pins and `<Tabs>`.
@Suite struct HTMLScannerTests {
  static func describe(_ tokens: [HTMLScanner.TabToken]?) -> [String]? {
    tokens?.map {
      switch $0 {
      case .openTabs: "tabs"
      case .closeTabs: "/tabs"
      case .openItem(let label, let value): "item:\(label)=\(value)"
      case .closeItem: "/item"
      case .other(let text): "other:" + text
      }
    }
  }

  @Test func attributesInQuotesAndBraces() {
    let attrs = HTMLScanner.attributes(#"src="a" alt='b' data-x={"c"} title={ `d` } x = "e" x="f" bare"#)
    #expect(attrs == ["src": "a", "alt": "b", "data-x": "c", "title": "d", "x": "f"])
    #expect(HTMLScanner.attributes(#"src=unquoted alt={c}"#).isEmpty)
  }

  @Test func imagesWithASourceAtTheirLines() {
    let at = SourceLocation(line: 10, column: 3)
    let images = HTMLScanner.images(
      in: "<p>\n<img src=\"/img/a.png\" alt=\"Console\" />\n<ThemedImage sources={'x'} src={'/b.png'} />",
      at: at)
    #expect(images.map(\.source) == ["/img/a.png", "/b.png"])
    #expect(images.map(\.alt) == ["Console", ""])
    #expect(
      images.map(\.location) == [SourceLocation(line: 11, column: 1), SourceLocation(line: 12, column: 1)])
    #expect(HTMLScanner.images(in: "<IMG src='c.png'>", at: at).map(\.location) == [at])
    #expect(
      HTMLScanner.images(in: "<MyImage src='d.png'/>\r\n<image src=\"e\">", at: at).map(\.location.line) == [
        10, 11,
      ])
    for html in [
      "<img alt=\"no source\">", "<imgx src=\"a\">", "<Imagex src=\"a\">", "<9Image src=\"a\">",
      "img src=\"a\"", "",
    ] {
      #expect(HTMLScanner.images(in: html, at: at).isEmpty, "\(html.debugDescription)")
    }
  }

  @Test func firstHeading1WithoutTags() {
    #expect(
      HTMLScanner.heading1(in: "<h1 align=\"center\">\n  <b>Appsmith</b>   setup\n</h1>") == "Appsmith setup")
    #expect(HTMLScanner.heading1(in: "<div><H1>Title</H1 ></div><h1>Second</h1>") == "Title")
    for html in ["<h12>x</h1>", "<h1><img src=\"x\"></h1>", "<h1>No end", "<h2>x</h2>"] {
      #expect(HTMLScanner.heading1(in: html) == nil, "\(html.debugDescription)")
    }
  }

  @Test func stepPins() {
    #expect(HTMLScanner.pinnedID("<!-- step: create-domain -->\n") == "create-domain")
    #expect(HTMLScanner.pinnedID("  <!--step:a.b/c_d-->\n") == "a.b/c_d")
    #expect(HTMLScanner.pinnedID("<!-- step: a--->") == "a-")
    for html in [
      "<!-- step: Bad Id -->", "<!-- step: -a -->", "<!-- step: a -->x", "<!-- Step: a -->", "<!-- a -->",
    ] {
      #expect(HTMLScanner.pinnedID(html) == nil, "\(html.debugDescription)")
    }
    #expect(HTMLScanner.looksLikePin("<!-- step: Bad Id -->"))
    #expect(!HTMLScanner.looksLikePin("<!-- a note -->"))
  }

  @Test func tabsAndTheirItems() {
    #expect(
      Self.describe(
        HTMLScanner.tabTokens("<Tabs>\n<TabItem value=\"aws\" label=\"AWS\">\nx\n</TabItem>\n</Tabs>"))
        == ["tabs", "item:AWS=aws", "other:\nx\n", "/item", "/tabs"])
    #expect(Self.describe(HTMLScanner.tabTokens("<TabItem value=\"gcp\" />")) == ["item:gcp=gcp"])
    #expect(
      Self.describe(HTMLScanner.tabTokens("<TabItem label=\"Only a label\">")) == [
        "item:Only a label=Only a label"
      ])
    for html in ["<Table>", "<Tabsx>", "<tabs>", "text"] {
      #expect(HTMLScanner.tabTokens(html) == nil, "\(html.debugDescription)")
    }
  }
}
