/// A problem found in a guide, pointing at the Markdown that caused it.
public struct Diagnostic: Hashable, Sendable, Codable {
  public enum Severity: String, Hashable, Sendable, Codable, Comparable {
    case info, warning, error
    var rank: Int {
      switch self {
      case .info: 0
      case .warning: 1
      case .error: 2
      }
    }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
  }

  public var file: String
  public var line: Int
  public var column: Int
  public var severity: Severity
  /// A stable identifier such as `unclosed-code-fence`; documented in docs/authoring.md.
  public var code: String
  /// What is wrong and how to fix it, in one sentence.
  public var message: String

  public init(
    file: String, line: Int, column: Int, severity: Severity, code: String, message: String
  ) {
    self.file = file
    self.line = line
    self.column = column
    self.severity = severity
    self.code = code
    self.message = message
  }

  /// `file:line:col: severity: message [code]`, the form editors and CI logs understand.
  public var formatted: String {
    "\(file):\(line):\(column): \(severity.rawValue): \(message) [\(code)]"
  }
}
