/// A state file as read without locking it.
public struct JournalContents: Equatable, Sendable {
  public var header: JournalHeader
  /// Every complete event, in order.
  public var events: [Event]
  /// Problems that did not stop reading, such as an incomplete last line.
  public var warnings: [String]

  public init(header: JournalHeader, events: [Event], warnings: [String]) {
    self.header = header
    self.events = events
    self.warnings = warnings
  }
}

/// What reading a state file event by event gives besides the events
/// (``Journal/read(at:each:)``).
public struct JournalPass: Equatable, Sendable {
  public var header: JournalHeader
  /// Problems that did not stop reading, such as an incomplete last line.
  public var warnings: [String]
  /// The hash chain, checked in the same pass.
  public var verification: VerifyResult

  public init(header: JournalHeader, warnings: [String], verification: VerifyResult) {
    self.header = header
    self.warnings = warnings
    self.verification = verification
  }
}
