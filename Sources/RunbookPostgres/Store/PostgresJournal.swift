import Foundation
import NIOCore
import PostgresNIO
import RunbookEngine

/// A run of a ``PostgresStore`` opened to append to it. It owns one connection, which holds the
/// run's session-level advisory lock for as long as it lives (a killed process's connection
/// ends, and the server releases the lock at once), and appends on that same connection.
///
/// An append is one statement: it moves the run's `event_count` from `seq - 1` to `seq` and
/// inserts the line, or does nothing when another writer got there first, which is refused
/// (never a fork). When the database goes away mid-run the append waits and retries with
/// backoff, telling the admin through the store's notices, reconnects and takes the lock again;
/// an attempt whose commit was lost is recognised by its stored line, so each event is written
/// exactly once. If someone else took the run meanwhile, the append is refused.
final class PostgresJournal: RunJournal {
  let run: RunID
  let header: JournalHeader
  private(set) var events: [Event]
  let recovered: String? = nil

  private let store: PostgresStore
  private let lockKey: Int32
  private let holder: LockInfo
  private var connection: BlockingConnection?
  private var chainHead: String
  private var builder: RunOverview.Builder
  private var closed = false
  private let codec = JournalCodec()

  init(
    store: PostgresStore, run: RunID, lockKey: Int32, holder: LockInfo, connection: BlockingConnection,
    header: JournalHeader, events: [Event], chainHead: String, builder: RunOverview.Builder
  ) {
    self.store = store
    self.run = run
    self.lockKey = lockKey
    self.holder = holder
    self.connection = connection
    self.header = header
    self.events = events
    self.chainHead = chainHead
    self.builder = builder
  }

  deinit { close() }

  @discardableResult func append(_ event: Event) throws(StoreError) -> Event {
    guard !closed else {
      throw StoreError(
        .writeFailed, path: run.rawValue, description: "run \(run) was closed; resume it to append")
    }
    let seq = events.count + 1
    guard let (stored, line) = codec.eventLine(event, seq: seq, prev: chainHead) else {
      throw StoreError(.writeFailed, path: run.rawValue, description: "cannot encode an event for run \(run)")
    }
    var next = builder
    next.apply(stored)
    let overview = next.overview(run: run)

    let options = store.options
    let deadline = Date().addingTimeInterval(options.retryFor)
    var delay = options.firstDelay
    var waiting = false
    while true {
      do throws(PostgresFailure) {
        let live = try liveConnection()
        try write(line, seq: seq, overview: overview, on: live)
        break
      } catch  where failure(error) {
        connection?.close()
        connection = nil
        guard Date().addingTimeInterval(delay) < deadline else {
          throw StoreError(
            .unavailable, path: run.rawValue,
            description:
              "the database at \(store.location.server) has been away for \(Int(options.retryFor)) s; event \(seq) of run \(run) was not recorded. Resume the run when it is back"
          )
        }
        if !waiting {
          waiting = true
          notify(
            .waiting,
            "the database at \(store.location.server) is unreachable (\(store.location.redact(error.reason))); waiting to record event \(seq) of run \(run), retrying for up to \(Int(options.retryFor)) s"
          )
        }
        Thread.sleep(forTimeInterval: delay)
        delay = min(delay * 2, options.maximumDelay)
      } catch {
        throw refusal(error, seq: seq)
      }
    }
    if waiting {
      notify(
        .restored, "the database at \(store.location.server) is back; event \(seq) of run \(run) recorded")
    }
    chainHead = JournalCodec.sha256(line)
    events.append(stored)
    builder = next
    return stored
  }

  func close() {
    guard !closed else { return }
    closed = true
    if let connection, !connection.isClosed {
      _ = try? connection.query(
        "DELETE FROM runbook_holders WHERE run_id = \(run.rawValue) AND backend_pid = pg_backend_pid()")
      connection.close()
    }
    connection = nil
  }

  // MARK: - Appending

  /// A transient failure: worth waiting for.
  private func failure(_ error: PostgresFailure) -> Bool { error.isTransient }

