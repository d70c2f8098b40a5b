import Foundation
import RunbookMarkdown

/// Reads HTML definition lists (`<dl><dt>Field</dt><dd>What to enter</dd>…</dl>`), which guides
/// use as the list of fields to fill in, as a two-column table: one row per `<dt>`, its `<dd>`
/// beside it. The table then reaches the admin like any other: a row to confirm per field.
///
/// cmark gives a definition list as one or more HTML blocks; a blank line inside it ends an
/// HTML block, and the indented lines after it can even become an indented code block. The
/// blocks from the one that opens `<dl>` to the one that closes it are read as one.
enum DefinitionList {
  static let header = ["Field", "Description"]
  static let entry = try! NSRegularExpression(
    pattern: #"<dt\b[^>]*>(.*?)</dt\s*>\s*(?:<dd\b[^>]*>(.*?)(?:</dd\s*>|(?=<dt\b)|$))?"#,
    options: [.caseInsensitive, .dotMatchesLineSeparators])
  static let piece = try! NSRegularExpression(
    pattern: #"<(/?)([A-Za-z][A-Za-z0-9]*)\b([^>]*)>|&(#?[A-Za-z0-9]+);|[^<&]+|[<&]"#)
  static let href = try! NSRegularExpression(pattern: #"href\s*=\s*(?:"([^"]*)"|'([^']*)')"#)

  /// The blocks with each definition list they hold turned into a table; blocks without one
  /// are returned as they are.
  static func merge(_ blocks: [MarkdownBlock]) -> [MarkdownBlock] {
    guard blocks.contains(where: { if case .html(let h, _) = $0 { opens(h) } else { false } }) else {
      return blocks
    }
    var out: [MarkdownBlock] = []
    var index = 0
    while index < blocks.count {
      guard case .html(let first, let range) = blocks[index], opens(first) else {
        out.append(blocks[index])
        index += 1
        continue
      }
      // The run of HTML (and indented code) blocks up to the one that closes the list.
      var pieces = [(text: first, line: range.start.line)]
      var last = index
      collecting: while !closes(pieces[pieces.count - 1].text), last + 1 < blocks.count {
        let next: (text: String, line: Int)
        switch blocks[last + 1] {
        case .html(let text, let r): next = (text, r.start.line)
        case .codeBlock(let code) where code.fence == nil: next = (code.text, code.range.start.line)
        default: break collecting
        }
        pieces.append(next)
        last += 1
      }
      if let table = table(pieces, end: blocks[last].range.end) {
        out.append(.table(table))
        index = last + 1
      } else {
        out.append(blocks[index])
        index += 1
      }
    }
    return out
  }

  static func opens(_ html: String) -> Bool { html.range(of: "<dl", options: .caseInsensitive) != nil }
  static func closes(_ html: String) -> Bool { html.range(of: "</dl", options: .caseInsensitive) != nil }

  /// The table of the entries in the pieces (texts and the line each starts on), or nil when
  /// there is no `<dt>`.
  static func table(_ pieces: [(text: String, line: Int)], end: SourceLocation) -> MarkdownTable? {
    var text = ""
    var lineOfOffset: [(offset: Int, line: Int)] = []
    for piece in pieces {
      lineOfOffset.append(((text as NSString).length, piece.line))
      text += piece.text + "\n"
    }
    let ns = text as NSString
    var rows: [MarkdownTable.Row] = []
    for match in entry.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
      let base = lineOfOffset.last { $0.offset <= match.range.location } ?? (0, pieces[0].line)
      let newlines =
        (ns.substring(with: NSRange(location: base.offset, length: match.range.location - base.offset)))
        .utf8.count { $0 == UInt8(ascii: "\n") }
      let at = SourceLocation(line: base.line + newlines, column: 1)
      let term = inlines(ns.substring(with: match.range(at: 1)), at: at)
      let definition =
        match.range(at: 2).location == NSNotFound
        ? [] : inlines(ns.substring(with: match.range(at: 2)), at: at)
      rows.append(
        MarkdownTable.Row(
          cells: [term, definition], sourceCellCount: 2, range: SourceRange(start: at, end: at)))
    }
    guard !rows.isEmpty else { return nil }
    let start = SourceLocation(line: pieces[0].line, column: 1)
    let headerRow = MarkdownTable.Row(
      cells: header.map { [Inline.text($0, start)] }, sourceCellCount: 2,
      range: SourceRange(start: start, end: start))
    return MarkdownTable(header: headerRow, rows: rows, range: SourceRange(start: start, end: end))
  }

  /// HTML as inline content: `<b>`/`<strong>`, `<em>`/`<i>`, `<code>` and `<a href>` keep their
  /// meaning, `<br>` and list items break the line, other tags are dropped; white space is
  /// collapsed and entities decoded.
  static func inlines(_ html: String, at: SourceLocation) -> [Inline] {
    // A stack of open containers, each with its tag and what it holds so far.
    var stack: [(tag: String, destination: String, children: [Inline])] = [("", "", [])]
    var itemsSeen = 0
    func append(_ inline: Inline) { stack[stack.count - 1].children.append(inline) }
    func appendText(_ raw: String) {
      let collapsed = raw.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        .joined(separator: " ")
      let leading = raw.first.map { $0.isWhitespace } ?? false
      let trailing = raw.last.map { $0.isWhitespace } ?? false
      let text = (leading ? " " : "") + collapsed + (trailing && !collapsed.isEmpty ? " " : "")
      guard !text.isEmpty else { return }
      if case .text(let previous, let l)? = stack[stack.count - 1].children.last {
        stack[stack.count - 1].children[stack[stack.count - 1].children.count - 1] = .text(previous + text, l)
      } else {
        append(.text(text, at))
      }
    }
    let ns = html as NSString
    for match in piece.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
      let whole = ns.substring(with: match.range)
      if match.range(at: 2).location != NSNotFound {
        let closing = match.range(at: 1).length > 0
        let name = ns.substring(with: match.range(at: 2)).lowercased()
        switch (name, closing) {
        case ("br", _):
          append(.lineBreak(at))
        case ("li", false):
          if itemsSeen > 0 || !stack[stack.count - 1].children.isEmpty { append(.lineBreak(at)) }
          itemsSeen += 1
          appendText("• ")
        case ("b", false), ("strong", false), ("em", false), ("i", false), ("code", false), ("a", false):
          let attributes = ns.substring(with: match.range(at: 3))
          var destination = ""
          if name == "a",
            let m = href.firstMatch(
              in: attributes, range: NSRange(location: 0, length: (attributes as NSString).length))
          {
            let group = m.range(at: 1).location != NSNotFound ? 1 : 2
            destination = (attributes as NSString).substring(with: m.range(at: group))
          }
          stack.append((name, destination, []))
        case ("b", true), ("strong", true), ("em", true), ("i", true), ("code", true), ("a", true):
          guard stack.count > 1, stack[stack.count - 1].tag == name else { continue }
          let done = stack.removeLast()
          switch name {
          case "b", "strong": append(.strong(done.children, at))
          case "em", "i": append(.emphasis(done.children, at))
          case "code": append(.code(done.children.plainText.trimmingCharacters(in: .whitespaces), at))
          default: append(.link(destination: done.destination, title: "", children: done.children, at))
          }
        default:
          break  // other tags show nothing
        }
      } else if match.range(at: 4).location != NSNotFound {
        appendText(entity(ns.substring(with: match.range(at: 4))) ?? whole)
      } else {
        appendText(whole)
      }
    }
    while stack.count > 1 {
      let done = stack.removeLast()
      stack[stack.count - 1].children += done.children
    }
    var result = stack[0].children
    // No spaces at either end.
    if case .text(let t, let l)? = result.first {
      let trimmed = String(t.drop { $0 == " " })
      if trimmed.isEmpty { result.removeFirst() } else { result[0] = .text(trimmed, l) }
    }
    if case .text(let t, let l)? = result.last {
      let trimmed = String(t.reversed().drop { $0 == " " }.reversed())
      if trimmed.isEmpty { result.removeLast() } else { result[result.count - 1] = .text(trimmed, l) }
    }
    return result
  }

  /// The character an HTML entity (without `&` and `;`) stands for.
  static func entity(_ name: String) -> String? {
    switch name.lowercased() {
    case "amp": return "&"
    case "lt": return "<"
    case "gt": return ">"
    case "quot": return "\""
    case "apos", "#39": return "'"
    case "nbsp": return " "
    default:
      guard name.hasPrefix("#") else { return nil }
      let digits = name.dropFirst()
      let value = digits.lowercased().hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
      return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
    }
  }
}
