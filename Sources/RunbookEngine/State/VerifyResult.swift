/// The outcome of checking a state file's hash chain (``Journal/verify(at:)``).
///
/// Each event records the SHA-256 of the line before it, so editing, removing or reordering
/// any line but the last is detected. The last line has no successor to vouch for it:
/// ``chainHead`` does, once it is kept somewhere else (a completion report, a ticket).
public struct VerifyResult: Equatable, Sendable {
  /// True when every line checks out (an incomplete last line is only a warning).
  public var ok: Bool
  /// Lowercase hex SHA-256 of the last good line; nil when the file could not be checked.
  public var chainHead: String?
  /// The number of events checked before the end or the first problem.
  public var events: Int
  /// What is wrong, e.g. `line 7 was altered (line 8 records a different hash)`.
  public var problem: String?
  /// Problems that do not break the chain, such as an incomplete last line.
  public var warnings: [String]

  public init(
    ok: Bool, chainHead: String?, events: Int, problem: String? = nil, warnings: [String] = []
  ) {
    self.ok = ok
    self.chainHead = chainHead
    self.events = events
    self.problem = problem
    self.warnings = warnings
  }
}
