/// Something a store tells the person at the front end while it works on its own, such as
/// waiting for a database that went away: one line, no password, for standard error or a
/// banner. Stores take a ``StoreNoticeHandler`` when they are made; the file store has none to
/// give.
public struct StoreNotice: Sendable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// The store cannot be reached; the session waits and retries.
    case waiting
    /// The store is back and the waiting write went through.
    case restored
  }

  public var kind: Kind
  /// The run concerned, if any.
  public var run: RunID?
  /// One line for the admin.
  public var message: String

  public init(_ kind: Kind, run: RunID?, message: String) {
    self.kind = kind
    self.run = run
    self.message = message
  }

  public var description: String { message }
}

/// Receives a store's notices, on the thread that is waiting.
public typealias StoreNoticeHandler = @Sendable (StoreNotice) -> Void
