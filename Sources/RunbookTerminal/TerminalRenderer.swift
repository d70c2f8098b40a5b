import RunbookCore
import RunbookMarkdown

/// Turns runbook content into text for a terminal: wrapped to the terminal's width, styled with
/// SGR and OSC 8 hyperlinks when the terminal supports them. A pure value: no I/O, no global
/// state.
///
/// Every piece of document text, and every value, passes through
/// ``Sanitizer/terminal(_:keepNewlines:)`` before the renderer adds its own escape sequences, so
/// the only live escape sequences in the output are the renderer's. Output lines never end with
/// spaces and the output never ends with a newline.
public struct TerminalRenderer: Sendable {
  public var style: TerminalStyle
  /// The value to show for a placeholder, by input id; nil keeps `<name>` as written.
  let values: @Sendable (String) -> String?

  /// - Parameter values: the value to show for a `<placeholder>` in inline code, code blocks
  ///   and table cells, by input id (see ``Placeholder/normalize(_:)``); nil keeps the
  ///   placeholder as written. Secrets must already be masked.
  public init(style: TerminalStyle, values: @escaping @Sendable (String) -> String? = { _ in nil }) {
    self.style = style
    self.values = values
  }

  /// How code blocks longer than a screen are folded: the first lines, then one line saying how
  /// many more there are and how to see them. Nil (the default) shows code in full.
  public var fold: CodeFold?

  /// Folding for long code (see ``fold``).
  public struct CodeFold: Sendable, Hashable {
    /// Code longer than this many lines is folded.
    public var limit: Int
    /// How many of its first lines a folded block shows.
    public var shown: Int
    /// How to see the rest, as the line after them ends: `v shows all of it`.
    public var hint: String

    public init(limit: Int = 12, shown: Int = 6, hint: String) {
      self.limit = limit
      self.shown = min(shown, limit)
      self.hint = hint
    }

    /// Whether a text of code would be folded.
    public func folds(_ text: String) -> Bool { Self.lines(text).count > limit }

    /// The lines shown of a text of code, and how many are left out (0 when it is not folded).
    public func apply(_ text: String) -> (lines: [Substring], hidden: Int) {
      let all = Self.lines(text)
      guard all.count > limit else { return (all, 0) }
      return (Array(all.prefix(shown)), all.count - shown)
    }

    /// The line saying what is folded away.
    public func note(hidden: Int) -> String { "… \(hidden) more line\(hidden == 1 ? "" : "s") (\(hint))" }

    static func lines(_ text: String) -> [Substring] {
      var text = Substring(text)
      while text.hasSuffix("\n") { text = text.dropLast() }
      return text.split(separator: "\n", omittingEmptySubsequences: false)
    }
  }

  /// The wrap width, never below ``TerminalStyle/minimumWidth``.
  var width: Int { max(TerminalStyle.minimumWidth, style.width) }

  /// One paragraph, wrapped.
  public func render(_ inlines: [Inline]) -> String {
    finish(wrap(styled(inlines), width) + linkLines(inlines, width: width))
  }

  /// Blocks in order, a blank line between them.
  public func render(_ content: [Content]) -> String {
    finish(lines(content, width: width))
  }

  public func render(_ note: Note) -> String {
    finish(noteLines(note, width: width))
  }

  /// A table with aligned columns, shrunk to the width when it is wider.
  public func render(_ table: Table) -> String {
    finish(tableLines(table, width: width))
  }

  /// A code block, unwrapped and indented, after a line naming its language and attributes.
  public func render(_ code: CodeBlock) -> String {
    finish(codeLines(code))
  }

  /// The heading of a step: its section, its number and position, then its title, such as
  /// `Create the user pool` / `Step 6.2 · 8 of 23` / the title wrapped.
  public func stepHeading(section: String, number: String, title: [Inline], position: Int, total: Int)
    -> String
  {
    var out: [String] = []
    let sectionText = clean(section).trimming(" ")
    if !sectionText.isEmpty {
      out += wrap(StyledText(sectionText, attributes(SGR.bold, SGR.blue)), width)
    }
    var line = StyledText("Step " + clean(number), attributes(SGR.bold))
    line.append(" · \(position) of \(total)", attributes(SGR.dim))
    out += wrap(line, width)
    if !title.isEmpty {
      out += wrap(styled(title, attributes(SGR.bold)), width) + linkLines(title, width: width)
    }
    return finish(out)
  }

