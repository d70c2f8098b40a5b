import Foundation
import RunbookMarkdown

/// Reads the few things the compiler needs out of raw HTML and MDX: images, `<h1>` titles,
/// `<Tabs>`/`<TabItem>` tags and `<!-- step: id -->` pins. It is not an HTML parser.
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

  /// Attributes of a tag's text, such as `src="/img/x.png" alt="X"`.
  static func attributes(_ text: String) -> [String: String] {
    var out: [String: String] = [:]
    let ns = text as NSString
    for m in attribute.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
      let name = ns.substring(with: m.range(at: 1))
      for group in 2...4 where m.range(at: group).location != NSNotFound {
        out[name] = ns.substring(with: m.range(at: group))
      }
    }
    return out
  }

  static func images(in html: String, at location: SourceLocation) -> [Image] {
    guard html.contains("<") else { return [] }
    let ns = html as NSString
    return imageTag.matches(in: html, range: NSRange(location: 0, length: ns.length)).compactMap {
      let attrs = attributes(ns.substring(with: $0.range(at: 2)))
      guard let src = attrs["src"] else { return nil }
      let before = ns.substring(to: $0.range.location)
      let lines = before.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
      return Image(
        alt: attrs["alt"] ?? "", source: src,
        location: SourceLocation(line: location.line + lines, column: lines == 0 ? location.column : 1))
    }
  }

  /// The text of the first `<h1>` in an HTML block, tags removed.
  static func heading1(in html: String) -> String? {
    let ns = html as NSString
    guard let m = heading1.firstMatch(in: html, range: NSRange(location: 0, length: ns.length))
    else { return nil }
    let inner = ns.substring(with: m.range(at: 1))
    let text = tag.stringByReplacingMatches(
      in: inner, range: NSRange(location: 0, length: (inner as NSString).length), withTemplate: "")
    let trimmed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    return trimmed.isEmpty ? nil : trimmed
  }

  /// True for a comment that looks like a pin but whose id is not valid (`<!-- step: Bad Id -->`).
  static func looksLikePin(_ html: String) -> Bool {
    let t = html.trimmingSpacesAndNewlines()
    return t.hasPrefix("<!--") && t.dropFirst(4).trimmingSpaces().hasPrefix("step:")
  }

  /// The id of a `<!-- step: id -->` comment, when the HTML is exactly one.
  static func pinnedID(_ html: String) -> String? {
    let ns = html as NSString
    guard let m = pin.firstMatch(in: html, range: NSRange(location: 0, length: ns.length)) else {
      return nil
    }
    return ns.substring(with: m.range(at: 1))
  }

  enum TabToken {
    case openTabs, closeTabs
    case openItem(label: String, value: String)
    case closeItem
    case other(String)
  }

  /// Splits HTML into `<Tabs>`/`<TabItem>` tags and the text around them, or nil when it has
  /// none.
  static func tabTokens(_ html: String) -> [TabToken]? {
    // A byte search first (Foundation's `contains` cost ~35,000 instructions a call, on every
    // HTML block); the regular expression below decides.
    guard html.containsBytes(of: "<Tab") || html.containsBytes(of: "</Tab") else { return nil }
    let ns = html as NSString
    let matches = tabTag.matches(in: html, range: NSRange(location: 0, length: ns.length))
    guard !matches.isEmpty else { return nil }
    var tokens: [TabToken] = []
    var cursor = 0
    for m in matches {
      let between = ns.substring(with: NSRange(location: cursor, length: m.range.location - cursor))
      if !between.trimmingSpacesAndNewlines().isEmpty {
        tokens.append(.other(between))
      }
      let closing = m.range(at: 1).length > 0
      let isItem = ns.substring(with: m.range(at: 2)) == "TabItem"
      if isItem {
        if closing {
          tokens.append(.closeItem)
        } else {
          let attrs = attributes(ns.substring(with: m.range(at: 3)))
          let value = attrs["value"] ?? attrs["label"] ?? ""
          tokens.append(.openItem(label: attrs["label"] ?? value, value: value))
        }
      } else {
        tokens.append(closing ? .closeTabs : .openTabs)
      }
      cursor = m.range.location + m.range.length
    }
    let rest = ns.substring(from: cursor)
    if !rest.trimmingSpacesAndNewlines().isEmpty { tokens.append(.other(rest)) }
    return tokens
  }
}
