import Foundation
import RunbookCore

/// `runbook status` over many runs: one line per run, as a table for people or JSON for tools.
public enum RunOverviewText {
  /// A header line, then one line per run in the order given; every field sanitised.
  public static func table(_ runs: [RunOverview]) -> String {
    func clean(_ t: String) -> String { Sanitizer.terminal(t, keepNewlines: false) }
    let head = ["LAST ACTIVITY", "RUNBOOK", "OUTCOME", "PROGRESS", "LAST OPERATOR", "FAILED", "NOW", "RUN"]
    let rows: [[String]] = runs.map { r in
      [
        JournalDateFormat.seconds(r.lastActivity), clean(r.runbookID), r.outcome.rawValue,
        "\(r.done + r.skipped)/\(r.total) (\(r.percent)%)", clean(r.lastOperator),
        r.failedChecks == 0 ? "-" : "\(r.failedChecks) check\(r.failedChecks == 1 ? "" : "s")",
        r.holder.map { "in progress (\(clean($0.operator)))" } ?? "-", clean(r.run.rawValue),
      ]
    }
    var widths = head.map(\.count)
    for row in rows {
      for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
    }
    var out = ""
    for cells in [head] + rows {
      for (i, cell) in cells.enumerated() {
        out += cell
        if i < cells.count - 1 { out += String(repeating: " ", count: widths[i] + 2 - cell.count) }
      }
      out += "\n"
    }
    return out
  }

  /// A JSON array, one object per run (schema in docs/store.md), keys sorted.
  public static func json(_ runs: [RunOverview]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, enc in
      var single = enc.singleValueContainer()
      try single.encode(JournalDateFormat.timestamp(date))
    }
    let items = runs.map(Item.init)
    return String(decoding: (try? encoder.encode(items)) ?? Data("[]".utf8), as: UTF8.self) + "\n"
  }

  private struct Item: Encodable {
    struct Progress: Encodable {
      var done, skipped, failed, pending, total, percent: Int
    }
    var run: String
    var runbookId: String
    var title: String
    var outcome: RunSummary.Outcome
    var progress: Progress
    var failedChecks: Int
    var lastOperator: String
    var lastActivity: Date
    var created: Date
    var operators: [String]
    var events: Int
    var inProgress: Bool
    var holder: LockInfo?

    init(_ r: RunOverview) {
      run = r.run.rawValue
      runbookId = r.runbookID
      title = r.title
      outcome = r.outcome
      progress = Progress(
        done: r.done, skipped: r.skipped, failed: r.failed,
        pending: r.total - r.done - r.skipped - r.failed, total: r.total, percent: r.percent)
      failedChecks = r.failedChecks
      lastOperator = r.lastOperator
      lastActivity = r.lastActivity
      created = r.created
      operators = r.operators
      events = r.events
      inProgress = r.holder != nil
      holder = r.holder
    }
  }
}