  /// The heading of a section the run enters: its title in bold, underlined for `#` and `##`.
  public func sectionHeading(_ title: [Inline], level: Int) -> String {
    var out = wrap(styled(title, attributes(SGR.bold, SGR.blue)), width)
    let length = min(width, DisplayWidth.of(clean(title.plainText).trimming(" ")))
    if level <= 2, length > 0 {
      let rule = String(repeating: style.color ? "─" : "-", count: length)
      out.append(encode(StyledText(rule, attributes(SGR.dim))))
    }
    return finish(out)
  }

  // MARK: - Blocks

  /// Blocks separated by blank lines; in a list item a list right after a paragraph follows it
  /// without one.
  func lines(_ content: [Content], width: Int, compact: Bool = false) -> [String] {
    var out: [String] = []
    var previous: Content? = nil
    for block in content {
      let rendered = lines(block, width: width)
      guard rendered.contains(where: { !$0.isEmpty }) else { continue }
      if !out.isEmpty {
        var tight = false
        if compact, case .list = block, case .paragraph = previous { tight = true }
        if !tight { out.append("") }
      }
      out += rendered
      previous = block
    }
    return out
  }

  func lines(_ block: Content, width: Int) -> [String] {
    switch block {
    case .paragraph(let inlines, _):
      return wrap(styled(inlines), width) + linkLines(inlines, width: width)
    case .heading(_, let inlines, _):
      return wrap(styled(inlines, attributes(SGR.bold)), width) + linkLines(inlines, width: width)
    case .list(let list):
      return listLines(list, width: width)
    case .quote(let content, _):
      return prefixed(lines(content, width: inner(width, 2)), "> ", attributes(SGR.dim))
    case .code(let code):
      return codeLines(code)
    case .table(let table):
      return tableLines(table, width: width)
    case .note(let note):
      return noteLines(note, width: width)
    case .html(let html, let range):
      // Comments, wrapper tags and other HTML or MDX show nothing; images show as images.
      return [Content.html(html, range)].images.flatMap {
        wrap(imageText(alt: $0.alt, source: $0.source, .none), width)
      }
    case .tabs(let alternatives, _):
      return tabLines(alternatives, width: width)
    case .rule:
      return [
        encode(StyledText(String(repeating: style.color ? "─" : "-", count: width), attributes(SGR.dim)))
      ]
    }
  }

  func listLines(_ list: ContentList, width: Int) -> [String] {
    let markers = list.items.indices.map { list.ordered ? "\(list.start + $0)." : style.color ? "•" : "-" }
    let markerWidth = (markers.map { DisplayWidth.of($0) }.max() ?? 1) + 1
    var out: [String] = []
    for (marker, item) in zip(markers, list.items) {
      let body = lines(item, width: inner(width, markerWidth), compact: true)
      if body.isEmpty {
        out.append(marker)
      } else {
        let first = marker + String(repeating: " ", count: markerWidth - DisplayWidth.of(marker))
        out += prefixed(body, first: first, rest: String(repeating: " ", count: markerWidth))
      }
    }
    return out
  }

  /// A bar down the left of the note, coloured by kind, after a line naming the kind and title.
  func noteLines(_ note: Note, width: Int) -> [String] {
    let barAttributes = attributes(Self.color(ofNoteKind: note.kind))
    let kind = clean(note.kind).trimming(" ").uppercased()
    var header = StyledText(kind.isEmpty ? "NOTE" : kind, barAttributes.adding(SGR.bold))
    if let title = note.title.map({ clean($0).trimming(" ") }), !title.isEmpty {
      header.append(": ", barAttributes.adding(SGR.bold))
      header.append(title, attributes(SGR.bold))
    }
    let body = lines(note.content, width: inner(width, 2))
    return prefixed(wrap(header, inner(width, 2)) + body, style.color ? "┃ " : "| ", barAttributes)
  }

