import Foundation
import NIOCore
import PostgresNIO
import RunbookEngine
import Synchronization

/// Runs kept in PostgreSQL: each run is a row of `runbook_runs` (its header line and its
/// one-line overview) and its events are rows of `runbook_events` keyed by (run id, sequence
/// number), each holding the exact line a state file would hold, so the hash chain, `verify`
/// and the report are the same as with files. One driver per run: a session-level advisory lock
/// held by the driver's own connection (``PostgresJournal``). docs/store.md has the details.
///
/// Synchronous like the engine: every call waits for the database on the calling thread
/// (``BlockingConnection``), which must not be one of NIO's event-loop threads.
public final class PostgresStore: RunStore {
  /// How long and how a driver waits for a database that went away mid-run.
  public struct Options: Sendable {
    /// Give up an append after waiting this long (seconds); the run can be resumed later.
    public var retryFor: Double = 600
    /// The first pause between attempts (seconds); it doubles up to ``maximumDelay``.
    public var firstDelay: Double = 0.25
    public var maximumDelay: Double = 5

    public init() {}
  }

  public let location: PostgresLocation
  public let options: Options
  let notices: StoreNoticeHandler?
  private let shared = Mutex<BlockingConnection?>(nil)

  /// The version of ``RunOverview`` kept in `runbook_runs`; rows written with another are
  /// recomputed from their events when listed.
  static let overviewVersion = 1

  /// Connects, creates or migrates the tables, and keeps the connection for reads. Fails with
  /// `.unavailable` naming the server (never the password) when it cannot be reached.
  public init(
    location: PostgresLocation, options: Options = Options(), notices: StoreNoticeHandler? = nil
  ) throws(StoreError) {
    self.location = location
    self.options = options
    self.notices = notices
    let connection = try connect()
    do {
      try Schema.migrate(connection, location: location)
    } catch {
      connection.close()
      throw storeError(error, run: nil)
    }
    shared.withLock { $0 = connection }
  }

  deinit {
    shared.withLock { $0?.close() }
  }

  // MARK: - RunStore

  /// A new id every time: `<runbook id>-<8 letters and digits>`.
  public func defaultRun(for runbookID: String) -> RunID {
    let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
    var generator = SystemRandomNumberGenerator()
    let suffix = String((0..<8).map { _ in alphabet.randomElement(using: &generator)! })
    return RunID("\(runbookID)-\(suffix)")
  }

  public func exists(_ run: RunID) throws(StoreError) -> Bool {
    try withShared(run) { connection throws(PostgresFailure) in
      try !connection.query("SELECT 1 FROM runbook_runs WHERE run_id = \(run.rawValue)").isEmpty
    }
  }

  public func create(_ run: RunID, header: JournalHeader, holder: LockInfo) throws(StoreError)
    -> any RunJournal
  {
    guard let (header, line) = JournalCodec().headerLine(header) else {
      throw StoreError(.writeFailed, path: run.rawValue, description: "cannot encode the header of \(run)")
    }
    let builder = RunOverview.Builder(header: header)
    let connection = try connect()
    do throws(StoreError) {
      let overview = builder.overview(run: run)
      let rows = try attempt(run) { () throws(PostgresFailure) in
        try connection.query(
          """
          INSERT INTO runbook_runs (run_id, header, header_sha256, runbook_id, title, created_at, created_by,
            event_count, chain_head, \(unescaped: Self.overviewColumns))
          VALUES (\(run.rawValue), \(ByteBuffer(bytes: line)), \(JournalCodec.sha256(line)), \(header.runbook.id),
            \(header.runbook.title), \(header.created), \(header.operator), 0, \(JournalCodec.sha256(line)),
            \(Self.overviewVersion), \(overview.outcome.rawValue), \(overview.done), \(overview.skipped),
            \(overview.failed), \(overview.total), \(overview.failedChecks), \(overview.lastOperator),
            \(overview.lastActivity), \(overview.operators), \(OverviewListing.pack(overview)))
          ON CONFLICT (run_id) DO NOTHING
          RETURNING lock_key, pg_try_advisory_lock(\(unescaped: Self.lockClassSQL), lock_key)
          """)
      }
      guard let row = rows.first else { throw alreadyExists(run) }
      let (key, locked) = try attempt(run) { () throws(PostgresFailure) in
        try Self.decoding { try row.decode((Int32, Bool).self) }
      }
      guard locked else { throw inUse(run, by: self.holder(of: run)) }
      try record(holder, of: run, on: connection)
      return PostgresJournal(
        store: self, run: run, lockKey: key, holder: holder, connection: connection, header: header,
        events: [], chainHead: JournalCodec.sha256(line), builder: builder)
    } catch {
      connection.close()
      throw error
    }
  }

