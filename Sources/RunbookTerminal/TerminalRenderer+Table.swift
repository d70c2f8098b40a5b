import RunbookCore
import RunbookMarkdown

extension TerminalRenderer {
  /// Box-drawing glyphs in colour mode, ASCII otherwise.
  private struct TableGlyphs {
    var horizontal: String
    var vertical: String
    var top: (String, String, String)
    var middle: (String, String, String)
    var bottom: (String, String, String)

    static let box = TableGlyphs(
      horizontal: "─", vertical: "│", top: ("┌", "┬", "┐"), middle: ("├", "┼", "┤"),
      bottom: ("└", "┴", "┘"))
    static let ascii = TableGlyphs(
      horizontal: "-", vertical: "|", top: ("+", "+", "+"), middle: ("+", "+", "+"),
      bottom: ("+", "+", "+"))
  }

  /// A bordered table: every line the same display width, cells wrapped within their column,
  /// `<br>` in a cell a line break within the row.
  func tableLines(_ table: Table, width: Int) -> [String] {
    let columns = max(table.header.count, table.rows.map(\.count).max() ?? 0)
    guard columns > 0 else { return [] }
    func cells(_ row: [[Inline]], _ attributes: TextAttributes) -> [StyledText] {
      (0..<columns).map { $0 < row.count ? styled(row[$0], attributes, in: .cell) : StyledText() }
    }
    let header = cells(table.header, attributes(SGR.bold))
    let rows = table.rows.map { cells($0, .none) }
    let natural = (0..<columns).map { column in
      ([header] + rows).map { row in
        TextWrapper.wrap(row[column], width: Int.max / 2).map(\.width).max() ?? 0
      }.max() ?? 0
    }
    // `│ ` before the first column, ` │ ` between columns, ` │` after the last.
    let widths = TableLayout.fit(natural.map { max(1, $0) }, into: width - (3 * columns + 1))
    // A word (a URL, a path) wider than its column would be broken inside: each row is shown
    // as a record instead, `Header: value` a line, so that nothing is.
    let longest = (0..<columns).map { column in
      ([header] + rows).map { row in Self.longestWord(row[column]) }.max() ?? 0
    }
    if zip(longest, widths).contains(where: { $0 > $1 }) {
      return recordLines(header: header, rows: rows, width: width)
    }
    let glyphs = style.color ? TableGlyphs.box : TableGlyphs.ascii
    let borderAttributes = attributes(SGR.dim)
    let vertical = encode(StyledText(glyphs.vertical, borderAttributes))

    func border(_ ends: (String, String, String)) -> String {
      let segments = widths.map { String(repeating: glyphs.horizontal, count: $0 + 2) }
      return encode(StyledText(ends.0 + segments.joined(separator: ends.1) + ends.2, borderAttributes))
    }
    func rowLines(_ cells: [StyledText]) -> [String] {
      let wrapped = zip(cells, widths).map { TextWrapper.wrap($0, width: $1, breakingLongWords: true) }
      let height = wrapped.map(\.count).max() ?? 1
      return (0..<height).map { index in
        var line = vertical
        for (column, lines) in wrapped.enumerated() {
          let text = index < lines.count ? lines[index] : StyledText()
          line += (column == 0 ? " " : " " + vertical + " ") + encode(text)
          line += String(repeating: " ", count: max(0, widths[column] - text.width))
        }
        return line + " " + vertical
      }
    }
    return [border(glyphs.top)] + rowLines(header) + [border(glyphs.middle)]
      + rows.flatMap(rowLines) + [border(glyphs.bottom)]
  }

  /// A table too narrow for its words: each row a record, `Header: value` a line wrapped under
  /// a hanging indent, a rule between rows.
  func recordLines(header: [StyledText], rows: [[StyledText]], width: Int) -> [String] {
    var out: [String] = []
    let rule = encode(
      StyledText(String(repeating: style.color ? "─" : "-", count: min(width, 20)), attributes(SGR.dim)))
    for row in rows {
      out.append(rule)
      for (column, cell) in row.enumerated() where !cell.plain.trimming(" ").isEmpty {
        var line = column < header.count ? header[column] : StyledText()
        if !line.isEmpty { line.append(": ", attributes(SGR.bold)) }
        line.append(cell)
        out += prefixed(wrap(line, inner(width, 2)), first: "", rest: "  ")
      }
    }
    out.append(rule)
    return out
  }

  /// The display width of the widest word of a cell.
  static func longestWord(_ text: StyledText) -> Int {
    text.plain.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { DisplayWidth.of(String($0)) }.max()
      ?? 0
  }
}
