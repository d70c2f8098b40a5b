import RunbookMarkdown

/// The number a heading or paragraph starts with, as guides write it: `1. Title`, `1) Title`,
/// `Step 1: Title`, `Step 2 - Title`, in plain text or bold (`**1. Create a sender**`).
enum NumberedText {
  /// The written number and the title after it (markup kept), or nil when the text does not
  /// start with a step number followed by a title.
  static func split(_ inlines: [Inline]) -> (number: Int, title: [Inline])? {
    // Most paragraphs start with a word: look at the first characters before anything else.
    guard let first = leadingText(inlines, limit: 16), let (number, length) = prefix(first) else {
      return nil
    }
    let title = dropLeading(length, from: inlines)
    guard !title.plainText.trimmingSpaces().isEmpty else { return nil }
    return (number, title)
  }

  /// Up to `limit` characters of the plain text the inlines start with, or nil when the first
  /// character cannot start a step number (a digit, or the `S` of `Step`).
  static func leadingText(_ inlines: [Inline], limit: Int) -> String? {
    var out = ""
    func visit(_ inlines: [Inline]) {
      for inline in inlines where out.count < limit {
        switch inline {
        case .text(let s, _), .code(let s, _): out += s.prefix(limit - out.count)
        case .softBreak, .lineBreak: out += " "
        case .emphasis(let c, _), .strong(let c, _), .strikethrough(let c, _), .link(_, _, let c, _): visit(c)
        case .html, .image: return
        }
      }
    }
    visit(inlines)
    guard let c = out.drop(while: { $0 == " " }).first, c.isNumber || c == "S" || c == "s" else { return nil }
    return out
  }

  /// The number and the length (in characters) of `1. `, `Step 1: `… at the start of `text`.
  static func prefix(_ text: String) -> (Int, Int)? {
    let characters = Array(text)
    var i = 0
    func skipSpaces() { while i < characters.count, characters[i] == " " || characters[i] == "\t" { i += 1 } }
    skipSpaces()
    var hasStepWord = false
    if characters.count >= i + 4, String(characters[i..<i + 4]).lowercased() == "step" {
      hasStepWord = true
      i += 4
      skipSpaces()
    }
    let digitsStart = i
    while i < characters.count, characters[i].isASCII, characters[i].isNumber, i - digitsStart < 4 { i += 1 }
    guard i > digitsStart, i - digitsStart <= 3, let number = Int(String(characters[digitsStart..<i])) else {
      return nil
    }
    if hasStepWord { skipSpaces() }
    let separators: Set<Character> = hasStepWord ? [":", ".", ")", "-", "–", "—"] : [".", ")"]
    guard i < characters.count, separators.contains(characters[i]) else { return nil }
    i += 1
    // `1.5` is a version, `1.` followed by a title is a step.
    guard i < characters.count, characters[i] == " " || characters[i] == "\t" else { return nil }
    skipSpaces()
    return (number, i)
  }

  /// The inlines without their first `count` characters of plain text (containers emptied on
  /// the way are removed), then without the spaces that follow.
  static func dropLeading(_ count: Int, from inlines: [Inline]) -> [Inline] {
    var remaining = count
    var out = drop(&remaining, inlines)
    while case .text(let t, let at)? = out.first, t.first == " " || t.first == "\t" || t.isEmpty {
      let trimmed = String(t.drop { $0 == " " || $0 == "\t" })
      if trimmed.isEmpty { out.removeFirst() } else { out[0] = .text(trimmed, at) }
    }
    return out
  }

  private static func drop(_ remaining: inout Int, _ inlines: [Inline]) -> [Inline] {
    var out: [Inline] = []
    for inline in inlines {
      guard remaining > 0 else {
        out.append(inline)
        continue
      }
      switch inline {
      case .text(let s, let at), .code(let s, let at):
        if s.count <= remaining {
          remaining -= s.count
        } else {
          let rest = String(s.dropFirst(remaining))
          remaining = 0
          if case .code = inline { out.append(.code(rest, at)) } else { out.append(.text(rest, at)) }
        }
      case .softBreak, .lineBreak:
        remaining -= 1
      case .html(let s, _):
        if s.lowercased().hasPrefix("<br") { remaining -= 1 } else { out.append(inline) }
      case .emphasis(let c, let at), .strong(let c, let at), .strikethrough(let c, let at):
        let kept = drop(&remaining, c)
        guard !kept.isEmpty else { continue }
        switch inline {
        case .emphasis: out.append(.emphasis(kept, at))
        case .strong: out.append(.strong(kept, at))
        default: out.append(.strikethrough(kept, at))
        }
      case .link(let destination, let title, let c, let at):
        let kept = drop(&remaining, c)
        if !kept.isEmpty { out.append(.link(destination: destination, title: title, children: kept, at)) }
      case .image:
        out.append(inline)
      }
    }
    return out
  }
}
