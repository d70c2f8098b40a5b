/// Inline content of a paragraph, heading or table cell, with the position where it starts.
public enum Inline: Hashable, Sendable {
  case text(String, SourceLocation)
  case softBreak(SourceLocation)
  case lineBreak(SourceLocation)
  case code(String, SourceLocation)
  case html(String, SourceLocation)
  case emphasis([Inline], SourceLocation)
  case strong([Inline], SourceLocation)
  case strikethrough([Inline], SourceLocation)
  indirect case link(destination: String, title: String, children: [Inline], SourceLocation)
  indirect case image(source: String, title: String, children: [Inline], SourceLocation)

  /// Where this inline starts in the source.
  public var location: SourceLocation {
    switch self {
    case .text(_, let at), .softBreak(let at), .lineBreak(let at), .code(_, let at),
      .html(_, let at), .emphasis(_, let at), .strong(_, let at), .strikethrough(_, let at),
      .link(_, _, _, let at), .image(_, _, _, let at):
      return at
    }
  }

  /// The inline's children, for container inlines.
  public var children: [Inline] {
    switch self {
    case .emphasis(let c, _), .strong(let c, _), .strikethrough(let c, _), .link(_, _, let c, _),
      .image(_, _, let c, _):
      return c
    default:
      return []
    }
  }
}

extension Array where Element == Inline {
  /// The plain text a reader sees: markup removed, code kept, breaks as single spaces,
  /// `<br>` tags as spaces, other inline HTML dropped.
  public var plainText: String {
    var out = ""
    appendPlainText(to: &out)
    return out
  }

  func appendPlainText(to out: inout String) {
    for inline in self {
      switch inline {
      case .text(let s, _), .code(let s, _): out += s
      case .softBreak, .lineBreak: out += " "
      case .html(let s, _):
        if s.lowercased().hasPrefix("<br") { out += " " }
      case .emphasis(let c, _), .strong(let c, _), .strikethrough(let c, _),
        .link(_, _, let c, _), .image(_, _, let c, _):
        c.appendPlainText(to: &out)
      }
    }
  }
}
