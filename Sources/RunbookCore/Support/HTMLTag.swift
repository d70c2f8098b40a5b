import Foundation

/// Tags of HTML elements and JSX components, which a page renders rather than shows as text
/// (`<div style={{width: "20%"}}>`, `</kbd>`, `<Badge />`), told apart from text in angle
/// brackets that readers should see (`<your-domain>`).
public enum HTMLTag {
  /// HTML elements a page renders rather than shows as text.
  static let elements: Set<String> = [
    "a", "abbr", "b", "big", "br", "center", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody",
    "td", "th", "thead", "tr", "u", "ul", "var",
  ]
  static let tag = try! NSRegularExpression(pattern: #"</?[A-Za-z][A-Za-z0-9.-]*(?:\s[^<>]*)?/?>"#)

  /// True for an opening or closing tag of an HTML element, a tag with attributes, or a JSX
  /// component (a capitalised name): markup, not text.
  public static func isMarkup(_ html: String) -> Bool {
    guard html.hasPrefix("<"), html.hasSuffix(">"), !html.hasPrefix("<!--") else { return false }
    var name = html.dropFirst()
    if name.hasPrefix("/") { name = name.dropFirst() }
    let tagName = String(name.prefix { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" })
    guard let first = tagName.first else { return false }
    if first.isUppercase { return true }
    let rest = name.dropFirst(tagName.count)
    return elements.contains(tagName.lowercased()) || rest.contains("=") || rest.contains("{")
  }

  /// Text with the markup tags in it removed: JSX that cmark could not read as HTML (a tag with
  /// `{{…}}` in it) arrives as text.
  public static func removingMarkup(_ text: String) -> String {
    guard text.contains("<") else { return text }
    let ns = text as NSString
    var out = ""
    var cursor = 0
    for match in tag.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
      let found = ns.substring(with: match.range)
      guard isMarkup(found) else { continue }
      out += ns.substring(with: NSRange(location: cursor, length: match.range.location - cursor))
      cursor = match.range.location + match.range.length
    }
    return out + ns.substring(from: cursor)
  }
}
