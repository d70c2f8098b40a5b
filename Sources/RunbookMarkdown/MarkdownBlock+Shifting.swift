extension MarkdownBlock {
  /// The same block with every column moved right by `columns`: text parsed again after its
  /// indentation was removed (an indented block of an MDX guide) keeps the guide's columns.
  public func shiftingColumns(by columns: Int) -> MarkdownBlock {
    guard columns != 0 else { return self }
    func at(_ l: SourceLocation) -> SourceLocation {
      SourceLocation(line: l.line, column: l.column + columns)
    }
    func span(_ r: SourceRange) -> SourceRange { SourceRange(start: at(r.start), end: at(r.end)) }
    func inlines(_ list: [Inline]) -> [Inline] { list.map { $0.shiftingColumns(by: columns) } }
    func row(_ r: MarkdownTable.Row) -> MarkdownTable.Row {
      MarkdownTable.Row(cells: r.cells.map(inlines), sourceCellCount: r.sourceCellCount, range: span(r.range))
    }
    switch self {
    case .heading(let level, let content, let r):
      return .heading(level: level, inlines: inlines(content), span(r))
    case .paragraph(let content, let r): return .paragraph(inlines(content), span(r))
    case .list(let list):
      var copy = list
      copy.range = span(list.range)
      copy.items = list.items.map {
        MarkdownListItem(
          task: $0.task, blocks: $0.blocks.map { $0.shiftingColumns(by: columns) }, range: span($0.range),
          writtenNumber: $0.writtenNumber)
      }
      return .list(copy)
    case .blockQuote(let blocks, let r):
      return .blockQuote(blocks.map { $0.shiftingColumns(by: columns) }, span(r))
    case .codeBlock(let code):
      var copy = code
      copy.range = span(code.range)
      return .codeBlock(copy)
    case .html(let html, let r): return .html(html, span(r))
    case .thematicBreak(let r): return .thematicBreak(span(r))
    case .table(let table):
      return .table(
        MarkdownTable(header: row(table.header), rows: table.rows.map(row), range: span(table.range)))
    }
  }
}

extension Inline {
  /// The same inline with every column moved right by `columns`.
  public func shiftingColumns(by columns: Int) -> Inline {
    let at = SourceLocation(line: location.line, column: location.column + columns)
    func children(_ list: [Inline]) -> [Inline] { list.map { $0.shiftingColumns(by: columns) } }
    switch self {
    case .text(let s, _): return .text(s, at)
    case .softBreak: return .softBreak(at)
    case .lineBreak: return .lineBreak(at)
    case .code(let s, _): return .code(s, at)
    case .html(let s, _): return .html(s, at)
    case .emphasis(let c, _): return .emphasis(children(c), at)
    case .strong(let c, _): return .strong(children(c), at)
    case .strikethrough(let c, _): return .strikethrough(children(c), at)
    case .link(let destination, let title, let c, _):
      return .link(destination: destination, title: title, children: children(c), at)
    case .image(let source, let title, let c, _):
      return .image(source: source, title: title, children: children(c), at)
    }
  }
}
