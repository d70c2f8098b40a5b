import Foundation
import RunbookEngine
import RunbookPostgres
import RunbookTestSupport
import Synchronization
import Testing

/// The store in process: holders, appends that find their sequence number taken, imports.
@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.skipReason)))
struct PostgresStoreTests {
  let start = JournalDateFormat.parse("2026-11-28T09:00:00.000Z")!

  func store(_ db: TestDatabase) throws -> PostgresStore {
    try PostgresStore(location: PostgresLocation(url: db.url, environment: [:], loginName: "postgres"))
  }

  func header() -> JournalHeader {
    JournalHeader(
      runbook: .init(path: "guide.md", id: "demo", title: "Demo", sha256: String(repeating: "a", count: 64)),
      steps: [.init(id: "one", fingerprint: "f1"), .init(id: "two", fingerprint: "f2")], created: start,
      operator: "alice")
  }

  /// The store's default run of `demo`, created and started, still open.
  func startedRun(in store: PostgresStore) throws -> (RunID, any RunJournal) {
    let run = store.defaultRun(for: "demo")
    let journal = try store.create(
      run, header: header(), holder: LockInfo(operator: "a", pid: 1, host: "h", since: start))
    try journal.append(event(.started, 1))
    return (run, journal)
  }

  func event(_ type: EventType, _ seconds: Double, step: String? = nil) -> Event {
    Event(type: type, at: start.addingTimeInterval(seconds), operator: "alice", step: step)
  }

