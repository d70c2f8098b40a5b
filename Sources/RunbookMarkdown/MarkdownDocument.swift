/// A parsed Markdown document: its top-level blocks and the facts the parser noticed.
public struct MarkdownDocument: Hashable, Sendable {
  public var blocks: [MarkdownBlock]
  /// Lines (1-based) where nesting went deeper than ``MarkdownParser/maximumDepth`` and the
  /// deeper content was kept as plain text.
  public var depthLimitedAt: [SourceLocation]
  /// Where inline markup (emphasis, strong, strikethrough, links, images) went deeper than
  /// ``MarkdownParser/maximumDepth`` and the deeper text was kept without markup.
  public var inlineDepthLimitedAt: [SourceLocation]
  /// The number of lines in the source.
  public var lineCount: Int

  public init(
    blocks: [MarkdownBlock], depthLimitedAt: [SourceLocation] = [],
    inlineDepthLimitedAt: [SourceLocation] = [],
    lineCount: Int
  ) {
    self.blocks = blocks
    self.depthLimitedAt = depthLimitedAt
    self.inlineDepthLimitedAt = inlineDepthLimitedAt
    self.lineCount = lineCount
  }
}
