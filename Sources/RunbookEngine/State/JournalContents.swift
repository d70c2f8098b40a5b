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
