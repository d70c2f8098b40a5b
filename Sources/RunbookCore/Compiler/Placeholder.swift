/// The one definition of `<placeholder>` syntax: how placeholders are found in code, how their
/// names become input ids, and how values replace them.
public enum Placeholder {
  /// A placeholder found in a text.
  public struct Occurrence: Hashable, Sendable {
    /// The name as written between the angle brackets.
    public var name: String
    /// The normalised input id.
    public var id: String
    /// Offset of the `<` from the start of the text, in characters.
    public var offset: Int
    /// The line within the text (0-based) and column in UTF-8 bytes (0-based) of the `<`.
    public var line: Int
    public var utf8Column: Int
  }

  /// Tag names that are HTML, never placeholders (`<div>`, `<br>`, `<dd>`…).
  static let htmlTags: Set<String> = [
    "a", "abbr", "article", "aside", "audio", "b", "blockquote", "body", "br", "button", "canvas",
    "center", "code", "dd", "del", "details", "div", "dl", "dt", "em", "embed", "figcaption",
    "figure", "font", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr",
    "html", "i", "iframe", "img", "ins", "kbd", "li", "link", "main", "mark", "meta", "nav",
    "noscript", "ol", "p", "path", "picture", "pre", "q", "s", "samp", "script", "section",
    "small", "source", "span", "strike", "strong", "style", "sub", "summary", "sup", "svg",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var", "video", "wbr",
  ]

  /// Words tools print in angle brackets (`kubectl get nodes` shows `<none>`), not values.
  static let literals: Set<String> = ["none", "nil", "null", "unknown", "pending", "invalid", "empty"]

  static let maximumLength = 80

  /// Normalises a placeholder or input name into an id: lowercase, every run of characters
  /// other than letters and digits becomes `_`, and `_` is trimmed from both ends.
  /// `<user-pool-Id>` → `user_pool_id`, `<database name>` → `database_name`.
  public static func normalize(_ name: String) -> String {
    var out = ""
    var pendingSeparator = false
    for character in name.lowercased() {
      if character.isLetter || character.isNumber {
        if pendingSeparator, !out.isEmpty { out.append("_") }
        pendingSeparator = false
        out.append(character)
      } else {
        pendingSeparator = true
      }
    }
    return out
  }

  /// Every placeholder in a text, in order.
  public static func scan(_ text: String) -> [Occurrence] {
    guard text.utf8.contains(UInt8(ascii: "<")) else { return [] }
    var result: [Occurrence] = []
    let characters = Array(text)
    var line = 0
    var utf8Column = 0
    var index = 0
    var previous: Character? = nil
    while index < characters.count {
      let character = characters[index]
      if character == "<", let found = match(characters, at: index, after: previous) {
        let id = normalize(found)
        if !id.isEmpty {
          result.append(
            Occurrence(name: found, id: id, offset: index, line: line, utf8Column: utf8Column))
        }
      }
      if character == "\n" {
        line += 1
        utf8Column = 0
      } else {
        utf8Column += character.utf8.count
      }
      previous = character
      index += 1
    }
    return result
  }

  /// The name of a placeholder starting at `start` (a `<`), if one does.
  static func match(_ characters: [Character], at start: Int, after previous: Character?) -> String? {
    if let previous, previous == "<" || previous.isLetter || previous.isNumber || previous == "_" {
      return nil  // `<<EOF`, `List<String>`
    }
    var index = start + 1
    guard index < characters.count, characters[index].isLetter || characters[index] == "_" else {
      return nil  // `</div>`, `< input`, `<!--`, `<(cmd)`
    }
    var name = ""
    while index < characters.count, characters[index] != ">" {
      let c = characters[index]
      guard c.isLetter || c.isNumber || c == "_" || c == "-" || c == "." || c == " " else {
        return nil  // attributes, URLs, e-mail addresses, `<br/>`
      }
      name.append(c)
      guard name.count <= maximumLength else { return nil }
      index += 1
    }
    guard index < characters.count, let last = name.last, last != " " else { return nil }
    let lowered = name.lowercased()
    if htmlTags.contains(lowered) || literals.contains(lowered) || looksLikeXMLElement(name) { return nil }
    return name
  }

  /// `<EntityDescriptor>`, `<X509Certificate>`: PascalCase names with two or more humps and no
  /// separators are XML or JSX element names in guides, not values to fill in.
  static func looksLikeXMLElement(_ name: String) -> Bool {
    guard let first = name.first, first.isUppercase,
      !name.contains(where: { $0 == "_" || $0 == "-" || $0 == " " || $0 == "." })
    else { return false }
    var previous = first
    for character in name.dropFirst() {
      if character.isUppercase, previous.isLowercase || previous.isNumber { return true }
      previous = character
    }
    return false
  }

  /// Replaces each placeholder whose id `value(for:)` knows; others stay as written.
  public static func substitute(_ text: String, _ value: (Occurrence) -> String?) -> String {
    let occurrences = scan(text)
    guard !occurrences.isEmpty else { return text }
    let characters = Array(text)
    var out = ""
    var cursor = 0
    for occurrence in occurrences {
      guard occurrence.offset >= cursor, let replacement = value(occurrence) else { continue }
      out.append(contentsOf: characters[cursor..<occurrence.offset])
      out += replacement
      cursor = occurrence.offset + occurrence.name.count + 2
    }
    out.append(contentsOf: characters[cursor...])
    return out
  }
}