  /// The open connection, or a new one that holds the run's lock again. Taken by someone else
  /// meanwhile: refused. Still held by this driver's old connection (the server has not yet
  /// noticed it died): that session is ended and the lock taken on the next attempt.
  private func liveConnection() throws(PostgresFailure) -> BlockingConnection {
    if let connection, !connection.isClosed { return connection }
    let fresh: BlockingConnection
    do {
      fresh = try BlockingConnection.connect(to: store.location)
    } catch {
      throw error
    }
    do throws(PostgresFailure) {
      let locked =
        try fresh.query("SELECT pg_try_advisory_lock(\(unescaped: PostgresStore.lockClassSQL), \(lockKey))")
        .first.map { row throws(PostgresFailure) in try PostgresStore.decoding { try row.decode(Bool.self) } }
        ?? false
      if !locked {
        let rows = try fresh.query(
          "SELECT backend_pid, operator, host, pid, since FROM runbook_holders WHERE run_id = \(run.rawValue)"
        )
        if let row = rows.first {
          let (backend, name, host, pid, since) = try PostgresStore.decoding {
            try row.decode((Int32, String, String, Int, Date).self)
          }
          if name == holder.operator, host == holder.host, pid == holder.pid,
            abs(since.timeIntervalSince(holder.since)) < 0.01
          {
            try fresh.query("SELECT pg_terminate_backend(\(backend))")
            throw PostgresFailure(kind: .unreachable, reason: "the old connection still held the lock")
          }
          throw PostgresFailure(
            kind: .lockTaken("\(name) (pid \(pid) on \(host))"), reason: "the lock is taken")
        }
        throw PostgresFailure(kind: .lockTaken("another process"), reason: "the lock is taken")
      }
      try fresh.query(
        """
        INSERT INTO runbook_holders (run_id, backend_pid, operator, host, pid, since)
        VALUES (\(run.rawValue), pg_backend_pid(), \(holder.operator), \(holder.host), \(holder.pid), \(holder.since))
        ON CONFLICT (run_id) DO UPDATE SET backend_pid = excluded.backend_pid, operator = excluded.operator,
          host = excluded.host, pid = excluded.pid, since = excluded.since
        """)
    } catch {
      fresh.close()
      throw error
    }
    connection = fresh
    return fresh
  }

  /// Appends the line as event `seq`, or finds it already there from an earlier attempt whose
  /// answer was lost. Anything else at `seq` is another writer's: refused.
  private func write(_ line: [UInt8], seq: Int, overview: RunOverview, on connection: BlockingConnection)
    throws(PostgresFailure)
  {
    var inserted = 0
    do throws(PostgresFailure) {
      let result = try connection.run(
        """
        WITH moved AS (
          UPDATE runbook_runs SET event_count = \(seq), chain_head = \(JournalCodec.sha256(line)),
            overview_version = \(PostgresStore.overviewVersion), outcome = \(overview.outcome.rawValue),
            steps_done = \(overview.done), steps_skipped = \(overview.skipped), steps_failed = \(overview.failed),
            steps_total = \(overview.total), failed_checks = \(overview.failedChecks),
            last_operator = \(overview.lastOperator), last_activity = \(overview.lastActivity),
            operators = \(overview.operators), overview = \(OverviewListing.pack(overview))
          WHERE run_id = \(run.rawValue) AND event_count = \(seq - 1)
          RETURNING run_id)
        INSERT INTO runbook_events (run_id, seq, line) SELECT run_id, \(seq), \(ByteBuffer(bytes: line)) FROM moved
        """)
      inserted = result.metadata.rows ?? 0
    } catch  where error.sqlState == PostgresFailure.uniqueViolation {
      inserted = 0
    }
    if inserted == 1 { return }
    let rows = try connection.query(
      "SELECT line FROM runbook_events WHERE run_id = \(run.rawValue) AND seq = \(seq)")
    if let row = rows.first {
      let stored = try PostgresStore.decoding { try row.decode(ByteBuffer.self) }
      if Array(stored.readableBytesView) == line { return }
    }
    throw PostgresFailure(kind: .forked, reason: "another writer")
  }

  private func refusal(_ failure: PostgresFailure, seq: Int) -> StoreError {
    switch failure.kind {
    case .lockTaken(let who):
      return StoreError(
        .inUse(LockInfo(operator: who, pid: 0, host: "", since: Date())), path: run.rawValue,
        description:
          "while the database was away, \(who) took over run \(run); this session stops and event \(seq) was not recorded. `runbook status` shows the run"
      )
    case .forked:
      return StoreError(
        .inUse(LockInfo(operator: "another writer", pid: 0, host: "", since: Date())), path: run.rawValue,
        description:
          "another writer recorded event \(seq) of run \(run) first; this session stops without writing, so the run never forks. Resume it to continue from what is recorded"
      )
    default:
      return store.storeError(failure, run: run)
    }
  }

  private func notify(_ kind: StoreNotice.Kind, _ message: String) {
    store.notices?(StoreNotice(kind, run: run, message: message))
  }
}
