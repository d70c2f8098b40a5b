import Foundation
import RunbookMarkdown
import Testing

@testable import RunbookCore

/// `HTMLScanner` finds what the regular expressions in its comments find. The expressions
/// themselves, run by `NSRegularExpression` (ICU) as the compiler once did, are the oracle here,
/// on random HTML made of the pieces that decide a match: names that almost match, quotes,
/// braces, Unicode spaces and letters, and the two letters ICU's case-insensitive `[A-Z]` adds.
@Suite struct HTMLScannerTests {
  /// The former implementation, kept as the reference.
  enum Oracle {
    static let imageTag = try! NSRegularExpression(
      pattern: #"<(img|(?:[A-Z][A-Za-z0-9]*)?Image)\b([^>]*)>"#, options: [.caseInsensitive])
    static let attribute = try! NSRegularExpression(
      pattern: #"([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|\{\s*["'`]([^"'`]*)["'`]\s*\})"#)
    static let heading1 = try! NSRegularExpression(
      pattern: #"<h1\b[^>]*>(.*?)</h1\s*>"#, options: [.caseInsensitive, .dotMatchesLineSeparators])
    static let tag = try! NSRegularExpression(pattern: #"<[^>]*>"#)
    static let tabTag = try! NSRegularExpression(pattern: #"<(/?)(Tabs|TabItem)\b([^>]*?)/?>"#)
    static let pin = try! NSRegularExpression(
      pattern: #"^\s*<!--\s*step:\s*([A-Za-z0-9][A-Za-z0-9_./-]*)\s*-->\s*$"#)

    static func whole(_ s: String) -> NSRange { NSRange(location: 0, length: (s as NSString).length) }

    static func attributes(_ text: String) -> [String: String] {
      var out: [String: String] = [:]
      let ns = text as NSString
      for m in attribute.matches(in: text, range: whole(text)) {
        let name = ns.substring(with: m.range(at: 1))
        for group in 2...4 where m.range(at: group).location != NSNotFound {
          out[name] = ns.substring(with: m.range(at: group))
        }
      }
      return out
    }

    static func images(_ html: String) -> [String] {
      let ns = html as NSString
      return imageTag.matches(in: html, range: whole(html)).compactMap {
        let attrs = attributes(ns.substring(with: $0.range(at: 2)))
        guard let src = attrs["src"] else { return nil }
        // The compiler counted "\n" characters; "\r\n" is one character, and every line feed
        // counts (cmark hands over HTML with LF line ends, so the compiler never saw a CR LF).
        let lines = ns.substring(to: $0.range.location).reduce(0) { $1 == "\n" || $1 == "\r\n" ? $0 + 1 : $0 }
        return "\(src)|\(attrs["alt"] ?? "")|\(lines)"
      }
    }

    static func heading1(_ html: String) -> String? {
      let ns = html as NSString
      guard let m = heading1.firstMatch(in: html, range: whole(html)) else { return nil }
      let inner = ns.substring(with: m.range(at: 1))
      let text = tag.stringByReplacingMatches(in: inner, range: whole(inner), withTemplate: "")
      let trimmed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
      return trimmed.isEmpty ? nil : trimmed
    }

    static func pinnedID(_ html: String) -> String? {
      guard let m = pin.firstMatch(in: html, range: whole(html)) else { return nil }
      return (html as NSString).substring(with: m.range(at: 1))
    }

    static func tabTokens(_ html: String) -> [String]? {
      let ns = html as NSString
      let matches = tabTag.matches(in: html, range: whole(html))
      guard !matches.isEmpty else { return nil }
      var tokens: [String] = []
      var cursor = 0
      for m in matches {
        let between = ns.substring(with: NSRange(location: cursor, length: m.range.location - cursor))
        if !between.trimmingSpacesAndNewlines().isEmpty { tokens.append("other:" + between) }
        let closing = m.range(at: 1).length > 0
        if ns.substring(with: m.range(at: 2)) == "TabItem" {
          if closing {
            tokens.append("/item")
          } else {
            let attrs = attributes(ns.substring(with: m.range(at: 3)))
            let value = attrs["value"] ?? attrs["label"] ?? ""
            tokens.append("item:\(attrs["label"] ?? value)=\(value)")
          }
        } else {
          tokens.append(closing ? "/tabs" : "tabs")
        }
        cursor = m.range.location + m.range.length
      }
      let rest = ns.substring(from: cursor)
      if !rest.trimmingSpacesAndNewlines().isEmpty { tokens.append("other:" + rest) }
      return tokens
    }
  }

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

  /// Random HTML over the pieces that decide the five expressions.
  static func samples(_ count: Int, seed: UInt64, pieces: [String]) -> [String] {
    var generator = SplitMix(seed: seed)
    let common = [
      "<", ">", "/", "/>", "=", "\"", "'", "`", "{", "}", " ", "  ", "\n", "\t", "\r\n", "\u{A0}", "\u{2003}",
      "\u{85}", "\u{2028}", "\u{3000}", "a", "Z", "9", "_", "-", ".", ":", "é", "\u{301}", "ſ", "\u{212A}",
      "ß",
      "İ", "x=\"1\"", "src=", "alt=", "label=", "value=", "{'", "'}", "{\"", "{`", "}",
    ]
    let all = common + pieces
    return (0..<count).map { _ in
      var text = ""
      for _ in 0..<Int(1 + generator.next() % 16) { text += all[Int(generator.next() % UInt64(all.count))] }
      return text
    }
  }

  @Test func attributesAgree() {
    var found = 0
    for text in Self.samples(20_000, seed: 1, pieces: ["src", "data-x", "a:b", "9x", "{ '", "' }", "\"x\""]) {
      let expected = Oracle.attributes(text)
      found += expected.count
      let found = UTF8Text.with(text) { HTMLScanner.attributes($0, 0..<$0.count) }
      #expect(found == expected, "\(text.debugDescription)")
    }
    #expect(found > 2_000)
  }

  @Test func imagesAgree() {
    let pieces = [
      "<img", "<IMG", "<Img", "<image", "<Image", "<MyImage", "<myimage", "<9Image", "<ThemedImage", "<imgx",
      "<ſImage", "<\u{212A}image", "<Imageé", "<Image_", "<img-", " src=\"a.png\"", " src='b.png'",
      " src={\"c.png\"}", " alt=\"A\"", " alt={'B'}",
    ]
    let at = SourceLocation(line: 4, column: 3)
    var found = 0
    for html in Self.samples(20_000, seed: 2, pieces: pieces) {
      let mine = HTMLScanner.images(in: html, at: at).map {
        "\($0.source)|\($0.alt)|\($0.location.line - 4)"
      }
      let expected = Oracle.images(html)
      found += expected.count
      #expect(mine == expected, "\(html.debugDescription)")
      for image in HTMLScanner.images(in: html, at: at) where image.location.line > 4 {
        #expect(image.location.column == 1)
      }
    }
    #expect(found > 300)
  }

  @Test func heading1Agrees() {
    let pieces = [
      "<h1", "<H1", "<h1>", "</h1>", "</H1 >", "</h1\n>", "<h12>", "<h1é>", "<b>", "</b>", "Title", "</h1",
    ]
    var found = 0
    for html in Self.samples(20_000, seed: 3, pieces: pieces) {
      let expected = Oracle.heading1(html)
      found += expected == nil ? 0 : 1
      #expect(HTMLScanner.heading1(in: html) == expected, "\(html.debugDescription)")
    }
    #expect(found > 100)
  }

  @Test func pinsAgree() {
    // A pin's parts in order, each drawn from right and wrong variants.
    let slots: [[String]] = [
      ["", " ", "\n", "\u{A0}", "x"], ["<!--", "<!-", "<!---"], ["", " ", "  ", "\t", "\u{2003}"],
      ["step:", "step", "Step:", "step :"], ["", " ", "\n"],
      ["a", "create-domain", "a.b/c_d", "-a", "_a", "9", "é", "a b", ""],
      ["", "-", "--", ".", "/"], ["", " ", "\u{3000}"], ["-->", "->", "--->", "-- >", ""],
      ["", "\n", " \n ", "\u{85}", "\u{2028}", "x"],
    ]
    var generator = SplitMix(seed: 4)
    var found = 0
    for _ in 0..<30_000 {
      let html = slots.map { $0[Int(generator.next() % UInt64($0.count))] }.joined()
      let expected = Oracle.pinnedID(html)
      found += expected == nil ? 0 : 1
      #expect(HTMLScanner.pinnedID(html) == expected, "\(html.debugDescription)")
    }
    #expect(found > 150)
    for html in [
      "<!-- step: create-domain -->", "  <!--step:a-->\n", "<!-- step: a--->", "<!-- step: a- -->",
      "<!-- step: a -->\u{85}", "<!-- step: a -->x", "<!-- step: -a -->", "<!-- step: a b -->",
    ] {
      #expect(HTMLScanner.pinnedID(html) == Oracle.pinnedID(html), "\(html.debugDescription)")
    }
    #expect(HTMLScanner.pinnedID("<!-- step: a--->") == "a-")
  }

  @Test func tabTokensAgree() {
    let pieces = [
      "<Tabs", "</Tabs>", "<Tabs>", "<TabItem", "</TabItem>", "<TabItems", "<Tabsx", "<Tab", "<TabItem/>",
      " value=\"a\"", " label=\"A\"", " default", "<Tabsé", "<TabItem_", "text",
    ]
    var found = 0
    for html in Self.samples(20_000, seed: 5, pieces: pieces) {
      guard html.contains("<Tab") || html.contains("</Tab") else { continue }
      let expected = Oracle.tabTokens(html)
      found += expected == nil ? 0 : 1
      #expect(Self.describe(HTMLScanner.tabTokens(html)) == expected, "\(html.debugDescription)")
    }
    #expect(found > 1_000)
  }

  /// What an author sees: real tags read as such.
  @Test func readsTypicalMarkup() {
    let images = HTMLScanner.images(
      in: "<p>\n<img src=\"/img/a.png\" alt=\"Console\" />\n<ThemedImage sources={'x'} src={'/b.png'} />",
      at: .init(line: 10, column: 1))
    #expect(images.map(\.source) == ["/img/a.png", "/b.png"])
    #expect(images.map(\.location.line) == [11, 12])
    #expect(
      HTMLScanner.heading1(in: "<h1 align=\"center\">\n  <b>Appsmith</b>   setup\n</h1>") == "Appsmith setup")
    #expect(HTMLScanner.pinnedID("<!-- step: create-domain -->\n") == "create-domain")
    #expect(HTMLScanner.pinnedID("<!-- step: Bad Id -->") == nil)
    #expect(
      Self.describe(
        HTMLScanner.tabTokens("<Tabs>\n<TabItem value=\"aws\" label=\"AWS\">\nx\n</TabItem>\n</Tabs>"))
        == ["tabs", "item:AWS=aws", "other:\nx\n", "/item", "/tabs"])
    #expect(HTMLScanner.tabTokens("<Table>") == nil)
  }
}
