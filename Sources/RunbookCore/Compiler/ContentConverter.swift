import Foundation
import RunbookMarkdown

/// Converts grouped nodes into ``Content`` for the parts of a guide that are not steps, and
/// reports the problems of the blocks it meets (each block is converted exactly once).
struct ContentConverter {
  var diagnostics: DiagnosticCollector
  var documentLineCount: Int
  /// True for an MDX guide (`.mdx`): indented text is text, not code.
  var mdx = false

  mutating func content(_ nodes: [Node]) -> [Content] {
    nodes.compactMap { content($0) }
  }

  mutating func content(_ node: Node) -> Content? {
    switch node {
    case .block(let block): return content(block)
    case .note(let kind, let title, let nodes, let range):
      return .note(Note(kind: kind, title: title, content: content(nodes), range: range))
    case .tabs(let group):
      return .tabs(
        group.tabs.map {
          Alternative(label: $0.label, value: $0.value, content: content($0.nodes), range: $0.range)
        }, group.range)
    case .pin, .condition: return nil
    case .tabsContent(let alternatives, let range): return .tabs(alternatives, range)
    }
  }

  mutating func content(_ block: MarkdownBlock) -> Content {
    switch block {
    case .paragraph(let inlines, let range): return .paragraph(inlines, range)
    case .heading(let level, let inlines, let range): return .heading(level: level, inlines: inlines, range)
    case .list(let list):
      return .list(
        ContentList(
          ordered: list.ordered, start: list.start,
          items: list.items.map { content(group($0.blocks)) }, range: list.range))
    case .blockQuote(let blocks, let range): return .quote(content(group(blocks)), range)
    case .codeBlock(let code): return .code(codeBlock(code))
    case .html(let html, let range): return .html(html, range)
    case .thematicBreak(let range): return .rule(range)
    case .table(let table): return .table(self.table(table))
    }
  }

  mutating func group(_ blocks: [MarkdownBlock]) -> [Node] {
    BlockGrouper.group(blocks, &diagnostics, mdx: mdx)
  }

  mutating func codeBlock(_ code: MarkdownCodeBlock) -> CodeBlock {
    let info = CodeInfo(code.info, at: code.range.start)
    for problem in info.problems {
      diagnostics.report(
        .error, "malformed-code-attribute",
        at: SourceLocation(line: code.range.start.line, column: code.range.start.column + 3 + problem.offset),
        "code block attributes are malformed: \(problem.message); write them as `{check timeout=30s}`")
    }
    if !code.closed {
      if code.range.end.line >= documentLineCount {
        diagnostics.report(
          .error, "unclosed-code-fence", at: code.range.start,
          "this code fence (\(code.fence ?? "```")) is never closed and swallows the rest of the guide; add a closing \(code.fence ?? "```") line"
        )
      } else {
        diagnostics.report(
          .warning, "code-fence-ended-by-indent", at: code.range.start,
          "this code fence (\(code.fence ?? "```")) is ended by its list item's indentation, not by a closing fence; indent the closing fence like the opening one"
        )
      }
    }
    var block = CodeBlock(
      language: info.language, attributes: info.attributes, text: code.text, range: code.range)
    block.fenced = code.fence != nil
    return block
  }

  mutating func table(_ table: MarkdownTable) -> Table {
    let expected = table.header.cells.count
    for row in [table.header] + table.rows where row.sourceCellCount != expected && row.sourceCellCount > 0 {
      if row.range.start.line == table.header.range.start.line, row.sourceCellCount == expected { continue }
      diagnostics.report(
        .warning, "table-cell-count", at: row.range.start,
        "this table row has \(row.sourceCellCount) cell\(row.sourceCellCount == 1 ? "" : "s") but the header has \(expected); "
          + (row.sourceCellCount > expected
            ? "extra cells are dropped, so escape `|` inside cells as `\\|`"
            : "missing cells are shown empty, so add the missing cells"))
    }
    // JSX in a cell (`<div style={{width: "20%"}}>Field</div>`) is shown as its text.
    func cell(_ inlines: [Inline]) -> [Inline] {
      inlines.compactMap { inline in
        guard case .text(let text, let at) = inline, text.contains("<") else { return inline }
        let kept = HTMLTag.removingMarkup(text)
        return kept.allSatisfy(\.isWhitespace) && !text.allSatisfy(\.isWhitespace) ? nil : .text(kept, at)
      }
    }
    return Table(
      header: table.header.cells.map(cell), rows: table.rows.map { $0.cells.map(cell) },
      rowRanges: table.rows.map(\.range), range: table.range)
  }
}
