/// Where a session's events go: what a ``Session`` needs of a run's journal. Every
/// ``RunJournal`` of a ``RunStore`` is one.
public protocol EventLog: AnyObject {
  var header: JournalHeader { get }
  var events: [Event] { get }
  /// Appends durably and returns the event as stored (with its sequence number and the hash of
  /// the line before it).
  @discardableResult func append(_ event: Event) throws(StoreError) -> Event
}