  public func open(_ run: RunID, holder: LockInfo) throws(StoreError) -> any RunJournal {
    let connection = try connect()
    do throws(StoreError) {
      var key: Int32 = 0
      for tries in 0..<10 {
        let rows = try attempt(run) { () throws(PostgresFailure) in
          try connection.query(
            """
            SELECT lock_key, pg_try_advisory_lock(\(unescaped: Self.lockClassSQL), lock_key)
            FROM runbook_runs WHERE run_id = \(run.rawValue)
            """)
        }
        guard let row = rows.first else { throw notFound(run) }
        let (found, locked) = try attempt(run) { () throws(PostgresFailure) in
          try Self.decoding { try row.decode((Int32, Bool).self) }
        }
        if locked {
          key = found
          break
        }
        // Someone holds it; say who, once their holder row is visible.
        if let other = self.holder(of: run) { throw inUse(run, by: other) }
        if tries == 9 { throw inUse(run, by: nil) }
        usleep(20_000)
      }
      try record(holder, of: run, on: connection)
      let lines = try attempt(run) { () throws(PostgresFailure) in try Self.lines(of: run, on: connection) }
      guard !lines.isEmpty else { throw notFound(run) }
      let parsed = try JournalCodec.parse(Self.fileBytes(lines), name: run.rawValue)
      let header = parsed.contents.header
      return PostgresJournal(
        store: self, run: run, lockKey: key, holder: holder, connection: connection, header: header,
        events: parsed.contents.events, chainHead: parsed.chainHead,
        builder: RunOverview.Builder(header: header, events: parsed.contents.events))
    } catch {
      connection.close()
      throw error
    }
  }

  public func read(_ run: RunID) throws(StoreError) -> JournalContents {
    try JournalCodec.parse(try exportJournal(run), name: run.rawValue).contents
  }

  public func header(of run: RunID) throws(StoreError) -> JournalHeader {
    let line = try withShared(run) { connection throws(PostgresFailure) -> [UInt8]? in
      let rows = try connection.query("SELECT header FROM runbook_runs WHERE run_id = \(run.rawValue)")
      return try rows.first.map { row throws(PostgresFailure) in
        Array(try Self.decoding { try row.decode(ByteBuffer.self) }.readableBytesView)
      }
    }
    guard let line else { throw notFound(run) }
    return try JournalCodec.header(line, name: run.rawValue)
  }

  public func verify(_ run: RunID) -> VerifyResult {
    do throws(StoreError) {
      return JournalCodec.verify(try exportJournal(run), name: run.rawValue)
    } catch {
      return VerifyResult(ok: false, chainHead: nil, events: 0, problem: error.description)
    }
  }

  /// Every run, oldest first.
  public func list() throws(StoreError) -> [RunID] {
    try withShared(nil) { connection throws(PostgresFailure) in
      var runs: [RunID] = []
      for row in try connection.query("SELECT run_id FROM runbook_runs ORDER BY created_at, run_id") {
        runs.append(RunID(try Self.decoding { try row.decode(String.self) }))
      }
      return runs
    }
  }