  @Test func holderIsSeenByOthersAndGoneWhenClosed() throws {
    let db = try TestDatabase()
    let store = try store(db)
    let other = try self.store(db)
    let run = store.defaultRun(for: "demo")
    let info = LockInfo(operator: "alice@laptop", pid: 4242, host: "laptop", since: start)
    let journal = try store.create(run, header: header(), holder: info)
    #expect(other.holder(of: run) == info)
    #expect(throws: StoreError.self) { try other.open(run, holder: info) }
    do {
      _ = try other.open(run, holder: info)
    } catch {
      #expect(error.kind == .inUse(info))
      #expect(
        error.description
          == "run \(run) is in use by alice@laptop (pid 4242 on laptop) since 2026-11-28T09:00:00Z")
    }
    try journal.append(event(.started, 1))
    #expect(other.overviewsOrEmpty.first?.holder == info)
    journal.close()
    #expect(other.holder(of: run) == nil)
    #expect(other.overviewsOrEmpty.first?.holder == nil)
    let reopened = try other.open(run, holder: info)
    #expect(reopened.events.count == 1)
    reopened.close()
  }

  @Test func theHeaderIsReadWithoutTheEvents() throws {
    let db = try TestDatabase()
    let store = try store(db)
    let (run, journal) = try startedRun(in: store)
    journal.close()
    #expect(try store.header(of: run) == header())
    #expect(try store.header(of: run) == store.read(run).header)
    do {
      _ = try store.header(of: RunID("no-such-run"))
      Issue.record("a run that does not exist has no header")
    } catch {
      #expect(error.kind == .notFound)
    }
  }

  @Test func anAppendWhoseCommitWasLostIsRecognisedNotDuplicated() throws {
    let db = try TestDatabase()
    let store = try store(db)
    let (run, journal) = try startedRun(in: store)
    // The next append's line, committed by an "earlier attempt" whose answer never arrived.
    let head = try #require(store.verify(run).chainHead)
    let next = event(.stepStarted, 2, step: "one")
    let line = try #require(JournalCodec().eventLine(next, seq: 2, prev: head)).line
    let hex = line.map { String(format: "%02x", $0) }.joined()
    _ = try db.sql(
      "WITH m AS (UPDATE runbook_runs SET event_count = 2 WHERE run_id = '\(run)' RETURNING run_id) INSERT INTO runbook_events SELECT run_id, 2, '\\x\(hex)'::bytea FROM m"
    )
    let stored = try journal.append(next)
    #expect(stored.seq == 2)
    #expect(try db.sql("SELECT count(*) FROM runbook_events WHERE run_id = '\(run)'") == "2")
    try journal.append(event(.stepDone, 3, step: "one"))
    #expect(store.verify(run).ok)
    #expect(store.verify(run).events == 3)
    journal.close()
  }

  @Test func anAppendThatFindsAnotherWritersEventIsRefusedNeverForked() throws {
    let db = try TestDatabase()
    let store = try store(db)
    let (run, journal) = try startedRun(in: store)
    let head = try #require(store.verify(run).chainHead)
    let theirs = try #require(JournalCodec().eventLine(event(.note, 2), seq: 2, prev: head)).line
    let hex = theirs.map { String(format: "%02x", $0) }.joined()
    _ = try db.sql(
      "WITH m AS (UPDATE runbook_runs SET event_count = 2 WHERE run_id = '\(run)' RETURNING run_id) INSERT INTO runbook_events SELECT run_id, 2, '\\x\(hex)'::bytea FROM m"
    )
    #expect {
      try journal.append(event(.stepStarted, 2, step: "one"))
    } throws: { error in
      "\(error)".contains("another writer recorded event 2 of run \(run) first")
    }
    #expect(try db.sql("SELECT count(*) FROM runbook_events WHERE run_id = '\(run)'") == "2")
    #expect(store.verify(run).ok)
    journal.close()
  }

  @Test func aDriverWhoseRunWasTakenOverWhileAwayIsRefused() throws {
    let db = try TestDatabase()
    let notices = NoticeLog()
    var options = PostgresStore.Options()
    options.firstDelay = 0.05
    let store = try PostgresStore(
      location: PostgresLocation(url: db.url, environment: [:], loginName: "postgres"), options: options,
      notices: notices.add)
    let run = store.defaultRun(for: "demo")
    let alice = LockInfo(operator: "alice@laptop", pid: 4242, host: "laptop", since: start)
    let journal = try store.create(run, header: header(), holder: alice)
    try journal.append(event(.started, 1))
    // Alice's connection drops (the server ends it); Bob resumes the run before she is back.
    _ = try db.sql("SELECT pg_terminate_backend(backend_pid) FROM runbook_holders WHERE run_id = '\(run)'")
    let bob = LockInfo(operator: "bob@desk", pid: 77, host: "desk", since: start)
    let other = try self.store(db)
    let deadline = Date().addingTimeInterval(10)
    var taken: (any RunJournal)?
    while taken == nil, Date() < deadline {
      taken = try? other.open(run, holder: bob)
      if taken == nil { usleep(50_000) }
    }
    let bobs = try #require(taken)
    try bobs.append(event(.resumed, 2))
    #expect {
      try journal.append(event(.stepStarted, 3, step: "one"))
    } throws: { error in
      "\(error)".contains("bob@desk (pid 77 on desk) took over run \(run); this session stops")
    }
    #expect(store.verify(run).events == 2)
    bobs.close()
    journal.close()
  }

  @Test func tablesAreCreatedOnceAndANewerSchemaIsRefused() throws {
    let db = try TestDatabase()
    _ = try store(db)
    _ = try store(db)
    #expect(try db.sql("SELECT string_agg(version::text, ',') FROM runbook_schema") == "1")
    _ = try db.sql("INSERT INTO runbook_schema (version) VALUES (2)")
    #expect {
      try store(db)
    } throws: { error in
      "\(error)".contains(
        "were made by a newer runbook (schema version 2, this one knows 1); upgrade runbook")
    }
  }

  @Test func overviewKeptOnAppendMatchesTheOneFoldedFromTheJournal() throws {
    let db = try TestDatabase()
    let store = try store(db)
    let run = RunID("12:3- ünï \u{1B}[31m:")
    // Text that looks like the listing's own packing (digits, colons, dashes), and more.
    var hostile = header()
    hostile.runbook.title = "Deploy: 12:34 - ünïcode \u{1B}[31m\u{1F}x"
    hostile.operator = "5:a-b@h:1"
    let journal = try store.create(
      run, header: hostile, holder: LockInfo(operator: "7:x-", pid: 1, host: "h:2", since: start))
    try journal.append(event(.started, 1))
    try journal.append(event(.stepDone, 2, step: "one"))
    var failed = event(.check, 3, step: "two")
    failed.passed = false
    failed.index = 0
    try journal.append(failed)
    var listed = try #require(store.overviewsOrEmpty.first)
    #expect(listed.holder == LockInfo(operator: "7:x-", pid: 1, host: "h:2", since: start))
    journal.close()
    listed = try #require(store.overviewsOrEmpty.first)
    let contents = try store.read(run)
    let folded = RunOverview(run: run, header: contents.header, events: contents.events)
    #expect(listed == folded)
    let kept = listed
    #expect(kept.outcome == .failed)
    #expect(kept.done == 1 && kept.failed == 1 && kept.failedChecks == 1)
  }
}

extension PostgresStore {
  var overviewsOrEmpty: [RunOverview] { (try? overviews().runs) ?? [] }
}

/// Notices a store gave, in order.
final class NoticeLog: Sendable {
  private let notices = Mutex<[StoreNotice]>([])
  var all: [StoreNotice] { notices.withLock { $0 } }
  func add(_ notice: StoreNotice) { notices.withLock { $0.append(notice) } }
}
