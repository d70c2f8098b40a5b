/// A block of a Markdown document, converted from cmark-gfm's tree into Swift values.
public enum MarkdownBlock: Hashable, Sendable {
  case heading(level: Int, inlines: [Inline], SourceRange)
  case paragraph([Inline], SourceRange)
  indirect case list(MarkdownList)
  case blockQuote([MarkdownBlock], SourceRange)
  indirect case codeBlock(MarkdownCodeBlock)
  case html(String, SourceRange)
  case thematicBreak(SourceRange)
  indirect case table(MarkdownTable)

  /// The source span of the block.
  public var range: SourceRange {
    switch self {
    case .heading(_, _, let r), .paragraph(_, let r), .blockQuote(_, let r), .html(_, let r),
      .thematicBreak(let r):
      return r
    case .list(let l): return l.range
    case .codeBlock(let c): return c.range
    case .table(let t): return t.range
    }
  }
}

/// An ordered or bullet list.
public struct MarkdownList: Hashable, Sendable {
  public var ordered: Bool
  /// The number the first item shows (ordered lists only; 1 for bullet lists).
  public var start: Int
  public var tight: Bool
  public var items: [MarkdownListItem]
  public var range: SourceRange

  public init(ordered: Bool, start: Int, tight: Bool, items: [MarkdownListItem], range: SourceRange) {
    self.ordered = ordered
    self.start = start
    self.tight = tight
    self.items = items
    self.range = range
  }
}

/// One item of a list; `task` is set for GitHub task-list items (`- [ ]`, `- [x]`).
public struct MarkdownListItem: Hashable, Sendable {
  public enum Task: Hashable, Sendable { case open, checked }
  public var task: Task?
  public var blocks: [MarkdownBlock]
  public var range: SourceRange
  /// The number written in the source for an ordered item (`5.`), which CommonMark ignores
  /// after the first item of a list.
  public var writtenNumber: Int?

  public init(task: Task?, blocks: [MarkdownBlock], range: SourceRange, writtenNumber: Int? = nil) {
    self.task = task
    self.blocks = blocks
    self.range = range
    self.writtenNumber = writtenNumber
  }
}

/// A fenced or indented code block.
public struct MarkdownCodeBlock: Hashable, Sendable {
  /// The whole info string after the opening fence (`sh {check timeout=30s}`).
  public var info: String
  public var text: String
  /// The fence characters (for example "```"), or nil for an indented code block.
  public var fence: String?
  /// False when a fenced block was not closed by a matching fence line.
  public var closed: Bool
  public var range: SourceRange

  public init(info: String, text: String, fence: String?, closed: Bool, range: SourceRange) {
    self.info = info
    self.text = text
    self.fence = fence
    self.closed = closed
    self.range = range
  }
}

/// A GitHub table: the header row and the body rows, each cell as inline content.
public struct MarkdownTable: Hashable, Sendable {
  public struct Row: Hashable, Sendable {
    public var cells: [[Inline]]
    /// Cells written in the source, which cmark-gfm pads or cuts to the header's count.
    public var sourceCellCount: Int
    public var range: SourceRange
    public init(cells: [[Inline]], sourceCellCount: Int, range: SourceRange) {
      self.cells = cells
      self.sourceCellCount = sourceCellCount
      self.range = range
    }
  }
  public var header: Row
  public var rows: [Row]
  public var range: SourceRange

  public init(header: Row, rows: [Row], range: SourceRange) {
    self.header = header
    self.rows = rows
    self.range = range
  }
}