  /// Who holds the run's lock, read from `runbook_holders` and checked against `pg_locks`
  /// (a row left by a driver that died is ignored); never blocks or disturbs the holder.
  public func holder(of run: RunID) -> LockInfo? {
    let rows = try? withShared(run) { connection throws(PostgresFailure) in
      try connection.query(
        """
        SELECT h.operator, h.host, h.pid, h.since
        FROM runbook_holders h JOIN runbook_runs r ON r.run_id = h.run_id
        JOIN pg_locks l ON l.locktype = 'advisory' AND l.classid = \(unescaped: Self.lockClassSQL)::oid
          AND l.objid = r.lock_key::oid AND l.objsubid = 2 AND l.granted AND l.pid = h.backend_pid
        WHERE h.run_id = \(run.rawValue)
        """)
    }
    guard let row = rows?.first,
      let (name, host, pid, since) = try? row.decode((String, String, Int, Date).self)
    else { return nil }
    return LockInfo(operator: name, pid: pid, host: host, since: JournalDateFormat.rounded(since))
  }

  /// The overviews kept in `runbook_runs` with their holders, in one query; a row written by a
  /// runbook with another overview version is recomputed from its events.
  public func overviews() throws(StoreError) -> RunOverviews {
    let packed = try withShared(nil) { connection throws(PostgresFailure) in
      let rows = try connection.query(PostgresQuery(unsafeSQL: OverviewListing.sql))
      return try rows.first.map { row throws(PostgresFailure) in
        try Self.decoding { try row.decode(ByteBuffer.self) }
      }
    }
    guard let packed, let listed = OverviewListing.parse(packed) else {
      throw StoreError(
        .unreadable, path: location.description, description: "cannot read the runs' overviews in \(location)"
      )
    }
    var found = RunOverviews(runs: [], problems: [])
    found.runs.reserveCapacity(listed.count)
    for run in listed {
      guard run.version == Self.overviewVersion else {
        do {
          let contents = try read(run.overview.run)
          var overview = RunOverview(run: run.overview.run, header: contents.header, events: contents.events)
          overview.holder = run.overview.holder
          found.runs.append(overview)
        } catch {
          found.problems.append(error)
        }
        continue
      }
      found.runs.append(run.overview)
    }
    return found
  }

  // MARK: - Import and export

  /// The run's journal as a state file would hold it: the header line and each event line as
  /// stored, each ending in a newline.
  public func exportJournal(_ run: RunID) throws(StoreError) -> [UInt8] {
    let lines = try withShared(run) { connection throws(PostgresFailure) in
      try Self.lines(of: run, on: connection)
    }
    guard !lines.isEmpty else { throw notFound(run) }
    return Self.fileBytes(lines)
  }

  /// What ``importJournal(_:from:as:)`` did.
  public struct Imported: Sendable {
    public var run: RunID
    public var events: Int
    /// Problems that did not stop the import (a torn last line left out).
    public var warnings: [String]
  }

  /// Copies the bytes of a state file into a new run, each line exactly as written, after
  /// checking them like `verify`. `name` is how messages name the file. Refuses a journal that
  /// is already in the database line for line (imported before, or exported from here).
  public func importJournal(_ bytes: [UInt8], from name: String, as requested: RunID? = nil)
    throws(StoreError)
    -> Imported
  {
    let parsed = try JournalCodec.parse(bytes, name: name)
    var lines: [[UInt8]] = []
    var start = 0
    for index in 0..<parsed.goodLength where bytes[index] == 0x0A {
      lines.append(Array(bytes[start..<index]))
      start = index + 1
    }
    let header = parsed.contents.header
    let headerSHA = JournalCodec.sha256(lines[0])
    let run = requested ?? defaultRun(for: header.runbook.id)
    let overview = RunOverview(run: run, header: header, events: parsed.contents.events)
    let sequence = (1..<lines.count).map { Int32($0) }
    let events = lines.dropFirst().map { ByteBuffer(bytes: $0) }
    let rows = try withShared(run) { connection throws(PostgresFailure) in
      let previous = try connection.query(
        """
        SELECT run_id FROM runbook_runs
        WHERE header_sha256 = \(headerSHA) AND chain_head = \(parsed.chainHead) AND event_count = \(lines.count - 1)
        LIMIT 1
        """)
      if let row = previous.first { return [row] }
      try connection.query(
        """
        WITH run AS (
          INSERT INTO runbook_runs (run_id, header, header_sha256, runbook_id, title, created_at, created_by,
            event_count, chain_head, \(unescaped: Self.overviewColumns))
          VALUES (\(run.rawValue), \(ByteBuffer(bytes: lines[0])), \(headerSHA), \(header.runbook.id),
            \(header.runbook.title), \(header.created), \(header.operator), \(lines.count - 1), \(parsed.chainHead),
            \(Self.overviewVersion), \(overview.outcome.rawValue), \(overview.done), \(overview.skipped),
            \(overview.failed), \(overview.total), \(overview.failedChecks), \(overview.lastOperator),
            \(overview.lastActivity), \(overview.operators), \(OverviewListing.pack(overview)))
          RETURNING run_id)
        INSERT INTO runbook_events (run_id, seq, line)
        SELECT run.run_id, e.seq, e.line FROM run, unnest(\(sequence)::integer[], \(events)::bytea[]) AS e(seq, line)
        """)
      return []
    }
    if let row = rows.first {
      let existing = (try? row.decode(String.self)) ?? "?"
      throw StoreError(
        .alreadyExists, path: name,
        description: "\(name) is already in \(location) as run \(existing); resume or export that run")
    }
    return Imported(run: run, events: lines.count - 1, warnings: parsed.contents.warnings)
  }

