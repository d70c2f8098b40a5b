import Foundation
import RunbookMarkdown

/// Reads the few things the compiler needs out of raw HTML and MDX: images, `<h1>` titles,
/// `<Tabs>`/`<TabItem>` tags, `<!-- step: id -->` pins and `<!-- if: … -->` conditions, each with
/// one regular expression.
/// It is not an HTML parser.
enum HTMLScanner {
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
  static let condition = try! NSRegularExpression(pattern: #"^\s*<!--\s*if:\s*(.*?)\s*-->\s*$"#)

  private static func whole(_ text: String) -> NSRange {
    NSRange(location: 0, length: (text as NSString).length)
  }

  /// Attributes of a tag's text, such as `src="/img/x.png" alt="X"`; the last of a name wins.
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

  /// Images in HTML or MDX (`<img>`, `<Image>`, `<ThemedImage>`…) that have a `src`, each at
  /// its own line.
  static func images(in html: String, at location: SourceLocation) -> [Image] {
    guard html.utf8.contains(UInt8(ascii: "<")) else { return [] }
    let ns = html as NSString
    return imageTag.matches(in: html, range: whole(html)).compactMap {
      let attrs = attributes(ns.substring(with: $0.range(at: 2)))
      guard let src = attrs["src"] else { return nil }
      let lines = ns.substring(to: $0.range.location).utf8.count { $0 == UInt8(ascii: "\n") }
      return Image(
        alt: attrs["alt"] ?? "", source: src,
        location: SourceLocation(line: location.line + lines, column: lines == 0 ? location.column : 1))
    }
  }

  /// The text of the first `<h1>` in an HTML block, tags removed and white space collapsed.
  static func heading1(in html: String) -> String? {
    let ns = html as NSString
    guard let m = heading1.firstMatch(in: html, range: whole(html)) else { return nil }
    let inner = ns.substring(with: m.range(at: 1))
    let text = tag.stringByReplacingMatches(in: inner, range: whole(inner), withTemplate: "")
    let words = text.split(whereSeparator: \.isWhitespace)
    return words.isEmpty ? nil : words.joined(separator: " ")
  }

  /// True for a comment that looks like a pin but whose id is not valid (`<!-- step: Bad Id -->`).
  static func looksLikePin(_ html: String) -> Bool {
    let t = html.trimmingSpacesAndNewlines()
    return t.hasPrefix("<!--") && t.dropFirst(4).trimmingSpaces().hasPrefix("step:")
  }

  /// The id of a `<!-- step: id -->` comment, when the HTML is exactly one.
  static func pinnedID(_ html: String) -> String? {
    guard let m = pin.firstMatch(in: html, range: whole(html)) else { return nil }
    return (html as NSString).substring(with: m.range(at: 1))
  }

  /// What a `<!-- if: … -->` comment says after `if:`, when the HTML is exactly one.
  static func condition(_ html: String) -> String? {
    guard html.contains("if:"), let m = condition.firstMatch(in: html, range: whole(html)) else { return nil }
    return (html as NSString).substring(with: m.range(at: 1))
  }

  enum TabToken {
    /// `<Tabs>`, with its `groupId` (or `queryString`) when it has one.
    case openTabs(group: String?)
    case closeTabs
    case openItem(label: String, value: String)
    case closeItem
    case other(String)
  }

  /// Splits HTML into `<Tabs>`/`<TabItem>` tags and the text around them, or nil when it has
  /// none.
  static func tabTokens(_ html: String) -> [TabToken]? {
    let ns = html as NSString
    let matches = tabTag.matches(in: html, range: whole(html))
    guard !matches.isEmpty else { return nil }
    var tokens: [TabToken] = []
    var cursor = 0
    func other(_ text: String) {
      if !text.trimmingSpacesAndNewlines().isEmpty { tokens.append(.other(text)) }
    }
    for m in matches {
      other(ns.substring(with: NSRange(location: cursor, length: m.range.location - cursor)))
      let closing = m.range(at: 1).length > 0
      if ns.substring(with: m.range(at: 2)) == "TabItem" {
        if closing {
          tokens.append(.closeItem)
        } else {
          let attrs = attributes(ns.substring(with: m.range(at: 3)))
          let value = attrs["value"] ?? attrs["label"] ?? ""
          tokens.append(.openItem(label: attrs["label"] ?? value, value: value))
        }
      } else {
        if closing {
          tokens.append(.closeTabs)
        } else {
          let attrs = attributes(ns.substring(with: m.range(at: 3)))
          tokens.append(.openTabs(group: attrs["groupId"] ?? attrs["queryString"]))
        }
      }
      cursor = m.range.location + m.range.length
    }
    other(ns.substring(from: cursor))
    return tokens
  }
}
