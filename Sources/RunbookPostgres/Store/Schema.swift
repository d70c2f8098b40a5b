import PostgresNIO

/// The tables of a PostgreSQL store, created and migrated by the program: `runbook_schema`
/// records each migration applied, and a store refuses a database migrated by a newer runbook.
/// Migrations run in one transaction under a transaction-level advisory lock, so processes that
/// start at once migrate once. docs/store.md describes every table.
enum Schema {
  /// The advisory-lock class (first key) of every lock runbook takes: "RBK" in ASCII.
  static let lockClass: Int32 = 0x0052_424B
  /// The second key of the lock that serialises migrations (runs' keys start at 1).
  static let migrationLock: Int32 = 0

  /// Migration N (1-based) is `migrations[N - 1]`: statements run in order. Never edit one
  /// that has shipped; add the next.
  static let migrations: [[String]] = [
    [
      """
      CREATE TABLE runbook_runs (
        run_id text PRIMARY KEY,
        lock_key integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        header bytea NOT NULL,
        header_sha256 text NOT NULL,
        runbook_id text NOT NULL,
        title text NOT NULL,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL,
        event_count integer NOT NULL DEFAULT 0,
        chain_head text NOT NULL,
        overview_version integer NOT NULL,
        outcome text NOT NULL,
        steps_done integer NOT NULL,
        steps_skipped integer NOT NULL,
        steps_failed integer NOT NULL,
        steps_total integer NOT NULL,
        failed_checks integer NOT NULL,
        last_operator text NOT NULL,
        last_activity timestamptz NOT NULL,
        operators text[] NOT NULL,
        overview text NOT NULL
      )
      """,
      "CREATE INDEX runbook_runs_header_sha256 ON runbook_runs (header_sha256)",
      """
      CREATE TABLE runbook_events (
        run_id text NOT NULL REFERENCES runbook_runs (run_id),
        seq integer NOT NULL CHECK (seq > 0),
        line bytea NOT NULL,
        PRIMARY KEY (run_id, seq)
      )
      """,
      """
      CREATE TABLE runbook_holders (
        run_id text PRIMARY KEY REFERENCES runbook_runs (run_id),
        backend_pid integer NOT NULL,
        operator text NOT NULL,
        host text NOT NULL,
        pid integer NOT NULL,
        since timestamptz NOT NULL
      )
      """,
    ]
  ]

  static var currentVersion: Int { migrations.count }

  /// Brings the database to ``currentVersion``; fails when it is newer.
  static func migrate(_ connection: BlockingConnection, location: PostgresLocation) throws(PostgresFailure) {
    if let version = try installedVersion(connection), version >= currentVersion {
      if version > currentVersion { throw newer(version, location) }
      return
    }
    try connection.query("BEGIN")
    do throws(PostgresFailure) {
      try connection.query("SELECT pg_advisory_xact_lock(\(lockClass), \(migrationLock))")
      try connection.query(
        """
        CREATE TABLE IF NOT EXISTS runbook_schema (
          version integer PRIMARY KEY,
          applied_at timestamptz NOT NULL DEFAULT now()
        )
        """)
      let version = try installedVersion(connection) ?? 0
      if version > currentVersion { throw newer(version, location) }
      for next in (version + 1)..<(currentVersion + 1) {
        for statement in migrations[next - 1] { try connection.query(PostgresQuery(unsafeSQL: statement)) }
        try connection.query("INSERT INTO runbook_schema (version) VALUES (\(next))")
      }
      try connection.query("COMMIT")
    } catch {
      _ = try? connection.query("ROLLBACK")
      throw error
    }
  }

  /// The version recorded in `runbook_schema`; nil when the table does not exist yet.
  private static func installedVersion(_ connection: BlockingConnection) throws(PostgresFailure) -> Int? {
    do {
      let rows = try connection.query("SELECT coalesce(max(version), 0) FROM runbook_schema")
      return try rows.first?.decode(Int.self) ?? 0
    } catch let failure as PostgresFailure {
      if failure.sqlState == PostgresFailure.undefinedTable { return nil }
      throw failure
    } catch {
      throw PostgresFailure(error)
    }
  }

  private static func newer(_ version: Int, _ location: PostgresLocation) -> PostgresFailure {
    PostgresFailure(
      kind: .other,
      reason:
        "the runbook tables in \(location) were made by a newer runbook (schema version \(version), this one knows \(currentVersion)); upgrade runbook"
    )
  }
}
