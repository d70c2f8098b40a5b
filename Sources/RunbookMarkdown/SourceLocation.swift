/// A position in a Markdown source: 1-based line and 1-based column counted in UTF-8 bytes,
/// as cmark-gfm reports it (the convention of swift-markdown and most compilers' byte columns).
public struct SourceLocation: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }

  public var description: String { "\(line):\(column)" }
}

/// The span of a node in its source, both ends inclusive.
public struct SourceRange: Hashable, Sendable, Codable, CustomStringConvertible {
  public var start: SourceLocation
  public var end: SourceLocation

  public init(start: SourceLocation, end: SourceLocation) {
    self.start = start
    self.end = end
  }

  public init(line: Int, column: Int) {
    self.start = SourceLocation(line: line, column: column)
    self.end = self.start
  }

  public var description: String { "\(start)-\(end)" }
}