  // MARK: - For PostgresJournal

  static let lockClassSQL = String(Schema.lockClass)

  static let overviewColumns =
    "overview_version, outcome, steps_done, steps_skipped, steps_failed, steps_total, failed_checks, last_operator, last_activity, operators, overview"

  /// A new connection to the store's database.
  func connect() throws(StoreError) -> BlockingConnection {
    do {
      return try BlockingConnection.connect(to: location)
    } catch {
      throw storeError(error, run: nil)
    }
  }

  /// Records who drives the run, for ``holder(of:)``: the row names this connection's server
  /// process, so it counts only while this connection holds the lock.
  func record(_ holder: LockInfo, of run: RunID, on connection: BlockingConnection) throws(StoreError) {
    try attempt(run) { () throws(PostgresFailure) in
      try connection.query(
        """
        INSERT INTO runbook_holders (run_id, backend_pid, operator, host, pid, since)
        VALUES (\(run.rawValue), pg_backend_pid(), \(holder.operator), \(holder.host), \(holder.pid), \(holder.since))
        ON CONFLICT (run_id) DO UPDATE SET backend_pid = excluded.backend_pid, operator = excluded.operator,
          host = excluded.host, pid = excluded.pid, since = excluded.since
        """)
    }
  }

  /// The run's lines: the header, then each event in sequence order.
  static func lines(of run: RunID, on connection: BlockingConnection) throws(PostgresFailure) -> [[UInt8]] {
    let rows = try connection.query(
      """
      SELECT 0 AS seq, header FROM runbook_runs WHERE run_id = \(run.rawValue)
      UNION ALL SELECT seq, line FROM runbook_events WHERE run_id = \(run.rawValue)
      ORDER BY 1
      """)
    var lines: [[UInt8]] = []
    lines.reserveCapacity(rows.count)
    for row in rows {
      let (_, buffer) = try decoding { try row.decode((Int, ByteBuffer).self) }
      lines.append(Array(buffer.readableBytesView))
    }
    return lines
  }

  static func fileBytes(_ lines: [[UInt8]]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
    for line in lines {
      bytes += line
      bytes.append(0x0A)
    }
    return bytes
  }

  /// Runs `body` on the shared connection, reconnecting once when it was found broken (the
  /// server restarted since it was opened): every caller only reads, or writes all or nothing.
  private func withShared<T>(_ run: RunID?, _ body: (BlockingConnection) throws(PostgresFailure) -> T)
    throws(StoreError) -> T
  {
    let result: Result<T, StoreError> = shared.withLock { cached in
      for attempt in 0..<2 {
        let connection: BlockingConnection
        let reused: Bool
        if let open = cached, !open.isClosed {
          connection = open
          reused = true
        } else {
          cached?.close()
          cached = nil
          do throws(StoreError) {
            connection = try connect()
          } catch {
            return .failure(error)
          }
          cached = connection
          reused = false
        }
        do throws(PostgresFailure) {
          return .success(try body(connection))
        } catch {
          if error.isTransient, reused, attempt == 0 {
            connection.close()
            cached = nil
            continue
          }
          return .failure(storeError(error, run: run))
        }
      }
      return .failure(
        storeError(PostgresFailure(kind: .unreachable, reason: "the connection broke"), run: run))
    }
    return try result.get()
  }

