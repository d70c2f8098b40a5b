import RunbookMarkdown

/// Collects diagnostics for one file while a stage runs; stages never stop at the first problem.
public struct DiagnosticCollector: Sendable {
  public let file: String
  public private(set) var diagnostics: [Diagnostic] = []

  public init(file: String) {
    self.file = file
  }

  public mutating func report(
    _ severity: Diagnostic.Severity, _ code: String, at location: SourceLocation, _ message: String
  ) {
    diagnostics.append(
      Diagnostic(
        file: file, line: max(location.line, 1), column: max(location.column, 1),
        severity: severity, code: code, message: message))
  }

  /// Adds another collector's diagnostics after this one's.
  public mutating func append(contentsOf other: DiagnosticCollector) {
    diagnostics.append(contentsOf: other.diagnostics)
  }

  /// Adds diagnostics collected elsewhere for the same file, after this one's.
  mutating func append(contentsOf found: some Sequence<Diagnostic>) {
    diagnostics.append(contentsOf: found)
  }

  /// The diagnostics in source order (stable for equal positions).
  public var sorted: [Diagnostic] {
    diagnostics.enumerated().sorted {
      ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
    }.map(\.element)
  }
}
