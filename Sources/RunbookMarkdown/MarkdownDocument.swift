/// A parsed Markdown document: its top-level blocks and the facts the parser noticed.
public struct MarkdownDocument: Hashable, Sendable {
  public var blocks: [MarkdownBlock]
  /// Lines (1-based) where nesting went deeper than ``MarkdownParser/maximumDepth`` and the
  /// deeper content was kept as plain text.
  public var depthLimitedAt: [SourceLocation]
  /// The number of lines in the source.
  public var lineCount: Int

  public init(blocks: [MarkdownBlock], depthLimitedAt: [SourceLocation] = [], lineCount: Int) {
    self.blocks = blocks
    self.depthLimitedAt = depthLimitedAt
    self.lineCount = lineCount
  }
}