  /// Runs `body`, turning its failure into a store error about `run`.
  @discardableResult
  func attempt<T>(_ run: RunID?, _ body: () throws(PostgresFailure) -> T) throws(StoreError) -> T {
    do {
      return try body()
    } catch {
      throw storeError(error, run: run)
    }
  }

  /// Runs a decode of columns, turning a type mismatch into a failure.
  static func decoding<T>(_ body: () throws -> T) throws(PostgresFailure) -> T {
    do {
      return try body()
    } catch {
      throw PostgresFailure(kind: .other, reason: "an unexpected value in the runbook tables")
    }
  }

  // MARK: - Messages (none holds the password)

  /// One line naming the server and what to do.
  func storeError(_ failure: PostgresFailure, run: RunID?) -> StoreError {
    let name = run?.rawValue ?? location.description
    let reason = location.redact(failure.reason)
    switch failure.kind {
    case .unreachable:
      return StoreError(
        .unavailable, path: name,
        description:
          "cannot reach the database at \(location.server) (\(reason)); check that it is running and that --store is right"
      )
    case .server("28P01"), .server("28000"):
      let source =
        switch location.passwordSource {
        case .url: "the password in the URL"
        case .environment: "PGPASSWORD"
        case .passwordFile(let file): "the password from \(file)"
        case nil: "no password (none in the URL, PGPASSWORD or ~/.pgpass)"
        }
      return StoreError(
        .unavailable, path: name,
        description:
          "the database at \(location.server) refused user \(location.user) with \(source) (\(reason)); check the user and password"
      )
    case .server("3D000"):
      return StoreError(
        .unavailable, path: name,
        description:
          "database \(location.database) does not exist at \(location.server); create it (createdb \(location.database)) or fix --store"
      )
    case .server("42501"):
      return StoreError(
        .notWritable, path: name,
        description:
          "user \(location.user) may not use runbook's tables in \(location) (\(reason)); ask the database owner for access"
      )
    case .server(let state):
      return StoreError(
        .writeFailed, path: name,
        description:
          "the database at \(location.server) refused a request for \(name) (\(reason), SQLSTATE \(state))")
    case .lockTaken(let who):
      return inUse(run ?? RunID(name), by: LockInfo(operator: who, pid: 0, host: "", since: Date()))
    case .forked:
      return StoreError(.writeFailed, path: name, description: "another writer changed run \(name)")
    case .other:
      if failure.isTransient || reason.contains("newer runbook") {
        return StoreError(.unavailable, path: name, description: reason)
      }
      return StoreError(
        .unavailable, path: name, description: "cannot use the database at \(location.server): \(reason)")
    }
  }

  func notFound(_ run: RunID) -> StoreError {
    StoreError(
      .notFound, path: run.rawValue,
      description:
        "run \(run) does not exist in \(location); `runbook status --store \(location)` lists the runs")
  }

  func alreadyExists(_ run: RunID) -> StoreError {
    StoreError(
      .alreadyExists, path: run.rawValue,
      description: "run \(run) already exists in \(location); resume it, or choose another run id")
  }

  func inUse(_ run: RunID, by holder: LockInfo?) -> StoreError {
    let info = holder ?? LockInfo(operator: "another process", pid: 0, host: "unknown", since: Date())
    let who =
      holder.map {
        "\($0.operator) (pid \($0.pid) on \($0.host)) since \(JournalDateFormat.seconds($0.since))"
      } ?? "another process"
    return StoreError(.inUse(info), path: run.rawValue, description: "run \(run) is in use by \(who)")
  }
}
