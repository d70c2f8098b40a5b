import RunbookEngine

/// A store that tells the web server about every event its runs append, whatever the store
/// underneath (files, memory, a database): journals it opens or creates are wrapped so that each
/// successful append is handed to `appended` after it is durable. Reads, lists and locks are the
/// inner store's.
struct ObservedStore: RunStore {
  let inner: any RunStore
  let appended: @Sendable (RunID, Event) -> Void

  func defaultRun(for runbookID: String) -> RunID { inner.defaultRun(for: runbookID) }
  func exists(_ run: RunID) throws(StoreError) -> Bool { try inner.exists(run) }

  func create(_ run: RunID, header: JournalHeader, holder: LockInfo) throws(StoreError) -> any RunJournal {
    ObservedJournal(try inner.create(run, header: header, holder: holder), appended)
  }

  func open(_ run: RunID, holder: LockInfo) throws(StoreError) -> any RunJournal {
    ObservedJournal(try inner.open(run, holder: holder), appended)
  }

  func read(_ run: RunID) throws(StoreError) -> JournalContents { try inner.read(run) }
  func header(of run: RunID) throws(StoreError) -> JournalHeader { try inner.header(of: run) }
  func verify(_ run: RunID) -> VerifyResult { inner.verify(run) }
  func list() throws(StoreError) -> [RunID] { try inner.list() }
  func holder(of run: RunID) -> LockInfo? { inner.holder(of: run) }
  func places(ofGuide recorded: String, for run: RunID) -> [String] {
    inner.places(ofGuide: recorded, for: run)
  }
  func read(_ run: RunID, each: (Event) -> Void) throws(StoreError) -> JournalPass {
    try inner.read(run, each: each)
  }
  func overviews() throws(StoreError) -> RunOverviews { try inner.overviews() }
  func reportPath(for run: RunID, fileExtension: String) -> String {
    inner.reportPath(for: run, fileExtension: fileExtension)
  }
}

/// A journal whose appends are reported once stored.
final class ObservedJournal: RunJournal {
  private let inner: any RunJournal
  private let appended: @Sendable (RunID, Event) -> Void

  init(_ inner: any RunJournal, _ appended: @escaping @Sendable (RunID, Event) -> Void) {
    self.inner = inner
    self.appended = appended
  }

  var run: RunID { inner.run }
  var recovered: String? { inner.recovered }
  var header: JournalHeader { inner.header }
  var events: [Event] { inner.events }

  @discardableResult func append(_ event: Event) throws(StoreError) -> Event {
    let stored = try inner.append(event)
    appended(inner.run, stored)
    return stored
  }

  func close() { inner.close() }
}
