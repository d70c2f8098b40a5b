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
}