  static func color(ofNoteKind kind: String) -> Int {
    switch kind.lowercased() {
    case "tip": return SGR.green
    case "caution", "warning": return SGR.yellow
    case "danger": return SGR.red
    case "important": return SGR.magenta
    default: return SGR.blue
    }
  }

  /// Each alternative labelled, its content indented under the label.
  func tabLines(_ alternatives: [Alternative], width: Int) -> [String] {
    var out: [String] = []
    for alternative in alternatives {
      if !out.isEmpty { out.append("") }
      let label = clean(alternative.label.isEmpty ? alternative.value : alternative.label)
      out += wrap(StyledText("Option \"\(label)\":", attributes(SGR.bold)), width)
      out += prefixed(lines(alternative.content, width: inner(width, 2)), "  ")
    }
    return out
  }

  func codeLines(_ code: CodeBlock) -> [String] {
    var out: [String] = []
    let attributeText = code.attributes.map { $0.value == "true" ? $0.name : "\($0.name)=\($0.value)" }
    let info = [
      code.language ?? "", attributeText.isEmpty ? "" : "{\(attributeText.joined(separator: " "))}",
    ]
    .filter { !$0.isEmpty }.joined(separator: " ")
    if !info.isEmpty {
      let rule = style.color ? "──" : "--"
      out.append(encode(StyledText("\(rule) \(clean(info)) \(rule)", attributes(SGR.dim))))
    }
    var text = code.displayText
    if text.hasSuffix("\n") { text.removeLast() }
    guard !text.isEmpty else { return out }
    var code: [String] = []
    for line in filled(text, .none, keepNewlines: true).lines {
      let shown = line.expandingTabs().trimmingTrailingSpaces
      code.append(shown.isEmpty ? "" : "    " + encode(shown))
    }
    if let fold, code.count > fold.limit {
      let hidden = code.count - fold.shown
      code = Array(code.prefix(fold.shown))
      code.append("    " + encode(StyledText(fold.note(hidden: hidden), attributes(SGR.dim))))
    }
    return out + code
  }

  // MARK: - Helpers

  /// SGR attributes when the style has colour, none otherwise.
  func attributes(_ codes: Int...) -> TextAttributes {
    guard style.color else { return .none }
    var out = TextAttributes.none
    for code in codes { out = out.adding(code) }
    return out
  }

  func encode(_ text: StyledText) -> String {
    text.encoded(color: style.color, hyperlinks: style.hyperlinks)
  }

  func wrap(_ text: StyledText, _ width: Int) -> [String] {
    TextWrapper.wrap(text, width: width).map(encode)
  }

  /// The width left inside an indent, never so narrow that nothing fits.
  func inner(_ width: Int, _ indent: Int) -> Int {
    max(10, width - indent)
  }

  func prefixed(_ lines: [String], _ prefix: String, _ attributes: TextAttributes = .none) -> [String] {
    prefixed(lines, first: prefix, rest: prefix, attributes)
  }

  /// Lines after a prefix, styled without its trailing spaces; an empty line gets the prefix
  /// without trailing spaces, or nothing.
  func prefixed(_ lines: [String], first: String, rest: String, _ attributes: TextAttributes = .none)
    -> [String]
  {
    lines.enumerated().map { index, line in
      let prefix = index == 0 ? first : rest
      let mark = String(prefix.reversed().drop { $0 == " " }.reversed())
      let styledMark = mark.isEmpty ? "" : encode(StyledText(mark, attributes))
      if line.isEmpty { return styledMark }
      return styledMark + String(repeating: " ", count: prefix.count - mark.count) + line
    }
  }

  /// The final text: no trailing spaces on any line, no trailing blank lines or newline.
  func finish(_ lines: [String]) -> String {
    var out = lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }
    while out.last?.isEmpty == true { out.removeLast() }
    return out.joined(separator: "\n")
  }
}

extension String {
  /// The string without `character` at either end.
  func trimming(_ character: Character) -> String {
    String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
  }
}
