import Foundation
import NIOCore
import RunbookEngine

/// Every run's overview in one value: the server packs each row's columns into one text,
/// each field written as `<byte count>:<bytes>` (or `-` for none), so `status` over 10,000 runs
/// costs one cell to receive and a byte scan to read instead of 190,000 decoded cells.
enum OverviewListing {
  /// A text column as a packed field; its length in UTF-8 bytes, whatever the database's encoding.
  private static func field(_ expression: String) -> String {
    "coalesce(octet_length(convert_to(\(expression), 'UTF8'))::text || ':' || \(expression), '-')"
  }

  private static func milliseconds(_ column: String) -> String {
    field("(extract(epoch FROM \(column)) * 1000)::bigint::text")
  }

  /// One row, one text column: every run packed, in no particular order.
  static let sql: String = {
    let operators =
      "(SELECT string_agg(\(field("o")), '' ORDER BY n) FROM unnest(r.operators) WITH ORDINALITY AS u(o, n))"
    let fields = [
      field("r.run_id"), field("r.runbook_id"), field("r.title"), field("r.outcome"),
      field("r.steps_done::text"), field("r.steps_skipped::text"), field("r.steps_failed::text"),
      field("r.steps_total::text"), field("r.failed_checks::text"), field("r.last_operator"),
      milliseconds("r.last_activity"), milliseconds("r.created_at"), field(operators),
      field("r.event_count::text"), field("r.overview_version::text"), field("h.operator"), field("h.host"),
      field("h.pid::text"), milliseconds("h.since"),
    ]
    return """
      WITH held AS MATERIALIZED (
        SELECT objid::bigint AS lock_key, pid FROM pg_locks
        WHERE locktype = 'advisory' AND classid = \(Schema.lockClass)::oid AND objsubid = 2 AND granted)
      SELECT coalesce(string_agg(\(fields.joined(separator: " || ")), ''), '')
      FROM runbook_runs r
      LEFT JOIN held ON held.lock_key = r.lock_key
      LEFT JOIN runbook_holders h ON h.run_id = r.run_id AND h.backend_pid = held.pid
      """
  }()

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
