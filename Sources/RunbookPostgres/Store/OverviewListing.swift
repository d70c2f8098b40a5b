import Foundation
import NIOCore
import RunbookEngine

/// Every run's overview in one value. The driver keeps each run's overview packed in
/// `runbook_runs.overview` (fields written as `<UTF-8 byte count>:<bytes>`, `-` for none), so
/// listing 10,000 runs is one concatenation on the server, one cell to receive and a byte scan to
/// read, instead of 190,000 decoded cells or per-row string building in SQL.
enum OverviewListing {
  /// The packed fields of an overview, without its holder (which `sql` adds).
  static func pack(_ overview: RunOverview) -> String {
    var out = ""
    func add(_ text: String) { out += "\(text.utf8.count):\(text)" }
    func add(_ date: Date) { add(String(Int((date.timeIntervalSince1970 * 1000).rounded()))) }
    add(overview.run.rawValue)
    add(overview.runbookID)
    add(overview.title)
    add(overview.outcome.rawValue)
    for number in [overview.done, overview.skipped, overview.failed, overview.total, overview.failedChecks] {
      add(String(number))
    }
    add(overview.lastOperator)
    add(overview.lastActivity)
    add(overview.created)
    var operators = ""
    for name in overview.operators { operators += "\(name.utf8.count):\(name)" }
    add(operators)
    add(String(overview.events))
    add(String(PostgresStore.overviewVersion))
    return out
  }

  /// A column as a packed field: its length in UTF-8 bytes, whatever the database's encoding.
  private static func field(_ expression: String) -> String {
    "coalesce(octet_length(convert_to(\(expression), 'UTF8'))::text || ':' || \(expression), '-')"
  }

  /// One row, one text column: every run's packed overview followed by its holder's fields.
  static let sql: String = """
    WITH held AS MATERIALIZED (
      SELECT objid::bigint AS lock_key, pid FROM pg_locks
      WHERE locktype = 'advisory' AND classid = \(Schema.lockClass)::oid AND objsubid = 2 AND granted)
    SELECT coalesce(string_agg(r.overview || CASE WHEN h.run_id IS NULL THEN '----' ELSE
        \(field("h.operator")) || \(field("h.host")) || \(field("h.pid::text"))
        || \(field("(extract(epoch FROM h.since) * 1000)::bigint::text")) END, ''), '')
    FROM runbook_runs r
    LEFT JOIN held ON held.lock_key = r.lock_key
    LEFT JOIN runbook_holders h ON h.run_id = r.run_id AND h.backend_pid = held.pid
    """

  /// A run as listed, with the version of the overview its row holds.
  struct Listed {
    var overview: RunOverview
    var version: Int
  }

  /// Reads the packed text; nil when it is not what ``sql`` writes.
  static func parse(_ bytes: ByteBuffer) -> [Listed]? {
    bytes.withUnsafeReadableBytes { raw in
      var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
      var listed: [Listed] = []
      while !reader.atEnd {
        guard let run = reader.next() else { return nil }
        listed.append(run)
      }
      return listed
    }
  }

  private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    var atEnd: Bool { i >= bytes.count }

    /// A field's bytes; `.some(nil)` for `-`, nil when malformed.
    mutating func field() -> UnsafeBufferPointer<UInt8>?? {
      guard i < bytes.count else { return nil }
      if bytes[i] == UInt8(ascii: "-") {
        i += 1
        return .some(nil)
      }
      var count = 0
      while i < bytes.count, bytes[i] != UInt8(ascii: ":") {
        guard bytes[i] >= 0x30, bytes[i] <= 0x39 else { return nil }
        count = count * 10 + Int(bytes[i] - 0x30)
        i += 1
      }
      guard i < bytes.count, i + 1 + count <= bytes.count else { return nil }
      let start = i + 1
      i = start + count
      return .some(UnsafeBufferPointer(rebasing: bytes[start..<i]))
    }

    mutating func text() -> String?? {
      guard let value = field() else { return nil }
      return .some(value.map { String(decoding: $0, as: UTF8.self) })
    }

    mutating func number() -> Int?? {
      guard let value = field() else { return nil }
      guard let value else { return .some(nil) }
      guard let number = Int(String(decoding: value, as: UTF8.self)) else { return nil }
      return .some(number)
    }

    mutating func date() -> Date?? {
      guard let value = number() else { return nil }
      return .some(value.map { Date(timeIntervalSince1970: Double($0) / 1000) })
    }

    mutating func next() -> Listed? {
      guard let id = text() ?? nil, let runbook = text() ?? nil, let title = text() ?? nil,
        let outcome = text() ?? nil, let done = number() ?? nil, let skipped = number() ?? nil,
        let failed = number() ?? nil, let total = number() ?? nil, let failedChecks = number() ?? nil,
        let lastOperator = text() ?? nil, let lastActivity = date() ?? nil, let created = date() ?? nil,
        let packedOperators = field(), let events = number() ?? nil, let version = number() ?? nil,
        let holderName = text(), let host = text(), let pid = number(), let since = date()
      else { return nil }
      var operators: [String] = []
      if let packedOperators {
        var inner = Reader(bytes: packedOperators)
        while !inner.atEnd {
          guard let name = inner.text() ?? nil else { return nil }
          operators.append(name)
        }
      }
      var holder: LockInfo?
      if let holderName, let host, let pid, let since {
        holder = LockInfo(operator: holderName, pid: pid, host: host, since: since)
      }
      // An outcome this runbook does not know is read from the events (a newer overview).
      let known = RunSummary.Outcome(rawValue: outcome)
      return Listed(
        overview: RunOverview(
          run: RunID(id), runbookID: runbook, title: title, outcome: known ?? .partial, done: done,
          skipped: skipped, failed: failed, total: total, failedChecks: failedChecks,
          lastOperator: lastOperator,
          lastActivity: lastActivity, created: created, operators: operators, events: events, holder: holder),
        version: known == nil ? -1 : version)
    }
  }
}
