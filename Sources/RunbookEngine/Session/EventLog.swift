import Foundation

/// Where a session's events go. The file-backed ``Journal`` is one; tests use ``MemoryEventLog``.
public protocol EventLog: AnyObject {
  var header: JournalHeader { get }
  var events: [Event] { get }
  /// Appends durably (the journal fsyncs) and returns the event as stored.
  @discardableResult func append(_ event: Event) throws(JournalError) -> Event
}

extension Journal: EventLog {}

/// An in-memory event log with the journal's numbering, for tests and dry runs.
public final class MemoryEventLog: EventLog {
  public let header: JournalHeader
  public private(set) var events: [Event] = []
  /// Set to make the next append fail, as a full disk would.
  public var failNextAppend: JournalError?

  public init(header: JournalHeader, events: [Event] = []) {
    self.header = header
    self.events = events
  }

  @discardableResult public func append(_ event: Event) throws(JournalError) -> Event {
    if let failure = failNextAppend {
      failNextAppend = nil
      throw failure
    }
    var stored = event
    stored.seq = events.count + 1
    stored.prev = ""
    events.append(stored)
    return stored
  }
}
